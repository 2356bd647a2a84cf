/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-import-assistant"

#include "config.h"

#include "dd-import-assistant.h"
#include "dd-import-assistant-private.h"

#include "dd-application.h"
#include "dd-column-map.h"
#include "dd-import-store.h"
#include "dd-importer.h"
#include "dd-money.h"
#include "dd-question.h"
#include "dd-region.h"

#include <glib/gi18n.h>
#include <string.h>

/* Rows shown on the preview page. */
#define PREVIEW_ROWS 20
/* More problems than this are counted but not listed (the exported file has them all). */
#define MAX_LISTED_ISSUES 10000

/* Sample values shown under each column on the columns page. */
#define N_SAMPLES 3
/* A longer sample is cut, so that three fit under a column. */
#define MAX_SAMPLE_CHARS 20

typedef struct
{
  const char *code;
  const char *name;   /* N_() */
} CodeName;

/* The countries and currencies a file can be read with; the office's own is added when it is
 * not among them. */
static const CodeName file_countries[] = {
  { "PL", N_("Poland") },
  { "RU", N_("Russia") },
  { "UA", N_("Ukraine") },
  { "BY", N_("Belarus") },
  { "KZ", N_("Kazakhstan") },
  { "LT", N_("Lithuania") },
  { "CZ", N_("Czechia") },
  { "DE", N_("Germany") },
  { "GB", N_("United Kingdom") },
  { "US", N_("United States") },
};

static const CodeName file_currencies[] = {
  { "PLN", N_("Polish złoty") },
  { "RUB", N_("Russian ruble") },
  { "EUR", N_("Euro") },
  { "USD", N_("US dollar") },
  { "UAH", N_("Ukrainian hryvnia") },
  { "BYN", N_("Belarusian ruble") },
  { "KZT", N_("Kazakhstani tenge") },
  { "CZK", N_("Czech koruna") },
  { "GBP", N_("British pound") },
  { "CHF", N_("Swiss franc") },
};

static const char * const encodings[] = {
  "UTF-8", "windows-1250", "windows-1251", "ISO-8859-2", "UTF-16LE", "UTF-16BE",
};
static const char delimiters[] = { ';', ',', '\t', '|' };

struct _DdImportAssistant
{
  AdwWindow          parent_instance;

  DdContext         *context;
  GFile             *file;
  DdImporter        *importer;
  DdImportStore     *import_store;

  DdImportFlow       flow;
  DdImportPreview   *preview;
  char              *detected_encoding;
  char               detected_delimiter;
  DdColumnMap        mapping;
  GStrv              preset_names;
  gboolean           updating;

  int                date_order;       /* slash dates: -1 day first, 1 month first */
  gboolean           date_order_chosen; /* by the user, for this file */
  gboolean           date_order_kept;  /* from the saved mapping chosen */
  DdImportPresetSettings kept;         /* what the saved mapping chosen keeps */
  char              *region_currency;  /* the country's or the office's */
  gboolean           currency_chosen;  /* by the user, for this file */

  GPtrArray         *field_rows;       /* AdwComboRow per DdImportField */
  GStrv              column_samples;   /* "a · b · c" per column of the preview */
  GPtrArray         *country_codes;    /* char *, by position in country_row */
  GPtrArray         *currency_codes;   /* char *, by position in currency_row */
  GPtrArray         *dynamic_rows;     /* totals and reasons on the check page */
  GtkStringList     *issues_model;

  DdImportSummary   *check_summary;
  DdImportSummary   *summary;
  GCancellable      *check_cancellable;
  GCancellable      *import_cancellable;
  GFile             *rejects_file;
  GFileIOStream     *rejects_stream;
  GtkNativeDialog   *native;
  GtkWindow         *stop_dialog;      /* "Stop the Import?", weak */

  char              *problem_title;
  char              *problem_description;
  gboolean           close_when_stopped;
  gboolean           cases_changed_emitted;

  /* template children */
  AdwWindowTitle    *window_title;
  GtkWidget         *back_button;
  GtkWidget         *next_button;
  GtkWidget         *import_button;
  AdwToastOverlay   *toast_overlay;
  GtkStack          *stack;
  AdwComboRow       *encoding_row;
  AdwComboRow       *delimiter_row;
  GtkSwitch         *header_switch;
  GtkLabel          *preview_label;
  GtkColumnView     *preview_view;
  AdwComboRow       *preset_row;
  AdwPreferencesGroup *fields_group;
  AdwComboRow       *country_row;
  AdwComboRow       *currency_row;
  AdwPreferencesGroup *dates_group;
  AdwComboRow       *date_order_row;
  GtkWidget         *date_order_icon;
  GtkLabel          *missing_label;
  GtkStack          *check_stack;
  GtkProgressBar    *check_progress;
  GtkLabel          *rows_read_label;
  GtkLabel          *rows_imported_label;
  GtkLabel          *rows_rejected_label;
  GtkLabel          *rows_warnings_label;
  GtkLabel          *debtors_label;
  GtkLabel          *cases_label;
  GtkLabel          *invoices_label;
  AdwPreferencesGroup *summary_group;
  GtkSwitch         *mark_paid_switch;
  AdwPreferencesGroup *problems_group;
  GtkWidget         *issues_frame;
  GtkListView       *issues_view;
  GtkProgressBar    *import_progress;
  AdwStatusPage     *done_page;
  AdwStatusPage     *problem_page;
};

G_DEFINE_FINAL_TYPE (DdImportAssistant, dd_import_assistant, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_ui           (DdImportAssistant *self);
static void update_dates_group  (DdImportAssistant *self);
static void update_currency_row (DdImportAssistant *self);
static void start_check         (DdImportAssistant *self);

/* Helpers */

static char *
format_count (guint64 n)
{
  /* %' groups the digits as the locale does: "1,234", "1 234", "1.234" */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

static gulong
plural_n (guint64 n)
{
  return (gulong) MIN (n, G_MAXLONG);
}

static int
encoding_index (const char *encoding)
{
  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    if (encoding != NULL && g_ascii_strcasecmp (encodings[i], encoding) == 0)
      return (int) i;
  return -1;
}

static int
delimiter_index (char delimiter)
{
  for (guint i = 0; i < G_N_ELEMENTS (delimiters); i++)
    if (delimiters[i] == delimiter)
      return (int) i;
  return -1;
}

static const char *
step_title (DdImportStep step)
{
  switch (step)
    {
    case DD_IMPORT_STEP_FILE:
      return _("Choose a File");
    case DD_IMPORT_STEP_PREVIEW:
      return _("Preview");
    case DD_IMPORT_STEP_COLUMNS:
      return _("Columns");
    case DD_IMPORT_STEP_CHECK:
      return _("Check");
    case DD_IMPORT_STEP_IMPORT:
      return _("Import");
    case DD_IMPORT_STEP_DONE:
      return _("Done");
    case DD_N_IMPORT_STEPS:
    default:
      g_assert_not_reached ();
    }
}

static const char *
step_page_name (DdImportStep step)
{
  static const char * const names[DD_N_IMPORT_STEPS] = {
    "file", "preview", "columns", "check", "import", "done",
  };

  return names[step];
}

static void
show_toast (DdImportAssistant *self,
            const char        *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
set_problem (DdImportAssistant *self,
             const char        *title,
             const char        *description)
{
  g_free (self->problem_title);
  self->problem_title = g_strdup (title);
  g_free (self->problem_description);
  self->problem_description = g_markup_escape_text (description, -1);
}

static guint
headers_length (DdImportAssistant *self)
{
  if (self->preview == NULL || self->preview->headers == NULL)
    return 0;
  return g_strv_length (self->preview->headers);
}

/* The name of a column as the user sees it. */
static char *
column_title (DdImportAssistant *self,
              guint              column)
{
  /* "Kwota (column 11)" when two columns have that header */
  if (self->preview->headers != NULL && column < headers_length (self) &&
      self->preview->headers[column][0] != '\0')
    return dd_column_map_column_label ((const char * const *) self->preview->headers,
                                       headers_length (self), (int) column, TRUE);

  /* Translators: a column of a CSV file without a header row; %u is its number */
  return g_strdup_printf (_("Column %u"), column + 1);
}

static void
update_ui (DdImportAssistant *self)
{
  DdImportFlow *flow = &self->flow;
  gboolean problem = dd_import_flow_shows_problem (flow);
  gboolean next_is_import = dd_import_flow_next_is_import (flow);
  gboolean can_next = dd_import_flow_can_go_next (flow);
  g_autofree char *file_name = NULL;
  GtkWidget *default_widget;

  if (problem)
    {
      adw_status_page_set_title (self->problem_page, self->problem_title);
      adw_status_page_set_description (self->problem_page, self->problem_description);
      gtk_stack_set_visible_child_name (self->stack, "problem");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, step_page_name (flow->step));

  if (flow->step == DD_IMPORT_STEP_CHECK)
    gtk_stack_set_visible_child_name (self->check_stack,
                                      flow->check == DD_IMPORT_TASK_DONE ? "summary" : "progress");

  adw_window_title_set_title (self->window_title, step_title (flow->step));
  if (self->file != NULL && flow->step != DD_IMPORT_STEP_FILE)
    file_name = g_file_get_basename (self->file);
  adw_window_title_set_subtitle (self->window_title, file_name);

  gtk_widget_set_visible (self->back_button,
                          flow->step != DD_IMPORT_STEP_FILE && flow->step != DD_IMPORT_STEP_DONE &&
                          (flow->step != DD_IMPORT_STEP_IMPORT ||
                           dd_import_flow_can_go_back (flow)));
  gtk_widget_set_visible (self->next_button,
                          !next_is_import && flow->step != DD_IMPORT_STEP_IMPORT &&
                          flow->step != DD_IMPORT_STEP_DONE &&
                          (flow->step != DD_IMPORT_STEP_FILE || can_next));
  gtk_widget_set_visible (self->import_button, next_is_import);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.back",
                                 dd_import_flow_can_go_back (flow));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next", can_next);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.open",
                                 dd_import_flow_accepts_file (flow));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.save-preset",
                                 flow->preview == DD_IMPORT_TASK_DONE && headers_length (self) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.export-problems",
                                 flow->check == DD_IMPORT_TASK_DONE && self->check_summary != NULL &&
                                 self->check_summary->issues->len > 0 && self->rejects_file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.cancel-import",
                                 flow->import == DD_IMPORT_TASK_RUNNING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.show-cases",
                                 flow->step == DD_IMPORT_STEP_DONE);

  /* Enter activates Next (or Import) where it makes sense */
  if (problem)
    default_widget = NULL;
  else if (flow->step == DD_IMPORT_STEP_DONE)
    default_widget = NULL;
  else if (next_is_import)
    default_widget = self->import_button;
  else if (flow->step != DD_IMPORT_STEP_IMPORT)
    default_widget = self->next_button;
  else
    default_widget = NULL;
  gtk_window_set_default_widget (GTK_WINDOW (self), default_widget);
}

/* Preview page */

static void
on_preview_cell_setup (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (item, label);
}

static void
on_preview_cell_bind (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  GtkStringList *row = GTK_STRING_LIST (gtk_list_item_get_item (item));
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  const char *text = gtk_string_list_get_string (row, column);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  gtk_widget_set_tooltip_text (label, text != NULL && strlen (text) > 32 ? text : NULL);
}

static void
fill_preview_view (DdImportAssistant *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->preview_view);
  g_autoptr(GListStore) rows = g_list_store_new (GTK_TYPE_STRING_LIST);
  g_autoptr(GtkNoSelection) selection = NULL;

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->preview_view, column);
    }

  for (guint i = 0; i < self->preview->n_columns; i++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autofree char *title = column_title (self, i);

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (i));
      g_signal_connect (factory, "setup", G_CALLBACK (on_preview_cell_setup), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (on_preview_cell_bind), NULL);
      column = gtk_column_view_column_new (title, g_object_ref (factory));
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->preview_view, column);
    }

  for (guint i = 0; i < self->preview->rows->len; i++)
    {
      const char * const *cells = g_ptr_array_index (self->preview->rows, i);
      g_autoptr(GtkStringList) row = gtk_string_list_new (cells);

      g_list_store_append (rows, row);
    }

  selection = gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&rows)));
  gtk_column_view_set_model (self->preview_view, GTK_SELECTION_MODEL (selection));
}

static void
update_dialect_rows (DdImportAssistant *self)
{
  g_autofree char *encoding_subtitle = NULL;
  g_autofree char *delimiter_subtitle = NULL;
  int enc = encoding_index (self->preview->encoding);
  int delim = delimiter_index (self->preview->delimiter);
  int detected_enc = encoding_index (self->detected_encoding);
  int detected_delim = delimiter_index (self->detected_delimiter);
  GListModel *model;

  self->updating = TRUE;
  if (enc >= 0)
    adw_combo_row_set_selected (self->encoding_row, enc);
  if (delim >= 0)
    adw_combo_row_set_selected (self->delimiter_row, delim);
  gtk_switch_set_active (self->header_switch, self->preview->has_header);
  self->updating = FALSE;

  model = adw_combo_row_get_model (self->encoding_row);
  if (detected_enc >= 0)
    /* Translators: below the encoding or delimiter of a CSV file; %s is what was found
     * in the file, such as "Windows-1250 (Central European)" */
    encoding_subtitle = g_strdup_printf (_("Detected: %s"),
                                         gtk_string_list_get_string (GTK_STRING_LIST (model),
                                                                     detected_enc));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->encoding_row), encoding_subtitle);

  model = adw_combo_row_get_model (self->delimiter_row);
  if (detected_delim >= 0)
    delimiter_subtitle = g_strdup_printf (_("Detected: %s"),
                                          gtk_string_list_get_string (GTK_STRING_LIST (model),
                                                                      detected_delim));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->delimiter_row), delimiter_subtitle);
}

static void
update_preview_label (DdImportAssistant *self)
{
  g_autofree char *rows = format_count (self->preview->rows->len);
  g_autofree char *columns = format_count (self->preview->n_columns);
  g_autofree char *text = NULL;

  /* Translators: above the table of the first rows of a CSV file; the first %s is the
   * number of rows shown, the second the number of columns */
  text = g_strdup_printf (ngettext ("The first %s row, in %s columns",
                                    "The first %s rows, in %s columns",
                                    plural_n (self->preview->rows->len)),
                          rows, columns);
  gtk_label_set_text (self->preview_label, text);
}

/* Columns page */

static void
update_missing (DdImportAssistant *self)
{
  g_autofree DdImportField *missing = NULL;
  guint n_missing = 0;

  missing = dd_column_map_missing (&self->mapping, &n_missing);
  if (n_missing > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *text = NULL;

      for (guint i = 0; i < n_missing; i++)
        {
          if (i > 0)
            /* Translators: separates the items of a list ("“Due date”, “Amount”") */
            g_string_append (names, _(", "));
          /* Translators: a name quoted in a sentence; use your language's quotation marks */
          g_string_append_printf (names, C_("quoted", "“%s”"),
                                  dd_import_field_get_label (missing[i]));
        }
      /* Translators: %s is a list of required details such as "“Due date”, “Amount”" */
      text = g_strdup_printf (ngettext ("Choose a column for %s to continue.",
                                        "Choose columns for %s to continue.",
                                        n_missing),
                              names->str);
      gtk_label_set_text (self->missing_label, text);
      gtk_widget_set_tooltip_text (self->next_button, text);
    }
  else
    {
      gtk_label_set_text (self->missing_label, "");
      gtk_widget_set_tooltip_text (self->next_button, NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->missing_label), n_missing > 0);

  dd_import_flow_mapping_changed (&self->flow, n_missing);
}

/* Slash dates are read in the order chosen for the file. */
static gboolean
reads_month_first (DdImportAssistant *self)
{
  return self->preview != NULL && self->preview->slash_dates && self->date_order > 0;
}

/* @value as the import will read it when it is a date written with slashes, else NULL:
 * "3 Oct 2026" for "03/10/2026" read day first. */
static char *
format_slash_date (DdImportAssistant *self,
                   const char        *value,
                   gboolean           long_form)
{
  g_autoptr(GDateTime) time = NULL;
  GDate date;

  if (self->preview == NULL || !self->preview->slash_dates || strchr (value, '/') == NULL ||
      !dd_import_read_date (value, reads_month_first (self), &date))
    return NULL;
  time = g_date_time_new_utc (g_date_get_year (&date), g_date_get_month (&date),
                              g_date_get_day (&date), 0, 0, 0);
  if (time == NULL)
    return NULL;
  return g_date_time_format (time, long_form
                                     /* Translators: a date read from a file, in full
                                      * ("3 October 2026"); see g_date_time_format() */
                                     ? C_("date as read", "%-d %B %Y")
                                     /* Translators: a date read from a file, short
                                      * ("3 Oct 2026"), under a column of the file; see
                                      * g_date_time_format() */
                                     : C_("date as read", "%-d %b %Y"));
}

/* The first non-empty values of each column of the preview, "12 300,00 · 1 920,00 · 615,00";
 * dates written with slashes as they will be read. */
static void
collect_samples (DdImportAssistant *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint c = 0; c < self->preview->n_columns; c++)
    {
      g_autoptr(GString) samples = g_string_new (NULL);
      guint n = 0;

      for (guint r = 0; r < self->preview->rows->len && n < N_SAMPLES; r++)
        {
          const char * const *cells = g_ptr_array_index (self->preview->rows, r);
          g_autofree char *value = NULL;

          if (c >= g_strv_length ((char **) cells))
            continue;
          value = g_strstrip (g_strdup (cells[c]));
          if (*value == '\0')
            continue;
          {
            g_autofree char *read = format_slash_date (self, value, FALSE);

            if (read != NULL)
              {
                g_free (value);
                value = g_steal_pointer (&read);
              }
          }
          if (n++ > 0)
            g_string_append (samples, " · ");
          if (g_utf8_strlen (value, -1) > MAX_SAMPLE_CHARS)
            {
              g_autofree char *start = g_utf8_substring (value, 0, MAX_SAMPLE_CHARS - 1);

              g_string_append (samples, start);
              g_string_append (samples, "…");
            }
          else
            g_string_append (samples, value);
        }
      g_strv_builder_add (builder, samples->str);
    }
  g_clear_pointer (&self->column_samples, g_strfreev);
  self->column_samples = g_strv_builder_end (builder);
}

static const char *
column_samples (DdImportAssistant *self,
                int                column)
{
  if (self->column_samples == NULL || column < 0 ||
      (guint) column >= g_strv_length (self->column_samples))
    return "";
  return self->column_samples[column];
}

/* Under a field: the samples of its column, or that it is required. */
static void
update_field_subtitle (DdImportAssistant *self,
                       DdImportField      field)
{
  AdwActionRow *row = g_ptr_array_index (self->field_rows, field);
  const char *samples = column_samples (self, self->mapping.column[field]);

  if (*samples != '\0')
    adw_action_row_set_subtitle (row, samples);
  else if (dd_import_field_is_required (field))
    adw_action_row_set_subtitle (row, _("Required"));
  else
    adw_action_row_set_subtitle (row, NULL);
}

static void
sync_field_rows (DdImportAssistant *self)
{
  self->updating = TRUE;
  for (guint i = 0; i < self->field_rows->len; i++)
    {
      adw_combo_row_set_selected (g_ptr_array_index (self->field_rows, i),
                                  (guint) (self->mapping.column[i] + 1));
      update_field_subtitle (self, i);
    }
  self->updating = FALSE;
  update_missing (self);
}

/* The list of columns of a field: each column's name with its samples under it. */
static void
on_column_item_setup (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *samples = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_label_set_xalign (GTK_LABEL (samples), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (samples), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (samples), 48);
  gtk_widget_add_css_class (samples, "caption");
  gtk_widget_add_css_class (samples, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), samples);
  gtk_list_item_set_child (item, box);
}

static void
on_column_item_bind (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     DdImportAssistant        *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *samples = gtk_widget_get_next_sibling (title);
  GtkStringObject *string = GTK_STRING_OBJECT (gtk_list_item_get_item (item));
  guint position = gtk_list_item_get_position (item);
  const char *text = position > 0 ? column_samples (self, (int) position - 1) : "";

  gtk_label_set_text (GTK_LABEL (title), gtk_string_object_get_string (string));
  gtk_label_set_text (GTK_LABEL (samples), text);
  gtk_widget_set_visible (samples, *text != '\0');
}

static void
on_field_selected (DdImportAssistant *self,
                   GParamSpec        *pspec,
                   AdwComboRow       *row)
{
  DdImportField field = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "field"));
  guint selected = adw_combo_row_get_selected (row);

  if (self->updating)
    return;

  self->mapping.column[field] = selected == GTK_INVALID_LIST_POSITION ? -1 : (int) selected - 1;
  update_field_subtitle (self, field);
  update_missing (self);
  /* the example of the date order comes from the due-date column */
  update_dates_group (self);
  /* the label of another debt column may name another currency */
  if (field == DD_IMPORT_FIELD_AMOUNT || field == DD_IMPORT_FIELD_TOTAL ||
      field == DD_IMPORT_FIELD_CURRENCY)
    update_currency_row (self);
  update_ui (self);
}

static void
build_field_rows (DdImportAssistant *self)
{
  g_autoptr(GtkStringList) columns = gtk_string_list_new (NULL);

  for (guint i = 0; i < self->field_rows->len; i++)
    adw_preferences_group_remove (self->fields_group, g_ptr_array_index (self->field_rows, i));
  g_ptr_array_set_size (self->field_rows, 0);

  /* Translators: in the list of columns, for a detail the file does not have */
  gtk_string_list_append (columns, _("Not in the file"));
  for (guint c = 0; c < self->preview->n_columns; c++)
    {
      g_autofree char *title = column_title (self, c);

      gtk_string_list_append (columns, title);
    }

  collect_samples (self);
  for (guint f = 0; f < DD_N_IMPORT_FIELDS; f++)
    {
      GtkWidget *row = adw_combo_row_new ();
      g_autoptr(GtkListItemFactory) list_factory = gtk_signal_list_item_factory_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dd_import_field_get_label (f));
      /* the samples are the file's text, not markup ("Kowalski & Syn") */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (dd_import_field_is_required (f))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Required"));
      g_signal_connect (list_factory, "setup", G_CALLBACK (on_column_item_setup), NULL);
      g_signal_connect_object (list_factory, "bind", G_CALLBACK (on_column_item_bind), self, 0);
      adw_combo_row_set_list_factory (ADW_COMBO_ROW (row), list_factory);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (columns));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      g_object_set_data (G_OBJECT (row), "field", GINT_TO_POINTER (f));
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_field_selected), self,
                               G_CONNECT_SWAPPED);
      g_ptr_array_add (self->field_rows, row);
    }

  /* in the order of the fields, the money ones together: the debt, the total, the paid */
  for (guint f = 0; f < DD_N_IMPORT_FIELDS; f++)
    {
      if (f == DD_IMPORT_FIELD_TOTAL || f == DD_IMPORT_FIELD_PAID)
        continue;
      adw_preferences_group_add (self->fields_group, g_ptr_array_index (self->field_rows, f));
      if (f == DD_IMPORT_FIELD_AMOUNT)
        {
          adw_preferences_group_add (self->fields_group,
                                     g_ptr_array_index (self->field_rows, DD_IMPORT_FIELD_TOTAL));
          adw_preferences_group_add (self->fields_group,
                                     g_ptr_array_index (self->field_rows, DD_IMPORT_FIELD_PAID));
        }
    }
}

static void
load_presets (DdImportAssistant *self,
              const char        *select)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  g_clear_pointer (&self->preset_names, g_strfreev);
  self->preset_names = dd_import_store_list_presets (self->import_store, &error);
  if (self->preset_names == NULL)
    {
      g_warning ("Could not list the column mappings: %s", error->message);
      self->preset_names = g_new0 (char *, 1);
    }

  /* Translators: the choice of saved column mappings when none is used */
  gtk_string_list_append (model, _("Automatic"));
  for (guint i = 0; self->preset_names[i] != NULL; i++)
    {
      gtk_string_list_append (model, self->preset_names[i]);
      if (g_strcmp0 (select, self->preset_names[i]) == 0)
        selected = i + 1;
    }

  self->updating = TRUE;
  adw_combo_row_set_model (self->preset_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->preset_row, selected);
  self->updating = FALSE;
}

/* Applies the chosen preset, or the guess; FALSE with a toast when the preset does not fit. */
static gboolean
apply_mapping_choice (DdImportAssistant *self)
{
  guint selected = adw_combo_row_get_selected (self->preset_row);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  DdColumnMap map;

  dd_import_preset_settings_init (&self->kept);
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || self->preset_names == NULL ||
      selected > g_strv_length (self->preset_names))
    {
      self->mapping = self->preview->guessed;
      return TRUE;
    }

  json = dd_import_store_load_preset (self->import_store, self->preset_names[selected - 1], &error);
  if (json == NULL ||
      !dd_column_map_from_json (&map, json, (const char * const *) self->preview->headers,
                                headers_length (self), &error))
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the name of a saved column mapping, then the reason */
      text = g_strdup_printf (_("The mapping “%s” does not fit this file: %s"),
                              self->preset_names[selected - 1],
                              error != NULL ? error->message : _("it no longer exists"));
      show_toast (self, text);
      self->mapping = self->preview->guessed;
      return FALSE;
    }

  self->mapping = map;
  dd_import_preset_read_settings (json, &self->kept);
  return TRUE;
}

/* The order of slash dates: the user's, else the saved mapping's for a file that does not show
 * its own (as the import takes it), else the file's. */
static void
reset_date_order (DdImportAssistant *self)
{
  self->date_order_kept = FALSE;
  if (self->date_order_chosen)
    return;
  if (self->preview->dates_ambiguous && self->kept.date_order != 0)
    {
      self->date_order = self->kept.date_order;
      self->date_order_kept = TRUE;
    }
  else
    self->date_order = self->preview->month_first ? 1 : -1;
}

static void
on_preset_selected (DdImportAssistant *self)
{
  if (self->updating || self->preview == NULL)
    return;

  apply_mapping_choice (self);
  reset_date_order (self);
  /* the samples of the date columns follow the order */
  build_field_rows (self);
  sync_field_rows (self);
  update_dates_group (self);
  update_currency_row (self);
  dd_import_flow_options_changed (&self->flow);
  update_ui (self);
}

/* Country and currency of the file */

static guint
code_position (GPtrArray  *codes,
               const char *code)
{
  for (guint i = 0; code != NULL && i < codes->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (codes, i), code) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static void
fill_code_row (AdwComboRow    *row,
               const CodeName *table,
               guint           n,
               GPtrArray      *codes)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  g_ptr_array_set_size (codes, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("%s (%s)", _(table[i].name), table[i].code);

      gtk_string_list_append (model, title);
      g_ptr_array_add (codes, g_strdup (table[i].code));
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
}

/* Selects @code, adding it to the list when it is not there. */
static void
select_code (AdwComboRow *row,
             GPtrArray   *codes,
             const char  *code)
{
  guint position = code_position (codes, code);

  if (position == GTK_INVALID_LIST_POSITION && code != NULL && *code != '\0')
    {
      gtk_string_list_append (GTK_STRING_LIST (adw_combo_row_get_model (row)), code);
      g_ptr_array_add (codes, g_ascii_strup (code, -1));
      position = codes->len - 1;
    }
  if (position != GTK_INVALID_LIST_POSITION)
    adw_combo_row_set_selected (row, position);
}

static const char *
selected_code (AdwComboRow *row,
               GPtrArray   *codes)
{
  guint position = adw_combo_row_get_selected (row);

  return position < codes->len ? g_ptr_array_index (codes, position) : NULL;
}

/* Prefilled from what the file looks like, else from the office. */
static void
update_region_rows (DdImportAssistant *self)
{
  GSettings *settings = dd_context_get_settings (self->context);
  g_autofree char *office_country = NULL;
  g_autofree char *office_currency = NULL;
  const char *country;
  const char *currency;
  const char *subtitle = NULL;

  if (settings != NULL)
    {
      office_country = dd_region_settings_dup_country (settings);
      if (office_country == NULL)
        office_country = g_settings_get_string (settings, "default-country");
      office_currency = g_settings_get_string (settings, "default-currency");
    }
  if (office_country == NULL || *office_country == '\0')
    {
      g_free (office_country);
      office_country = g_strdup ("PL");
    }

  if (self->preview->country != NULL)
    {
      country = self->preview->country;
      currency = g_ascii_strcasecmp (country, office_country) == 0 && office_currency != NULL &&
                 *office_currency != '\0'
                   ? office_currency : dd_region_currency_for_country (country);
      /* Translators: below the country chosen for an imported file */
      subtitle = _("Recognised from the file");
    }
  else
    {
      country = office_country;
      currency = office_currency != NULL && *office_currency != '\0'
                   ? office_currency : dd_region_currency_for_country (country);
      /* Translators: below the country chosen for an imported file */
      subtitle = _("The office’s country; the file does not tell");
    }

  self->updating = TRUE;
  select_code (self->country_row, self->country_codes, country);
  self->updating = FALSE;
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->country_row), subtitle);
  g_free (self->region_currency);
  self->region_currency = g_strdup (currency);
}

/* The currency of the amounts that name none: the user's, else the saved mapping's, else the
 * one the label of the debt's column names (as the import takes it), else the country's; and
 * when a column gives each row its currency, that this one is for the rows that leave it
 * empty. */
static void
update_currency_row (DdImportAssistant *self)
{
  g_autoptr(GString) subtitle = g_string_new (NULL);
  int currency_column = self->mapping.column[DD_IMPORT_FIELD_CURRENCY];
  char named[4] = { 0 };

  if (self->preview == NULL)
    return;
  if (!self->currency_chosen)
    {
      const char *code = self->region_currency;

      if (self->kept.currency[0] != '\0')
        {
          code = self->kept.currency;
          /* Translators: below the currency chosen for an imported file */
          g_string_append (subtitle, _("From the saved mapping"));
        }
      else if (dd_import_preview_debt_currency (self->preview, &self->mapping, named))
        {
          int column = self->mapping.column[DD_IMPORT_FIELD_AMOUNT] >= 0
                         ? self->mapping.column[DD_IMPORT_FIELD_AMOUNT]
                         : self->mapping.column[DD_IMPORT_FIELD_TOTAL];
          g_autofree char *label = g_strstrip (g_strdup (self->preview->headers[column]));

          code = named;
          /* Translators: below the currency chosen for an imported file; %s is the label of
           * the column of the debt ("Amount due (EUR)"), which names the currency */
          g_string_append_printf (subtitle, _("Recognised from the column “%s”"), label);
        }
      self->updating = TRUE;
      select_code (self->currency_row, self->currency_codes, code);
      self->updating = FALSE;
    }
  if (currency_column >= 0 && self->preview->headers != NULL &&
      (guint) currency_column < headers_length (self))
    {
      g_autofree char *label = g_strstrip (g_strdup (self->preview->headers[currency_column]));

      if (subtitle->len > 0)
        g_string_append_c (subtitle, '\n');
      /* Translators: below the currency chosen for an imported file whose rows name their own
       * currency in a column; %s is that column's label ("Waluta") */
      g_string_append_printf (subtitle, _("For the rows that leave “%s” empty"), label);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->currency_row), subtitle->str);
}

/* Another currency: the check must run again. */
static void
on_currency_selected (DdImportAssistant *self)
{
  if (self->updating)
    return;
  self->currency_chosen = TRUE;
  update_currency_row (self);
  dd_import_flow_options_changed (&self->flow);
  update_ui (self);
}

/* Another country: its usual currency, and a new check. */
static void
on_country_selected (DdImportAssistant *self)
{
  const char *country;

  if (self->updating)
    return;
  dd_import_flow_options_changed (&self->flow);
  country = selected_code (self->country_row, self->country_codes);
  if (country == NULL)
    return;
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->country_row), NULL);
  /* its usual currency, unless the file names its own */
  g_free (self->region_currency);
  self->region_currency = g_strdup (dd_region_currency_for_country (country));
  self->currency_chosen = FALSE;
  update_currency_row (self);
  update_ui (self);
}

/* Dates of the file */

/* The first slash date of the file, in the due-date or issue-date column if they have one. */
static const char *
example_slash_date (DdImportAssistant *self)
{
  const int columns[] = {
    self->mapping.column[DD_IMPORT_FIELD_DUE_ON],
    self->mapping.column[DD_IMPORT_FIELD_ISSUED_ON],
    -1,
  };

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    for (guint r = 0; r < self->preview->rows->len; r++)
      {
        char **cells = g_ptr_array_index (self->preview->rows, r);

        for (guint c = 0; cells[c] != NULL; c++)
          {
            g_autofree char *read = NULL;

            if (columns[i] >= 0 && (int) c != columns[i])
              continue;
            read = format_slash_date (self, cells[c], TRUE);
            if (read != NULL)
              return cells[c];
          }
      }
  return NULL;
}

/* Shown when the file writes dates with slashes: the order they are read in, with an
 * example, and a warning while nothing in the file tells the order. */
static void
update_dates_group (DdImportAssistant *self)
{
  gboolean ambiguous = self->preview->dates_ambiguous;
  const char *example = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->dates_group), self->preview->slash_dates);
  if (!self->preview->slash_dates)
    return;

  self->updating = TRUE;
  adw_combo_row_set_selected (self->date_order_row, self->date_order > 0 ? 1 : 0);
  self->updating = FALSE;

  if (ambiguous)
    adw_preferences_group_set_description (
      self->dates_group,
      _("Every date in this file fits both orders, so the file does not tell which one it "
        "uses. Choose the order your accounting program writes: the samples under the date "
        "columns show the dates as they will be imported."));
  else
    adw_preferences_group_set_description (self->dates_group, NULL);
  /* the icon is the row's only prefix: its box goes with it, and the title back in line */
  gtk_widget_set_visible (self->date_order_icon,
                          ambiguous && !self->date_order_chosen && !self->date_order_kept);
  gtk_widget_set_visible (gtk_widget_get_parent (self->date_order_icon),
                          ambiguous && !self->date_order_chosen && !self->date_order_kept);

  if (self->date_order_kept && !self->date_order_chosen)
    /* Translators: below the order of dates chosen for an imported file */
    g_string_append (subtitle, _("From the saved mapping"));
  else if (!ambiguous && !self->date_order_chosen)
    /* Translators: below the order of dates chosen for an imported file */
    g_string_append (subtitle, _("Recognised from the file"));
  example = example_slash_date (self);
  if (example != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (example));
      g_autofree char *read = format_slash_date (self, trimmed, TRUE);

      if (subtitle->len > 0)
        g_string_append_c (subtitle, '\n');
      /* Translators: below the order of dates: the first %s is a date as the file writes it
       * ("03/10/2026"), the second the day it is imported as ("3 October 2026"); keep it short,
       * the order is beside it */
      g_string_append_printf (subtitle, _("%s is read as %s"), trimmed, read);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->date_order_row), subtitle->str);
}

/* Choices in full: the combo row's own labels stop at 20 characters ("Day first (31/1…"). */
static void
on_order_item_setup (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
on_order_item_bind (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkStringObject *string = GTK_STRING_OBJECT (gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (string));
}

/* Another order of dates: the samples show the dates so read, and the check must run again. */
static void
on_date_order_selected (DdImportAssistant *self)
{
  if (self->updating || self->preview == NULL)
    return;

  self->date_order = adw_combo_row_get_selected (self->date_order_row) == 1 ? 1 : -1;
  self->date_order_chosen = TRUE;
  self->date_order_kept = FALSE;
  build_field_rows (self);
  sync_field_rows (self);
  update_dates_group (self);
  dd_import_flow_options_changed (&self->flow);
  update_ui (self);
}

/* Reads the first rows with the given (or detected) dialect. */
static void
load_preview (DdImportAssistant *self,
              const char        *encoding,
              char               delimiter,
              int                has_header)
{
  g_autoptr(DdImportPreview) preview = NULL;
  g_autoptr(GError) error = NULL;

  dd_import_flow_preview_started (&self->flow);

  preview = dd_import_preview_file (self->file, encoding, delimiter, has_header, PREVIEW_ROWS,
                                    NULL, &error);
  if (preview == NULL)
    {
      g_autofree char *file_name = g_file_get_basename (self->file);
      g_autofree char *title = NULL;

      g_debug ("Could not preview %s: %s", file_name, error->message);
      set_problem (self, _("Could Not Read the File"), error->message);
      dd_import_flow_preview_finished (&self->flow, FALSE);
      update_ui (self);
      return;
    }

  g_clear_pointer (&self->preview, dd_import_preview_free);
  self->preview = g_steal_pointer (&preview);
  if (self->detected_encoding == NULL)
    {
      self->detected_encoding = g_strdup (self->preview->encoding);
      self->detected_delimiter = self->preview->delimiter;
    }

  update_dialect_rows (self);
  update_preview_label (self);
  fill_preview_view (self);
  update_region_rows (self);
  apply_mapping_choice (self);
  /* the order the file shows (or the saved mapping keeps), unless the user chose one */
  reset_date_order (self);
  build_field_rows (self);
  dd_import_flow_preview_finished (&self->flow, TRUE);
  sync_field_rows (self);
  update_dates_group (self);
  update_currency_row (self);
  update_ui (self);
}

static void
on_dialect_changed (DdImportAssistant *self)
{
  guint enc = adw_combo_row_get_selected (self->encoding_row);
  guint delim = adw_combo_row_get_selected (self->delimiter_row);

  if (self->updating || self->file == NULL || self->preview == NULL)
    return;
  if (enc >= G_N_ELEMENTS (encodings) || delim >= G_N_ELEMENTS (delimiters))
    return;

  load_preview (self, encodings[enc], delimiters[delim],
                gtk_switch_get_active (self->header_switch) ? 1 : 0);
}

/* Check page */

static void
clear_dynamic_rows (DdImportAssistant *self)
{
  for (guint i = 0; i < self->dynamic_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->dynamic_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->dynamic_rows, 0);
}

static void
add_value_row (DdImportAssistant   *self,
               AdwPreferencesGroup *group,
               const char          *icon_name,
               const char          *title,
               const char          *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (icon_name != NULL)
    adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon_name);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->dynamic_rows, row);
}

static const char *
severity_icon (DdImportSeverity severity)
{
  return severity == DD_IMPORT_SEVERITY_REJECTED ? "dialog-error-symbolic"
                                                 : "dialog-warning-symbolic";
}

static char *
new_and_updated (guint64 n_new,
                 guint64 n_updated)
{
  g_autofree char *new_text = format_count (n_new);
  g_autofree char *updated_text = format_count (n_updated);

  /* Translators: counts of debtors, cases or invoices: "12 new, 3 updated" */
  return g_strdup_printf (_("%s new, %s updated"), new_text, updated_text);
}

static void
set_count_label (GtkLabel *label,
                 guint64   n)
{
  g_autofree char *text = format_count (n);

  gtk_label_set_text (label, text);
}

/* The debt, where it comes from, and beside it the other money columns, per currency: a
 * wrong choice of the debt column shows at a glance. */
static void
add_money_rows (DdImportAssistant     *self,
                const DdImportSummary *s,
                const char            *language)
{
  g_autofree char *debt = dd_import_summary_describe_debt (s);
  DdDebtSource source = dd_column_map_get_debt_source (&s->mapping);

  for (guint i = 0; i < s->totals->len; i++)
    {
      const DdImportTotal *total = &g_array_index (s->totals, DdImportTotal, i);
      g_autofree char *amount = dd_money_format (total->minor, total->currency, language);

      add_value_row (self, self->summary_group, NULL, debt, amount);
      for (guint f = 0; f < DD_N_IMPORT_FIELDS; f++)
        {
          g_autofree char *other = NULL;
          g_autofree char *title = NULL;
          g_autofree char *label = NULL;
          int column = s->mapping.column[f];
          gint64 minor;

          if (!dd_import_field_is_money (f) || column < 0 ||
              (source == DD_DEBT_SOURCE_REMAINING && f == DD_IMPORT_FIELD_AMOUNT) ||
              (source == DD_DEBT_SOURCE_TOTAL && f == DD_IMPORT_FIELD_TOTAL))
            continue;
          dd_import_summary_get_column_total (s, f, total->currency, &minor);
          other = dd_money_format (minor, total->currency, language);
          /* Translators: a money column that is not the debt ("Invoice total"), then its
           * header in the file */
          label = dd_import_summary_get_column_label (s, column, TRUE);
          title = g_strdup_printf (_("%1$s, column “%2$s”"), dd_import_field_get_label (f),
                                   label);
          add_value_row (self, self->summary_group, NULL, title, other);
        }
    }
}

static void
show_check_summary (DdImportAssistant *self)
{
  const DdImportSummary *s = self->check_summary;
  const char *language = NULL;
  g_autofree char *debtors = new_and_updated (s->debtors_new, s->debtors_updated);
  g_autofree char *cases = new_and_updated (s->cases_new, s->cases_updated);
  g_autofree char *invoices = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GtkStringList) issues = gtk_string_list_new (NULL);
  g_autoptr(GtkNoSelection) selection = NULL;
  guint64 n_problems = 0;

  set_count_label (self->rows_read_label, s->rows_read);
  set_count_label (self->rows_imported_label, s->rows_imported);
  set_count_label (self->rows_rejected_label, s->rows_rejected);
  set_count_label (self->rows_warnings_label, s->rows_with_warnings);
  gtk_label_set_text (self->debtors_label, debtors);
  gtk_label_set_text (self->cases_label, cases);
  if (s->liabilities_marked_paid > 0)
    {
      g_autofree char *base = new_and_updated (s->liabilities_new, s->liabilities_updated);
      g_autofree char *paid = format_count (s->liabilities_marked_paid);

      /* Translators: "12 new, 3 updated" then the count of invoices marked as paid */
      invoices = g_strdup_printf (_("%s, %s marked as paid"), base, paid);
    }
  else
    invoices = new_and_updated (s->liabilities_new, s->liabilities_updated);
  gtk_label_set_text (self->invoices_label, invoices);

  clear_dynamic_rows (self);

  {
    const char * const *languages = g_get_language_names ();

    language = languages != NULL ? languages[0] : NULL;
  }
  add_money_rows (self, s, language);
  if (self->preview != NULL && self->preview->slash_dates)
    /* Translators: on the check page, then "Day first (31/12/2026)" or "Month first…" */
    add_value_row (self, self->summary_group, NULL, _("Dates written with slashes"),
                   s->month_first ? _("Month first (12/31/2026)") : _("Day first (31/12/2026)"));
  {
    g_autofree char *warning = dd_import_summary_country_warning (s);

    if (warning != NULL)
      add_value_row (self, self->summary_group, "dialog-warning-symbolic", warning, "");
  }

  for (guint r = 0; r < DD_N_IMPORT_REASONS; r++)
    if (s->by_reason[r] > 0)
      {
        g_autofree char *count = format_count (s->by_reason[r]);

        n_problems += s->by_reason[r];
        add_value_row (self, self->problems_group,
                       severity_icon (dd_import_reason_get_severity (r)),
                       dd_import_reason_get_label (r), count);
      }

  if (n_problems == 0)
    description = g_strdup (_("No problems were found."));
  else
    description = g_strdup (_("Rejected rows are not imported; rows with warnings are imported "
                              "without the doubtful detail. Export the problems to correct "
                              "them in the source."));
  adw_preferences_group_set_description (self->problems_group, description);

  for (guint i = 0; i < s->issues->len && i < MAX_LISTED_ISSUES; i++)
    {
      const DdImportIssue *issue = &g_array_index (s->issues, DdImportIssue, i);
      g_autofree char *text = dd_import_issue_to_string (s, issue);

      gtk_string_list_append (issues, text);
    }
  if (s->issues->len > MAX_LISTED_ISSUES)
    {
      g_autofree char *more = format_count (s->issues->len - MAX_LISTED_ISSUES);
      g_autofree char *text = NULL;

      /* Translators: at the end of a long list of problems; %s is a number */
      text = g_strdup_printf (_("… and %s more (all are in the exported problems)"), more);
      gtk_string_list_append (issues, text);
    }
  g_set_object (&self->issues_model, issues);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (issues)));
  gtk_list_view_set_model (self->issues_view, GTK_SELECTION_MODEL (selection));
  gtk_widget_set_visible (self->issues_frame, s->issues->len > 0);
}

static void
on_issue_setup (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *image = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_valign (image, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
on_issue_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               DdImportAssistant        *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *image = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_last_child (box);
  GtkStringObject *string = GTK_STRING_OBJECT (gtk_list_item_get_item (item));
  guint position = gtk_list_item_get_position (item);
  const DdImportSummary *s = self->check_summary;

  gtk_label_set_text (GTK_LABEL (label), gtk_string_object_get_string (string));
  if (s != NULL && position < s->issues->len && position < MAX_LISTED_ISSUES)
    {
      DdImportReason reason = g_array_index (s->issues, DdImportIssue, position).reason;
      DdImportSeverity severity = dd_import_reason_get_severity (reason);

      gtk_image_set_from_icon_name (GTK_IMAGE (image), severity_icon (severity));
      gtk_widget_remove_css_class (image, severity == DD_IMPORT_SEVERITY_REJECTED ? "warning"
                                                                                 : "error");
      gtk_widget_add_css_class (image, severity == DD_IMPORT_SEVERITY_REJECTED ? "error"
                                                                              : "warning");
      gtk_widget_set_tooltip_text (image, severity == DD_IMPORT_SEVERITY_REJECTED
                                          ? _("Rejected") : _("Warning"));
    }
  else
    gtk_image_clear (GTK_IMAGE (image));
}

static void
fill_options (DdImportAssistant *self,
              DdImportOptions   *options,
              char             **country,
              char             **currency)
{
  GSettings *settings = dd_context_get_settings (self->context);

  dd_import_options_init (options);
  options->encoding = self->preview->encoding;
  options->delimiter = self->preview->delimiter;
  options->has_header = self->preview->has_header ? 1 : 0;
  options->mapping = &self->mapping;
  options->mark_missing_paid = gtk_switch_get_active (self->mark_paid_switch);
  /* the order shown on the columns page is the one the import uses */
  if (self->preview->slash_dates)
    options->date_order = self->date_order > 0 ? 1 : -1;

  /* the file's country and currency, as chosen on the columns page */
  *country = g_strdup (selected_code (self->country_row, self->country_codes));
  *currency = g_strdup (selected_code (self->currency_row, self->currency_codes));
  if (*country == NULL && settings != NULL)
    *country = g_settings_get_string (settings, "default-country");
  if (*currency == NULL && settings != NULL)
    *currency = g_settings_get_string (settings, "default-currency");
  if (*country != NULL && **country != '\0')
    options->country = *country;
  if (*currency != NULL && **currency != '\0')
    options->currency = *currency;
}

/* How far a run through the file is: the share of its bytes read (when its size is known) and
 * @text. */
static void
show_progress (GtkProgressBar *bar,
               guint64         bytes_read,
               guint64         bytes_total,
               const char     *text)
{
  if (bytes_total > 0)
    gtk_progress_bar_set_fraction (bar, (double) bytes_read / bytes_total);
  gtk_progress_bar_set_text (bar, text);
}

/* Runs the importer through the file with @options (the dry run or the real one), its progress
 * in @bar from the start; @progress and @done get the assistant. */
static void
run_importer (DdImportAssistant     *self,
              const DdImportOptions *options,
              GtkProgressBar        *bar,
              GCancellable          *cancellable,
              DdImportProgressFunc   progress,
              GAsyncReadyCallback    done)
{
  gtk_progress_bar_set_fraction (bar, 0.0);
  gtk_progress_bar_set_text (bar, _("Starting…"));
  dd_importer_run_async (self->importer, self->file, options, cancellable,
                         progress, g_object_ref (self), g_object_unref,
                         done, g_object_ref (self));
}

static void
on_check_progress (guint64  bytes_read,
                   guint64  bytes_total,
                   guint64  rows,
                   gpointer user_data)
{
  DdImportAssistant *self = user_data;
  g_autofree char *count = format_count (rows);
  g_autofree char *text = NULL;

  if (self->flow.check != DD_IMPORT_TASK_RUNNING)
    return;

  /* Translators: progress of the check; %s is a number of rows ("12,000") */
  text = g_strdup_printf (ngettext ("%s row checked", "%s rows checked", plural_n (rows)), count);
  show_progress (self->check_progress, bytes_read, bytes_total, text);
}

static void
on_check_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DdImportAssistant) self = user_data;
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  gboolean current = g_task_get_cancellable (G_TASK (result)) == self->check_cancellable;

  summary = dd_importer_run_finish (DD_IMPORTER (source), result, &error);
  if (!current)
    return;   /* a newer check replaced this one */

  g_clear_object (&self->check_cancellable);
  if (self->rejects_stream != NULL)
    g_io_stream_close (G_IO_STREAM (self->rejects_stream), NULL, NULL);

  if (self->flow.check != DD_IMPORT_TASK_RUNNING)
    return;   /* the user went back meanwhile */

  if (summary == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_problem (self, _("Check Cancelled"), _("The file was not checked."));
          dd_import_flow_check_finished (&self->flow, DD_IMPORT_TASK_CANCELLED, 0);
        }
      else
        {
          g_debug ("Dry run failed: %s", error->message);
          set_problem (self, _("Could Not Check the File"), error->message);
          dd_import_flow_check_finished (&self->flow, DD_IMPORT_TASK_FAILED, 0);
        }
      update_ui (self);
      return;
    }

  g_clear_pointer (&self->check_summary, dd_import_summary_free);
  self->check_summary = g_steal_pointer (&summary);
  dd_import_flow_check_finished (&self->flow, DD_IMPORT_TASK_DONE,
                                 self->check_summary->rows_imported);
  show_check_summary (self);
  update_ui (self);
}

static void
drop_rejects_file (DdImportAssistant *self)
{
  if (self->rejects_stream != NULL)
    g_io_stream_close (G_IO_STREAM (self->rejects_stream), NULL, NULL);
  g_clear_object (&self->rejects_stream);
  if (self->rejects_file != NULL)
    g_file_delete (self->rejects_file, NULL, NULL);
  g_clear_object (&self->rejects_file);
}

static void
start_check (DdImportAssistant *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *country = NULL;
  g_autofree char *currency = NULL;
  DdImportOptions options;

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  self->check_cancellable = g_cancellable_new ();

  drop_rejects_file (self);
  self->rejects_file = g_file_new_tmp ("dunning-desk-problems-XXXXXX.csv", &self->rejects_stream,
                                       &error);
  if (self->rejects_file == NULL)
    g_warning ("No temporary file for the problems: %s", error->message);

  fill_options (self, &options, &country, &currency);
  options.dry_run = TRUE;
  if (self->rejects_stream != NULL)
    options.rejects = g_io_stream_get_output_stream (G_IO_STREAM (self->rejects_stream));

  dd_import_flow_check_started (&self->flow);
  run_importer (self, &options, self->check_progress, self->check_cancellable,
                on_check_progress, on_check_done);
  update_ui (self);
}

static void
on_mark_paid_changed (DdImportAssistant *self)
{
  if (self->flow.step != DD_IMPORT_STEP_CHECK || self->flow.check == DD_IMPORT_TASK_IDLE)
    return;

  dd_import_flow_options_changed (&self->flow);
  start_check (self);
}

/* Import page */

static void
on_import_progress (guint64  bytes_read,
                    guint64  bytes_total,
                    guint64  rows,
                    gpointer user_data)
{
  DdImportAssistant *self = user_data;
  g_autofree char *count = format_count (rows);
  g_autofree char *text = NULL;

  if (self->flow.import != DD_IMPORT_TASK_RUNNING)
    return;

  if (self->check_summary != NULL && self->check_summary->rows_read > 0)
    {
      g_autofree char *total = format_count (self->check_summary->rows_read);

      /* Translators: import progress: "12,000 of 200,000 rows" */
      text = g_strdup_printf (ngettext ("%s of %s row", "%s of %s rows",
                                        plural_n (self->check_summary->rows_read)),
                              count, total);
    }
  else
    text = g_strdup_printf (ngettext ("%s row", "%s rows", plural_n (rows)), count);
  show_progress (self->import_progress, bytes_read, bytes_total, text);
}

static void
show_done (DdImportAssistant *self)
{
  const DdImportSummary *s = self->summary;
  g_autofree char *invoices_n = format_count (s->rows_imported);
  g_autofree char *debtors_n = format_count (s->debtors_new + s->debtors_updated);
  g_autofree char *invoices = NULL;
  g_autofree char *debtors = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) description = g_string_new (NULL);

  /* Translators: part of "1,234 invoices imported for 567 debtors" */
  invoices = g_strdup_printf (ngettext ("%s invoice", "%s invoices", plural_n (s->rows_imported)),
                              invoices_n);
  /* Translators: part of "1,234 invoices imported for 567 debtors" */
  debtors = g_strdup_printf (ngettext ("%s debtor", "%s debtors",
                                       plural_n (s->debtors_new + s->debtors_updated)),
                             debtors_n);
  /* Translators: the result of an import; the first %s is "1,234 invoices", the second
   * "567 debtors" */
  text = g_strdup_printf (_("%1$s imported for %2$s"), invoices, debtors);
  g_string_append (description, text);

  if (s->rows_rejected > 0)
    {
      g_autofree char *rejected_n = format_count (s->rows_rejected);
      g_autofree char *rejected = NULL;

      /* Translators: below the result of an import; %s is a number of rows */
      rejected = g_strdup_printf (ngettext ("%s row was rejected.", "%s rows were rejected.",
                                            plural_n (s->rows_rejected)),
                                  rejected_n);
      g_string_append_c (description, '\n');
      g_string_append (description, rejected);
    }
  if (s->liabilities_marked_paid > 0)
    {
      g_autofree char *paid_n = format_count (s->liabilities_marked_paid);
      g_autofree char *paid = NULL;

      paid = g_strdup_printf (ngettext ("%s invoice missing from the file was marked as paid.",
                                        "%s invoices missing from the file were marked as paid.",
                                        plural_n (s->liabilities_marked_paid)),
                              paid_n);
      g_string_append_c (description, '\n');
      g_string_append (description, paid);
    }

  {
    g_autofree char *markup = g_markup_escape_text (description->str, -1);

    adw_status_page_set_description (self->done_page, markup);
  }
}

static void
on_import_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DdImportAssistant) self = user_data;
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = dd_importer_run_finish (DD_IMPORTER (source), result, &error);
  g_clear_object (&self->import_cancellable);

  /* the question is moot once the import has ended */
  if (self->stop_dialog != NULL)
    gtk_window_destroy (self->stop_dialog);

  if (summary == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_problem (self, _("Import Cancelled"),
                       _("Nothing was changed in the office database."));
          dd_import_flow_import_finished (&self->flow, DD_IMPORT_TASK_CANCELLED);
        }
      else
        {
          g_autofree char *text = NULL;

          g_warning ("Import failed: %s", error->message);
          /* Translators: %s is the reason an import failed */
          text = g_strdup_printf (_("%s\nNothing was changed in the office database."),
                                  error->message);
          set_problem (self, _("Import Failed"), text);
          dd_import_flow_import_finished (&self->flow, DD_IMPORT_TASK_FAILED);
        }
    }
  else
    {
      self->summary = g_steal_pointer (&summary);
      show_done (self);
      dd_import_flow_import_finished (&self->flow, DD_IMPORT_TASK_DONE);
    }

  if (self->close_when_stopped)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  update_ui (self);
}

static void
start_import (DdImportAssistant *self)
{
  g_autofree char *country = NULL;
  g_autofree char *currency = NULL;
  DdImportOptions options;

  g_clear_object (&self->import_cancellable);
  self->import_cancellable = g_cancellable_new ();

  fill_options (self, &options, &country, &currency);
  options.dry_run = FALSE;

  dd_import_flow_import_started (&self->flow);
  run_importer (self, &options, self->import_progress, self->import_cancellable,
                on_import_progress, on_import_done);
  update_ui (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->stack));
}

/* Actions */

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DdImportAssistant *self = DD_IMPORT_ASSISTANT (widget);
  gboolean was_checking = self->flow.check == DD_IMPORT_TASK_RUNNING;

  if (!dd_import_flow_back (&self->flow))
    return;

  if (was_checking && self->check_cancellable != NULL)
    {
      g_cancellable_cancel (self->check_cancellable);
      g_clear_object (&self->check_cancellable);
    }
  update_ui (self);
}

static void
next_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DdImportAssistant *self = DD_IMPORT_ASSISTANT (widget);

  if (!dd_import_flow_next (&self->flow))
    return;

  if (dd_import_flow_needs_check (&self->flow))
    start_check (self);
  else if (self->flow.step == DD_IMPORT_STEP_IMPORT)
    start_import (self);
  else
    update_ui (self);
}

static void
on_open_response (DdImportAssistant    *self,
                  int                   response,
                  GtkFileChooserNative *native)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        dd_import_assistant_open_file (self, file);
    }
  g_clear_object (&self->native);
}

/* Shows @native (taken) over the assistant, as the one file chooser it keeps, with
 * @on_response (swapped: the assistant first). */
static void
show_chooser (DdImportAssistant    *self,
              GtkFileChooserNative *native,
              GCallback             on_response)
{
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect_object (native, "response", on_response, self, G_CONNECT_SWAPPED);
  g_clear_object (&self->native);
  self->native = GTK_NATIVE_DIALOG (native);
  gtk_native_dialog_show (self->native);
}

static void
open_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DdImportAssistant *self = DD_IMPORT_ASSISTANT (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (_("Open CSV File"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (csv, _("CSV Files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_suffix (csv, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), csv);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);
  show_chooser (self, native, G_CALLBACK (on_open_response));
}

static void
on_save_preset_response (DdImportAssistant *self,
                         const char        *response,
                         AdwMessageDialog  *dialog)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  DdImportPresetSettings settings;

  if (g_strcmp0 (response, "save") != 0)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  if (name[0] == '\0' || self->preview == NULL)
    return;

  /* the date order and the currency the user settled on, for the next file of this layout */
  settings = self->kept;
  if (self->preview->slash_dates &&
      (self->date_order_chosen || self->date_order_kept || !self->preview->dates_ambiguous))
    settings.date_order = self->date_order > 0 ? 1 : -1;
  if (self->currency_chosen)
    g_strlcpy (settings.currency, selected_code (self->currency_row, self->currency_codes),
               sizeof settings.currency);
  json = dd_import_preset_to_json (&self->mapping, &settings,
                                   (const char * const *) self->preview->headers,
                                   headers_length (self));
  if (!dd_import_store_save_preset (self->import_store, name, json, &error))
    {
      g_autofree char *text = NULL;

      g_warning ("Could not save the column mapping %s: %s", name, error->message);
      /* Translators: %s is the reason */
      text = g_strdup_printf (_("The mapping could not be saved: %s"), error->message);
      show_toast (self, text);
      return;
    }

  load_presets (self, name);
  {
    g_autofree char *text = NULL;

    /* Translators: %s is the name the user gave a column mapping */
    text = g_strdup_printf (_("Mapping “%s” saved"), name);
    show_toast (self, text);
  }
}

static void
on_preset_name_changed (AdwMessageDialog *dialog,
                        GtkEditable      *entry)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "save", name[0] != '\0');
}

static void
on_preset_name_activate (AdwMessageDialog *dialog,
                         GtkEntry         *entry)
{
  if (adw_message_dialog_get_response_enabled (dialog, "save"))
    adw_message_dialog_response (dialog, "save");
}

static void
save_preset_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DdImportAssistant *self = DD_IMPORT_ASSISTANT (widget);
  GtkWidget *dialog;
  GtkWidget *entry = gtk_entry_new ();
  guint selected = adw_combo_row_get_selected (self->preset_row);

  dialog = GTK_WIDGET (dd_question_new (GTK_WIDGET (self), _("Save Mapping"),
                                        _("Give the column mapping a name to use it again for "
                                          "the next export of the same kind."),
                                        "save", _("_Save"), ADW_RESPONSE_SUGGESTED, TRUE));

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && self->preset_names != NULL &&
      selected <= g_strv_length (self->preset_names))
    gtk_editable_set_text (GTK_EDITABLE (entry), self->preset_names[selected - 1]);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_preset_name_changed), dialog,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (entry, "activate", G_CALLBACK (on_preset_name_activate), dialog,
                           G_CONNECT_SWAPPED);
  on_preset_name_changed (ADW_MESSAGE_DIALOG (dialog), GTK_EDITABLE (entry));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_preset_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
on_export_response (DdImportAssistant    *self,
                    int                   response,
                    GtkFileChooserNative *native)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  g_clear_object (&self->native);

  if (file == NULL)
    return;

  if (!dd_import_assistant_export_problems (self, file, &error))
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the reason */
      text = g_strdup_printf (_("The problems could not be saved: %s"), error->message);
      show_toast (self, text);
    }
  else
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *text = NULL;

      /* Translators: %s is a file name */
      text = g_strdup_printf (_("Problems saved to “%s”"), name);
      show_toast (self, text);
    }
}

static void
export_problems_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  DdImportAssistant *self = DD_IMPORT_ASSISTANT (widget);
  GtkFileChooserNative *native;
  g_autofree char *base = g_file_get_basename (self->file);
  g_autofree char *name = NULL;
  char *dot;

  dot = strrchr (base, '.');
  if (dot != NULL)
    *dot = '\0';
  /* Translators: the suggested name of the file of rejected rows; %s is the imported
   * file's name without its extension */
  name = g_strdup_printf (_("%s-problems.csv"), base);

  native = gtk_file_chooser_native_new (_("Export Problems"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  show_chooser (self, native, G_CALLBACK (on_export_response));
}

static void
cancel_import_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DdImportAssistant *self = DD_IMPORT_ASSISTANT (widget);

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  gtk_progress_bar_set_text (self->import_progress, _("Cancelling…"));
  gtk_widget_action_set_enabled (widget, "assistant.cancel-import", FALSE);
}

static void
emit_cases_changed (DdImportAssistant *self)
{
  if (self->cases_changed_emitted || self->flow.import != DD_IMPORT_TASK_DONE)
    return;

  self->cases_changed_emitted = TRUE;
  dd_context_cases_changed (self->context);
}

static void
show_cases_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DdImportAssistant *self = DD_IMPORT_ASSISTANT (widget);

  emit_cases_changed (self);
  gtk_window_close (GTK_WINDOW (self));
}

/* Drag and drop */

static gboolean
on_drop (GtkDropTarget     *target,
         const GValue      *value,
         double             x,
         double             y,
         DdImportAssistant *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_value_get_boxed (value);
  if (files == NULL || !G_IS_FILE (files->data))
    return FALSE;

  return dd_import_assistant_open_file (self, files->data);
}

/* Closing */

static void
on_stop_response (DdImportAssistant *self,
                  const char        *response,
                  AdwMessageDialog  *dialog)
{
  if (g_strcmp0 (response, "stop") != 0)
    return;

  if (self->flow.import == DD_IMPORT_TASK_RUNNING)
    {
      self->close_when_stopped = TRUE;
      if (self->import_cancellable != NULL)
        g_cancellable_cancel (self->import_cancellable);
    }
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
dd_import_assistant_close_request (GtkWindow *window)
{
  DdImportAssistant *self = DD_IMPORT_ASSISTANT (window);

  if (self->flow.import == DD_IMPORT_TASK_RUNNING)
    {
      GtkWidget *dialog;

      if (self->close_when_stopped)
        return TRUE;

      dialog = GTK_WIDGET (dd_question_new (GTK_WIDGET (self), _("Stop the Import?"),
                                            _("The import is not finished. If you stop it "
                                              "now, nothing is changed in the office "
                                              "database."),
                                            "stop", _("_Stop Import"), ADW_RESPONSE_DESTRUCTIVE,
                                            FALSE));
      /* not stopping is going on */
      adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (dialog), "cancel",
                                             _("C_ontinue Importing"));
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_stop_response), self,
                               G_CONNECT_SWAPPED);
      g_set_weak_pointer (&self->stop_dialog, GTK_WINDOW (dialog));
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  emit_cases_changed (self);

  return GTK_WINDOW_CLASS (dd_import_assistant_parent_class)->close_request (window);
}

/* GObject */

static void
dd_import_assistant_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DdImportAssistant *self = DD_IMPORT_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_import_assistant_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DdImportAssistant *self = DD_IMPORT_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_assert (self->context == NULL);
      self->context = g_value_dup_object (value);
      break;

    case PROP_FILE:
      g_assert (self->file == NULL);
      self->file = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_import_assistant_constructed (GObject *object)
{
  DdImportAssistant *self = DD_IMPORT_ASSISTANT (object);
  DdDatabase *database;

  G_OBJECT_CLASS (dd_import_assistant_parent_class)->constructed (object);

  g_return_if_fail (DD_IS_CONTEXT (self->context));

  database = dd_context_get_database (self->context);
  self->importer = dd_importer_new (database);
  self->import_store = dd_import_store_new (database);
  load_presets (self, NULL);

  dd_import_flow_init (&self->flow, self->file != NULL);
  if (self->file != NULL)
    load_preview (self, NULL, 0, -1);
  update_ui (self);
}

static void
dd_import_assistant_dispose (GObject *object)
{
  DdImportAssistant *self = DD_IMPORT_ASSISTANT (object);

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->import_cancellable);
  if (self->native != NULL)
    gtk_native_dialog_destroy (self->native);
  g_clear_object (&self->native);
  drop_rejects_file (self);
  if (self->stop_dialog != NULL)
    gtk_window_destroy (self->stop_dialog);
  g_clear_weak_pointer (&self->stop_dialog);

  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_IMPORT_ASSISTANT);

  g_clear_object (&self->issues_model);
  g_clear_object (&self->importer);
  g_clear_object (&self->import_store);
  g_clear_object (&self->file);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (dd_import_assistant_parent_class)->dispose (object);
}

static void
dd_import_assistant_finalize (GObject *object)
{
  DdImportAssistant *self = DD_IMPORT_ASSISTANT (object);

  g_clear_pointer (&self->preview, dd_import_preview_free);
  g_clear_pointer (&self->check_summary, dd_import_summary_free);
  g_clear_pointer (&self->summary, dd_import_summary_free);
  g_clear_pointer (&self->preset_names, g_strfreev);
  g_clear_pointer (&self->field_rows, g_ptr_array_unref);
  g_clear_pointer (&self->column_samples, g_strfreev);
  g_clear_pointer (&self->country_codes, g_ptr_array_unref);
  g_clear_pointer (&self->currency_codes, g_ptr_array_unref);
  g_clear_pointer (&self->region_currency, g_free);
  g_clear_pointer (&self->dynamic_rows, g_ptr_array_unref);
  g_free (self->detected_encoding);
  g_free (self->problem_title);
  g_free (self->problem_description);

  G_OBJECT_CLASS (dd_import_assistant_parent_class)->finalize (object);
}

static void
dd_import_assistant_class_init (DdImportAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = dd_import_assistant_get_property;
  object_class->set_property = dd_import_assistant_set_property;
  object_class->constructed = dd_import_assistant_constructed;
  object_class->dispose = dd_import_assistant_dispose;
  object_class->finalize = dd_import_assistant_finalize;

  window_class->close_request = dd_import_assistant_close_request;

  /**
   * DdImportAssistant:context:
   *
   * The services of the window: the database to import into, the settings.
   */
  properties[PROP_CONTEXT] = dd_context_param_spec (G_PARAM_EXPLICIT_NOTIFY);

  /**
   * DdImportAssistant:file:
   *
   * The CSV file to start with, or %NULL to start by choosing one.
   */
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "assistant.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, next_activated);
  gtk_widget_class_install_action (widget_class, "assistant.open", NULL, open_activated);
  gtk_widget_class_install_action (widget_class, "assistant.save-preset", NULL,
                                   save_preset_activated);
  gtk_widget_class_install_action (widget_class, "assistant.export-problems", NULL,
                                   export_problems_activated);
  gtk_widget_class_install_action (widget_class, "assistant.cancel-import", NULL,
                                   cancel_import_activated);
  gtk_widget_class_install_action (widget_class, "assistant.show-cases", NULL,
                                   show_cases_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "assistant.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "assistant.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "assistant.open", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-import-assistant.ui");
  dd_application_install_help_action (widget_class);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, window_title);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, import_button);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, stack);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, delimiter_row);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, header_switch);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, preview_label);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, preview_view);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, preset_row);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, fields_group);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, country_row);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, currency_row);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, dates_group);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, date_order_row);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, date_order_icon);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, missing_label);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, check_stack);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, check_progress);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, rows_read_label);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, rows_imported_label);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, rows_rejected_label);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, rows_warnings_label);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, debtors_label);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, cases_label);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, invoices_label);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, summary_group);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, mark_paid_switch);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, problems_group);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, issues_frame);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, issues_view);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, import_progress);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, done_page);
  gtk_widget_class_bind_template_child (widget_class, DdImportAssistant, problem_page);
  gtk_widget_class_bind_template_callback (widget_class, on_dialect_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_preset_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_date_order_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_country_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_currency_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_mark_paid_changed);
}

static void
dd_import_assistant_init (DdImportAssistant *self)
{
  GtkDropTarget *target;
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->country_codes = g_ptr_array_new_with_free_func (g_free);
  self->currency_codes = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->updating = TRUE;
  fill_code_row (self->country_row, file_countries, G_N_ELEMENTS (file_countries),
                 self->country_codes);
  fill_code_row (self->currency_row, file_currencies, G_N_ELEMENTS (file_currencies),
                 self->currency_codes);
  self->updating = FALSE;

  self->field_rows = g_ptr_array_new ();
  self->dynamic_rows = g_ptr_array_new ();

  /* "Day first (31/12/2026)", "Russian ruble (RUB)" in full beside their titles */
  {
    AdwComboRow *rows[] = { self->date_order_row, self->country_row, self->currency_row };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      {
        g_autoptr(GtkListItemFactory) full = gtk_signal_list_item_factory_new ();

        g_signal_connect (full, "setup", G_CALLBACK (on_order_item_setup), NULL);
        g_signal_connect (full, "bind", G_CALLBACK (on_order_item_bind), NULL);
        adw_combo_row_set_factory (rows[i], full);
      }
  }

  g_signal_connect (factory, "setup", G_CALLBACK (on_issue_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_issue_bind), self);
  gtk_list_view_set_factory (self->issues_view, factory);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

DdImportAssistant *
dd_import_assistant_new (GtkWindow *parent,
                         DdContext *context,
                         GFile     *file)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  return g_object_new (DD_TYPE_IMPORT_ASSISTANT,
                       "transient-for", parent,
                       "context", context,
                       "file", file,
                       NULL);
}

DdContext *
dd_import_assistant_get_context (DdImportAssistant *self)
{
  g_return_val_if_fail (DD_IS_IMPORT_ASSISTANT (self), NULL);

  return self->context;
}

DdImportStep
dd_import_assistant_get_step (DdImportAssistant *self)
{
  g_return_val_if_fail (DD_IS_IMPORT_ASSISTANT (self), DD_IMPORT_STEP_FILE);

  return self->flow.step;
}

gboolean
dd_import_assistant_open_file (DdImportAssistant *self,
                               GFile             *file)
{
  g_return_val_if_fail (DD_IS_IMPORT_ASSISTANT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!dd_import_flow_file_chosen (&self->flow))
    return FALSE;

  g_set_object (&self->file, file);
  g_clear_pointer (&self->detected_encoding, g_free);
  self->detected_delimiter = 0;
  self->date_order_chosen = FALSE;
  self->currency_chosen = FALSE;
  g_clear_pointer (&self->check_summary, dd_import_summary_free);
  load_preview (self, NULL, 0, -1);
  update_ui (self);

  return TRUE;
}

gboolean
dd_import_assistant_export_problems (DdImportAssistant  *self,
                                     GFile              *destination,
                                     GError            **error)
{
  g_return_val_if_fail (DD_IS_IMPORT_ASSISTANT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (destination), FALSE);

  if (self->rejects_file == NULL || self->flow.check != DD_IMPORT_TASK_DONE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The file has not been checked yet"));
      return FALSE;
    }

  return g_file_copy (self->rejects_file, destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL,
                      error);
}

AdwComboRow *
_dd_import_assistant_get_field_row (DdImportAssistant *self,
                                    DdImportField      field)
{
  g_return_val_if_fail (DD_IS_IMPORT_ASSISTANT (self), NULL);
  g_return_val_if_fail (field >= 0 && field < DD_N_IMPORT_FIELDS, NULL);

  if ((guint) field >= self->field_rows->len)
    return NULL;
  return g_ptr_array_index (self->field_rows, field);
}

const DdImportSummary *
_dd_import_assistant_get_check_summary (DdImportAssistant *self)
{
  g_return_val_if_fail (DD_IS_IMPORT_ASSISTANT (self), NULL);

  return self->check_summary;
}

const DdImportSummary *
_dd_import_assistant_get_summary (DdImportAssistant *self)
{
  g_return_val_if_fail (DD_IS_IMPORT_ASSISTANT (self), NULL);

  return self->summary;
}
