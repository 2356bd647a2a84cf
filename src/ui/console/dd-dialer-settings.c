/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-dialer-settings"

#include "config.h"

#include "dd-dialer-settings.h"

#include "dd-dialer-sim.h"
#include "dd-inline-error.h"

#include <glib/gi18n.h>

/* Runs of the simulator averaged per result */
#define SIM_SEEDS 4

struct _DdDialerSettings
{
  AdwPreferencesWindow  parent_instance;

  DdContext            *context;
  gboolean              loading;
  char                 *result;

  AdwComboRow          *mode_row;
  GtkSpinButton        *cap_spin;
  AdwComboRow          *window_row;
  GtkSpinButton        *wrap_up_spin;
  AdwComboRow          *machines_row;
  AdwEntryRow          *phone_row;
  GtkSpinButton        *consultants_spin;
  GtkSpinButton        *answer_rate_spin;
  GtkSpinButton        *level_spin;
  AdwActionRow         *result_row;
  AdwActionRow         *auto_row;
};

G_DEFINE_FINAL_TYPE (DdDialerSettings, dd_dialer_settings, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const mode_values[] = { "auto", "preview", "progressive", "predictive" };
/* the machines row's items, in order */
static const char * const machine_values[] = { "connect", "hang-up", "leave-message" };

static double
cap_of (DdDialerSettings *self)
{
  return gtk_spin_button_get_value (self->cap_spin) / 100.0;
}

static void
run (const DdDialerSimConfig *base,
     DdDialerSimResult       *mean)
{
  memset (mean, 0, sizeof *mean);
  for (guint32 seed = 1; seed <= SIM_SEEDS; seed++)
    {
      DdDialerSimConfig config = *base;
      DdDialerSimResult r;

      config.seed = seed;
      dd_dialer_sim_run (&config, &r);
      mean->answered += r.answered;
      mean->abandoned += r.abandoned;
      mean->idle_share += r.idle_share / SIM_SEEDS;
      mean->calls_per_hour += r.calls_per_hour / SIM_SEEDS;
      mean->mean_level += r.mean_level / SIM_SEEDS;
    }
  mean->abandon_rate = mean->answered > 0 ? (double) mean->abandoned / mean->answered : 0.0;
}

static char *
describe (const DdDialerSimResult *r)
{
  /* Translators: the simulator's result: abandoned calls, consultants' waiting, calls rung */
  return g_strdup_printf (_("%.1f %% of answered calls abandoned · consultants waiting %.0f %% "
                            "of the time · %.0f calls an hour"),
                          100 * r->abandon_rate, 100 * r->idle_share, r->calls_per_hour);
}

static void
on_simulate (DdDialerSettings *self)
{
  DdDialerSimConfig config = { 0 };
  DdDialerSimResult fixed, own;
  g_autofree char *own_text = NULL;
  g_autofree char *own_subtitle = NULL;

  config.n_debtors = 1000;
  config.n_consultants = (guint) gtk_spin_button_get_value_as_int (self->consultants_spin);
  config.answer_rate = gtk_spin_button_get_value (self->answer_rate_spin) / 100.0;
  config.cap = cap_of (self);
  config.mode = DD_DIAL_MODE_PREDICTIVE;
  config.fixed_level = gtk_spin_button_get_value (self->level_spin);
  run (&config, &fixed);
  g_free (self->result);
  self->result = describe (&fixed);
  adw_action_row_set_subtitle (self->result_row, self->result);
  dd_mark_wrong (GTK_WIDGET (self->result_row), fixed.abandon_rate > config.cap);

  config.fixed_level = 0;
  run (&config, &own);
  own_text = describe (&own);
  /* Translators: %.2f is a dial level, %s the simulator's result */
  own_subtitle = g_strdup_printf (_("Predictive, level %.2f on average: %s"), own.mean_level,
                                  own_text);
  adw_action_row_set_subtitle (self->auto_row, own_subtitle);
}

static void
on_setting_changed (DdDialerSettings *self)
{
  GSettings *settings = self->context != NULL ? dd_context_get_settings (self->context) : NULL;
  guint mode = adw_combo_row_get_selected (self->mode_row);

  if (!self->loading && settings != NULL)
    {
      g_settings_set_string (settings, "dialer-mode",
                             mode_values[MIN (mode, G_N_ELEMENTS (mode_values) - 1)]);
      g_settings_set_double (settings, "dialer-abandon-cap", cap_of (self));
      g_settings_set_string (settings, "dialer-abandon-window",
                             adw_combo_row_get_selected (self->window_row) == 1 ? "24-hours"
                                                                                 : "30-days");
      g_settings_set_uint (settings, "wrap-up-seconds",
                           (guint) gtk_spin_button_get_value_as_int (self->wrap_up_spin));
      g_settings_set_string (settings, "dialer-machines",
                             machine_values[MIN (adw_combo_row_get_selected (self->machines_row),
                                                 G_N_ELEMENTS (machine_values) - 1)]);
      g_settings_set_string (settings, "office-phone",
                             gtk_editable_get_text (GTK_EDITABLE (self->phone_row)));
    }
  on_simulate (self);
}

static void
load (DdDialerSettings *self)
{
  GSettings *settings = dd_context_get_settings (self->context);
  DdDatabase *db = dd_context_get_database (self->context);
  g_autofree char *mode = NULL;
  g_autofree char *window = NULL;
  g_autofree char *phone = NULL;
  gint64 ended = 0, answered = 0;

  self->loading = TRUE;
  if (settings != NULL)
    {
      mode = g_settings_get_string (settings, "dialer-mode");
      for (guint i = 0; i < G_N_ELEMENTS (mode_values); i++)
        if (g_strcmp0 (mode, mode_values[i]) == 0)
          adw_combo_row_set_selected (self->mode_row, i);
      gtk_spin_button_set_value (self->cap_spin,
                                 100 * g_settings_get_double (settings, "dialer-abandon-cap"));
      window = g_settings_get_string (settings, "dialer-abandon-window");
      adw_combo_row_set_selected (self->window_row, g_strcmp0 (window, "24-hours") == 0 ? 1 : 0);
      gtk_spin_button_set_value (self->wrap_up_spin,
                                 g_settings_get_uint (settings, "wrap-up-seconds"));
      {
        g_autofree char *machines = g_settings_get_string (settings, "dialer-machines");

        for (guint i = 0; i < G_N_ELEMENTS (machine_values); i++)
          if (g_strcmp0 (machines, machine_values[i]) == 0)
            adw_combo_row_set_selected (self->machines_row, i);
      }
      phone = g_settings_get_string (settings, "office-phone");
      gtk_editable_set_text (GTK_EDITABLE (self->phone_row), phone);
    }
  /* The answer rate of the calls made so far (30 % until there are a hundred) */
  if (dd_database_fetch_int64 (db, &ended, NULL, NULL,
                               "SELECT COUNT(*) FROM call_attempt WHERE ended_at IS NOT NULL",
                               DD_END)
      && ended >= 100
      && dd_database_fetch_int64 (db, &answered, NULL, NULL,
                                  "SELECT COUNT(*) FROM call_attempt WHERE answered_at IS NOT NULL",
                                  DD_END))
    gtk_spin_button_set_value (self->answer_rate_spin, MAX (5.0, 100.0 * answered / ended));
  self->loading = FALSE;
}

static void
dd_dialer_settings_dispose (GObject *object)
{
  DdDialerSettings *self = DD_DIALER_SETTINGS (object);

  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_DIALER_SETTINGS);

  G_OBJECT_CLASS (dd_dialer_settings_parent_class)->dispose (object);
}

static void
dd_dialer_settings_finalize (GObject *object)
{
  DdDialerSettings *self = DD_DIALER_SETTINGS (object);

  g_free (self->result);

  G_OBJECT_CLASS (dd_dialer_settings_parent_class)->finalize (object);
}

static void
dd_dialer_settings_class_init (DdDialerSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dd_dialer_settings_dispose;
  object_class->finalize = dd_dialer_settings_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-dialer-settings.ui");
  gtk_widget_class_bind_template_child (widget_class, DdDialerSettings, mode_row);
  gtk_widget_class_bind_template_child (widget_class, DdDialerSettings, cap_spin);
  gtk_widget_class_bind_template_child (widget_class, DdDialerSettings, window_row);
  gtk_widget_class_bind_template_child (widget_class, DdDialerSettings, wrap_up_spin);
  gtk_widget_class_bind_template_child (widget_class, DdDialerSettings, machines_row);
  gtk_widget_class_bind_template_child (widget_class, DdDialerSettings, phone_row);
  gtk_widget_class_bind_template_child (widget_class, DdDialerSettings, consultants_spin);
  gtk_widget_class_bind_template_child (widget_class, DdDialerSettings, answer_rate_spin);
  gtk_widget_class_bind_template_child (widget_class, DdDialerSettings, level_spin);
  gtk_widget_class_bind_template_child (widget_class, DdDialerSettings, result_row);
  gtk_widget_class_bind_template_child (widget_class, DdDialerSettings, auto_row);
  gtk_widget_class_bind_template_callback (widget_class, on_simulate);
  gtk_widget_class_bind_template_callback (widget_class, on_setting_changed);
}

static void
dd_dialer_settings_init (DdDialerSettings *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;
}

GtkWidget *
dd_dialer_settings_new (DdContext *context)
{
  DdDialerSettings *self;

  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  self = g_object_new (DD_TYPE_DIALER_SETTINGS, NULL);
  self->context = g_object_ref (context);
  load (self);
  on_simulate (self);
  return GTK_WIDGET (self);
}

void
dd_dialer_settings_simulate (DdDialerSettings *self,
                             guint             consultants,
                             double            answer_rate_percent,
                             double            level)
{
  g_return_if_fail (DD_IS_DIALER_SETTINGS (self));

  self->loading = TRUE;
  gtk_spin_button_set_value (self->consultants_spin, consultants);
  gtk_spin_button_set_value (self->answer_rate_spin, answer_rate_percent);
  gtk_spin_button_set_value (self->level_spin, level);
  self->loading = FALSE;
  on_simulate (self);
}

const char *
dd_dialer_settings_get_result (DdDialerSettings *self)
{
  g_return_val_if_fail (DD_IS_DIALER_SETTINGS (self), NULL);

  return self->result;
}
