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

/* Each property is read-only and shows one member. */
typedef struct
{
  const char *name;
  GType       type;    /* G_TYPE_INT64, G_TYPE_STRING or G_TYPE_BOOLEAN */
  gsize       offset;
} RowProperty;

#define ROW_PROPERTY(prop, name, TYPE, member) \
  [prop] = { name, G_TYPE_##TYPE, G_STRUCT_OFFSET (DdCaseRow, member) }

static const RowProperty row_properties[N_PROPS] = {
  ROW_PROPERTY (PROP_ID, "id", INT64, id),
  ROW_PROPERTY (PROP_DEBTOR_ID, "debtor-id", INT64, debtor_id),
  ROW_PROPERTY (PROP_DEBTOR_NAME, "debtor-name", STRING, debtor_name),
  ROW_PROPERTY (PROP_CREDITOR_ID, "creditor-id", INT64, creditor_id),
  ROW_PROPERTY (PROP_CREDITOR_NAME, "creditor-name", STRING, creditor_name),
  ROW_PROPERTY (PROP_BALANCE_MINOR, "balance-minor", INT64, balance_minor),
  ROW_PROPERTY (PROP_CURRENCY, "currency", STRING, currency),
  ROW_PROPERTY (PROP_OLDEST_DUE_ON, "oldest-due-on", STRING, oldest_due_on),
  ROW_PROPERTY (PROP_STATUS, "status", STRING, status),
  ROW_PROPERTY (PROP_NEXT_CONTACT_AT, "next-contact-at", STRING, next_contact_at),
  ROW_PROPERTY (PROP_LAST_ACTIVITY_AT, "last-activity-at", STRING, last_activity_at),
  ROW_PROPERTY (PROP_AGENT_ID, "agent-id", INT64, agent_id),
  ROW_PROPERTY (PROP_AGENT_NAME, "agent-name", STRING, agent_name),
  ROW_PROPERTY (PROP_LOADED, "loaded", BOOLEAN, loaded),
};

static void
dd_case_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  const RowProperty *property = prop_id > PROP_0 && prop_id < N_PROPS
                                ? &row_properties[prop_id] : NULL;
  gconstpointer member = property != NULL ? G_STRUCT_MEMBER_P (object, property->offset) : NULL;

  if (property == NULL)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (property->type == G_TYPE_INT64)
    g_value_set_int64 (value, *(const gint64 *) member);
  else if (property->type == G_TYPE_STRING)
    g_value_set_string (value, *(char * const *) member);
  else
    g_value_set_boolean (value, *(const gboolean *) member);
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

  for (guint i = PROP_0 + 1; i < N_PROPS; i++)
    {
      const RowProperty *property = &row_properties[i];
      GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

      if (property->type == G_TYPE_INT64)
        properties[i] = g_param_spec_int64 (property->name, NULL, NULL, G_MININT64, G_MAXINT64,
                                            0, flags);
      else if (property->type == G_TYPE_STRING)
        properties[i] = g_param_spec_string (property->name, NULL, NULL, NULL, flags);
      else
        properties[i] = g_param_spec_boolean (property->name, NULL, NULL, FALSE, flags);
    }
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

/* The getters of the members, each a property's value without a GValue. */
#define ROW_GETTER(Type, member, fallback) \
  Type \
  dd_case_row_get_##member (DdCaseRow *self) \
  { \
    g_return_val_if_fail (DD_IS_CASE_ROW (self), fallback); \
    return self->member; \
  }

ROW_GETTER (gint64, id, 0)
ROW_GETTER (gint64, debtor_id, 0)
ROW_GETTER (const char *, debtor_name, NULL)
ROW_GETTER (gint64, creditor_id, 0)
ROW_GETTER (const char *, creditor_name, NULL)
ROW_GETTER (gint64, balance_minor, 0)
ROW_GETTER (const char *, currency, NULL)
ROW_GETTER (const char *, oldest_due_on, NULL)
ROW_GETTER (const char *, status, NULL)
ROW_GETTER (const char *, next_contact_at, NULL)
ROW_GETTER (const char *, last_activity_at, NULL)
ROW_GETTER (gint64, agent_id, 0)
ROW_GETTER (const char *, agent_name, NULL)
ROW_GETTER (gboolean, loaded, FALSE)

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
