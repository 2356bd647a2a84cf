/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ivr-editor"

#include "config.h"

#include "dd-ivr-editor.h"
#include "dd-ivr-editor-private.h"
#include "dd-ivr-test-call.h"
#include "dd-file-chooser.h"
#include "dd-question.h"
#include "dd-speaker.h"

#include "dd-case-store.h"
#include "dd-ivr-canvas-private.h"
#include "dd-ivr-flow-store.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include <math.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (DdIvrEditor, dd_ivr_editor, ADW_TYPE_BIN)

enum {
  LISTEN_REQUESTED,
  FLOW_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the inspector shows for each parameter */

typedef enum
{
  PARAM_PROMPT,     /* text to speak: placeholders and Listen */
  PARAM_CONFIRM,    /* a prompt that also knows the declared date and amount */
  PARAM_SMS,        /* text to send: placeholders */
  PARAM_ENTRY,
  PARAM_SECONDS,    /* stored in milliseconds */
  PARAM_NUMBER,
  PARAM_CHOICE,
  PARAM_FILE,
  PARAM_HOURS,
  PARAM_DATES,
} ParamKind;

typedef struct
{
  DdIvrNodeType       type;
  const char         *param;
  const char         *title;
  ParamKind           kind;
  double              lower;
  double              upper;
  double              fallback;
  const char * const *choices;      /* values; labels in choice_labels */
  const char * const *choice_labels;
} ParamSpec;

static const char * const amount_sources[] = { "amount", "balance", NULL };
static const char * const amount_source_labels[] = {
  N_("Amount of the invoice"), N_("Balance of the case"), NULL,
};
static const char * const date_sources[] = { "due_date", "today", NULL };
static const char * const date_source_labels[] = { N_("Due date"), N_("Today"), NULL };
static const char * const statuses[] = {
  "new", "call-later", "no-answer", "payment-declaration", "closed", NULL,
};

static const ParamSpec param_specs[] = {
  { DD_IVR_NODE_PLAY, "text", N_("Text to Speak"), PARAM_PROMPT, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_PLAY, "file", N_("Audio File"), PARAM_FILE, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_MENU, "prompt", N_("Prompt"), PARAM_PROMPT, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_MENU, "timeout_ms", N_("Wait for a Key (seconds)"), PARAM_SECONDS, 1, 60, 5000, NULL, NULL },
  { DD_IVR_NODE_MENU, "max_retries", N_("Repeats"), PARAM_NUMBER, 0, 9, 2, NULL, NULL },
  { DD_IVR_NODE_MENU, "timeout_prompt", N_("When No Key Is Pressed"), PARAM_PROMPT, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_MENU, "invalid_prompt", N_("When a Wrong Key Is Pressed"), PARAM_PROMPT, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_SAY_AMOUNT, "prefix", N_("Said First"), PARAM_ENTRY, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_SAY_AMOUNT, "source", N_("Amount"), PARAM_CHOICE, 0, 0, 0, amount_sources, amount_source_labels },
  { DD_IVR_NODE_SAY_DATE, "prefix", N_("Said First"), PARAM_ENTRY, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_SAY_DATE, "source", N_("Date"), PARAM_CHOICE, 0, 0, 0, date_sources, date_source_labels },
  { DD_IVR_NODE_SAY_INVOICE, "text", N_("Text to Speak (empty: the built-in sentence)"), PARAM_PROMPT, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_COLLECT_DIGITS, "prompt", N_("Prompt"), PARAM_PROMPT, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_COLLECT_DIGITS, "min_digits", N_("At Least (digits)"), PARAM_NUMBER, 1, 32, 1, NULL, NULL },
  { DD_IVR_NODE_COLLECT_DIGITS, "max_digits", N_("At Most (digits)"), PARAM_NUMBER, 1, 32, 16, NULL, NULL },
  { DD_IVR_NODE_COLLECT_DIGITS, "terminator", N_("Ends With Key"), PARAM_ENTRY, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_COLLECT_DIGITS, "timeout_ms", N_("Wait (seconds)"), PARAM_SECONDS, 1, 60, 5000, NULL, NULL },
  { DD_IVR_NODE_COLLECT_DIGITS, "variable", N_("Keep As"), PARAM_ENTRY, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_DECLARE_PAYMENT, "date_prompt", N_("Asking for the Date"), PARAM_PROMPT, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_DECLARE_PAYMENT, "amount_prompt", N_("Asking for the Amount"), PARAM_PROMPT, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_DECLARE_PAYMENT, "confirm_prompt", N_("Confirmation"), PARAM_CONFIRM, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_DECLARE_PAYMENT, "invalid_prompt", N_("When the Answer Is Wrong"), PARAM_PROMPT, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_DECLARE_PAYMENT, "timeout_ms", N_("Wait (seconds)"), PARAM_SECONDS, 1, 60, 7000, NULL, NULL },
  { DD_IVR_NODE_DECLARE_PAYMENT, "max_retries", N_("Repeats"), PARAM_NUMBER, 0, 9, 2, NULL, NULL },
  { DD_IVR_NODE_DECLARE_PAYMENT, "currency", N_("Currency (empty: the case’s)"), PARAM_ENTRY, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_TRANSFER, "queue", N_("Queue"), PARAM_ENTRY, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_SEND_SMS, "text", N_("Message"), PARAM_SMS, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_TIME_SWITCH, "timezone", N_("Time Zone"), PARAM_ENTRY, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_TIME_SWITCH, "hours", N_("Opening Hours"), PARAM_HOURS, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_TIME_SWITCH, "holidays", N_("Holidays (YYYY-MM-DD, …)"), PARAM_DATES, 0, 0, 0, NULL, NULL },
  { DD_IVR_NODE_SET_STATUS, "status", N_("Status"), PARAM_CHOICE, 0, 0, 0, statuses, NULL },
};

static const char * const placeholders[] = {
  "name", "amount", "due_date", "invoice", "creditor", "payment_link", "agent_phone", "balance",
  NULL,
};
static const char * const declared_placeholders[] = { "declared_date", "declared_amount", NULL };

static const char * const weekdays[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL };
static const char * const weekday_names[] = {
  N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
  N_("Sunday"), NULL,
};

static const char *
choice_label (const ParamSpec *spec,
              guint            index)
{
  if (spec->choice_labels != NULL)
    return _(spec->choice_labels[index]);
  if (spec->choices == statuses)
    {
      DdCaseStatus status;

      if (dd_case_status_from_string (statuses[index], &status))
        return dd_case_status_to_label (status);
    }
  return spec->choices[index];
}

static void rebuild_inspector (DdIvrEditor *self);
static void validate_later    (DdIvrEditor *self);

/* Helpers */

static DdIvrEditorState *
get_state (DdIvrEditor *self)
{
  return dd_ivr_canvas_get_state (self->canvas);
}

void
_dd_ivr_editor_show_toast (DdIvrEditor *self,
            const char  *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
update_title (DdIvrEditor *self)
{
  g_autofree char *text = NULL;

  if (self->version > 0)
    text = g_strdup_printf (dd_ivr_editor_get_modified (self)
                            /* Translators: the stored version, with changes not saved yet */
                            ? _("Version %" PRId64 ", changed")
                            : _("Version %" PRId64), self->version);
  else
    text = g_strdup (_("Not saved yet"));
  gtk_label_set_text (self->version_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->version_button), self->version > 0);
}

static void
update_actions (DdIvrEditor *self)
{
  DdIvrEditorState *state = get_state (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.undo",
                                 dd_ivr_editor_state_can_undo (state));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.redo",
                                 dd_ivr_editor_state_can_redo (state));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete-node",
                                 dd_ivr_editor_state_get_selected (state) != NULL);
  update_title (self);
}

static void
apply_param (DdIvrEditor *self,
             const char  *param,
             JsonNode    *value)
{
  g_autoptr(GError) error = NULL;

  if (self->updating || self->inspected == NULL)
    return;
  self->editing = TRUE;
  if (!dd_ivr_editor_state_set_param (get_state (self), self->inspected, param, value, &error))
    _dd_ivr_editor_show_toast (self, error->message);
  dd_ivr_canvas_state_changed (self->canvas);
  self->editing = FALSE;
}

static void
apply_string (DdIvrEditor *self,
              const char  *param,
              const char  *value)
{
  g_autoptr(JsonNode) node = NULL;

  if (value != NULL)
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, value);
    }
  apply_param (self, param, node);
}

static const DdIvrNode *
inspected_node (DdIvrEditor *self)
{
  return dd_ivr_flow_get_node (dd_ivr_canvas_get_flow (self->canvas), self->inspected);
}

static const char *
param_of (gpointer widget)
{
  return g_object_get_data (G_OBJECT (widget), "dd-param");
}

static void
set_param_of (gpointer    widget,
              const char *param)
{
  g_object_set_data_full (G_OBJECT (widget), "dd-param", g_strdup (param), g_free);
}

/* Inspector: texts */

static void
on_text_changed (GtkTextBuffer *buffer,
                 DdIvrEditor   *self)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  apply_string (self, param_of (buffer), text);
}

static void
on_chip_clicked (GtkButton *button,
                 GtkWidget *text_view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));

  gtk_text_buffer_insert_at_cursor (buffer, gtk_button_get_label (button), -1);
  gtk_widget_grab_focus (text_view);
}

/* The language of a new flow: the office's country says it (Poland, Russia), else the
 * language the user reads. */
static const char *
office_language (DdIvrEditor *self)
{
  GSettings *settings = self->context != NULL ? dd_context_get_settings (self->context) : NULL;
  g_autofree char *country = settings != NULL ? g_settings_get_string (settings, "default-country")
                                              : NULL;
  const char * const *locales = g_get_language_names ();

  if (g_strcmp0 (country, "PL") == 0)
    return "pl";
  if (g_strcmp0 (country, "RU") == 0)
    return "ru";
  for (guint i = 0; locales[i] != NULL; i++)
    {
      if (g_str_has_prefix (locales[i], "pl"))
        return "pl";
      if (g_str_has_prefix (locales[i], "ru"))
        return "ru";
      if (g_str_has_prefix (locales[i], "en"))
        return "en";
    }
  return "en";
}

/* Listen: the prompt as a debtor hears it, with a sample debtor's details, in the flow's
 * language, through the speakers. */
static void
listen_default (DdIvrEditor *self,
                const char  *text)
{
  const char *language = dd_ivr_flow_get_language (dd_ivr_canvas_get_flow (self->canvas));
  g_autoptr(DdIvrCaseInfo) info = dd_ivr_case_info_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *spoken = NULL;

  g_free (info->language);
  info->language = g_strdup (language != NULL ? language : office_language (self));
  /* Translators: the sample debtor whose details the Listen button reads out */
  info->name = g_strdup (_("Jan Kowalski"));
  info->creditor = g_strdup (_("Example Waterworks"));
  info->invoice = g_strdup ("FV/123/2026");
  info->amount_minor = 123456;
  info->balance_minor = 123456;
  g_strlcpy (info->currency, g_strcmp0 (info->language, "ru") == 0 ? "RUB" : "PLN",
             sizeof info->currency);
  g_date_set_dmy (&info->due_date, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
  spoken = dd_ivr_render (text, info, DD_IVR_RENDER_SPEECH, NULL);
  dd_speaker_say_async (dd_speaker_get_default (), spoken != NULL ? spoken : text, info->language,
                        NULL, NULL, NULL);
}

static void
on_listen_clicked (GtkButton   *button,
                   DdIvrEditor *self)
{
  GtkTextBuffer *buffer = g_object_get_data (G_OBJECT (button), "dd-buffer");
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_signal_emit (self, signals[LISTEN_REQUESTED], 0, text);
}

static void
add_chips (GtkFlowBox         *chips,
           GtkWidget          *text_view,
           const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *label = g_strdup_printf ("{%s}", names[i]);
      g_autofree char *tooltip = g_strdup_printf (_("Insert %s"), label);
      GtkWidget *chip = gtk_button_new_with_label (label);
      GtkWidget *child;

      gtk_widget_set_tooltip_text (chip, tooltip);
      gtk_widget_add_css_class (chip, "caption");
      g_signal_connect_object (chip, "clicked", G_CALLBACK (on_chip_clicked), text_view, 0);
      gtk_flow_box_append (chips, chip);
      child = gtk_widget_get_parent (chip);
      gtk_widget_set_focusable (child, FALSE);
    }
}

static GtkWidget *
text_row (DdIvrEditor     *self,
          const ParamSpec *spec,
          const DdIvrNode *node)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (_(spec->title));
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkWidget *chips = gtk_flow_box_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_box_append (GTK_BOX (header), title);

  if (spec->kind != PARAM_SMS)
    {
      GtkWidget *listen = gtk_button_new ();
      GtkWidget *content = adw_button_content_new ();

      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "audio-speakers-symbolic");
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _("_Listen"));
      adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
      gtk_button_set_child (GTK_BUTTON (listen), content);
      gtk_widget_set_tooltip_text (listen, _("Hear the text as the debtor will"));
      gtk_widget_add_css_class (listen, "flat");
      g_object_set_data (G_OBJECT (listen), "dd-buffer", buffer);
      g_signal_connect_object (listen, "clicked", G_CALLBACK (on_listen_clicked), self, 0);
      gtk_box_append (GTK_BOX (header), listen);
    }
  gtk_box_append (GTK_BOX (box), header);

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_widget_set_size_request (view, -1, 72);
  /* undo is the editor's: one step per edit of the text, with the rest of the flow */
  gtk_text_buffer_set_enable_undo (buffer, FALSE);
  gtk_text_buffer_set_text (buffer, dd_ivr_node_get_string (node, spec->param, ""), -1);
  set_param_of (buffer, spec->param);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_text_changed), self, 0);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, title, NULL,
                                  -1);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_box_append (GTK_BOX (box), frame);

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (chips), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (chips), 3);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (chips), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (chips), 4);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (chips), FALSE);
  add_chips (GTK_FLOW_BOX (chips), view, placeholders);
  if (spec->kind == PARAM_CONFIRM)
    add_chips (GTK_FLOW_BOX (chips), view, declared_placeholders);
  gtk_accessible_update_property (GTK_ACCESSIBLE (chips),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Placeholders"),
                                  -1);
  gtk_box_append (GTK_BOX (box), chips);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_hash_table_replace (self->param_widgets, g_strdup (spec->param), view);
  return row;
}

/* Inspector: entries, numbers, choices */

static void
on_entry_changed (GtkEditable *editable,
                  DdIvrEditor *self)
{
  apply_string (self, param_of (editable), gtk_editable_get_text (editable));
}

static GtkWidget *
entry_row (DdIvrEditor     *self,
           const ParamSpec *spec,
           const DdIvrNode *node)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(spec->title));
  gtk_editable_set_enable_undo (GTK_EDITABLE (row), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (row), dd_ivr_node_get_string (node, spec->param, ""));
  set_param_of (row, spec->param);
  g_signal_connect_object (row, "changed", G_CALLBACK (on_entry_changed), self, 0);
  g_hash_table_replace (self->param_widgets, g_strdup (spec->param), row);
  return row;
}

static void
on_spin_changed (GtkSpinButton *spin,
                 DdIvrEditor   *self)
{
  g_autoptr(JsonNode) value = json_node_new (JSON_NODE_VALUE);
  double factor = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (spin), "dd-factor"));

  json_node_set_int (value, (gint64) round (gtk_spin_button_get_value (spin) * factor));
  apply_param (self, param_of (spin), value);
}

static GtkWidget *
number_row (DdIvrEditor     *self,
            const ParamSpec *spec,
            const DdIvrNode *node)
{
  GtkWidget *row = adw_action_row_new ();
  gboolean seconds = spec->kind == PARAM_SECONDS;
  double factor = seconds ? 1000 : 1;
  GtkWidget *spin = gtk_spin_button_new_with_range (spec->lower, spec->upper, seconds ? 0.5 : 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(spec->title));
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), seconds ? 1 : 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin),
                             dd_ivr_node_get_int (node, spec->param, (gint64) spec->fallback)
                             / factor);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (spin), "dd-factor", GINT_TO_POINTER ((int) factor));
  set_param_of (spin, spec->param);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (on_spin_changed), self, 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(spec->title),
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_hash_table_replace (self->param_widgets, g_strdup (spec->param), spin);
  return row;
}

static void
on_choice_changed (AdwComboRow *row,
                   GParamSpec  *pspec,
                   DdIvrEditor *self)
{
  const ParamSpec *spec = g_object_get_data (G_OBJECT (row), "dd-spec");
  guint selected = adw_combo_row_get_selected (row);

  if (selected < g_strv_length ((char **) spec->choices))
    apply_string (self, spec->param, spec->choices[selected]);
}

static GtkWidget *
choice_row (DdIvrEditor     *self,
            const ParamSpec *spec,
            const DdIvrNode *node)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const char *value = dd_ivr_node_get_string (node, spec->param, spec->choices[0]);
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; spec->choices[i] != NULL; i++)
    {
      gtk_string_list_append (labels, choice_label (spec, i));
      if (g_strcmp0 (value, spec->choices[i]) == 0)
        selected = i;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(spec->title));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_object_set_data (G_OBJECT (row), "dd-spec", (gpointer) spec);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_choice_changed), self, 0);
  g_hash_table_replace (self->param_widgets, g_strdup (spec->param), row);
  return row;
}

/* Inspector: audio file */

static void
set_file_subtitle (GtkWidget  *row,
                   const char *path)
{
  g_autofree char *base = path != NULL && *path != '\0' ? g_path_get_basename (path) : NULL;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), base != NULL ? base : _("None"));
  gtk_widget_set_tooltip_text (row, path);
}

/* Only if the inspector still shows the node (@node_id) the file was asked for. */
static void
on_file_chosen (gpointer    owner,
                const char *path,
                gpointer    node_id)
{
  DdIvrEditor *self = owner;

  if (g_strcmp0 (node_id, self->inspected) == 0)
    {
      apply_string (self, "file", path);
      rebuild_inspector (self);
    }
}

static void
on_choose_file_clicked (GtkButton   *button,
                        DdIvrEditor *self)
{
  dd_file_chooser_choose_sound (GTK_WIDGET (self), _("Choose an Audio File"), _("Audio files"),
                                on_file_chosen, g_strdup (self->inspected), g_free);
}

static void
on_clear_file_clicked (GtkButton   *button,
                       DdIvrEditor *self)
{
  apply_param (self, "file", NULL);
  set_file_subtitle (gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW), NULL);
}

static GtkWidget *
file_row (DdIvrEditor     *self,
          const ParamSpec *spec,
          const DdIvrNode *node)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *choose = gtk_button_new_with_mnemonic (_("_Choose…"));
  GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(spec->title));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  set_file_subtitle (row, dd_ivr_node_get_string (node, spec->param, NULL));
  gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (clear, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (clear, "flat");
  gtk_widget_set_tooltip_text (clear, _("Play the text instead"));
  g_signal_connect_object (choose, "clicked", G_CALLBACK (on_choose_file_clicked), self, 0);
  g_signal_connect_object (clear, "clicked", G_CALLBACK (on_clear_file_clicked), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), choose);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), clear);
  g_hash_table_replace (self->param_widgets, g_strdup (spec->param), choose);
  return row;
}

/* Inspector: opening hours and holidays */

static char *
join_strings (JsonArray *array)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_string_append_printf (text, "%s%s", text->len > 0 ? ", " : "",
                                json_node_get_string (element));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static JsonArray *
split_strings (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text, ", ;", -1);
  JsonArray *array = json_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*g_strstrip (parts[i]) != '\0')
      json_array_add_string_element (array, parts[i]);
  return array;
}

static JsonObject *
param_object (const DdIvrNode *node,
              const char      *param)
{
  JsonNode *member = json_object_get_member (node->params, param);

  return member != NULL && JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;
}

static JsonArray *
param_array (const DdIvrNode *node,
             const char      *param)
{
  JsonNode *member = json_object_get_member (node->params, param);

  return member != NULL && JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;
}

static void
on_hours_changed (GtkEditable *editable,
                  DdIvrEditor *self)
{
  const DdIvrNode *node = inspected_node (self);
  const char *day = param_of (editable);
  g_autoptr(JsonNode) value = NULL;
  JsonObject *old_hours;
  JsonObject *hours;
  JsonArray *ranges;

  if (node == NULL || self->updating)
    return;
  hours = json_object_new ();
  old_hours = param_object (node, "hours");
  for (guint i = 0; weekdays[i] != NULL; i++)
    {
      JsonNode *member = old_hours ? json_object_get_member (old_hours, weekdays[i]) : NULL;

      if (g_strcmp0 (weekdays[i], day) != 0 && member != NULL)
        json_object_set_member (hours, weekdays[i], json_node_copy (member));
      else if (g_strcmp0 (weekdays[i], day) == 0)
        {
          ranges = split_strings (gtk_editable_get_text (editable));
          if (json_array_get_length (ranges) > 0)
            json_object_set_array_member (hours, weekdays[i], ranges);
          else
            json_array_unref (ranges);
        }
    }
  value = json_node_init_object (json_node_alloc (), hours);
  json_object_unref (hours);
  apply_param (self, "hours", value);
}

static GtkWidget *
hours_rows (DdIvrEditor     *self,
            const ParamSpec *spec,
            const DdIvrNode *node)
{
  GtkWidget *expander = adw_expander_row_new ();
  JsonObject *hours = param_object (node, "hours");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _(spec->title));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander),
                                 _("Ranges such as 08:00-16:00; empty: closed"));
  for (guint i = 0; weekdays[i] != NULL; i++)
    {
      GtkWidget *row = adw_entry_row_new ();
      JsonNode *member = hours ? json_object_get_member (hours, weekdays[i]) : NULL;
      g_autofree char *text = member != NULL && JSON_NODE_HOLDS_ARRAY (member)
                              ? join_strings (json_node_get_array (member)) : g_strdup ("");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(weekday_names[i]));
      gtk_editable_set_enable_undo (GTK_EDITABLE (row), FALSE);
      gtk_editable_set_text (GTK_EDITABLE (row), text);
      set_param_of (row, weekdays[i]);
      g_signal_connect_object (row, "changed", G_CALLBACK (on_hours_changed), self, 0);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
      if (i == 0)
        g_hash_table_replace (self->param_widgets, g_strdup (spec->param), row);
    }
  return expander;
}

static void
on_dates_changed (GtkEditable *editable,
                  DdIvrEditor *self)
{
  g_autoptr(JsonNode) value = json_node_new (JSON_NODE_ARRAY);
  JsonArray *dates = split_strings (gtk_editable_get_text (editable));

  json_node_take_array (value, dates);
  apply_param (self, param_of (editable), value);
}

static GtkWidget *
dates_row (DdIvrEditor     *self,
           const ParamSpec *spec,
           const DdIvrNode *node)
{
  GtkWidget *row = adw_entry_row_new ();
  g_autofree char *text = join_strings (param_array (node, spec->param));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(spec->title));
  gtk_editable_set_enable_undo (GTK_EDITABLE (row), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  set_param_of (row, spec->param);
  g_signal_connect_object (row, "changed", G_CALLBACK (on_dates_changed), self, 0);
  g_hash_table_replace (self->param_widgets, g_strdup (spec->param), row);
  return row;
}

/* Inspector: exits and the node itself */

static void
on_exit_changed (AdwComboRow *row,
                 GParamSpec  *pspec,
                 DdIvrEditor *self)
{
  const char *outcome = param_of (row);
  GtkStringList *targets = GTK_STRING_LIST (adw_combo_row_get_model (row));
  guint selected = adw_combo_row_get_selected (row);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->updating || self->inspected == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  self->editing = TRUE;
  if (selected == 0)
    ok = dd_ivr_editor_state_disconnect (get_state (self), self->inspected, outcome, &error);
  else
    ok = dd_ivr_editor_state_connect (get_state (self), self->inspected, outcome,
                                      gtk_string_list_get_string (targets, selected), &error);
  if (!ok)
    _dd_ivr_editor_show_toast (self, error->message);
  dd_ivr_canvas_state_changed (self->canvas);
  self->editing = FALSE;
}

static GtkWidget *
exit_row (DdIvrEditor     *self,
          const DdIvrNode *node,
          const char      *outcome,
          GPtrArray       *ids)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) targets = gtk_string_list_new (NULL);
  const char *target = dd_ivr_node_get_exit (node, outcome);
  guint selected = 0;

  /* Translators: an exit that leads nowhere */
  gtk_string_list_append (targets, _("Not connected"));
  for (guint i = 0; i < ids->len; i++)
    {
      gtk_string_list_append (targets, g_ptr_array_index (ids, i));
      if (g_strcmp0 (target, g_ptr_array_index (ids, i)) == 0)
        selected = i + 1;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dd_ivr_exit_get_display_name (outcome));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (dd_ivr_node_type_exit_is_required (node->type, outcome))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Required"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (targets));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  set_param_of (row, outcome);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_exit_changed), self, 0);
  g_hash_table_replace (self->exit_widgets, g_strdup (outcome), row);
  return row;
}

static void
on_start_switch_changed (GtkSwitch   *widget,
                         GParamSpec  *pspec,
                         DdIvrEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (self->updating || self->inspected == NULL)
    return;
  self->editing = TRUE;
  if (!dd_ivr_editor_state_set_start (get_state (self),
                                      gtk_switch_get_active (widget) ? self->inspected : NULL,
                                      &error))
    _dd_ivr_editor_show_toast (self, error->message);
  dd_ivr_canvas_state_changed (self->canvas);
  self->editing = FALSE;
}

/* The flow as a whole: the language it speaks */

static const char * const flow_languages[] = { "pl", "ru", "en", NULL };
static const char * const flow_language_labels[] = { N_("Polish"), N_("Russian"), N_("English"),
                                                      NULL };

static void
on_language_changed (AdwComboRow *row,
                     GParamSpec  *pspec,
                     DdIvrEditor *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->updating || selected >= G_N_ELEMENTS (flow_languages) - 1)
    return;
  dd_ivr_flow_set_language (dd_ivr_canvas_get_flow (self->canvas), flow_languages[selected]);
  validate_later (self);
}

static GtkWidget *
flow_group (DdIvrEditor *self,
            DdIvrFlow   *flow)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const char *language = dd_ivr_flow_get_language (flow);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Call Flow"));
  for (guint i = 0; flow_language_labels[i] != NULL; i++)
    gtk_string_list_append (labels, _(flow_language_labels[i]));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Language"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("The prompts are written in it, and amounts, dates and "
                                 "invoice numbers are said in it"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
  for (guint i = 0; flow_languages[i] != NULL; i++)
    if (g_strcmp0 (language, flow_languages[i]) == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_language_changed), self, 0);
  g_hash_table_replace (self->param_widgets, g_strdup ("language"), row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return group;
}

static void
clear_inspector (DdIvrEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->inspector_box))) != NULL)
    gtk_box_remove (self->inspector_box, child);
  g_hash_table_remove_all (self->param_widgets);
  g_hash_table_remove_all (self->exit_widgets);
  g_clear_pointer (&self->inspected, g_free);
}

static gboolean
has_params (DdIvrNodeType type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (param_specs); i++)
    if (param_specs[i].type == type)
      return TRUE;
  return FALSE;
}

static void
rebuild_inspector (DdIvrEditor *self)
{
  DdIvrFlow *flow = dd_ivr_canvas_get_flow (self->canvas);
  const char *selected = dd_ivr_editor_state_get_selected (get_state (self));
  const DdIvrNode *node = dd_ivr_flow_get_node (flow, selected);
  g_autoptr(GPtrArray) ids = NULL;
  GtkWidget *group, *row, *widget;
  const char * const *exits;

  self->updating = TRUE;
  clear_inspector (self);

  if (node == NULL)
    {
      GtkWidget *label = gtk_label_new (_("Select a step on the canvas to change what it says "
                                          "and where it leads."));

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      /* not wider than the inspector wants to be */
      gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (self->inspector_box, label);
      gtk_box_append (self->inspector_box, flow_group (self, flow));
      self->updating = FALSE;
      return;
    }
  self->inspected = g_strdup (node->id);

  /* the step */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                   dd_ivr_node_type_get_display_name (node->type));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), node->id);
  widget = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_add_css_class (widget, "flat");
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (widget, _("Delete Step (Delete)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (widget), "editor.delete-node");
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), widget);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Calls Start Here"));
  widget = gtk_switch_new ();
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (widget),
                         g_strcmp0 (dd_ivr_flow_get_start (flow), node->id) == 0);
  g_signal_connect_object (widget, "notify::active", G_CALLBACK (on_start_switch_changed),
                           self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), widget);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  gtk_box_append (self->inspector_box, group);

  /* what it does */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Settings"));
  if (has_params (node->type))
    gtk_box_append (self->inspector_box, group);
  for (gsize i = 0; i < G_N_ELEMENTS (param_specs); i++)
    {
      const ParamSpec *spec = &param_specs[i];

      if (spec->type != node->type)
        continue;
      switch (spec->kind)
        {
        case PARAM_PROMPT:
        case PARAM_CONFIRM:
        case PARAM_SMS:
          row = text_row (self, spec, node);
          break;
        case PARAM_ENTRY:
          row = entry_row (self, spec, node);
          break;
        case PARAM_SECONDS:
        case PARAM_NUMBER:
          row = number_row (self, spec, node);
          break;
        case PARAM_CHOICE:
          row = choice_row (self, spec, node);
          break;
        case PARAM_FILE:
          row = file_row (self, spec, node);
          break;
        case PARAM_HOURS:
          row = hours_rows (self, spec, node);
          break;
        case PARAM_DATES:
          row = dates_row (self, spec, node);
          break;
        default:
          g_assert_not_reached ();
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  if (!has_params (node->type))
    g_object_unref (g_object_ref_sink (group));

  /* where it leads */
  exits = dd_ivr_node_type_get_exits (node->type);
  if (exits[0] != NULL)
    {
      ids = dd_ivr_flow_get_node_ids (flow);
      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                       node->type == DD_IVR_NODE_MENU ? _("Options")
                                                                      : _("Next Steps"));
      if (node->type == DD_IVR_NODE_MENU)
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                               _("A key is an option when it leads somewhere."));
      for (guint i = 0; exits[i] != NULL; i++)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                   exit_row (self, node, exits[i], ids));
      gtk_box_append (self->inspector_box, group);
    }

  self->updating = FALSE;
}

/* Validation */

static void
on_issue_activated (GtkListBox    *list,
                    GtkListBoxRow *row,
                    DdIvrEditor   *self)
{
  const char *node_id = g_object_get_data (G_OBJECT (row), "dd-node");

  if (node_id == NULL)
    return;
  dd_ivr_canvas_focus_node (self->canvas, node_id);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static GPtrArray *
refresh_issues (DdIvrEditor *self)
{
  g_autoptr(GPtrArray) issues = dd_ivr_flow_validate (dd_ivr_canvas_get_flow (self->canvas));
  GtkWidget *child;

  g_clear_handle_id (&self->validate_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->issues_list))) != NULL)
    gtk_list_box_remove (self->issues_list, child);

  for (guint i = 0; i < issues->len; i++)
    {
      DdIvrIssue *issue = g_ptr_array_index (issues, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (issue->severity == DD_IVR_SEVERITY_ERROR
                                                      ? "dialog-error-symbolic"
                                                      : "dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, issue->severity == DD_IVR_SEVERITY_ERROR ? "error"
                                                                               : "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      issue->severity == DD_IVR_SEVERITY_ERROR ? _("Error")
                                                                               : _("Warning"),
                                      -1);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), issue->message);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      if (issue->node_id != NULL)
        {
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), issue->node_id);
          g_object_set_data_full (G_OBJECT (row), "dd-node", g_strdup (issue->node_id), g_free);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          gtk_widget_set_tooltip_text (row, _("Show the step"));
        }
      else
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->issues_list, row);
    }
  if (issues->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No problems found"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("emblem-ok-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->issues_list, row);
    }
  return g_steal_pointer (&issues);
}

static gboolean
validate_later_cb (gpointer data)
{
  DdIvrEditor *self = data;
  g_autoptr(GPtrArray) issues = NULL;

  self->validate_id = 0;
  issues = refresh_issues (self);
  return G_SOURCE_REMOVE;
}

static void
validate_later (DdIvrEditor *self)
{
  g_clear_handle_id (&self->validate_id, g_source_remove);
  self->validate_id = g_timeout_add (300, validate_later_cb, self);
}

/* Canvas and palette */

static void
on_canvas_selection_changed (DdIvrEditor *self)
{
  rebuild_inspector (self);
  update_actions (self);
}

static void
on_canvas_history_changed (DdIvrEditor *self)
{
  if (!self->editing)
    rebuild_inspector (self);
  update_actions (self);
  validate_later (self);
}

static void
on_canvas_node_activated (DdIvrEditor *self,
                          const char  *node_id)
{
  dd_ivr_canvas_select (self->canvas, node_id);
  /* in a narrow window the inspector lies folded over the canvas: bring it out */
  adw_flap_set_reveal_flap (self->inspector_flap, TRUE);
  gtk_widget_child_focus (GTK_WIDGET (self->inspector_box), GTK_DIR_TAB_FORWARD);
}

static void
on_palette_row_activated (GtkListBox    *list,
                          GtkListBoxRow *row,
                          DdIvrEditor   *self)
{
  DdIvrNodeType type = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "dd-type"));

  dd_ivr_canvas_add_node (self->canvas, type);
  /* a folded palette lies over the canvas: out of the way of the new step */
  if (adw_flap_get_folded (self->palette_flap))
    adw_flap_set_reveal_flap (self->palette_flap, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static GdkContentProvider *
on_palette_drag_prepare (GtkDragSource *source,
                         double         x,
                         double         y,
                         GtkWidget     *row)
{
  DdIvrNodeType type = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "dd-type"));

  return gdk_content_provider_new_typed (G_TYPE_STRING, dd_ivr_node_type_to_string (type));
}

static void
on_palette_drag_begin (GtkDragSource *source,
                       GdkDrag       *drag,
                       GtkWidget     *row)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, paintable, 12, 12);
}

static void
fill_palette (DdIvrEditor *self)
{
  static const char * const colors[] = {
    [DD_IVR_NODE_PLAY] = "#1c71d8", [DD_IVR_NODE_SAY_AMOUNT] = "#1c71d8",
    [DD_IVR_NODE_SAY_DATE] = "#1c71d8", [DD_IVR_NODE_SAY_INVOICE] = "#1c71d8",
    [DD_IVR_NODE_MENU] = "#813d9c", [DD_IVR_NODE_COLLECT_DIGITS] = "#813d9c",
    [DD_IVR_NODE_DECLARE_PAYMENT] = "#813d9c", [DD_IVR_NODE_TRANSFER] = "#26a269",
    [DD_IVR_NODE_SEND_SMS] = "#26a269", [DD_IVR_NODE_SET_STATUS] = "#26a269",
    [DD_IVR_NODE_TIME_SWITCH] = "#c64600", [DD_IVR_NODE_HANG_UP] = "#a51d2d",
  };

  for (guint type = 0; type < DD_IVR_N_NODE_TYPES; type++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"%s\">●</span>", colors[type]);
      GtkWidget *dot = gtk_label_new (NULL);
      GtkWidget *label = gtk_label_new (dd_ivr_node_type_get_display_name (type));
      GtkDragSource *source = gtk_drag_source_new ();

      gtk_label_set_markup (GTK_LABEL (dot), markup);
      gtk_accessible_update_state (GTK_ACCESSIBLE (dot), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      /* long names (Polish, Russian) take a second line rather than being cut */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 1);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (box), dot);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_widget_set_tooltip_text (row, _("Drag onto the canvas, or press Enter to add"));
      g_object_set_data (G_OBJECT (row), "dd-type", GUINT_TO_POINTER (type));

      gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
      g_signal_connect (source, "prepare", G_CALLBACK (on_palette_drag_prepare), row);
      g_signal_connect (source, "drag-begin", G_CALLBACK (on_palette_drag_begin), row);
      gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
      gtk_list_box_append (self->palette_list, row);
    }
}

/* The flow as a whole */

static void
on_name_changed (GtkEditable *editable,
                 DdIvrEditor *self)
{
  if (self->updating)
    return;
  dd_ivr_flow_set_name (dd_ivr_canvas_get_flow (self->canvas), gtk_editable_get_text (editable));
}

/* The space between two buttons of the toolbar (the box's spacing and the style's, as laid
 * out): after the steps' button */
static int
toolbar_spacing (DdIvrEditor *self)
{
  GtkWidget *next = gtk_widget_get_next_sibling (self->palette_button);
  graphene_rect_t a, b;

  while (next != NULL && !gtk_widget_get_visible (next))
    next = gtk_widget_get_next_sibling (next);
  if (next == NULL
      || !gtk_widget_compute_bounds (self->palette_button, GTK_WIDGET (self->toolbar), &a)
      || !gtk_widget_compute_bounds (next, GTK_WIDGET (self->toolbar), &b))
    return 0;
  return MAX (0, (int) (b.origin.x - (a.origin.x + a.size.width) + 0.5));
}

/* The toolbar has no room for the whole name entry any more (large text, a narrow window), or
 * has again: the entry moves to its own bar below, or back to its slot after the steps'
 * button, and the toolbar's buttons close up, with no hole where it was. Looked at after each
 * frame drawn (the layout done), from the natural widths: the entry's does not depend on its
 * text. The toolbar's minimum width stays the same either way (the slot asks for none; the
 * expanding space between the two groups of buttons keeps the slot's spacing while the name
 * is away): else the window, or the list of flows beside the editor, could fold and unfold
 * each time the name moves, and the name with them. */
static void
place_name (DdIvrEditor *self)
{
  GtkWidget *toolbar = GTK_WIDGET (self->toolbar);
  GtkWidget *entry = GTK_WIDGET (self->name_entry);
  gboolean in_bar = gtk_widget_get_parent (entry) == self->name_bar;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  gboolean focused;
  int needed = 0;
  int natural = 0;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || width <= 0)
    return;
  gtk_widget_measure (toolbar, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &needed, NULL, NULL);
  if (in_bar)
    {
      /* the toolbar with the entry back, instead of the space kept for its slot */
      int kept = 0;

      gtk_widget_get_size_request (self->toolbar_spacer, &kept, NULL);
      gtk_widget_measure (entry, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      needed += natural + toolbar_spacing (self) - MAX (kept, 0);
    }
  if ((needed > width) == in_bar)
    return;

  /* the focus goes with the text */
  focused = (gtk_widget_get_state_flags (entry) & GTK_STATE_FLAG_FOCUS_WITHIN) != 0;
  g_object_ref (entry);
  if (in_bar)
    {
      gtk_box_remove (GTK_BOX (self->name_bar), entry);
      adw_squeezer_add (self->name_slot, entry);
      gtk_widget_set_size_request (self->toolbar_spacer, -1, -1);
    }
  else
    {
      gtk_widget_set_size_request (self->toolbar_spacer, toolbar_spacing (self), -1);
      adw_squeezer_remove (self->name_slot, entry);
      gtk_box_append (GTK_BOX (self->name_bar), entry);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->name_slot), in_bar);
  gtk_widget_set_hexpand (entry, !in_bar);
  gtk_widget_set_visible (self->name_bar, !in_bar);
  if (focused)
    gtk_widget_grab_focus (entry);
  g_object_unref (entry);
}

static void
dd_ivr_editor_realize (GtkWidget *widget)
{
  DdIvrEditor *self = DD_IVR_EDITOR (widget);

  GTK_WIDGET_CLASS (dd_ivr_editor_parent_class)->realize (widget);
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->after_paint_id = g_signal_connect_swapped (self->frame_clock, "after-paint",
                                                   G_CALLBACK (place_name), self);
}

static void
dd_ivr_editor_unrealize (GtkWidget *widget)
{
  DdIvrEditor *self = DD_IVR_EDITOR (widget);

  g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
  GTK_WIDGET_CLASS (dd_ivr_editor_parent_class)->unrealize (widget);
}

static void
show_flow (DdIvrEditor *self,
           DdIvrFlow   *flow,
           gint64       version)
{
  self->version = version;
  /* a flow saved (or exported) before flows had a language speaks the office's from now on;
   * the inspector shows it when no step is selected */
  if (dd_ivr_flow_get_language (flow) == NULL)
    dd_ivr_flow_set_language (flow, office_language (self));
  dd_ivr_canvas_set_flow (self->canvas, flow);
  if (version > 0)
    dd_ivr_editor_state_mark_saved (get_state (self));
  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), dd_ivr_flow_get_name (flow));
  self->updating = FALSE;
  rebuild_inspector (self);
  update_actions (self);
  g_ptr_array_unref (refresh_issues (self));
}

/* A name no stored flow has yet: "Payment reminder", "Payment reminder 2"... */
static char *
unused_name (DdIvrEditor *self,
             const char  *name)
{
  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *candidate = n == 1 ? g_strdup (name) : g_strdup_printf ("%s %u", name, n);

      if (!dd_ivr_flow_store_exists (self->store, candidate, NULL))
        return g_steal_pointer (&candidate);
    }
  return g_strdup (name);
}

/* Asking before unsaved changes are dropped */

typedef struct
{
  DdIvrEditor     *self;
  DdIvrDiscardCallback  callback;
  char            *argument;
} DiscardData;

static void
on_discard_response (AdwMessageDialog *dialog,
                     const char       *response,
                     DiscardData      *data)
{
  if (g_strcmp0 (response, "discard") == 0)
    data->callback (data->self, data->argument);
  g_object_unref (data->self);
  g_free (data->argument);
  g_free (data);
}

void
_dd_ivr_editor_confirm_discard (DdIvrEditor     *self,
                 DdIvrDiscardCallback  callback,
                 const char      *argument)
{
  DiscardData *data;
  GtkWidget *dialog;

  if (!dd_ivr_editor_get_modified (self))
    {
      callback (self, argument);
      return;
    }
  data = g_new0 (DiscardData, 1);
  data->self = g_object_ref (self);
  data->callback = callback;
  data->argument = g_strdup (argument);
  dialog = GTK_WIDGET (dd_question_new (GTK_WIDGET (self), _("Discard Unsaved Changes?"),
                                        _("The changes to this call flow since it was last "
                                          "saved will be lost."),
                                        "discard", _("_Discard"), ADW_RESPONSE_DESTRUCTIVE,
                                        FALSE));
  g_signal_connect (dialog, "response", G_CALLBACK (on_discard_response), data);
  gtk_window_present (GTK_WINDOW (dialog));
}
/* Versions */

static void
open_version_now (DdIvrEditor *self,
                  const char  *argument)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup (dd_ivr_flow_get_name (dd_ivr_editor_get_flow (self)));

  if (!dd_ivr_editor_load (self, name, g_ascii_strtoll (argument, NULL, 10), &error))
    _dd_ivr_editor_show_toast (self, error->message);
}

static void
on_version_activated (GtkListBox    *list,
                      GtkListBoxRow *row,
                      DdIvrEditor   *self)
{
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              *(gint64 *) g_object_get_data (G_OBJECT (row),
                                                                             "dd-version"));

  gtk_menu_button_popdown (self->version_button);
  _dd_ivr_editor_confirm_discard (self, open_version_now, version);
}

static void
create_versions_popover (GtkMenuButton *button,
                         gpointer       data)
{
  DdIvrEditor *self = data;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scroll = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  versions = dd_ivr_flow_store_list_versions (self->store,
                                              dd_ivr_flow_get_name (dd_ivr_editor_get_flow (self)),
                                              &error);
  for (guint i = 0; versions != NULL && i < versions->len; i++)
    {
      DdIvrFlowRecord *record = g_ptr_array_index (versions, i);
      g_autofree char *title = g_strdup_printf (_("Version %" PRId64), record->version);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), record->created_at);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      if (record->version == self->version)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   gtk_image_new_from_icon_name ("object-select-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "dd-version",
                              g_memdup2 (&record->version, sizeof (gint64)), g_free);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  if (error != NULL)
    _dd_ivr_editor_show_toast (self, error->message);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "navigation-sidebar");
  g_signal_connect_object (list, "row-activated", G_CALLBACK (on_version_activated), self, 0);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroll), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroll), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), list);
  gtk_popover_set_child (GTK_POPOVER (popover), scroll);
  gtk_menu_button_set_popover (button, popover);
}

/* GObject */

static void
dd_ivr_editor_constructed (GObject *object)
{
  DdIvrEditor *self = DD_IVR_EDITOR (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlow) flow = NULL;

  G_OBJECT_CLASS (dd_ivr_editor_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  self->store = dd_ivr_flow_store_new (dd_context_get_database (self->context));

  flow = dd_ivr_flow_new_from_template ("empty", &error);
  if (flow == NULL)
    {
      g_warning ("No empty call flow template: %s", error->message);
      flow = dd_ivr_flow_new (NULL);
    }
  show_flow (self, flow, 0);
}

static void
dd_ivr_editor_dispose (GObject *object)
{
  DdIvrEditor *self = DD_IVR_EDITOR (object);

  g_clear_handle_id (&self->validate_id, g_source_remove);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_IVR_EDITOR);
  g_clear_object (&self->store);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (dd_ivr_editor_parent_class)->dispose (object);
}

static void
dd_ivr_editor_finalize (GObject *object)
{
  DdIvrEditor *self = DD_IVR_EDITOR (object);

  g_free (self->inspected);
  g_clear_pointer (&self->param_widgets, g_hash_table_unref);
  g_clear_pointer (&self->exit_widgets, g_hash_table_unref);

  G_OBJECT_CLASS (dd_ivr_editor_parent_class)->finalize (object);
}

static void
dd_ivr_editor_class_init (DdIvrEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dd_ivr_editor_constructed;
  object_class->dispose = dd_ivr_editor_dispose;
  object_class->finalize = dd_ivr_editor_finalize;
  widget_class->realize = dd_ivr_editor_realize;
  widget_class->unrealize = dd_ivr_editor_unrealize;

  dd_context_install_property (object_class, G_STRUCT_OFFSET (DdIvrEditor, context), 0);

  /**
   * DdIvrEditor::listen-requested:
   * @text: the prompt, with its placeholders
   *
   * The user wants to hear a prompt.
   */
  signals[LISTEN_REQUESTED] =
    g_signal_new_class_handler ("listen-requested", G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST, G_CALLBACK (listen_default),
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * DdIvrEditor::flow-saved:
   * @name: the flow's name
   * @version: the version saved
   */
  signals[FLOW_SAVED] =
    g_signal_new ("flow-saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);

  g_type_ensure (DD_TYPE_IVR_CANVAS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-ivr-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, toolbar);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, palette_button);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, name_entry);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, name_slot);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, toolbar_spacer);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, name_bar);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, version_button);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, version_label);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, canvas);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, palette_list);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, inspector_box);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, issues_list);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, palette_flap);
  gtk_widget_class_bind_template_child (widget_class, DdIvrEditor, inspector_flap);
  /* for the tests */
  gtk_widget_class_bind_template_child_full (widget_class, "inspector_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "save_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "side_scroll", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, on_palette_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_history_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_node_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_issue_activated);

  _dd_ivr_editor_class_install_actions (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "editor.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "editor.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "editor.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK,
                                       "editor.redo", NULL);
}

static void
dd_ivr_editor_init (DdIvrEditor *self)
{
  self->param_widgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->exit_widgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  fill_palette (self);
  gtk_menu_button_set_create_popup_func (self->version_button, create_versions_popover, self,
                                         NULL);
  g_signal_connect_object (self->name_entry, "changed", G_CALLBACK (on_name_changed), self, 0);
}

/* Public API */

GtkWidget *
dd_ivr_editor_new (DdContext *context)
{
  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  return g_object_new (DD_TYPE_IVR_EDITOR, "context", context, NULL);
}

DdIvrCanvas *
dd_ivr_editor_get_canvas (DdIvrEditor *self)
{
  g_return_val_if_fail (DD_IS_IVR_EDITOR (self), NULL);

  return self->canvas;
}

DdIvrFlow *
dd_ivr_editor_get_flow (DdIvrEditor *self)
{
  g_return_val_if_fail (DD_IS_IVR_EDITOR (self), NULL);

  return dd_ivr_canvas_get_flow (self->canvas);
}

gboolean
dd_ivr_editor_load (DdIvrEditor  *self,
                    const char   *name,
                    gint64        version,
                    GError      **error)
{
  g_autoptr(DdIvrFlowRecord) record = NULL;
  g_autoptr(DdIvrFlow) flow = NULL;

  g_return_val_if_fail (DD_IS_IVR_EDITOR (self), FALSE);

  record = dd_ivr_flow_store_load (self->store, name, version, error);
  if (record == NULL)
    return FALSE;
  flow = dd_ivr_flow_new_from_data (record->json, -1, error);
  if (flow == NULL)
    return FALSE;
  /* the row's name is the one it is stored under */
  dd_ivr_flow_set_name (flow, record->name);
  show_flow (self, flow, record->version);
  return TRUE;
}

gboolean
dd_ivr_editor_new_from_template (DdIvrEditor  *self,
                                 const char   *template_name,
                                 GError      **error)
{
  g_autoptr(DdIvrFlow) flow = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (DD_IS_IVR_EDITOR (self), FALSE);

  flow = dd_ivr_flow_new_from_template_in (template_name, office_language (self), error);
  if (flow == NULL)
    return FALSE;
  name = unused_name (self, *dd_ivr_flow_get_name (flow) ? dd_ivr_flow_get_name (flow)
                                                          : _("New call flow"));
  dd_ivr_flow_set_name (flow, name);
  show_flow (self, flow, 0);
  return TRUE;
}

gboolean
dd_ivr_editor_save (DdIvrEditor  *self,
                    gint64       *out_version,
                    GError      **error)
{
  DdIvrFlow *flow;
  g_autofree char *json = NULL;
  gint64 version = 0;

  g_return_val_if_fail (DD_IS_IVR_EDITOR (self), FALSE);

  flow = dd_ivr_canvas_get_flow (self->canvas);
  json = dd_ivr_flow_to_data (flow, NULL);
  if (!dd_ivr_flow_store_save (self->store, dd_ivr_flow_get_name (flow), json, NULL, &version,
                               error))
    return FALSE;
  self->version = version;
  dd_ivr_editor_state_mark_saved (get_state (self));
  update_actions (self);
  if (out_version)
    *out_version = version;
  g_signal_emit (self, signals[FLOW_SAVED], 0, dd_ivr_flow_get_name (flow), version);
  return TRUE;
}

gint64
dd_ivr_editor_get_version (DdIvrEditor *self)
{
  g_return_val_if_fail (DD_IS_IVR_EDITOR (self), 0);

  return self->version;
}

gboolean
dd_ivr_editor_get_modified (DdIvrEditor *self)
{
  g_return_val_if_fail (DD_IS_IVR_EDITOR (self), FALSE);

  return dd_ivr_editor_state_is_modified (get_state (self));
}

GPtrArray *
dd_ivr_editor_validate (DdIvrEditor *self)
{
  g_return_val_if_fail (DD_IS_IVR_EDITOR (self), NULL);

  return refresh_issues (self);
}

void
dd_ivr_editor_add_toolbar_start (DdIvrEditor *self,
                                 GtkWidget   *widget)
{
  g_return_if_fail (DD_IS_IVR_EDITOR (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_box_prepend (self->toolbar, widget);
}

/* Private API */

gboolean
_dd_ivr_editor_import_file (DdIvrEditor  *self,
                            GFile        *file,
                            GError      **error)
{
  g_autofree char *data = NULL;
  g_autoptr(DdIvrFlow) flow = NULL;
  gsize length;

  if (!g_file_load_contents (file, NULL, &data, &length, NULL, error))
    return FALSE;
  flow = dd_ivr_flow_new_from_data (data, (gssize) length, error);
  if (flow == NULL)
    return FALSE;
  if (*dd_ivr_flow_get_name (flow) == '\0')
    {
      g_autofree char *base = g_file_get_basename (file);
      char *dot = strrchr (base, '.');

      if (dot != NULL)
        *dot = '\0';
      dd_ivr_flow_set_name (flow, base);
    }
  show_flow (self, flow, 0);
  return TRUE;
}

gboolean
_dd_ivr_editor_export_file (DdIvrEditor  *self,
                            GFile        *file,
                            GError      **error)
{
  g_autofree char *data = NULL;
  gsize length;

  data = dd_ivr_flow_to_data (dd_ivr_canvas_get_flow (self->canvas), &length);
  return g_file_replace_contents (file, data, length, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                  NULL, error);
}

GtkWidget *
_dd_ivr_editor_get_param_widget (DdIvrEditor *self,
                                 const char  *param)
{
  return g_hash_table_lookup (self->param_widgets, param);
}

GtkWidget *
_dd_ivr_editor_get_exit_widget (DdIvrEditor *self,
                                const char  *outcome)
{
  return g_hash_table_lookup (self->exit_widgets, outcome);
}

GtkListBox *
_dd_ivr_editor_get_palette (DdIvrEditor *self)
{
  return self->palette_list;
}

GtkListBox *
_dd_ivr_editor_get_issues_list (DdIvrEditor *self)
{
  return self->issues_list;
}
