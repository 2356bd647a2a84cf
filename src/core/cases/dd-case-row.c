/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-case-row"

#include "config.h"

#include "dd-case-row.h"
#include "dd-case-store.h"
#include "dd-case-row-private.h"
#include "dd-dates.h"

struct _DdCaseRow
{
  GObject   parent_instance;

  gint64    id;
  gint64    debtor_id;
  char     *debtor_name;
  gint64    creditor_id;
  char     *creditor_name;
  gint64    balance_minor;
  char     *currency;
  char     *oldest_due_on;
  char     *status;
  char     *next_contact_at;
  char     *last_activity_at;
  gint64    agent_id;
  char     *agent_name;
  gboolean  loaded;
};

G_DEFINE_FINAL_TYPE (DdCaseRow, dd_case_row, G_TYPE_OBJECT)

/* The columns of the list's page query; the creditor's name (4) is shown translated. */
static const DdField row_fields[] = {
  DD_FIELD (DdCaseRow, id, INT64),
  DD_FIELD (DdCaseRow, debtor_id, INT64),
  DD_FIELD (DdCaseRow, debtor_name, TEXT),
  DD_FIELD (DdCaseRow, creditor_id, INT64),
  DD_FIELD_SKIPPED,
  DD_FIELD (DdCaseRow, balance_minor, INT64),
  DD_FIELD (DdCaseRow, currency, TEXT),
  DD_FIELD (DdCaseRow, oldest_due_on, TEXT),
  DD_FIELD (DdCaseRow, status, TEXT),
  DD_FIELD (DdCaseRow, next_contact_at, TEXT),
  DD_FIELD (DdCaseRow, last_activity_at, TEXT),
  DD_FIELD (DdCaseRow, agent_id, INT64),
  DD_FIELD (DdCaseRow, agent_name, TEXT),
};
static const DdRowType row_type = DD_ROW_TYPE (DdCaseRow, row_fields);

enum {
  PROP_0,
  PROP_ID,
  PROP_DEBTOR_ID,
  PROP_DEBTOR_NAME,
  PROP_CREDITOR_ID,
  PROP_CREDITOR_NAME,
  PROP_BALANCE_MINOR,
  PROP_CURRENCY,
  PROP_OLDEST_DUE_ON,
  PROP_STATUS,
  PROP_NEXT_CONTACT_AT,
  PROP_LAST_ACTIVITY_AT,
  PROP_AGENT_ID,
  PROP_AGENT_NAME,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dd_case_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DdCaseRow *self = DD_CASE_ROW (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_DEBTOR_ID:
      g_value_set_int64 (value, self->debtor_id);
      break;
    case PROP_DEBTOR_NAME:
      g_value_set_string (value, self->debtor_name);
      break;
    case PROP_CREDITOR_ID:
      g_value_set_int64 (value, self->creditor_id);
      break;
    case PROP_CREDITOR_NAME:
      g_value_set_string (value, self->creditor_name);
      break;
    case PROP_BALANCE_MINOR:
      g_value_set_int64 (value, self->balance_minor);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_OLDEST_DUE_ON:
      g_value_set_string (value, self->oldest_due_on);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_NEXT_CONTACT_AT:
      g_value_set_string (value, self->next_contact_at);
      break;
    case PROP_LAST_ACTIVITY_AT:
      g_value_set_string (value, self->last_activity_at);
      break;
    case PROP_AGENT_ID:
      g_value_set_int64 (value, self->agent_id);
      break;
    case PROP_AGENT_NAME:
      g_value_set_string (value, self->agent_name);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_case_row_finalize (GObject *object)
{
  DdCaseRow *self = DD_CASE_ROW (object);

  dd_row_clear (&row_type, self);
  g_free (self->creditor_name);

  G_OBJECT_CLASS (dd_case_row_parent_class)->finalize (object);
}

static void
dd_case_row_class_init (DdCaseRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dd_case_row_get_property;
  object_class->finalize = dd_case_row_finalize;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEBTOR_ID] =
    g_param_spec_int64 ("debtor-id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEBTOR_NAME] =
    g_param_spec_string ("debtor-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREDITOR_ID] =
    g_param_spec_int64 ("creditor-id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREDITOR_NAME] =
    g_param_spec_string ("creditor-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BALANCE_MINOR] =
    g_param_spec_int64 ("balance-minor", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OLDEST_DUE_ON] =
    g_param_spec_string ("oldest-due-on", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_CONTACT_AT] =
    g_param_spec_string ("next-contact-at", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ACTIVITY_AT] =
    g_param_spec_string ("last-activity-at", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AGENT_ID] =
    g_param_spec_int64 ("agent-id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AGENT_NAME] =
    g_param_spec_string ("agent-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dd_case_row_init (DdCaseRow *self)
{
}

DdCaseRow *
_dd_case_row_new_from_statement (DdStatement *stmt)
{
  DdCaseRow *self = g_object_new (DD_TYPE_CASE_ROW, NULL);

  dd_statement_read_fields (stmt, &row_type, self);
  self->creditor_name = g_strdup (dd_creditor_display_name (dd_statement_get_text (stmt, 4)));
  self->loaded = TRUE;
  return self;
}

DdCaseRow *
_dd_case_row_new_placeholder (gint64 id)
{
  DdCaseRow *self = g_object_new (DD_TYPE_CASE_ROW, NULL);

  self->id = id;
  return self;
}

gint64
dd_case_row_get_id (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), 0);

  return self->id;
}

gint64
dd_case_row_get_debtor_id (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), 0);

  return self->debtor_id;
}

const char *
dd_case_row_get_debtor_name (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), NULL);

  return self->debtor_name;
}

gint64
dd_case_row_get_creditor_id (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), 0);

  return self->creditor_id;
}

const char *
dd_case_row_get_creditor_name (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), NULL);

  return self->creditor_name;
}

gint64
dd_case_row_get_balance_minor (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), 0);

  return self->balance_minor;
}

const char *
dd_case_row_get_currency (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), NULL);

  return self->currency;
}

const char *
dd_case_row_get_oldest_due_on (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), NULL);

  return self->oldest_due_on;
}

guint
dd_case_row_get_days_overdue (DdCaseRow  *self,
                              const char *today)
{
  GDate due;
  GDate now;

  g_return_val_if_fail (DD_IS_CASE_ROW (self), 0);

  if (self->oldest_due_on == NULL || !dd_date_from_iso (self->oldest_due_on, &due))
    return 0;
  if (today == NULL || !dd_date_from_iso (today, &now))
    {
      g_autoptr(GDateTime) local = g_date_time_new_now_local ();

      g_date_clear (&now, 1);
      g_date_set_dmy (&now, g_date_time_get_day_of_month (local),
                      g_date_time_get_month (local), g_date_time_get_year (local));
    }
  return (guint) MAX (g_date_days_between (&due, &now), 0);
}

const char *
dd_case_row_get_status (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), NULL);

  return self->status;
}

const char *
dd_case_row_get_next_contact_at (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), NULL);

  return self->next_contact_at;
}

const char *
dd_case_row_get_last_activity_at (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), NULL);

  return self->last_activity_at;
}

gint64
dd_case_row_get_agent_id (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), 0);

  return self->agent_id;
}

const char *
dd_case_row_get_agent_name (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), NULL);

  return self->agent_name;
}

gboolean
dd_case_row_get_loaded (DdCaseRow *self)
{
  g_return_val_if_fail (DD_IS_CASE_ROW (self), FALSE);

  return self->loaded;
}
