/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-campaign-audience"

#include "config.h"

#include "dd-campaign-audience.h"
#include "dd-case-store.h"

#include <string.h>

void
dd_recipient_free (DdRecipient *recipient)
{
  if (recipient == NULL)
    return;
  g_free (recipient->e164);
  g_free (recipient->name);
  g_free (recipient->language);
  g_free (recipient->creditor);
  g_free (recipient->currency);
  g_free (recipient->invoice);
  g_free (recipient->due_on);
  g_free (recipient);
}

gboolean
dd_hlr_status_is_dead (const char *hlr_status)
{
  static const char * const dead[] = { "invalid", "unreachable", "absent", "dead", "unknown-subscriber" };

  for (guint i = 0; hlr_status != NULL && i < G_N_ELEMENTS (dead); i++)
    if (strcmp (hlr_status, dead[i]) == 0)
      return TRUE;
  return FALSE;
}

static const DdField invoice_fields[] = {
  DD_FIELD (DdRecipient, invoice, TEXT),
  DD_FIELD (DdRecipient, due_on, TEXT),
  DD_FIELD (DdRecipient, invoice_minor, INT64),
};
static const DdRowType invoice_row = DD_ROW_TYPE (DdRecipient, invoice_fields);

gboolean
dd_recipient_read_invoice (DdDatabase   *database,
                           DdRecipient  *recipient,
                           GError      **error)
{
  return dd_database_fetch_fields (database, &invoice_row, recipient, NULL, error,
                                   "SELECT invoice_no, due_on, amount_minor FROM liability"
                                   " WHERE case_id = ? AND paid_at IS NULL"
                                   " ORDER BY COALESCE(due_on, '9999'), id LIMIT 1",
                                   DD_INT (recipient->case_id), DD_END);
}

GPtrArray *
dd_campaign_audience_collect (DdDatabase         *database,
                              const DdCaseQuery  *query,
                              DdAudienceFlags     flags,
                              gboolean            recipients_wanted,
                              DdAudienceCounts   *out_counts,
                              GError            **error)
{
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_recipient_free);
  g_autoptr(GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) phones = dd_case_phones_new ();
  g_autoptr(DdCaseQuerySql) sql = NULL;
  g_autoptr(DdStatement) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  DdAudienceCounts counts = { 0 };

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  sql = dd_case_query_build (query,
                             "c.id, c.debtor_id, c.status, d.name, d.language, d.opt_out,"
                             " cr.name, c.balance_minor, c.currency",
                             FALSE);
  stmt = dd_case_query_sql_prepare (sql, database, error);
  if (stmt == NULL)
    return NULL;

  while (dd_statement_step (stmt, &local_error))
    {
      gint64 case_id = dd_statement_get_int64 (stmt, 0);
      gint64 debtor_id = dd_statement_get_int64 (stmt, 1);
      guint usable = 0, landlines = 0, duplicates = 0;

      counts.cases++;
      if (g_strcmp0 (dd_statement_get_text (stmt, 2), "closed") == 0)
        {
          counts.closed++;
          continue;
        }
      /* nothing owed (an export that no longer lists the invoices, or lists them with
       * nothing left to pay): no demand for 0,00 zł */
      if (dd_statement_get_int64 (stmt, 7) <= 0)
        {
          counts.paid++;
          continue;
        }
      if (dd_statement_get_int64 (stmt, 5) != 0)
        {
          counts.opted_out++;
          continue;
        }
      if (!dd_case_phones_read (database, debtor_id, phones, error))
        return NULL;

      for (guint i = 0; i < phones->len; i++)
        {
          const DdCasePhone *phone = g_ptr_array_index (phones, i);
          g_autoptr(DdRecipient) recipient = NULL;

          if (!phone->valid || dd_hlr_status_is_dead (phone->hlr_status))
            continue;
          if ((flags & DD_AUDIENCE_MOBILE_ONLY) && g_strcmp0 (phone->kind, "mobile") != 0 &&
              g_strcmp0 (phone->kind, "unknown") != 0)
            {
              landlines++;
              continue;
            }
          if (g_hash_table_contains (numbers, phone->e164))
            {
              duplicates++;
              continue;
            }
          g_hash_table_add (numbers, g_strdup (phone->e164));
          usable++;

          if (recipients_wanted)
            {
              recipient = g_new0 (DdRecipient, 1);
              recipient->case_id = case_id;
              recipient->debtor_id = debtor_id;
              recipient->phone_id = phone->id;
              recipient->e164 = g_strdup (phone->e164);
              recipient->name = g_strdup (dd_statement_get_text (stmt, 3));
              recipient->language = g_strdup (dd_statement_get_text (stmt, 4));
              recipient->creditor = g_strdup (dd_creditor_display_name (dd_statement_get_text (stmt,
                                                                                               6)));
              recipient->balance_minor = dd_statement_get_int64 (stmt, 7);
              recipient->currency = g_strdup (dd_statement_get_text (stmt, 8));
              if (!dd_recipient_read_invoice (database, recipient, error))
                return NULL;
              g_ptr_array_add (recipients, g_steal_pointer (&recipient));
            }
          if (!(flags & DD_AUDIENCE_ALL_PHONES))
            break;
        }

      counts.recipients += usable;
      if (usable == 0)
        {
          /* the one reason that best explains why this case gets nothing */
          if (phones->len == 0)
            counts.no_phone++;
          else if (duplicates > 0)
            counts.duplicate++;
          else if (landlines > 0)
            counts.not_mobile++;
          else
            counts.invalid++;
        }
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (out_counts != NULL)
    *out_counts = counts;
  return g_steal_pointer (&recipients);
}
