/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ladder-view"

#include "config.h"

#include "dd-ladder-view.h"
#include "dd-ladder-view-private.h"

#include "dd-background.h"
#include "dd-ladder-runner.h"
#include "dd-ladder-calls.h"

#include <glib/gi18n.h>
#include <inttypes.h>

/* At most this many cases are listed under each reason of exclusion. */
#define MAX_LISTED 50
/* The ladder runs by itself this long after start-up (the desk settles first), then the day
 * is looked at every CHECK_SECONDS. */
#define AUTO_DELAY_SECONDS 60
#define CHECK_SECONDS 600

/* tests: milliseconds instead of AUTO_DELAY_SECONDS (0: the default) */
static guint start_up_delay_ms;

struct _DdLadderView
{
  AdwBin           parent_instance;

  DdContext       *context;
  DdLadderRunner  *runner;
  GCancellable    *cancellable;
  GCancellable    *run_cancellable;
  char            *locale;        /* of the SMS for debtors without a language */
  DdLadderDayPlan *plan;
  GHashTable      *names;        /* case id → "Name — invoice" of the listed exclusions */
  char            *day;
  char            *today;        /* tests; NULL: the clock's */
  char            *summary;
  DdLadderRunResult last_run;
  guint            auto_id;

  /* template children */
  GtkMenuButton   *date_button;
  GtkCalendar     *calendar;
  GtkLabel        *summary_label;
  GtkLabel        *last_run_label;
  GtkButton       *letters_button;
  GtkWidget       *letters_error_box;
  GtkLabel        *letters_error_label;
  GtkWidget       *letters_error_button;
  char            *letters_day;     /* the day of the letters the button opens */
  GtkButton       *run_button;
  GtkListBox      *steps_list;
  GtkListBox      *excluded_list;
  GtkListBox      *policy_list;
  GtkButton       *save_policy_button;
  GtkLabel        *policy_error_label;
  GArray          *step_editors;   /* StepEditor, one per step of the office's ladder */
};

G_DEFINE_FINAL_TYPE (DdLadderView, dd_ladder_view, ADW_TYPE_BIN)

enum
{
  PLAN_SHOWN,
  LADDER_RAN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
today_text (DdLadderView *self)
{
  g_autoptr(GDateTime) now = NULL;

  if (self->today != NULL)
    return g_strdup (self->today);
  now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%d");
}

/* "3 days after the due date", "on the due date", "3 days before the due date" */
static char *
describe_day (gint offset)
{
  if (offset == 0)
    return g_strdup (_("On the due date"));
  if (offset > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day after the due date",
                                         "%d days after the due date", offset), offset);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day before the due date",
                                       "%d days before the due date", -offset), -offset);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_placeholder_row (GtkListBox *list,
                     const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list, row);
}

/* One editable step of the office's ladder. */
typedef struct
{
  DdLadderChannel  channel;
  GtkSpinButton   *day;
  GtkEditable     *text;     /* the SMS or task text, or the voice step's call flow */
} StepEditor;

static void
on_policy_edited (DdLadderView *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_policy_button), TRUE);
}

static void
show_policy (DdLadderView *self)
{
  const DdLadderPolicy *office = NULL;

  clear_list (self->policy_list);
  g_array_set_size (self->step_editors, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_policy_button), FALSE);
  if (self->plan == NULL)
    return;
  for (guint i = 0; i < self->plan->policies->len; i++)
    {
      const DdLadderPolicy *p = g_ptr_array_index (self->plan->policies, i);

      if (p->creditor_id == 0)
        office = p;
    }
  if (office == NULL)
    return;
  for (guint i = 0; i < dd_ladder_policy_get_n_steps (office); i++)
    {
      const DdLadderStep *step = dd_ladder_policy_get_step (office, i);
      g_autofree char *when = describe_day (step->offset_days);
      GtkWidget *row = adw_expander_row_new ();
      GtkWidget *day_row = adw_action_row_new ();
      GtkWidget *spin = gtk_spin_button_new_with_range (-365, 3650, 1);
      GtkWidget *text_row = adw_entry_row_new ();
      const char *what = step->channel == DD_LADDER_VOICE ? step->flow : step->text;
      StepEditor editor = { step->channel, GTK_SPIN_BUTTON (spin), GTK_EDITABLE (text_row) };

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     dd_ladder_channel_to_label (step->channel));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), when);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (day_row),
                                     _("Days after the due date (negative: before)"));
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), step->offset_days);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (day_row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (day_row), spin);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), day_row);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (text_row),
                                     step->channel == DD_LADDER_VOICE
                                     ? _("Call flow")
                                     : step->channel == DD_LADDER_SMS
                                     ? _("Message (empty: the default one)")
                                     : _("Task text (empty: the default one)"));
      gtk_editable_set_text (GTK_EDITABLE (text_row), what != NULL ? what : "");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), text_row);

      g_signal_connect_object (spin, "value-changed", G_CALLBACK (on_policy_edited), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (text_row, "changed", G_CALLBACK (on_policy_edited), self,
                               G_CONNECT_SWAPPED);
      g_array_append_val (self->step_editors, editor);
      gtk_list_box_append (self->policy_list, row);
    }
}

/* The office's ladder as edited: validated, saved, planned again. */
gboolean
_dd_ladder_view_save_policy (DdLadderView  *self,
                             GError       **error)
{
  g_autoptr(DdLadderPolicy) policy = dd_ladder_policy_new (_("Default ladder"));

  for (guint i = 0; i < self->step_editors->len; i++)
    {
      const StepEditor *e = &g_array_index (self->step_editors, StepEditor, i);
      const char *text = gtk_editable_get_text (e->text);

      dd_ladder_policy_add_step (policy, gtk_spin_button_get_value_as_int (e->day), e->channel,
                                 e->channel == DD_LADDER_VOICE ? NULL : text,
                                 e->channel == DD_LADDER_VOICE ? text : NULL);
    }
  if (!dd_ladder_store_save_policy (dd_ladder_runner_get_store (self->runner), policy, error))
    return FALSE;
  dd_ladder_view_reload (self);
  return TRUE;
}

static void
on_save_policy_clicked (DdLadderView *self)
{
  g_autoptr(GError) error = NULL;

  if (_dd_ladder_view_save_policy (self, &error))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->policy_error_label), FALSE);
      return;
    }
  gtk_label_set_label (self->policy_error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->policy_error_label), TRUE);
}

static void
show_plan (DdLadderView *self)
{
  const DdLadderPlan *plan = self->plan->plan;
  guint n_cases = 0;

  for (guint i = 0; i < plan->items->len; i++)
    n_cases += g_array_index (plan->items, DdLadderPlanItem, i).n_cases;
  g_free (self->summary);
  if (plan->items->len == 0)
    self->summary = g_strdup (_("Nothing is due on this day."));
  else
    /* Translators: the ladder's plan of a day: contacts and tasks, then cases */
    self->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%1$u contact or task covering %2$u cases",
                                                  "%1$u contacts and tasks covering %2$u cases",
                                                  plan->items->len),
                                     plan->items->len, n_cases);
  gtk_label_set_label (self->summary_label, self->summary);

  clear_list (self->steps_list);
  for (guint i = 0; i < plan->steps->len; i++)
    {
      const DdLadderStepCount *s = &g_array_index (plan->steps, DdLadderStepCount, i);
      g_autofree char *when = describe_day (s->offset_days);
      g_autofree char *debtors = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u debtor",
                                                               "%u debtors", s->n_items),
                                                  s->n_items);
      g_autofree char *cases = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case",
                                                             "%u cases", s->n_cases),
                                                s->n_cases);
      /* Translators: debtors, then cases, of one step of the plan */
      g_autofree char *counts = g_strdup_printf (_("%1$s · %2$s"), debtors, cases);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label = gtk_label_new (counts);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     dd_ladder_channel_to_label (s->channel));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      gtk_list_box_append (self->steps_list, row);
    }
  if (plan->steps->len == 0)
    add_placeholder_row (self->steps_list, _("No contacts or tasks on this day"));

  clear_list (self->excluded_list);
  for (guint r = 0; r < DD_LADDER_EXCLUDED_N_REASONS; r++)
    {
      g_autofree char *count = NULL;
      GtkWidget *expander;
      guint listed = 0;

      if (plan->n_excluded[r] == 0)
        continue;
      expander = adw_expander_row_new ();
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case", "%u cases",
                                            plan->n_excluded[r]), plan->n_excluded[r]);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander),
                                     dd_ladder_exclusion_to_label (r));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), count);
      for (guint i = 0; i < plan->excluded->len && listed < MAX_LISTED; i++)
        {
          const DdLadderExcludedCase *x = &g_array_index (plan->excluded, DdLadderExcludedCase, i);
          const char *name;
          g_autofree char *fallback = NULL;
          GtkWidget *row;

          if (x->reason != r)
            continue;
          name = self->names != NULL ? g_hash_table_lookup (self->names, &x->case_id) : NULL;
          if (name == NULL)
            name = fallback = g_strdup_printf (_("Case %" PRId64), x->case_id);
          row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
          if (x->until_day != 0)
            {
              g_autofree char *until = dd_ladder_day_to_iso (x->until_day);
              /* Translators: an excluded case is held until this day (YYYY-MM-DD) */
              g_autofree char *text = g_strdup_printf (_("Until %s"), until);

              adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
            }
          else
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                         dd_ladder_channel_to_label (x->channel));
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
          listed++;
        }
      gtk_list_box_append (self->excluded_list, expander);
    }
  if (plan->excluded->len == 0)
    add_placeholder_row (self->excluded_list, _("Nobody is excluded on this day"));

  show_policy (self);
}

static void show_letters (DdLadderView *self,
                          const char   *day);

static void
show_last_run (DdLadderView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *last = dd_ladder_store_get_last_day (dd_ladder_runner_get_store (self->runner),
                                                        &error);
  g_autofree char *text = NULL;

  if (last == NULL)
    text = g_strdup (_("The ladder has not run yet."));
  else
    /* Translators: the day (YYYY-MM-DD) the ladder's steps were last carried out */
    text = g_strdup_printf (_("Last run: %s"), last);
  gtk_label_set_label (self->last_run_label, text);
  show_letters (self, last);
}

typedef struct
{
  DdLadderDayPlan *plan;
  GHashTable      *names;
} PlanResult;

static void
plan_result_free (PlanResult *result)
{
  g_clear_pointer (&result->plan, dd_ladder_day_plan_free);
  g_clear_pointer (&result->names, g_hash_table_unref);
  g_free (result);
}

static guint grace_days (DdLadderView *self);

/* What the plan and the run of a day hand their worker thread: its own connection and how the
 * ladder runner is set up (the rest of a run's job follows it). */
typedef struct
{
  DdDatabase      *database;     /* the worker's own connection */
  DdContactPolicy *policy;
  guint            grace_days;
  char            *day;
} LadderJob;

/* Takes @day; FALSE (@error set) when the worker's connection cannot be opened. */
static gboolean
ladder_job_init (LadderJob     *job,
                 DdLadderView  *self,
                 char          *day,
                 GError       **error)
{
  job->day = day;
  job->database = dd_database_open_another (dd_context_get_database (self->context), error);
  if (job->database == NULL)
    return FALSE;
  job->policy = dd_context_get_contact_policy (self->context);   /* a new one */
  job->grace_days = grace_days (self);
  return TRUE;
}

static void
ladder_job_clear (LadderJob *job)
{
  g_clear_object (&job->database);
  g_clear_pointer (&job->policy, dd_contact_policy_free);
  g_clear_pointer (&job->day, g_free);
}

/* In the worker: the ladder runner over the job's connection, policy and grace days. */
static DdLadderRunner *
ladder_job_new_runner (const LadderJob *job)
{
  DdLadderRunner *runner = dd_ladder_runner_new (job->database);

  dd_ladder_runner_set_contact_policy (runner, job->policy);
  dd_ladder_runner_set_grace_days (runner, job->grace_days);
  return runner;
}

static void
plan_job_free (LadderJob *job)
{
  ladder_job_clear (job);
  g_free (job);
}

static void
plan_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LadderJob *job = task_data;
  g_autoptr(DdLadderRunner) runner = ladder_job_new_runner (job);
  g_autoptr(GArray) listed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  guint per_reason[DD_LADDER_EXCLUDED_N_REASONS] = { 0 };
  PlanResult *result = g_new0 (PlanResult, 1);

  result->plan = dd_ladder_runner_plan (runner, job->day, 0, &error);
  if (result->plan == NULL)
    {
      plan_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < result->plan->plan->excluded->len; i++)
    {
      const DdLadderExcludedCase *x = &g_array_index (result->plan->plan->excluded,
                                                      DdLadderExcludedCase, i);

      if (per_reason[x->reason]++ < MAX_LISTED)
        g_array_append_val (listed, x->case_id);
    }
  result->names = dd_ladder_store_describe_cases (dd_ladder_runner_get_store (runner),
                                                  (const gint64 *) (gpointer) listed->data,
                                                  listed->len, NULL);
  g_task_return_pointer (task, result, (GDestroyNotify) plan_result_free);
}

static void
on_plan_done (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  DdLadderView *self = user_data;   /* not held: disposing it cancels the task */
  g_autoptr(GError) error = NULL;
  PlanResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_free (self->summary);
          self->summary = g_strdup (error->message);
          gtk_label_set_label (self->summary_label, self->summary);
        }
      return;
    }
  g_clear_pointer (&self->plan, dd_ladder_day_plan_free);
  g_clear_pointer (&self->names, g_hash_table_unref);
  self->plan = g_steal_pointer (&result->plan);
  self->names = g_steal_pointer (&result->names);
  plan_result_free (result);
  show_plan (self);
  show_last_run (self);
  g_signal_emit (self, signals[PLAN_SHOWN], 0);
}

static guint
grace_days (DdLadderView *self)
{
  GSettings *settings = dd_context_get_settings (self->context);

  return settings != NULL ? g_settings_get_uint (settings, "payment-grace-days") : 3;
}

void
dd_ladder_view_reload (DdLadderView *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  LadderJob *job;

  g_return_if_fail (DD_IS_LADDER_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  job = g_new0 (LadderJob, 1);
  if (!ladder_job_init (job, self, g_strdup (self->day), &error))
    {
      plan_job_free (job);
      gtk_label_set_label (self->summary_label, error->message);
      return;
    }
  gtk_label_set_label (self->summary_label, _("Planning…"));

  task = g_task_new (NULL, self->cancellable, on_plan_done, self);
  g_task_set_source_tag (task, dd_ladder_view_reload);
  g_task_set_task_data (task, job, (GDestroyNotify) plan_job_free);
  g_task_run_in_thread (task, plan_in_thread);
}

static void
update_date_button (DdLadderView *self)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *iso = g_strconcat (self->day, "T12:00:00Z", NULL);
  g_autofree char *label = NULL;

  date = g_date_time_new_from_iso8601 (iso, NULL);
  if (date == NULL)
    return;
  /* Translators: the day planned, as in "Plan for Tuesday, 08.12.2026" (strftime format) */
  label = g_date_time_format (date, _("%A, %x"));
  gtk_menu_button_set_label (self->date_button, label);
}

const char *
dd_ladder_view_get_day (DdLadderView *self)
{
  g_return_val_if_fail (DD_IS_LADDER_VIEW (self), NULL);
  return self->day;
}

void
dd_ladder_view_set_day (DdLadderView *self,
                        const char   *day)
{
  g_return_if_fail (DD_IS_LADDER_VIEW (self));

  if (dd_ladder_day_from_iso (day) == 0)
    return;
  g_free (self->day);
  self->day = g_strdup (day);
  update_date_button (self);
  dd_ladder_view_reload (self);
}

static void
on_calendar_day_selected (DdLadderView *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (self->calendar);
  g_autofree char *day = g_date_time_format (date, "%Y-%m-%d");

  gtk_menu_button_popdown (self->date_button);
  dd_ladder_view_set_day (self, day);
}

typedef struct
{
  LadderJob          ladder;
  char              *locale;
  gint64             now;
  char              *letters_folder;
  char              *office[4];    /* name, address, tax id, bank account */
  char              *signature;
  guint              letter_days;
  DdLadderRunResult  result;
} RunJob;

static void
run_job_free (RunJob *job)
{
  ladder_job_clear (&job->ladder);
  g_free (job->locale);
  g_free (job->letters_folder);
  for (guint i = 0; i < G_N_ELEMENTS (job->office); i++)
    g_free (job->office[i]);
  g_free (job->signature);
  g_free (job);
}

/* Where the ladder's demand letters go: a folder per day in the app's data. */
static char *
letters_folder (void)
{
  return g_build_filename (g_get_user_data_dir (), "dunning-desk", "letters", NULL);
}

/* The day's letters to print, when the ladder wrote any. */
static char *
letters_pdf (const char *day)
{
  g_autofree char *folder = letters_folder ();
  g_autofree char *name = g_strdup_printf ("letters-%s.pdf", day);

  return g_build_filename (folder, day, name, NULL);
}

/* The button that opens the letters of @day (the last run's), when it wrote any. */
static void
show_letters (DdLadderView *self,
              const char   *day)
{
  g_autofree char *path = day != NULL ? letters_pdf (day) : NULL;
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS) ||
      !dd_database_fetch_int64 (dd_context_get_database (self->context), &n, NULL, &error,
                                "SELECT COUNT(DISTINCT pdf_path) FROM letter"
                                " WHERE letter_date = ?", DD_TEXT (day), DD_END) ||
      n == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->letters_button), FALSE);
      return;
    }
  {
    /* Translators: a button on the ladder page; %u demand letters of the shown day */
    g_autofree char *label = g_strdup_printf (ngettext ("%u Demand Letter to Print",
                                                        "%u Demand Letters to Print", (guint) n),
                                              (guint) n);

    gtk_button_set_label (self->letters_button, label);
  }
  g_free (self->letters_day);
  self->letters_day = g_strdup (day);
  gtk_widget_set_visible (GTK_WIDGET (self->letters_button), TRUE);
}

/* The last run's demand letters that could not be made, and why (they are made at the next
 * run); with the way to Preferences when the office has no name yet. */
static void
show_letters_error (DdLadderView *self)
{
  g_autofree char *text = NULL;

  if (self->last_run.letters_error[0] == '\0')
    {
      gtk_widget_set_visible (self->letters_error_box, FALSE);
      return;
    }
  /* Translators: on the ladder page after a run; %s says why, e.g. "The letters need the
   * office’s name and address: enter them in Preferences › General › Office" */
  text = g_strdup_printf (_("The demand letters were not made (they will be at the next run): "
                            "%s"), self->last_run.letters_error);
  gtk_label_set_label (self->letters_error_label, text);
  gtk_widget_set_visible (self->letters_error_button, self->last_run.letters_need_office);
  gtk_widget_set_visible (self->letters_error_box, TRUE);
}

static void
on_letters_clicked (DdLadderView *self)
{
  g_autofree char *path = letters_pdf (self->letters_day);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (uri != NULL)
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

/* A big office's first run claims and carries out many steps: not on the main thread. The
 * SMS are queued in the outbox; the window's sending is woken when the run is done. */
static void
run_in_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunJob *job = task_data;
  g_autoptr(DdLadderRunner) runner = ladder_job_new_runner (&job->ladder);
  g_autoptr(DdLadderCalls) voice = dd_ladder_calls_new ();
  GError *error = NULL;

  /* voice steps become calls of the day's ladder voice campaign, which the office's voice
   * runner calls */
  dd_ladder_runner_set_executor (runner, DD_LADDER_EXECUTOR (voice));
  dd_ladder_runner_set_locale (runner, job->locale);
  {
    DdLetterOffice office = { job->office[0], job->office[1], job->office[2], job->office[3] };

    dd_ladder_runner_set_letters (runner, job->letters_folder, &office, job->letter_days,
                                  job->signature);
  }
  if (dd_ladder_runner_run (runner, job->ladder.day, job->now, &job->result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  DdLadderView *self = user_data;   /* not held: disposing it cancels the task */
  g_autoptr(GError) error = NULL;
  RunJob *job = g_task_get_task_data (G_TASK (res));

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("The ladder could not run: %s", error->message);
      gtk_label_set_label (self->last_run_label, error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), TRUE);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), TRUE);
  self->last_run = job->result;
  show_letters_error (self);
  if (job->result.done[DD_LADDER_SMS] + job->result.resumed > 0)
    dd_sending_wake (dd_context_get_sending (self->context));
  dd_context_campaigns_changed (self->context);
  dd_context_cases_changed (self->context);
  dd_ladder_view_reload (self);
  g_signal_emit (self, signals[LADDER_RAN], 0);
}

/* The date picker, made when it is first opened (a calendar is costly to build at start-up). */
static void
create_calendar (GtkMenuButton *button,
                 gpointer       user_data)
{
  DdLadderView *self = user_data;
  g_autofree char *iso = g_strconcat (self->day, "T12:00:00Z", NULL);
  g_autoptr(GDateTime) shown = g_date_time_new_from_iso8601 (iso, NULL);
  GtkWidget *popover;

  if (gtk_menu_button_get_popover (button) != NULL)
    {
      if (shown != NULL)
        gtk_calendar_select_day (self->calendar, shown);
      return;
    }
  popover = gtk_popover_new ();
  self->calendar = GTK_CALENDAR (gtk_calendar_new ());
  if (shown != NULL)
    gtk_calendar_select_day (self->calendar, shown);
  g_signal_connect_object (self->calendar, "day-selected", G_CALLBACK (on_calendar_day_selected),
                           self, G_CONNECT_SWAPPED);
  gtk_popover_set_child (GTK_POPOVER (popover), GTK_WIDGET (self->calendar));
  gtk_menu_button_set_popover (button, popover);
}

static void
run_today (DdLadderView *self,
           gboolean      by_itself)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *today = today_text (self);
  RunJob *job;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->run_button)))
    return;   /* a run is on its way */
  if (by_itself && !dd_ladder_runner_is_due (self->runner, today, NULL))
    return;

  job = g_new0 (RunJob, 1);
  if (!ladder_job_init (&job->ladder, self, g_steal_pointer (&today), &error))
    {
      run_job_free (job);
      gtk_label_set_label (self->last_run_label, error->message);
      return;
    }
  job->locale = g_strdup (self->locale);
  job->now = self->today != NULL ? 0 : g_get_real_time () / G_USEC_PER_SEC;
  job->letters_folder = letters_folder ();
  job->letter_days = 7;
  {
    GSettings *settings = dd_context_get_settings (self->context);
    static const char * const keys[] = { "office-name", "office-address", "office-tax-id",
                                         "office-bank-account" };

    for (guint i = 0; settings != NULL && i < G_N_ELEMENTS (keys); i++)
      job->office[i] = g_settings_get_string (settings, keys[i]);
    if (settings != NULL)
      {
        job->signature = g_settings_get_string (settings, "letter-signature");
        job->letter_days = g_settings_get_uint (settings, "letter-deadline-days");
      }
  }

  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), FALSE);
  gtk_label_set_label (self->last_run_label, _("Running today's steps…"));
  if (self->run_cancellable == NULL)
    self->run_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->run_cancellable, on_run_done, self);
  g_task_set_source_tag (task, run_today);
  g_task_set_task_data (task, job, (GDestroyNotify) run_job_free);
  g_task_run_in_thread (task, run_in_thread);
}

void
dd_ladder_view_run_today (DdLadderView *self)
{
  g_return_if_fail (DD_IS_LADDER_VIEW (self));
  run_today (self, FALSE);
}

static void
on_run_clicked (DdLadderView *self)
{
  dd_ladder_view_run_today (self);
}

static void
on_background_answered (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  DdBackgroundAnswer answer = dd_background_request_finish (result);

  g_debug ("Background portal, autostart for the ladder: %d", answer);
}

/* every CHECK_SECONDS: a new day runs once */
static gboolean
on_daily_check (gpointer user_data)
{
  run_today (DD_LADDER_VIEW (user_data), TRUE);
  return G_SOURCE_CONTINUE;
}

/* AUTO_DELAY_SECONDS after start-up: the days missed while the app was closed are caught up
 * (the latest step due of each case), and the desktop is asked to start the app at login */
static gboolean
on_start_up_check (gpointer user_data)
{
  DdLadderView *self = DD_LADDER_VIEW (user_data);
  static gboolean asked;

  self->auto_id = g_timeout_add_seconds (CHECK_SECONDS, on_daily_check, self);
  if (!asked)
    {
      const char *const argv[] = { "dunning-desk", NULL };

      asked = TRUE;
      dd_background_request_autostart_async (_("Dunning Desk carries out the escalation "
                                               "ladder's steps once a day."),
                                             argv, NULL, on_background_answered, NULL);
    }
  run_today (self, TRUE);
  return G_SOURCE_REMOVE;
}

void
_dd_ladder_view_set_start_up_delay (guint milliseconds)
{
  start_up_delay_ms = milliseconds;
}

void
_dd_ladder_view_set_today (DdLadderView *self,
                           const char   *today)
{
  g_free (self->today);
  self->today = g_strdup (today);
}

const DdLadderPlan *
_dd_ladder_view_get_plan (DdLadderView *self)
{
  return self->plan != NULL ? self->plan->plan : NULL;
}

const DdLadderRunResult *
_dd_ladder_view_get_last_run (DdLadderView *self)
{
  return &self->last_run;
}

const char *
_dd_ladder_view_get_summary (DdLadderView *self)
{
  return self->summary;
}

static void
dd_ladder_view_constructed (GObject *object)
{
  DdLadderView *self = DD_LADDER_VIEW (object);
  GSettings *settings = dd_context_get_settings (self->context);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *country = settings != NULL ? g_settings_get_string (settings,
                                                                       "default-country")
                                              : g_strdup ("PL");

  G_OBJECT_CLASS (dd_ladder_view_parent_class)->constructed (object);

  self->runner = dd_ladder_runner_new (dd_context_get_database (self->context));
  dd_ladder_runner_set_sending (self->runner, dd_context_get_sending (self->context));
  {
    g_autoptr(DdContactPolicy) policy = dd_context_get_contact_policy (self->context);

    dd_ladder_runner_set_contact_policy (self->runner, policy);
  }
  dd_ladder_runner_set_grace_days (self->runner, grace_days (self));
  self->locale = g_strdup (g_strcmp0 (country, "RU") == 0 ? "ru"
                          : g_strcmp0 (country, "PL") == 0 ? "pl" : "en");
  dd_ladder_runner_set_locale (self->runner, self->locale);

  self->day = g_date_time_format (tomorrow, "%Y-%m-%d");
  gtk_menu_button_set_create_popup_func (self->date_button, create_calendar, self, NULL);
  update_date_button (self);
  show_last_run (self);
  /* planned when first shown: a big office's plan takes a second or two, not at start-up */

  /* the ladder runs by itself in the office's app, not where there are no settings (tests) */
  if (settings != NULL && g_settings_get_boolean (settings, "ladder-automatic"))
    {
      if (start_up_delay_ms > 0)
        self->auto_id = g_timeout_add (start_up_delay_ms, on_start_up_check, self);
      else
        self->auto_id = g_timeout_add_seconds (AUTO_DELAY_SECONDS, on_start_up_check, self);
    }
}

static void
dd_ladder_view_map (GtkWidget *widget)
{
  DdLadderView *self = DD_LADDER_VIEW (widget);

  GTK_WIDGET_CLASS (dd_ladder_view_parent_class)->map (widget);
  if (self->plan == NULL && self->cancellable == NULL)
    dd_ladder_view_reload (self);
}

static void
dd_ladder_view_dispose (GObject *object)
{
  DdLadderView *self = DD_LADDER_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  g_clear_handle_id (&self->auto_id, g_source_remove);
  g_clear_object (&self->runner);
  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_LADDER_VIEW);
  G_OBJECT_CLASS (dd_ladder_view_parent_class)->dispose (object);
}

static void
dd_ladder_view_finalize (GObject *object)
{
  DdLadderView *self = DD_LADDER_VIEW (object);

  g_clear_pointer (&self->plan, dd_ladder_day_plan_free);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_free (self->day);
  g_free (self->letters_day);
  g_free (self->today);
  g_free (self->summary);
  g_free (self->locale);
  g_array_unref (self->step_editors);
  G_OBJECT_CLASS (dd_ladder_view_parent_class)->finalize (object);
}

static void
dd_ladder_view_class_init (DdLadderViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dd_ladder_view_constructed;
  object_class->dispose = dd_ladder_view_dispose;
  object_class->finalize = dd_ladder_view_finalize;
  widget_class->map = dd_ladder_view_map;

  dd_context_install_property (object_class, G_STRUCT_OFFSET (DdLadderView, context), 0);

  signals[PLAN_SHOWN] = g_signal_new ("plan-shown", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[LADDER_RAN] = g_signal_new ("ladder-ran", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-ladder-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DdLadderView, date_button);
  gtk_widget_class_bind_template_child (widget_class, DdLadderView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DdLadderView, last_run_label);
  gtk_widget_class_bind_template_child (widget_class, DdLadderView, letters_button);
  gtk_widget_class_bind_template_child (widget_class, DdLadderView, letters_error_box);
  gtk_widget_class_bind_template_child (widget_class, DdLadderView, letters_error_label);
  gtk_widget_class_bind_template_child (widget_class, DdLadderView, letters_error_button);
  gtk_widget_class_bind_template_callback (widget_class, on_letters_clicked);
  gtk_widget_class_bind_template_child (widget_class, DdLadderView, run_button);
  gtk_widget_class_bind_template_child (widget_class, DdLadderView, steps_list);
  gtk_widget_class_bind_template_child (widget_class, DdLadderView, excluded_list);
  gtk_widget_class_bind_template_child (widget_class, DdLadderView, policy_list);
  gtk_widget_class_bind_template_child (widget_class, DdLadderView, save_policy_button);
  gtk_widget_class_bind_template_child (widget_class, DdLadderView, policy_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_run_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_policy_clicked);
}

static void
dd_ladder_view_init (DdLadderView *self)
{
  self->step_editors = g_array_new (FALSE, TRUE, sizeof (StepEditor));
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dd_ladder_view_new (DdContext *context)
{
  return g_object_new (DD_TYPE_LADDER_VIEW, "context", context, NULL);
}
