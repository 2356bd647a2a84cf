/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ivr-test-call"

#include "config.h"

#include "dd-ivr-test-call.h"

#include "dd-application.h"
#include "dd-case-list.h"
#include "dd-case-row.h"
#include "dd-case-store.h"
#include "dd-dates.h"
#include "dd-money.h"
#include "dd-speaker.h"

#include <glib/gi18n.h>
#include <string.h>

/* Debtors offered in the chooser (sorted by name). */
#define MAX_CHOICES 200

struct _DdIvrTestCall
{
  AdwWindow       parent_instance;

  DdContext      *context;
  DdIvrFlow      *flow;
  DdIvrSimulator *simulator;
  GArray         *case_ids;
  GPtrArray      *transcript;
  gboolean        speak;

  AdwComboRow    *debtor_row;
  GtkButton      *call_button;
  GtkButton      *hang_up_button;
  GtkWidget      *transfer_box;
  GtkListBox     *transcript_list;
  GtkScrolledWindow *scroller;
  gboolean        follow;         /* the transcript shows its newest line */
  guint           scroll_id;
  GtkWidget      *keypad;
  GtkLabel       *status_label;
  AdwBin         *keypad_bin;
  AdwWindowTitle *window_title;
};

G_DEFINE_FINAL_TYPE (DdIvrTestCall, dd_ivr_test_call, ADW_TYPE_WINDOW)

enum {
  NODE_ENTERED,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum
{
  PROP_0,
  PROP_CONTEXT,
  PROP_FLOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char keys[] = "123456789*0#";

static void
add_line (DdIvrTestCall *self,
          const char    *icon_name,
          const char    *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_name));
  gtk_list_box_append (self->transcript_list, row);
  g_ptr_array_add (self->transcript, g_strdup (text));
  /* the newest line comes into view once it has its place (see on_scroller_changed) */
  self->follow = TRUE;
}

static gboolean
scroll_to_newest (gpointer data)
{
  DdIvrTestCall *self = data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->scroll_id = 0;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                        - gtk_adjustment_get_page_size (adjustment));
  return G_SOURCE_REMOVE;
}

/* The transcript grew (or the window changed): once the layout is done, its end comes into
 * view. (Setting the value right here, while the viewport allocates, is not drawn.) */
static void
on_scroller_changed (GtkAdjustment *adjustment,
                     DdIvrTestCall *self)
{
  if (self->follow && self->scroll_id == 0)
    self->scroll_id = g_idle_add (scroll_to_newest, self);
}

static void
update_buttons (DdIvrTestCall *self)
{
  gboolean running = self->simulator != NULL && dd_ivr_simulator_is_running (self->simulator);

  gtk_widget_set_sensitive (GTK_WIDGET (self->call_button), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->debtor_row), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hang_up_button), running);
  gtk_widget_set_sensitive (self->keypad, running);
  gtk_widget_set_visible (self->transfer_box,
                          running && dd_ivr_simulator_is_transferring (self->simulator));
}

static void
on_event (DdIvrSimulator *simulator,
          const char     *kind,
          const char     *text,
          DdIvrTestCall  *self)
{
  const char *icon = g_str_equal (kind, "play") ? "audio-speakers-symbolic"
                     : g_str_equal (kind, "sms") ? "mail-send-symbolic"
                     : g_str_equal (kind, "transfer") ? "audio-headset-symbolic"
                     : g_str_equal (kind, "hang-up") ? "call-stop-symbolic"
                     : "emblem-ok-symbolic";

  add_line (self, icon, text != NULL ? text : "");
  update_buttons (self);
}

static void
on_node_entered (DdIvrSimulator *simulator,
                 const char     *node_id,
                 DdIvrTestCall  *self)
{
  const DdIvrNode *node = dd_ivr_flow_get_node (self->flow, node_id);

  if (node != NULL)
    gtk_label_set_text (self->status_label, dd_ivr_node_type_get_display_name (node->type));
  g_signal_emit (self, signals[NODE_ENTERED], 0, node_id);
}

static void
on_finished (DdIvrSimulator *simulator,
             DdIvrTestCall  *self)
{
  gtk_label_set_text (self->status_label, _("Call ended"));
  update_buttons (self);
  g_signal_emit (self, signals[FINISHED], 0);
}

/* The prompts through the speakers; the simulator waits for them. */

static void
on_spoken (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DdIvrTestCall) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dd_speaker_say_finish (DD_SPEAKER (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;   /* barge-in or hang-up: the simulator knows */
      g_debug ("Could not speak: %s", error->message);
    }
  if (self->simulator != NULL)
    dd_ivr_simulator_playback_finished (self->simulator);
}

static void
on_said (DdIvrSimulator *simulator,
         const char     *text,
         const char     *file,
         const char     *language,
         DdIvrTestCall  *self)
{
  if (text == NULL)
    {
      /* an audio file: not played in a test call yet; its turn passes */
      dd_ivr_simulator_playback_finished (simulator);
      return;
    }
  dd_speaker_say_async (dd_speaker_get_default (), text, language, NULL, on_spoken,
                        g_object_ref (self));
}

static void
on_playback_stopped (DdIvrSimulator *simulator,
                     DdIvrTestCall  *self)
{
  dd_speaker_stop (dd_speaker_get_default ());
}

static DdIvrCaseInfo *
case_info (DdIvrTestCall *self,
           gint64         case_id)
{
  g_autoptr(DdCaseStore) store = dd_case_store_new (dd_context_get_database (self->context));
  g_autoptr(DdCaseDetails) d = NULL;
  g_autoptr(GError) error = NULL;
  DdIvrCaseInfo *info = dd_ivr_case_info_new ();

  d = dd_case_store_get_details (store, case_id, &error);
  if (d == NULL)
    {
      g_warning ("Could not read case %" G_GINT64_FORMAT ": %s", case_id, error->message);
      return info;
    }
  info->name = g_strdup (d->debtor_name);
  info->creditor = g_strdup (d->creditor_name);
  info->balance_minor = d->balance_minor;
  info->amount_minor = d->balance_minor;
  g_strlcpy (info->currency, d->currency != NULL ? d->currency : "PLN", sizeof info->currency);
  if (d->language != NULL)
    {
      g_free (info->language);
      info->language = g_strdup (d->language);
    }
  for (guint i = 0; i < d->liabilities->len; i++)
    {
      DdCaseLiability *l = g_ptr_array_index (d->liabilities, i);

      /* by due date: the first unpaid is the oldest */
      if (l->paid_at == NULL)
        {
          info->invoice = g_strdup (l->invoice_no);
          info->amount_minor = l->amount_minor;
          if (l->due_on != NULL)
            dd_date_from_iso (l->due_on, &info->due_date);
          break;
        }
    }
  return info;
}

static void
on_call_clicked (DdIvrTestCall *self)
{
  dd_ivr_test_call_start (self);
}

static void
on_hang_up_clicked (DdIvrTestCall *self)
{
  if (self->speak)
    dd_speaker_stop (dd_speaker_get_default ());
  if (self->simulator != NULL)
    dd_ivr_simulator_hang_up (self->simulator);
}

static void
on_transfer_answered (DdIvrTestCall *self)
{
  if (self->simulator != NULL)
    dd_ivr_simulator_transfer_result (self->simulator, TRUE);
  update_buttons (self);
}

static void
on_transfer_failed (DdIvrTestCall *self)
{
  if (self->simulator != NULL)
    dd_ivr_simulator_transfer_result (self->simulator, FALSE);
  update_buttons (self);
}

/* A key of the keypad or the keyboard: it shows in the transcript, then the flow hears it. */
static void
press_key (DdIvrTestCall *self,
           char           key)
{
  char name[2] = { key, '\0' };
  g_autofree char *text = NULL;

  if (self->simulator == NULL || !dd_ivr_simulator_is_running (self->simulator))
    return;
  /* Translators: test call transcript: the key the user pressed on the phone's keypad */
  text = g_strdup_printf (_("You pressed %s"), name);
  add_line (self, "input-dialpad-symbolic", text);
  dd_ivr_simulator_press (self->simulator, key);
}

static void
on_key_clicked (GtkButton     *button,
                DdIvrTestCall *self)
{
  press_key (self, (char) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "dd-key")));
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                DdIvrTestCall         *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);

  if (c == 0 || strchr (keys, (int) c) == NULL || self->simulator == NULL ||
      !dd_ivr_simulator_is_running (self->simulator))
    return FALSE;
  press_key (self, (char) c);
  return TRUE;
}

static GtkWidget *
build_keypad (DdIvrTestCall *self)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  gtk_widget_set_halign (grid, GTK_ALIGN_CENTER);
  for (guint i = 0; keys[i] != '\0'; i++)
    {
      char label[2] = { keys[i], '\0' };
      GtkWidget *button = gtk_button_new_with_label (label);

      gtk_widget_set_size_request (button, 56, 44);
      gtk_widget_add_css_class (button, "title-3");
      g_object_set_data (G_OBJECT (button), "dd-key", GINT_TO_POINTER (keys[i]));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_key_clicked), self, 0);
      gtk_grid_attach (GTK_GRID (grid), button, (int) (i % 3), (int) (i / 3), 1, 1);
    }
  return grid;
}

static void
fill_debtors (DdIvrTestCall *self)
{
  g_autoptr(DdCaseList) list = dd_case_list_new (dd_context_get_database (self->context));
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  guint n;

  for (guint s = DD_CASE_STATUS_NEW; s < DD_CASE_STATUS_CLOSED; s++)
    dd_case_query_add_status (query, s);
  if (!dd_case_list_set_query (list, query, &error))
    g_warning ("Could not list the cases: %s", error->message);
  n = MIN (g_list_model_get_n_items (G_LIST_MODEL (list)), MAX_CHOICES);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DdCaseRow) row = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *amount = dd_money_format (dd_case_row_get_balance_minor (row),
                                                 dd_case_row_get_currency (row), NULL);
      /* Translators: a debtor to test a call flow with: name, creditor, balance */
      g_autofree char *label = g_strdup_printf (_("%s — %s, %s"), dd_case_row_get_debtor_name (row),
                                                dd_case_row_get_creditor_name (row), amount);
      gint64 id = dd_case_row_get_id (row);

      gtk_string_list_append (names, label);
      g_array_append_val (self->case_ids, id);
    }
  adw_combo_row_set_model (self->debtor_row, G_LIST_MODEL (names));
  gtk_widget_set_sensitive (GTK_WIDGET (self->call_button), n > 0);
  if (n == 0)
    gtk_label_set_text (self->status_label, _("Import cases to test a call with a debtor’s data"));
}

/* GObject */

static void
dd_ivr_test_call_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DdIvrTestCall *self = DD_IVR_TEST_CALL (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_FLOW:
      self->flow = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_ivr_test_call_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DdIvrTestCall *self = DD_IVR_TEST_CALL (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_FLOW:
      g_value_set_object (value, self->flow);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_ivr_test_call_constructed (GObject *object)
{
  DdIvrTestCall *self = DD_IVR_TEST_CALL (object);

  G_OBJECT_CLASS (dd_ivr_test_call_parent_class)->constructed (object);

  g_return_if_fail (DD_IS_CONTEXT (self->context) && DD_IS_IVR_FLOW (self->flow));
  adw_window_title_set_subtitle (self->window_title, dd_ivr_flow_get_name (self->flow));
  self->keypad = build_keypad (self);
  adw_bin_set_child (self->keypad_bin, self->keypad);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "changed",
                           G_CALLBACK (on_scroller_changed), self, 0);
  fill_debtors (self);
  update_buttons (self);
}

static void
dd_ivr_test_call_dispose (GObject *object)
{
  DdIvrTestCall *self = DD_IVR_TEST_CALL (object);

  if (self->simulator != NULL)
    g_signal_handlers_disconnect_by_data (self->simulator, self);
  g_clear_object (&self->simulator);
  g_clear_handle_id (&self->scroll_id, g_source_remove);
  if (self->speak)
    dd_speaker_stop (dd_speaker_get_default ());

  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_IVR_TEST_CALL);

  G_OBJECT_CLASS (dd_ivr_test_call_parent_class)->dispose (object);
}

static void
dd_ivr_test_call_finalize (GObject *object)
{
  DdIvrTestCall *self = DD_IVR_TEST_CALL (object);

  g_clear_pointer (&self->case_ids, g_array_unref);
  g_clear_pointer (&self->transcript, g_ptr_array_unref);
  g_clear_object (&self->flow);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (dd_ivr_test_call_parent_class)->finalize (object);
}

static void
dd_ivr_test_call_class_init (DdIvrTestCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = dd_ivr_test_call_set_property;
  object_class->get_property = dd_ivr_test_call_get_property;
  object_class->constructed = dd_ivr_test_call_constructed;
  object_class->dispose = dd_ivr_test_call_dispose;
  object_class->finalize = dd_ivr_test_call_finalize;

  /**
   * DdIvrTestCall:context:
   *
   * The office: the debtors to call as, the speaker.
   */
  properties[PROP_CONTEXT] = dd_context_param_spec (0);
  /**
   * DdIvrTestCall:flow:
   *
   * The call flow tried.
   */
  properties[PROP_FLOW] =
    g_param_spec_object ("flow", NULL, NULL, DD_TYPE_IVR_FLOW,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DdIvrTestCall::node-entered:
   * @node_id: the node the test call is at
   */
  signals[NODE_ENTERED] =
    g_signal_new ("node-entered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * DdIvrTestCall::finished:
   *
   * The test call ended.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
    "/io/github/dunningdesk/DunningDesk/dd-ivr-test-call.ui");
  dd_application_install_help_action (widget_class);
  gtk_widget_class_bind_template_child (widget_class, DdIvrTestCall, debtor_row);
  gtk_widget_class_bind_template_child (widget_class, DdIvrTestCall, call_button);
  gtk_widget_class_bind_template_child (widget_class, DdIvrTestCall, hang_up_button);
  gtk_widget_class_bind_template_child (widget_class, DdIvrTestCall, status_label);
  gtk_widget_class_bind_template_child (widget_class, DdIvrTestCall, keypad_bin);
  gtk_widget_class_bind_template_child (widget_class, DdIvrTestCall, transfer_box);
  gtk_widget_class_bind_template_child (widget_class, DdIvrTestCall, scroller);
  gtk_widget_class_bind_template_child (widget_class, DdIvrTestCall, transcript_list);
  gtk_widget_class_bind_template_child (widget_class, DdIvrTestCall, window_title);
  gtk_widget_class_bind_template_callback (widget_class, on_key_pressed);
  gtk_widget_class_bind_template_callback (widget_class, on_call_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_hang_up_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_transfer_answered);
  gtk_widget_class_bind_template_callback (widget_class, on_transfer_failed);
}

static void
dd_ivr_test_call_init (DdIvrTestCall *self)
{
  self->case_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->transcript = g_ptr_array_new_with_free_func (g_free);
  self->speak = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
}

DdIvrTestCall *
dd_ivr_test_call_new (GtkWindow *parent,
                      DdContext *context,
                      DdIvrFlow *flow)
{
  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (DD_IS_IVR_FLOW (flow), NULL);

  return g_object_new (DD_TYPE_IVR_TEST_CALL, "transient-for", parent, "context", context,
                       "flow", flow, NULL);
}

DdIvrSimulator *
dd_ivr_test_call_get_simulator (DdIvrTestCall *self)
{
  g_return_val_if_fail (DD_IS_IVR_TEST_CALL (self), NULL);

  return self->simulator;
}

void
dd_ivr_test_call_start (DdIvrTestCall *self)
{
  guint selected;
  g_autoptr(DdIvrCaseInfo) info = NULL;

  g_return_if_fail (DD_IS_IVR_TEST_CALL (self));

  selected = adw_combo_row_get_selected (self->debtor_row);
  if (selected >= self->case_ids->len)
    return;
  info = case_info (self, g_array_index (self->case_ids, gint64, selected));

  if (self->simulator != NULL)
    g_signal_handlers_disconnect_by_data (self->simulator, self);
  g_clear_object (&self->simulator);
  while (gtk_widget_get_first_child (GTK_WIDGET (self->transcript_list)) != NULL)
    gtk_list_box_remove (self->transcript_list,
                         gtk_widget_get_first_child (GTK_WIDGET (self->transcript_list)));
  g_ptr_array_set_size (self->transcript, 0);
  self->follow = FALSE;

  self->simulator = dd_ivr_simulator_new (self->flow, info);
  if (self->speak)
    {
      dd_ivr_simulator_set_simulate_playback (self->simulator, FALSE);
      g_signal_connect (self->simulator, "said", G_CALLBACK (on_said), self);
      g_signal_connect (self->simulator, "playback-stopped", G_CALLBACK (on_playback_stopped),
                        self);
    }
  g_signal_connect (self->simulator, "event", G_CALLBACK (on_event), self);
  g_signal_connect (self->simulator, "node-entered", G_CALLBACK (on_node_entered), self);
  g_signal_connect (self->simulator, "finished", G_CALLBACK (on_finished), self);
  dd_ivr_simulator_start (self->simulator);
  update_buttons (self);
  gtk_widget_grab_focus (self->keypad);
}

GPtrArray *
dd_ivr_test_call_get_transcript (DdIvrTestCall *self)
{
  g_return_val_if_fail (DD_IS_IVR_TEST_CALL (self), NULL);

  return self->transcript;
}

void
dd_ivr_test_call_set_speak (DdIvrTestCall *self,
                            gboolean       speak)
{
  g_return_if_fail (DD_IS_IVR_TEST_CALL (self));

  self->speak = speak;
}
