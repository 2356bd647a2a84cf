/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reports section on a demo office with PLN and EUR cases, a campaign with a hold-out
 * group, payments, declarations and consultants' work: each report's figures in the window
 * are the core's, amounts stay per currency, CSV, PDF and the print export carry them, and
 * an office without payments gets a status page that leads to Payments. Screenshots at
 * 1024×700 and 1280×800, in English and Polish. */
#define G_LOG_DOMAIN "test-reports-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "dd-test-ui.h"
#include "dd-report-pdf.h"
#include "dd-report-table.h"
#include "dd-reports.h"
#include "dd-reports-view-private.h"
#include "dd-window.h"

/* On top of the demo office (cases in id order): every fifth case owes euros; a campaign
 * messaged the first 100 (billed in złoty, and in euros for the euro cases) and held out the
 * next 50; payments in both currencies;
 * declarations; two consultants' calls. */
static const char extra_sql[] =
  "UPDATE debt_case SET currency = 'EUR' WHERE id % 5 = 0;"
  "INSERT INTO agent (id, name, role, created_at) VALUES (901, 'Anna Konsultant', 'consultant',"
  " 'x'), (902, 'Marek Konsultant', 'consultant', 'x');"
  "INSERT INTO campaign (id, name, kind, created_at, updated_at) VALUES"
  " (1, 'Listopad SMS', 'sms', 'x', 'x');"
  "INSERT INTO message (campaign_id, case_id, e164, idempotency_key, body, state, cost_minor,"
  " cost_currency, replies, created_at, updated_at, sent_at)"
  " SELECT 1, id, '+4860000' || id, 'm' || id, 'Pay', 'delivered',"
  "  CASE WHEN id % 5 = 0 THEN 4 ELSE 9 END, CASE WHEN id % 5 = 0 THEN 'EUR' ELSE 'PLN' END, 0,"
  "  '2026-11-02T09:00:00Z', 'x', '2026-11-02T09:00:00Z'"
  " FROM debt_case WHERE id <= 100;"
  "INSERT INTO campaign_holdout (campaign_id, case_id, held_at)"
  " SELECT 1, id, '2026-11-02T09:00:00Z' FROM debt_case WHERE id BETWEEN 101 AND 150;"
  "INSERT INTO payment (case_id, amount_minor, currency, paid_on, source, created_at)"
  " SELECT id, 12345, currency, CASE WHEN id <= 40 THEN '2026-11-03' ELSE '2026-11-20' END,"
  "  'test', 'x' FROM debt_case WHERE id <= 60 OR id BETWEEN 101 AND 110;"
  "INSERT INTO declaration (case_id, amount_minor, currency, promised_on, channel, state,"
  " agent_id, created_at)"
  " SELECT id, 50000, currency, '2026-11-20', CASE WHEN id % 2 = 0 THEN 'agent' ELSE 'ivr' END,"
  "  CASE id % 3 WHEN 0 THEN 'kept' WHEN 1 THEN 'broken' ELSE 'pending' END,"
  "  CASE WHEN id % 2 = 0 THEN 901 ELSE NULL END, '2026-11-05T10:00:00Z'"
  " FROM debt_case WHERE id BETWEEN 1 AND 30;"
  "INSERT INTO activity (case_id, kind, agent_id, created_at)"
  " SELECT id, 'call', CASE WHEN id % 3 = 0 THEN 902 ELSE 901 END, '2026-11-04T10:00:00Z'"
  " FROM debt_case WHERE id <= 45;";

static const char *report_keys[] = { "campaigns", "effect", "promises", "ageing", "work" };

typedef struct
{
  DdTestOffice     *office;
  GSettingsBackend *backend;
  GSettings        *settings;
  GtkWindow        *window;
  DdReportsView    *view;
} Fixture;

static gboolean
is_reports_view (GtkWidget *widget,
                 gpointer   data)
{
  return DD_IS_REPORTS_VIEW (widget);
}

static gboolean
report_made (gpointer data)
{
  const char *state = _dd_reports_view_get_state (data);

  return g_strcmp0 (state, "loading") != 0;
}

static void
wait_for_report (DdReportsView *view)
{
  g_assert_true (dd_test_wait_until (report_made, view, 60000));
}

static void
resize (GtkWindow *window,
        int        width,
        int        height)
{
  /* the widget is a few pixels smaller than the window (its decoration's shadow) */
  gtk_window_set_default_size (window, width, height);
  gtk_widget_queue_resize (GTK_WIDGET (window));
  for (guint i = 0; i < 100 && (ABS (gtk_widget_get_width (GTK_WIDGET (window)) - width) > 12 ||
                                ABS (gtk_widget_get_height (GTK_WIDGET (window)) - height) > 12);
       i++)
    dd_test_iterate_for (50);
}

static void
open_office (Fixture  *f,
             gboolean  with_extras)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *sections;

  f->office = dd_test_office_new ("reports-view");
  dd_test_office_import_demo (f->office, with_extras ? 300 : 40, "pl", 7);
  if (with_extras)
    {
      g_assert_true (dd_database_exec (f->office->database, extra_sql, &error));
      g_assert_no_error (error);
    }
  f->backend = g_memory_settings_backend_new ();
  f->settings = g_settings_new_with_backend (APPLICATION_ID, f->backend);
  g_settings_set_string (f->settings, "office-name", "Biuro Windykacji Łódź");
  f->window = GTK_WINDOW (dd_window_new (NULL, f->office->database, f->settings));
  gtk_window_set_default_size (f->window, 1024, 700);
  dd_test_show_window (f->window);
  resize (f->window, 1024, 700);

  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (f->window), DD_TYPE_WINDOW,
                                                        "reports_row"), "activate");
  sections = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->window), DD_TYPE_WINDOW,
                                                       "sections"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (sections)), ==, "reports");
  f->view = DD_REPORTS_VIEW (dd_test_find_widget (sections, is_reports_view, NULL));
  g_assert_nonnull (f->view);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->view)));
  wait_for_report (f->view);
}

static void
close_office (Fixture *f)
{
  dd_test_destroy_window (f->window);
  g_clear_object (&f->settings);
  g_clear_object (&f->backend);
  dd_test_office_free (f->office);
}

/* The core's tables of report @which over the whole office, all time. */
static GPtrArray *
core_tables (DdDatabase *db,
             guint       which)
{
  static const guint bounds[] = { 30, 60, 90 };
  DdReportFilter filter = { NULL, NULL, 0, 0 };
  g_autoptr(GError) error = NULL;
  GPtrArray *tables = NULL;

  switch (which)
    {
    case DD_REPORTS_VIEW_CAMPAIGNS:
      {
        g_autoptr(GPtrArray) rows = dd_report_campaigns (db, &filter, &error);

        tables = dd_report_campaigns_tables (rows);
      }
      break;
    case DD_REPORTS_VIEW_EFFECT:
      {
        DdReportEffect effect;

        g_assert_true (dd_report_effect (db, &filter, &effect, &error));
        tables = dd_report_effect_tables (&effect);
      }
      break;
    case DD_REPORTS_VIEW_PROMISES:
      {
        g_autoptr(GPtrArray) rows = dd_report_promises (db, &filter, &error);

        tables = dd_report_promises_tables (rows);
      }
      break;
    case DD_REPORTS_VIEW_AGEING:
      {
        g_autoptr(DdReportAgeing) ageing = dd_report_ageing (db, &filter, bounds, 3, &error);

        tables = dd_report_ageing_tables (ageing);
      }
      break;
    default:
      {
        g_autoptr(GPtrArray) rows = dd_report_work (db, &filter, &error);

        tables = dd_report_work_tables (rows);
      }
      break;
    }
  g_assert_no_error (error);
  return tables;
}

typedef struct
{
  const char *text;
  gboolean    found;
} Find;

static void
find_label (GtkWidget *widget,
            Find      *find)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), find->text))
    find->found = TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL && !find->found;
       c = gtk_widget_get_next_sibling (c))
    find_label (c, find);
}

static gboolean
shows_label (gpointer    root,
             const char *text)
{
  Find find = { text, FALSE };

  find_label (root, &find);
  return find.found;
}

static gboolean
settled (gpointer window)
{
  GObject *sections = gtk_widget_get_template_child (GTK_WIDGET (window), DD_TYPE_WINDOW,
                                                     "sections");

  return !gtk_stack_get_transition_running (GTK_STACK (sections));
}

/* The window as it is drawn (not a screen grab), saved as <builddir>/test-reports-view-NAME,
 * once the sections' cross-fade is over. */
static void
save_window (GtkWindow  *window,
             const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strdup_printf ("test-reports-view-%s.png", name);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, file, NULL);
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  dd_test_wait_until (settled, window, 10000);
  /* the paintable is empty until the window has drawn a frame since the last change */
  for (guint i = 0; i < 5 && node == NULL; i++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      gtk_widget_queue_draw (GTK_WIDGET (window));
      dd_test_iterate_for (100);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  resize (window, width, height);
  if (node == NULL)
    {
      /* GtkWidgetPaintable sometimes keeps an empty image: grab the screen instead */
      dd_test_save_screenshot ("test-reports-view", name);
      return;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%d×%d)", path, width, height);
}

static char *
pdf_text (const char *pdf)
{
  g_autofree char *txt = g_strconcat (pdf, ".txt", NULL);
  g_autofree char *cmd = g_strdup_printf ("pdftotext -layout '%s' '%s'", pdf, txt);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_cmpint (system (cmd), ==, 0);
  g_assert_true (g_file_get_contents (txt, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

static void
test_figures (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;

  open_office (&f, TRUE);

  for (guint which = 0; which < G_N_ELEMENTS (report_keys); which++)
    {
      g_autoptr(GPtrArray) expected = core_tables (f.office->database, which);
      g_autofree char *expected_csv = dd_report_tables_to_csv (expected);
      g_autofree char *shown_csv = NULL;
      GPtrArray *shown;
      const DdReportTable *t;

      dd_reports_view_set_report (f.view, which);
      wait_for_report (f.view);
      g_assert_cmpstr (_dd_reports_view_get_state (f.view), ==, "report");
      shown = _dd_reports_view_get_tables (f.view);
      g_assert_nonnull (shown);
      t = g_ptr_array_index (shown, 0);
      g_assert_cmpstr (t->key, ==, report_keys[which]);
      shown_csv = dd_report_tables_to_csv (shown);
      g_assert_cmpstr (shown_csv, ==, expected_csv);
      /* every cell of the first table is on screen as the core formats it */
      g_assert_cmpuint (t->rows->len, >, 0);
      for (guint r = 0; r < t->rows->len; r++)
        for (guint c = 0; c < t->columns->len; c++)
          {
            g_autofree char *text = dd_report_cell_format (dd_report_table_cell (t, r, c));

            if (*text != '\0' && !shows_label (f.view, text))
              g_error ("%s: “%s” (row %u, column %u) is not shown", t->key, text, r, c);
          }
      g_assert_true (gtk_widget_is_sensitive (dd_test_find_button (GTK_WIDGET (f.view),
                                                                   "_Print…")));
      if (which != DD_REPORTS_VIEW_AGEING && which != DD_REPORTS_VIEW_EFFECT)
        {
          g_autofree char *name = g_strdup_printf ("%s-1024x700", report_keys[which]);

          save_window (f.window, name);
        }
    }

  /* ageing: a bucket set per currency; the amounts say theirs and are never added up */
  dd_reports_view_set_report (f.view, DD_REPORTS_VIEW_AGEING);
  wait_for_report (f.view);
  {
    g_autoptr(DdReportAgeing) ageing = NULL;
    DdReportFilter filter = { NULL, NULL, 0, 0 };
    static const guint bounds[] = { 30, 60, 90 };
    gint64 eur = 0, pln = 0, eur_cases = 0;

    ageing = dd_report_ageing (f.office->database, &filter, bounds, 3, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ageing->buckets->len, ==, 10);
    for (guint i = 0; i < ageing->buckets->len; i++)
      {
        const DdReportAgeingBucket *b = &g_array_index (ageing->buckets,
                                                        DdReportAgeingBucket, i);

        if (g_str_equal (b->currency, "EUR"))
          {
            eur += b->balance_minor;
            eur_cases += b->cases;
          }
        else
          pln += b->balance_minor;
      }
    g_assert_cmpint (eur_cases, ==, dd_test_query_int (f.office->database,
      "SELECT COUNT(*) FROM debt_case WHERE currency = 'EUR' AND status <> 'closed'"
      " AND balance_minor > 0"));
    g_assert_cmpint (eur, ==, dd_test_query_int (f.office->database,
      "SELECT SUM(balance_minor) FROM debt_case WHERE currency = 'EUR' AND status <> 'closed'"
      " AND balance_minor > 0"));
    g_assert_cmpint (pln, ==, dd_test_query_int (f.office->database,
      "SELECT SUM(balance_minor) FROM debt_case WHERE currency = 'PLN' AND status <> 'closed'"
      " AND balance_minor > 0"));
  }
  resize (f.window, 1024, 700);
  save_window (f.window, "ageing-1024x700");
  resize (f.window, 1280, 800);
  save_window (f.window, "ageing-1280x800");

  /* CSV, PDF and the print export of the ageing report */
  {
    g_autofree char *dir = g_dir_make_tmp ("dd-reports-view-XXXXXX", &error);
    g_autofree char *csv_path = g_build_filename (dir, "ageing.csv", NULL);
    g_autofree char *pdf_path = g_build_filename (dir, "ageing.pdf", NULL);
    g_autofree char *print_path = g_build_filename (dir, "printed.pdf", NULL);
    g_autofree char *csv = NULL;
    g_autofree char *text = NULL;
    g_autofree char *printed = NULL;
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
    const DdReportTable *t = g_ptr_array_index (_dd_reports_view_get_tables (f.view), 0);
    g_autofree char *first_eur = NULL;

    g_assert_no_error (error);
    g_assert_true (_dd_reports_view_write_csv (f.view, csv_path, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
    /* for a spreadsheet: a byte order mark, then (in English) commas */
    g_assert_true (g_str_has_prefix (csv, "\xef\xbb\xbf" "bucket,cases,balance,currency\r\n"));
    g_assert_nonnull (strstr (csv, ",EUR\r\n"));
    g_assert_nonnull (strstr (csv, ",PLN\r\n"));

    g_assert_true (_dd_reports_view_write_pdf (f.view, pdf_path, &error));
    g_assert_no_error (error);
    text = pdf_text (pdf_path);
    g_assert_nonnull (strstr (text, "Biuro Windykacji Łódź"));
    g_assert_nonnull (strstr (text, "Ageing of the receivables"));
    g_assert_nonnull (strstr (text, "Period: all time"));
    first_eur = dd_report_cell_format (dd_report_table_cell (t, 0, 2));
    g_assert_true (g_str_has_suffix (first_eur, "EUR"));
    {
      /* pdftotext writes the no-break spaces as spaces */
      g_auto(GStrv) parts = g_strsplit (first_eur, "\u00a0", -1);
      g_autofree char *plain = g_strjoinv (" ", parts);
      g_auto(GStrv) parts2 = g_strsplit (plain, "\u202f", -1);
      g_autofree char *plain2 = g_strjoinv (" ", parts2);

      g_assert_nonnull (strstr (text, plain2));
    }
    g_assert_nonnull (strstr (text, " PLN"));

    g_assert_true (_dd_reports_view_print_to_file (f.view, print_path, &error));
    g_assert_no_error (error);
    printed = pdf_text (print_path);
    g_assert_nonnull (strstr (printed, "Ageing of the receivables"));
    g_assert_nonnull (strstr (printed, "EUR"));
    g_assert_cmpint (system (rm), ==, 0);
  }

  /* effect: contacted against held out, a chart of both */
  dd_reports_view_set_report (f.view, DD_REPORTS_VIEW_EFFECT);
  wait_for_report (f.view);
  g_assert_cmpstr (_dd_reports_view_get_state (f.view), ==, "report");
  save_window (f.window, "effect-1280x800");
  resize (f.window, 1024, 700);
  save_window (f.window, "effect-1024x700");

  close_office (&f);
}

/* Cases but no campaign and no payment: the reports say what to do; "Import Payments…"
 * opens Payments. */
static void
test_empty (void)
{
  Fixture f = { 0 };
  GtkWidget *sections;

  open_office (&f, FALSE);
  g_assert_cmpstr (_dd_reports_view_get_state (f.view), ==, "empty");
  g_assert_true (shows_label (f.view, "No Campaigns Yet"));
  dd_reports_view_set_report (f.view, DD_REPORTS_VIEW_PROMISES);
  wait_for_report (f.view);
  g_assert_cmpstr (_dd_reports_view_get_state (f.view), ==, "empty");
  g_assert_true (shows_label (f.view, "No Payment Declarations"));
  dd_reports_view_set_report (f.view, DD_REPORTS_VIEW_AGEING);
  wait_for_report (f.view);
  g_assert_cmpstr (_dd_reports_view_get_state (f.view), ==, "report");

  dd_reports_view_set_report (f.view, DD_REPORTS_VIEW_EFFECT);
  wait_for_report (f.view);
  g_assert_cmpstr (_dd_reports_view_get_state (f.view), ==, "empty");
  g_assert_true (shows_label (f.view, "No Payments Imported"));
  g_assert_false (gtk_widget_is_sensitive (dd_test_find_button (GTK_WIDGET (f.view),
                                                                "Export _CSV…")));
  save_window (f.window, "empty-1024x700");
  g_signal_emit_by_name (dd_test_find_button (GTK_WIDGET (f.view), "_Import Payments…"), "clicked");
  sections = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f.window), DD_TYPE_WINDOW,
                                                       "sections"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (sections)), ==, "payments");
  close_office (&f);
}

/* The same in Polish, for the screenshots (and no label may be cut off at 1024 px). */
static void
test_polish (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (dir, "pl", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  Fixture f = { 0 };

  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the Polish catalog of this build is not there");
      return;
    }
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_setenv ("LANGUAGE", "pl", TRUE);
  setlocale (LC_ALL, "");

  open_office (&f, TRUE);
  dd_reports_view_set_report (f.view, DD_REPORTS_VIEW_AGEING);
  wait_for_report (f.view);
  g_assert_true (shows_label (f.view, "Wiekowanie należności"));
  save_window (f.window, "pl-ageing-1024x700");
  dd_reports_view_set_report (f.view, DD_REPORTS_VIEW_EFFECT);
  wait_for_report (f.view);
  resize (f.window, 1280, 800);
  save_window (f.window, "pl-effect-1280x800");
  {
    /* the PDF: the long Polish headers wrap instead of being cut with "…", and the amounts
     * are written the Polish way */
    g_autoptr(GError) error = NULL;
    g_autofree char *tmp = g_dir_make_tmp ("dd-reports-pl-XXXXXX", &error);
    g_autofree char *pdf_path = g_build_filename (tmp, "effect.pdf", NULL);
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", tmp);
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    g_assert_true (_dd_reports_view_write_pdf (f.view, pdf_path, &error));
    g_assert_no_error (error);
    text = pdf_text (pdf_path);
    g_assert_nonnull (strstr (text, "Wpływ"));
    {
      /* Export CSV… for a Polish spreadsheet: ";" between fields, decimal commas */
      g_autofree char *csv_path = g_build_filename (tmp, "effect.csv", NULL);
      g_autofree char *csv = NULL;

      g_assert_true (_dd_reports_view_write_csv (f.view, csv_path, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
      g_assert_true (g_str_has_prefix (csv, "\xef\xbb\xbf" "window_days;"));
      g_assert_nonnull (strstr (csv, ";PLN\r\n"));
      g_assert_null (strstr (csv, ".00;"));
      g_assert_nonnull (strstr (csv, ";0,4000;"));
      g_assert_nonnull (strstr (csv, ";0,00;"));
    }
    g_assert_null (strstr (text, "…"));
    g_assert_nonnull (strstr (text, " zł"));
    g_assert_cmpint (system (rm), ==, 0);
  }

  /* and in Russian: the amounts "1 234,56 €", the headers whole */
  g_setenv ("LANGUAGE", "ru", TRUE);
  setlocale (LC_ALL, "");
  dd_reports_view_set_report (f.view, DD_REPORTS_VIEW_AGEING);
  wait_for_report (f.view);
  save_window (f.window, "ru-ageing-1280x800");
  resize (f.window, 1024, 700);
  dd_reports_view_set_report (f.view, DD_REPORTS_VIEW_EFFECT);
  wait_for_report (f.view);
  save_window (f.window, "ru-effect-1024x700");
  close_office (&f);
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "");
}

/* A report's PDF with long Russian headers, a long Polish campaign name and 500 rows: nothing
 * is cut short with "…" (headers and names wrap in their column), and every page after the
 * first repeats the table's header. */
static void
test_pdf_long_text (void)
{
  static const char *const long_name =
    "Kampania windykacyjna listopad 2026 przypomnienie dla klientów indywidualnych Łódź";
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("dd-reports-pdf-XXXXXX", &error);
  g_autofree char *pdf_path = g_build_filename (tmp, "long.pdf", NULL);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", tmp);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_report_table_free);
  DdReportTable *t = dd_report_table_new ("effect", "Влияние на оплаты");
  g_auto(GStrv) pages = NULL;
  g_auto(GStrv) words = g_strsplit (long_name, " ", -1);

  g_assert_no_error (error);
  dd_report_table_add_column (t, "campaign", "Кампания", DD_REPORT_CELL_TEXT);
  for (guint c = 0; c < 9; c++)
    dd_report_table_add_column (t, "share", "Контрольная группа, доля оплативших",
                                DD_REPORT_CELL_SHARE);
  dd_report_table_add_column (t, "cost", "Стоимость", DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (t, "cost2", "Стоимость", DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (t, "cost3", "Стоимость", DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (t, "cost4", "Стоимость", DD_REPORT_CELL_MONEY);
  for (guint r = 0; r < 500; r++)
    {
      dd_report_table_begin_row (t);
      dd_report_table_add_text (t, r == 0 ? long_name : "Listopad SMS");
      for (guint c = 0; c < 9; c++)
        dd_report_table_add_share (t, 0.3);
      /* a big amount with its currency: smaller type in a narrow column, never cut */
      for (guint c = 0; c < 4; c++)
        dd_report_table_add_amount (t, 123456789012, "PLN");
    }
  g_ptr_array_add (tables, t);
  g_assert_true (dd_report_pdf_write (pdf_path, "Влияние кампаний на оплаты", "Biuro",
                                      "Период: всё время", tables, &error));
  g_assert_no_error (error);
  text = pdf_text (pdf_path);
  {
    /* text cut short with "…" still carries its whole string, as one "word" spanning the
     * ellipsis: pdftotext -bbox shows it as a word with spaces inside */
    g_autofree char *bbox_path = g_build_filename (tmp, "long.html", NULL);
    g_autofree char *cmd = g_strdup_printf ("pdftotext -bbox '%s' '%s'", pdf_path, bbox_path);
    g_autofree char *bbox = NULL;
    guint n_words = 0;

    g_assert_cmpint (system (cmd), ==, 0);
    g_assert_true (g_file_get_contents (bbox_path, &bbox, NULL, &error));
    g_assert_no_error (error);
    for (const char *w = strstr (bbox, "<word "); w != NULL; w = strstr (w + 1, "<word "))
      {
        const char *start = strchr (w, '>') + 1;
        const char *end = strstr (start, "</word>");
        g_autofree char *word = g_strndup (start, end - start);

        if (strchr (word, ' ') != NULL)
          g_error ("cut short: “%s”", word);
        n_words++;
      }
    g_assert_cmpuint (n_words, >, 5000);
  }
  for (guint i = 0; words[i] != NULL; i++)
    g_assert_nonnull (strstr (text, words[i]));
  g_assert_nonnull (strstr (text, "Контрольная"));
  {
    /* the amount whole, in smaller type (pdftotext spaces its letters out) */
    g_autoptr(GString) packed = g_string_new (NULL);

    for (const char *p = text; *p != '\0'; p++)
      if (*p != ' ')
        g_string_append_c (packed, *p);
    g_assert_nonnull (strstr (packed->str, "30.0%1234567890.12PLN"));
  }
  pages = g_strsplit (text, "\f", -1);
  g_assert_cmpuint (g_strv_length (pages), >, 3);
  for (guint i = 0; pages[i + 1] != NULL; i++)   /* the last part follows the last \f */
    {
      g_test_message ("page %u", i + 1);
      g_assert_nonnull (strstr (pages[i], "Кампания"));
      g_assert_nonnull (strstr (pages[i], "Контрольная"));
    }
  g_assert_cmpint (system (rm), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  dd_test_use_app_style ();
  g_test_add_func ("/dd/reports-view/figures", test_figures);
  g_test_add_func ("/dd/reports-view/empty", test_empty);
  g_test_add_func ("/dd/reports-view/polish", test_polish);
  g_test_add_func ("/dd/reports-view/pdf-long-text", test_pdf_long_text);
  return g_test_run ();
}
