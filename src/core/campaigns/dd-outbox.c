/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-outbox"

#include "config.h"

#include "dd-outbox.h"

#include "dd-case-store.h"
#include "dd-claim.h"
#include "dd-json.h"
#include "dd-text-scan.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <string.h>

struct _DdOutbox
{
  DdStore      parent_instance;

  DdCaseStore *cases;
};

G_DEFINE_TYPE (DdOutbox, dd_outbox, DD_TYPE_STORE)

G_DEFINE_QUARK (dd-outbox-error-quark, dd_outbox_error)

static const char * const state_names[] = {
  "queued", "sending", "sent", "delivered", "failed", "expired", "cancelled",
};

G_STATIC_ASSERT (G_N_ELEMENTS (state_names) == DD_MESSAGE_N_STATES);

DD_DEFINE_ENUM_NAMES (DdMessageState, dd_message_state, state_names)

#define MESSAGE_COLUMNS \
  "id, COALESCE(campaign_id, 0), COALESCE(case_id, 0), idempotency_key, e164, sender, body," \
  " provider, provider_id, attempts, parts"

static const DdField message_fields[] = {
  DD_FIELD (DdOutboxMessage, id, INT64),
  DD_FIELD (DdOutboxMessage, campaign_id, INT64),
  DD_FIELD (DdOutboxMessage, case_id, INT64),
  DD_FIELD (DdOutboxMessage, idempotency_key, TEXT),
  DD_FIELD (DdOutboxMessage, e164, TEXT),
  DD_FIELD (DdOutboxMessage, sender, TEXT),
  DD_FIELD (DdOutboxMessage, body, TEXT),
  DD_FIELD (DdOutboxMessage, provider, TEXT),
  DD_FIELD (DdOutboxMessage, provider_id, TEXT),
  DD_FIELD (DdOutboxMessage, attempts, UINT),
  DD_FIELD (DdOutboxMessage, parts, UINT),
};
static const DdRowType message_row = DD_ROW_TYPE (DdOutboxMessage, message_fields);

DD_DEFINE_ROW_FREE_FUNC (DdOutboxMessage, dd_outbox_message_free, message_row)

static GPtrArray *
new_message_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) dd_outbox_message_free);
}

/* Helpers */

/* Where a message stands: "SELECT id, COALESCE(case_id, 0), state, e164"; the first two
 * columns alone make a MessageRef. */
typedef struct
{
  gint64  id;
  gint64  case_id;
  char   *state;
  char   *e164;
} MessageInfo;

static const DdField message_info_fields[] = {
  DD_FIELD (MessageInfo, id, INT64),
  DD_FIELD (MessageInfo, case_id, INT64),
  DD_FIELD (MessageInfo, state, TEXT),
  DD_FIELD (MessageInfo, e164, TEXT),
};
static const DdRowType message_info_row = DD_ROW_TYPE (MessageInfo, message_info_fields);
static const DdRowType message_ref_row = { sizeof (MessageInfo), message_info_fields, 2 };

DD_DEFINE_ROW_AUTO_CLEAR (MessageInfo, message_info_row)

/* The message's case, state and provider (for the timeline); FALSE + NOT_FOUND if none. */
static gboolean
message_info (DdOutbox        *self,
              gint64           message_id,
              gint64          *out_case_id,
              DdMessageState  *out_state,
              char           **out_e164,
              GError         **error)
{
  g_auto(MessageInfo) info = { 0, };
  gboolean found;

  if (!dd_database_fetch_fields (dd_store_db (self), &message_info_row, &info, &found, error,
                                 "SELECT id, COALESCE(case_id, 0), state, e164 FROM message"
                                 " WHERE id = ?",
                                 DD_INT (message_id), DD_END))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DD_OUTBOX_ERROR, DD_OUTBOX_ERROR_NOT_FOUND,
                   _("There is no message %" PRId64 " in the outbox."), message_id);
      return FALSE;
    }
  *out_case_id = info.case_id;
  if (!dd_message_state_from_string (info.state, out_state))
    *out_state = DD_MESSAGE_QUEUED;
  if (out_e164 != NULL)
    *out_e164 = g_steal_pointer (&info.e164);
  return TRUE;
}

static gboolean
expect_state (DdMessageState   state,
              DdMessageState   expected,
              gint64           message_id,
              GError         **error)
{
  if (state == expected)
    return TRUE;
  g_set_error (error, DD_OUTBOX_ERROR, DD_OUTBOX_ERROR_STATE,
               "message %" G_GINT64_FORMAT " is %s, not %s", message_id,
               state_names[state], state_names[expected]);
  return FALSE;
}

/* Opens the transaction of a change to a message the dispatcher holds (state sending), giving
 * its case and (optionally) number; on failure no transaction is left open. */
static gboolean
begin_sending_change (DdOutbox   *self,
                      gint64      message_id,
                      gint64     *out_case_id,
                      char      **out_e164,
                      GError    **error)
{
  DdMessageState state;

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  if (message_info (self, message_id, out_case_id, &state, out_e164, error) &&
      expect_state (state, DD_MESSAGE_SENDING, message_id, error))
    return TRUE;
  dd_database_rollback (dd_store_db (self), NULL);
  return FALSE;
}

/* Gives (optionally) how many messages the last statement changed; TRUE. */
static gboolean
count_changes (DdOutbox *self,
               guint    *out_changed)
{
  if (out_changed != NULL)
    *out_changed = (guint) dd_database_changes (dd_store_db (self));
  return TRUE;
}

/* An "sms" activity for the case's timeline: @body is what the consultant reads. */
static gboolean
timeline (DdOutbox    *self,
          gint64       case_id,
          gint64       message_id,
          const char  *state,
          const char  *body,
          const char  *error_code,
          GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *refs = NULL;

  if (case_id == 0)
    return TRUE;
  json_builder_begin_object (builder);
  dd_json_add_int (builder, "message_id", message_id);
  dd_json_add_string (builder, "state", state);
  if (error_code != NULL)
    dd_json_add_string (builder, "error_code", error_code);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  refs = json_to_string (root, FALSE);
  return dd_case_store_add_activity (self->cases, case_id, "sms", "sms", body, refs, 0, error);
}

/* GObject */

static void
dd_outbox_finalize (GObject *object)
{
  DdOutbox *self = DD_OUTBOX (object);

  g_clear_object (&self->cases);

  G_OBJECT_CLASS (dd_outbox_parent_class)->finalize (object);
}

static void
dd_outbox_class_init (DdOutboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dd_outbox_finalize;
}

static void
dd_outbox_init (DdOutbox *self)
{
}

DdOutbox *
dd_outbox_new (DdDatabase *database)
{
  DdOutbox *self;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  self = dd_store_new (DD_TYPE_OUTBOX, database);
  self->cases = dd_case_store_new (database);
  return self;
}

/* Whether @campaign_id already holds a message for @item's phone (or, without one, for its
 * case and number). */
static gboolean
campaign_has_message (DdOutbox           *self,
                      gint64              campaign_id,
                      const DdOutboxNew  *item,
                      gboolean           *out_found,
                      GError            **error)
{
  if (item->phone_id != 0)
    return dd_database_exists (dd_store_db (self), out_found, error,
                               "SELECT 1 FROM message WHERE campaign_id = ? AND phone_id = ?",
                               DD_INT (campaign_id), DD_INT (item->phone_id), DD_END);
  return dd_database_exists (dd_store_db (self), out_found, error,
                             "SELECT 1 FROM message WHERE campaign_id = ?"
                             " AND COALESCE(case_id, 0) = ? AND e164 = ? AND phone_id IS NULL",
                             DD_INT (campaign_id), DD_INT (item->case_id), DD_TEXT (item->e164),
                             DD_END);
}

/* Public API */

char *
dd_outbox_get_office_id (DdOutbox  *self,
                         GError   **error)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (DD_IS_OUTBOX (self), NULL);

  if (!dd_database_fetch_text (dd_store_db (self), &id, error, "SELECT id FROM office LIMIT 1",
                               DD_END))
    return NULL;
  if (id == NULL || *id == '\0')
    {
      g_set_error_literal (error, DD_OUTBOX_ERROR, DD_OUTBOX_ERROR_NOT_FOUND,
                           _("The office database has no office id; it may be damaged."));
      return NULL;
    }
  return g_steal_pointer (&id);
}

gboolean
dd_outbox_enqueue (DdOutbox           *self,
                   gint64              campaign_id,
                   const char         *sender,
                   const DdOutboxNew  *items,
                   guint               n_items,
                   guint              *out_added,
                   GError            **error)
{
  g_autofree char *now = dd_timestamp_now ();
  g_autofree char *office = NULL;
  gboolean ok = TRUE;
  guint added = 0;

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  office = dd_outbox_get_office_id (self, error);
  ok = office != NULL;
  for (guint i = 0; ok && i < n_items; i++)
    {
      const DdOutboxNew *item = &items[i];
      g_autofree char *key = NULL;

      if (item->idempotency_key != NULL)
        key = g_strdup (item->idempotency_key);
      else
        {
          gboolean queued = FALSE;

          /* prepared again (after a crash): this campaign has its message for this phone */
          if (campaign_id != 0 &&
              !campaign_has_message (self, campaign_id, item, &queued, error))
            {
              ok = FALSE;
              break;
            }
          if (queued)
            continue;
          /* unique per office and per message: the office's random id, the campaign, and a
           * random part (a database restored from a backup reuses campaign ids) */
          key = g_strdup_printf ("dd-%s-c%" G_GINT64_FORMAT "-%08x%08x", office, campaign_id,
                                 g_random_int (), g_random_int ());
        }

      ok = dd_database_execute (dd_store_db (self), error,
                                "INSERT INTO message (campaign_id, case_id, phone_id, e164,"
                                " idempotency_key, sender, body, encoding, parts, not_before,"
                                " created_at, updated_at)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                " ON CONFLICT (idempotency_key) DO NOTHING",
                                DD_INT_IF (campaign_id != 0, campaign_id),
                                DD_INT_IF (item->case_id != 0, item->case_id),
                                DD_INT_IF (item->phone_id != 0, item->phone_id),
                                DD_TEXT (item->e164), DD_TEXT (key), DD_TEXT (sender),
                                DD_TEXT (item->body), DD_TEXT (item->encoding),
                                DD_INT (MAX (item->parts, 1)), DD_TEXT (item->not_before),
                                DD_TEXT (now), DD_TEXT (now), DD_END);
      if (ok)
        added += (guint) dd_database_changes (dd_store_db (self));
    }
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return FALSE;
  if (out_added != NULL)
    *out_added = added;
  return TRUE;
}

GPtrArray *
dd_outbox_claim (DdOutbox    *self,
                 gint64       campaign_id,
                 const char  *now,
                 guint        limit,
                 GError     **error)
{
  g_autoptr(GPtrArray) messages = new_message_array ();
  gboolean ok;

  g_return_val_if_fail (DD_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (!dd_database_begin (dd_store_db (self), error))
    return NULL;
  ok = dd_database_fetch_all (dd_store_db (self), messages, dd_statement_read_row, &message_row,
                              error,
                              "SELECT " MESSAGE_COLUMNS " FROM message m"
                              " WHERE state = 'queued' AND (not_before IS NULL OR not_before <= ?)"
                              " AND (? = 0 OR campaign_id = ?)"
                              " AND (campaign_id IS NULL OR EXISTS (SELECT 1 FROM campaign c"
                              "      WHERE c.id = m.campaign_id AND c.state = 'running'))"
                              /* NULLs first, as the index message_due (state, not_before)
                               * holds them: no sort of the whole queue per claim */
                              " ORDER BY not_before, id LIMIT ?" DD_SQL_CLAIM ("m"),
                              DD_TEXT (now), DD_INT (campaign_id), DD_INT (campaign_id),
                              DD_INT (limit), DD_END);
  for (guint i = 0; ok && i < messages->len;)
    {
      DdOutboxMessage *message = g_ptr_array_index (messages, i);

      /* not sent to a debtor whose case was closed, paid or who opted out since the campaign
       * was prepared (what the audience checks then): a message that waited for an
       * unreachable provider, for a back-off, for sending hours */
      if (message->case_id != 0)
        {
          ok = dd_database_execute (dd_store_db (self), error,
                                    "UPDATE message SET state = 'cancelled', error_code = ?,"
                                    " updated_at = ? WHERE id = ? AND state = 'queued'"
                                    " AND EXISTS (SELECT 1 FROM debt_case c"
                                    "  JOIN debtor d ON d.id = c.debtor_id WHERE c.id = ?"
                                    "  AND (c.status = 'closed' OR c.balance_minor <= 0"
                                    "       OR d.opt_out <> 0))",
                                    DD_TEXT ("case-settled"), DD_TEXT (now),
                                    DD_INT (message->id), DD_INT (message->case_id), DD_END);
          if (ok && dd_database_changes (dd_store_db (self)) > 0)
            {
              g_ptr_array_remove_index (messages, i);
              continue;
            }
          if (!ok)
            break;
        }

      /* held by this desk (schema 25): no other desk settles it while this one is alive */
      ok = dd_database_execute (dd_store_db (self), error,
                                "UPDATE message SET state = 'sending', attempts = attempts + 1,"
                                " updated_at = ?, claimed_by = ?, heartbeat_at = ?"
                                " WHERE id = ? AND state = 'queued'",
                                DD_TEXT (now), DD_TEXT (dd_claim_owner ()), DD_TEXT (now),
                                DD_INT (message->id), DD_END);
      /* another desk took it first: it is not this one's to send */
      if (ok && dd_database_changes (dd_store_db (self)) == 0)
        {
          g_ptr_array_remove_index (messages, i);
          continue;
        }
      message->attempts++;
      i++;
    }
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return NULL;
  return g_steal_pointer (&messages);
}

gboolean
dd_outbox_mark_sent (DdOutbox            *self,
                     gint64               message_id,
                     const DdOutboxSent  *sent,
                     GError             **error)
{
  g_autofree char *now = dd_timestamp_now ();
  g_autofree char *e164 = NULL;
  g_autofree char *body = NULL;
  gint64 case_id = 0;
  gboolean ok;

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  if (!begin_sending_change (self, message_id, &case_id, &e164, error))
    return FALSE;
  ok = dd_database_execute (dd_store_db (self), error,
                            "UPDATE message SET state = 'sent', provider = ?, provider_id = ?,"
                            " parts = CASE WHEN ? > 0 THEN ? ELSE parts END,"
                            " cost_minor = CASE WHEN ? >= 0 THEN ? ELSE cost_minor END,"
                            " cost_currency = COALESCE(?, cost_currency),"
                            " error_code = NULL, error = NULL, sent_at = ?, updated_at = ?"
                            " WHERE id = ?",
                            DD_TEXT (sent->provider), DD_TEXT (sent->provider_id),
                            DD_INT (sent->parts), DD_INT (sent->parts), DD_INT (sent->cost_minor),
                            DD_INT (sent->cost_minor), DD_TEXT (sent->cost_currency),
                            DD_TEXT (now), DD_TEXT (now),
                            DD_INT (message_id), DD_END);
  if (ok && case_id != 0)
    {
      /* Translators: case timeline; %s is the phone number */
      body = g_strdup_printf (_("SMS sent to %s"), e164);
      ok = timeline (self, case_id, message_id, "sent", body, NULL, error);
    }
  return dd_database_finish (dd_store_db (self), ok, error);
}

/* Puts a message the dispatcher holds back in the queue: after an attempt that counts (a retry
 * at @not_before), or as if it had not been tried (the provider refused the request itself). */
static gboolean
requeue (DdOutbox    *self,
         gint64       message_id,
         gboolean     counted,
         const char  *not_before,
         const char  *error_code,
         const char  *error_text,
         GError     **error)
{
  g_autofree char *now = dd_timestamp_now ();
  gint64 case_id = 0;
  gboolean ok;

  if (!begin_sending_change (self, message_id, &case_id, NULL, error))
    return FALSE;
  ok = dd_database_execute (dd_store_db (self), error,
                            "UPDATE message SET state = 'queued',"
                            " not_before = CASE WHEN ? <> 0 THEN ? ELSE not_before END,"
                            " attempts = attempts - ?, error_code = ?, error = ?,"
                            " updated_at = ? WHERE id = ?",
                            DD_INT (counted), DD_TEXT (not_before), DD_INT (!counted),
                            DD_TEXT (error_code), DD_TEXT (error_text), DD_TEXT (now),
                            DD_INT (message_id), DD_END);
  return dd_database_finish (dd_store_db (self), ok, error);
}

gboolean
dd_outbox_mark_retry (DdOutbox    *self,
                      gint64       message_id,
                      const char  *not_before,
                      const char  *error_code,
                      const char  *error_text,
                      GError     **error)
{
  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  return requeue (self, message_id, TRUE, not_before, error_code, error_text, error);
}

gboolean
dd_outbox_mark_waiting (DdOutbox    *self,
                        gint64       message_id,
                        const char  *not_before,
                        const char  *error_text,
                        GError     **error)
{
  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  return requeue (self, message_id, TRUE, not_before, DD_OUTBOX_WAITING, error_text, error);
}

gboolean
dd_outbox_release_waiting (DdOutbox    *self,
                           gint64       campaign_id,
                           guint       *out_released,
                           GError     **error)
{
  g_autofree char *now = dd_timestamp_now ();

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  if (!dd_database_execute (dd_store_db (self), error,
                            "UPDATE message SET not_before = NULL, updated_at = ?"
                            " WHERE state = 'queued' AND error_code = ?"
                            " AND (? = 0 OR campaign_id = ?)",
                            DD_TEXT (now), DD_TEXT (DD_OUTBOX_WAITING), DD_INT (campaign_id),
                            DD_INT (campaign_id), DD_END))
    return FALSE;
  if (out_released != NULL)
    *out_released = (guint) dd_database_changes (dd_store_db (self));
  return TRUE;
}

/* The error codes of passing errors (dd_sms_gateway_error_is_retryable()), as stored */
#define PASSING_CODES "('timeout', 'server', 'rate-limited', 'network', 'malformed-response')"

gboolean
dd_outbox_send_failed_again (DdOutbox    *self,
                             gint64       campaign_id,
                             guint       *out_requeued,
                             GError     **error)
{
  g_autofree char *now = dd_timestamp_now ();
  guint requeued = 0;
  gboolean ok;

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = dd_database_execute (dd_store_db (self), error,
                            "UPDATE message SET state = 'queued', error_code = ?,"
                            " not_before = NULL, updated_at = ?"
                            " WHERE campaign_id = ? AND state = 'failed' AND provider_id IS NULL"
                            " AND sent_at IS NULL AND error_code IN " PASSING_CODES,
                            DD_TEXT (DD_OUTBOX_WAITING), DD_TEXT (now), DD_INT (campaign_id),
                            DD_END);
  if (ok)
    requeued = (guint) dd_database_changes (dd_store_db (self));
  /* a campaign that looked complete has something to send again */
  if (ok && requeued > 0)
    ok = dd_database_execute (dd_store_db (self), error,
                              "UPDATE campaign SET state = 'running', state_reason = ?,"
                              " finished_at = NULL, updated_at = ?"
                              " WHERE id = ? AND state = 'completed'",
                              DD_TEXT ("sent-again"), DD_TEXT (now), DD_INT (campaign_id),
                              DD_END);
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return FALSE;
  if (out_requeued != NULL)
    *out_requeued = requeued;
  return TRUE;
}

gboolean
dd_outbox_put_back (DdOutbox    *self,
                    gint64       message_id,
                    const char  *error_code,
                    const char  *error_text,
                    GError     **error)
{
  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  return requeue (self, message_id, FALSE, NULL, error_code, error_text, error);
}

gboolean
dd_outbox_last_error (DdOutbox    *self,
                      gint64       campaign_id,
                      const char  *error_code,
                      char       **out_text,
                      GError     **error)
{
  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (out_text != NULL, FALSE);

  return dd_database_fetch_text (dd_store_db (self), out_text, error,
                                 "SELECT error FROM message WHERE campaign_id = ?"
                                 " AND error_code = ? AND error IS NOT NULL"
                                 " ORDER BY updated_at DESC, id DESC LIMIT 1",
                                 DD_INT (campaign_id), DD_TEXT (error_code), DD_END);
}

static gboolean
set_final (DdOutbox        *self,
           gint64           message_id,
           DdMessageState   state,
           const char      *at,
           const char      *error_code,
           const char      *error_text,
           GError         **error)
{
  g_autofree char *now = dd_timestamp_now ();

  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE message SET state = ?,"
                              " delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at"
                              " END, error_code = COALESCE(?, error_code),"
                              " error = COALESCE(?, error), status_checked_at = ?, updated_at = ?"
                              " WHERE id = ?",
                              DD_TEXT (state_names[state]), DD_TEXT (state_names[state]),
                              DD_TEXT (at != NULL ? at : now), DD_TEXT (error_code),
                              DD_TEXT (error_text), DD_TEXT (now), DD_TEXT (now),
                              DD_INT (message_id), DD_END);
}

gboolean
dd_outbox_mark_failed (DdOutbox    *self,
                       gint64       message_id,
                       const char  *error_code,
                       const char  *error_text,
                       GError     **error)
{
  g_autofree char *e164 = NULL;
  g_autofree char *body = NULL;
  gint64 case_id = 0;
  gboolean ok;

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  if (!begin_sending_change (self, message_id, &case_id, &e164, error))
    return FALSE;
  ok = set_final (self, message_id, DD_MESSAGE_FAILED, NULL, error_code, error_text, error);
  if (ok && case_id != 0)
    {
      /* Translators: case timeline; the first %s is the phone number, the second the reason */
      body = g_strdup_printf (_("SMS to %s not sent: %s"), e164,
                              error_text != NULL ? error_text : error_code);
      ok = timeline (self, case_id, message_id, "failed", body, error_code, error);
    }
  return dd_database_finish (dd_store_db (self), ok, error);
}

gboolean
dd_outbox_mark_report (DdOutbox              *self,
                       const DdOutboxReport  *report,
                       gboolean              *out_changed,
                       GError               **error)
{
  g_autofree char *now = dd_timestamp_now ();
  g_autofree char *body = NULL;
  g_auto(MessageInfo) info = { 0, };
  DdMessageState current = DD_MESSAGE_QUEUED;
  gboolean ok;

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (report->state == DD_MESSAGE_SENT || report->state == DD_MESSAGE_DELIVERED
                        || report->state == DD_MESSAGE_FAILED
                        || report->state == DD_MESSAGE_EXPIRED, FALSE);

  if (out_changed != NULL)
    *out_changed = FALSE;
  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = dd_database_fetch_fields (dd_store_db (self), &message_info_row, &info, NULL, error,
                                 "SELECT id, COALESCE(case_id, 0), state, e164 FROM message"
                                 " WHERE provider = ? AND provider_id = ?",
                                 DD_TEXT (report->provider), DD_TEXT (report->provider_id), DD_END);
  if (ok && info.id == 0)
    {
      g_set_error (error, DD_OUTBOX_ERROR, DD_OUTBOX_ERROR_NOT_FOUND,
                   _("No message known to %s as “%s”."), report->provider, report->provider_id);
      ok = FALSE;
    }
  if (ok)
    dd_message_state_from_string (info.state, &current);
  if (!ok || current != DD_MESSAGE_SENT)
    /* already final: a repeated report changes nothing */
    return dd_database_finish (dd_store_db (self), ok, error);

  if (report->state == DD_MESSAGE_SENT)
    {
      ok = dd_database_execute (dd_store_db (self), error,
                                "UPDATE message SET status_checked_at = ? WHERE id = ?",
                                DD_TEXT (now), DD_INT (info.id), DD_END);
      return dd_database_finish (dd_store_db (self), ok, error);
    }

  ok = set_final (self, info.id, report->state, report->at, report->error_code, NULL, error);
  if (ok && info.case_id != 0)
    {
      switch (report->state)
        {
        case DD_MESSAGE_DELIVERED:
          /* Translators: case timeline; %s is the phone number */
          body = g_strdup_printf (_("SMS delivered to %s"), info.e164);
          break;
        case DD_MESSAGE_EXPIRED:
          /* Translators: case timeline; %s is the phone number */
          body = g_strdup_printf (_("SMS to %s expired undelivered"), info.e164);
          break;
        default:
          /* Translators: case timeline; %s is the phone number */
          body = g_strdup_printf (_("SMS to %s could not be delivered"), info.e164);
          break;
        }
      ok = timeline (self, info.case_id, info.id, state_names[report->state], body,
                     report->error_code, error);
    }
  if (ok && out_changed != NULL)
    *out_changed = TRUE;
  return dd_database_finish (dd_store_db (self), ok, error);
}

gboolean
dd_outbox_defer (DdOutbox    *self,
                 gint64       message_id,
                 const char  *not_before,
                 const char  *reason,
                 GError     **error)
{
  g_autofree char *now = dd_timestamp_now ();

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  return dd_database_execute (dd_store_db (self), error,
                              /* a claimed message goes back to the queue, uncounted */
                              "UPDATE message SET not_before = ?, error_code = ?, updated_at = ?,"
                              " attempts = attempts - (state = 'sending'), state = 'queued'"
                              " WHERE id = ? AND state IN ('queued', 'sending')",
                              DD_TEXT (not_before), DD_TEXT (reason), DD_TEXT (now),
                              DD_INT (message_id), DD_END);
}

static gint64
iso_to_unix (const char *text)
{
  g_autoptr(GDateTime) when = NULL;

  if (text == NULL)
    return 0;
  when = g_date_time_new_from_iso8601 (text, NULL);
  return when != NULL ? g_date_time_to_unix (when) : 0;
}

static void
add_contact_event (DdStatement *stmt,
                   gpointer     events)
{
  DdContactEvent event = {
    dd_statement_get_int64 (stmt, 1) == 1 ? DD_CONTACT_CALL : DD_CONTACT_SMS,
    iso_to_unix (dd_statement_get_text (stmt, 0)),
  };

  if (event.at != 0)
    g_array_append_val ((GArray *) events, event);
}

GArray *
dd_outbox_contact_history (DdOutbox    *self,
                           gint64       case_id,
                           gint64       since,
                           char       **out_zone,
                           GError     **error)
{
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (DdContactEvent));
  g_autoptr(GDateTime) since_time = g_date_time_new_from_unix_utc (since);
  g_autofree char *since_text = g_date_time_format (since_time, "%Y-%m-%dT%H:%M:%SZ");

  g_return_val_if_fail (DD_IS_OUTBOX (self), NULL);

  if (out_zone != NULL
      && !dd_database_fetch_text (dd_store_db (self), out_zone, error,
                                  "SELECT d.time_zone FROM debt_case c JOIN debtor d"
                                  " ON d.id = c.debtor_id WHERE c.id = ?",
                                  DD_INT (case_id), DD_END))
    return NULL;

  /* every case of the same debtor: the debtor is contacted, not the case */
  if (!dd_database_query_each (dd_store_db (self), add_contact_event, events, error,
                               "SELECT m.sent_at, 0 FROM message m"
                               " WHERE m.sent_at >= ?1 AND m.case_id IN (SELECT c2.id FROM"
                               "  debt_case c2 WHERE c2.debtor_id = (SELECT debtor_id FROM"
                               "  debt_case WHERE id = ?2))"
                               " UNION ALL"
                               " SELECT a.started_at, 1 FROM call_attempt a"
                               " WHERE a.started_at >= ?1 AND a.case_id IN (SELECT c2.id FROM"
                               "  debt_case c2 WHERE c2.debtor_id = (SELECT debtor_id FROM"
                               "  debt_case WHERE id = ?2))",
                               DD_TEXT (since_text), DD_INT (case_id), DD_END))
    {
      if (out_zone != NULL)
        g_clear_pointer (out_zone, g_free);
      return NULL;
    }
  return g_steal_pointer (&events);
}

gboolean
dd_outbox_plan_contacts (DdOutbox               *self,
                         const DdContactPolicy  *policy,
                         GPtrArray              *recipients,
                         gint64                  at,
                         DdContactPlanCounts    *out_counts,
                         GError                **error)
{
  g_autoptr(GHashTable) planned = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         (GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) zones = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       g_free);
  DdContactPlanCounts counts = { 0 };

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (recipients != NULL, FALSE);

  for (guint i = 0; i < recipients->len; i++)
    {
      const DdRecipient *recipient = g_ptr_array_index (recipients, i);
      const gint64 *debtor_id = &recipient->debtor_id;
      GArray *history = g_hash_table_lookup (planned, debtor_id);
      const char *zone = g_hash_table_lookup (zones, debtor_id);
      DdContactEvent event = { DD_CONTACT_SMS, at };
      gint64 next = 0;

      if (history == NULL)
        {
          char *debtor_zone = NULL;

          /* a month and a week back covers every cap's period */
          history = dd_outbox_contact_history (self, recipient->case_id, at - 38 * 86400,
                                               &debtor_zone, error);
          if (history == NULL)
            return FALSE;
          g_hash_table_insert (planned, g_memdup2 (debtor_id, sizeof (gint64)), history);
          g_hash_table_insert (zones, g_memdup2 (debtor_id, sizeof (gint64)), debtor_zone);
          zone = debtor_zone;
        }
      switch (dd_contact_policy_check (policy, DD_CONTACT_SMS, zone, at,
                                       (const DdContactEvent *) history->data, history->len,
                                       DD_CONTACT_PLAN_HORIZON_DAYS, &next))
        {
        case DD_CONTACT_ALLOWED:
          counts.allowed++;
          break;
        case DD_CONTACT_DEFER_WINDOW:
        case DD_CONTACT_DEFER_CAP:
          counts.deferred++;
          event.at = next;
          break;
        case DD_CONTACT_SKIP:
        default:
          counts.skipped++;
          continue;
        }
      /* the next message to the same debtor in this campaign counts this one */
      g_array_append_val (history, event);
    }
  if (out_counts != NULL)
    *out_counts = counts;
  return TRUE;
}

gboolean
dd_outbox_release_policy_holds (DdOutbox  *self,
                                GError   **error)
{
  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  return dd_database_exec (dd_store_db (self),
                           "UPDATE message SET not_before = NULL, error_code = NULL"
                           " WHERE state = 'queued' AND error_code IN ('policy-cap', 'policy-window')",
                           error);
}

gboolean
dd_outbox_defer_campaign (DdOutbox    *self,
                          gint64       campaign_id,
                          const char  *not_before,
                          guint       *out_deferred,
                          GError     **error)
{
  g_autofree char *now = dd_timestamp_now ();

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE message SET not_before = ?, updated_at = ?"
                              " WHERE campaign_id = ? AND state = 'queued'"
                              " AND COALESCE(not_before, '') < ?",
                              DD_TEXT (not_before), DD_TEXT (now), DD_INT (campaign_id),
                              DD_TEXT (not_before), DD_END)
         && count_changes (self, out_deferred);
}

typedef struct
{
  GHashTable *abandoned;   /* message id → its holder ("" for none) */
  gint64      now;
} UnsettledScan;

static void
read_holder (DdStatement *stmt,
             gpointer     user_data)
{
  UnsettledScan *scan = user_data;
  const char *owner = dd_statement_get_text (stmt, 1);
  gint64 *id;

  if (!dd_claim_is_abandoned (owner, dd_statement_get_text (stmt, 2), scan->now,
                              DD_CLAIM_LEASE_SECONDS))
    return;
  id = g_new (gint64, 1);
  *id = dd_statement_get_int64 (stmt, 0);
  g_hash_table_insert (scan->abandoned, id, g_strdup (owner != NULL ? owner : ""));
}

GPtrArray *
dd_outbox_list_unsettled (DdOutbox  *self,
                          GError   **error)
{
  g_autoptr(GPtrArray) messages = new_message_array ();
  g_autoptr(GHashTable) abandoned = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                           g_free);
  g_autofree char *now = dd_timestamp_now ();
  UnsettledScan scan = { abandoned, g_get_real_time () / G_USEC_PER_SEC };
  gboolean ok;

  g_return_val_if_fail (DD_IS_OUTBOX (self), NULL);

  /* On a shared database another desk may be sending right now: only what no live desk holds
   * is this one's to settle, and it is taken over first, so that two desks starting at once
   * do not both settle it. */
  if (!dd_database_begin (dd_store_db (self), error))
    return NULL;
  ok = dd_database_query_each (dd_store_db (self), read_holder, &scan, error,
                               "SELECT id, claimed_by, heartbeat_at FROM message m"
                               " WHERE state = 'sending' ORDER BY id" DD_SQL_CLAIM ("m"),
                               DD_END);
  if (ok && g_hash_table_size (abandoned) > 0)
    ok = dd_database_fetch_all (dd_store_db (self), messages, dd_statement_read_row,
                                &message_row, error,
                                "SELECT " MESSAGE_COLUMNS " FROM message WHERE state = 'sending'"
                                " ORDER BY id",
                                DD_END);
  for (guint i = 0; ok && i < messages->len;)
    {
      DdOutboxMessage *message = g_ptr_array_index (messages, i);
      const char *owner = g_hash_table_lookup (abandoned, &message->id);
      gboolean taken = FALSE;

      if (owner != NULL)
        ok = dd_claim_take_over (dd_store_db (self),
                                 "UPDATE message SET claimed_by = ?, heartbeat_at = ?"
                                 " WHERE id = ? AND state = 'sending'"
                                 " AND coalesce (claimed_by, '') = ?",
                                 now, message->id, owner, &taken, error);
      if (ok && !taken)
        g_ptr_array_remove_index (messages, i);
      else
        i++;
    }
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return NULL;
  return g_steal_pointer (&messages);
}

gboolean
dd_outbox_heartbeat (DdOutbox    *self,
                     const char  *now,
                     GError     **error)
{
  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE message SET heartbeat_at = ?"
                              " WHERE state = 'sending' AND claimed_by = ?",
                              DD_TEXT (now), DD_TEXT (dd_claim_owner ()), DD_END);
}

GPtrArray *
dd_outbox_take_awaiting_report (DdOutbox    *self,
                                const char  *provider,
                                const char  *checked_before,
                                const char  *now,
                                guint        limit,
                                GError     **error)
{
  g_autoptr(GPtrArray) messages = new_message_array ();
  gboolean ok;

  g_return_val_if_fail (DD_IS_OUTBOX (self), NULL);

  if (!dd_database_begin (dd_store_db (self), error))
    return NULL;
  ok = dd_database_fetch_all (dd_store_db (self), messages, dd_statement_read_row, &message_row,
                              error,
                              "SELECT " MESSAGE_COLUMNS " FROM message"
                              " WHERE state = 'sent' AND provider = ? AND provider_id IS NOT NULL"
                              " AND COALESCE(status_checked_at, '') < ?"
                              " ORDER BY COALESCE(status_checked_at, ''), id LIMIT ?",
                              DD_TEXT (provider), DD_TEXT (checked_before), DD_INT (limit),
                              DD_END);
  for (guint i = 0; ok && i < messages->len; i++)
    ok = dd_database_execute (dd_store_db (self), error,
                              "UPDATE message SET status_checked_at = ? WHERE id = ?",
                              DD_TEXT (now),
                              DD_INT (((DdOutboxMessage *) g_ptr_array_index (messages, i))->id),
                              DD_END);
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return NULL;
  return g_steal_pointer (&messages);
}

GPtrArray *
dd_outbox_list_recent (DdOutbox    *self,
                       const char  *provider,
                       guint        limit,
                       GError     **error)
{
  g_autoptr(GPtrArray) messages = new_message_array ();

  g_return_val_if_fail (DD_IS_OUTBOX (self), NULL);

  if (!dd_database_fetch_all (dd_store_db (self), messages, dd_statement_read_row, &message_row,
                              error,
                              "SELECT " MESSAGE_COLUMNS " FROM message"
                              " WHERE provider = ? AND state IN ('sent', 'delivered')"
                              " ORDER BY sent_at DESC, id DESC LIMIT ?",
                              DD_TEXT (provider), DD_INT (limit), DD_END))
    return NULL;
  return g_steal_pointer (&messages);
}

gboolean
dd_outbox_is_opt_out (const char *text)
{
  static const char * const words[] = {
    "stop", "stopall", "unsubscribe", "cancel", "end", "quit",
    "nie", "wypisz", "rezygnuję", "rezygnuje", "stopsms",
    "стоп", "отписаться", "отписка", "нет",
  };
  g_auto(GStrv) typed = NULL;

  if (text == NULL)
    return FALSE;
  typed = dd_text_fold_words (text);
  for (guint i = 0; typed[0] != NULL && i < G_N_ELEMENTS (words); i++)
    if (strcmp (typed[0], words[i]) == 0)
      return TRUE;
  return FALSE;
}

gboolean
dd_outbox_opt_out_number (DdOutbox    *self,
                          const char  *e164,
                          GError     **error)
{
  g_autofree char *now = dd_timestamp_now ();

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (e164 != NULL, FALSE);

  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE debtor SET opt_out = 1, opt_out_at = ?, updated_at = ?"
                              " WHERE opt_out = 0 AND id IN"
                              " (SELECT debtor_id FROM phone WHERE e164 = ?)",
                              DD_TEXT (now), DD_TEXT (now), DD_TEXT (e164), DD_END);
}

gboolean
dd_outbox_record_reply (DdOutbox    *self,
                        const char  *e164,
                        const char  *text,
                        const char  *at,
                        gint64      *out_case_id,
                        gboolean    *out_opt_out,
                        GError     **error)
{
  g_autofree char *now = dd_timestamp_now ();
  gboolean opt_out = dd_outbox_is_opt_out (text);
  MessageInfo replied = { 0, };   /* id and case only */
  gint64 message_id, case_id;
  gboolean ok;

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = dd_database_fetch_fields (dd_store_db (self), &message_ref_row, &replied, NULL, error,
                                 "SELECT id, COALESCE(case_id, 0) FROM message"
                                 " WHERE e164 = ? AND sent_at IS NOT NULL"
                                 " ORDER BY sent_at DESC, id DESC LIMIT 1",
                                 DD_TEXT (e164), DD_END);
  message_id = replied.id;
  case_id = replied.case_id;
  if (ok && message_id != 0)
    ok = dd_database_execute (dd_store_db (self), error,
                              "UPDATE message SET replies = replies + 1 WHERE id = ?",
                              DD_INT (message_id), DD_END);
  /* Every debtor with this number: the number's owner asked, whoever the case is for. */
  if (ok && opt_out)
    ok = dd_database_execute (dd_store_db (self), error,
                              "UPDATE debtor SET opt_out = 1, opt_out_at = ?, updated_at = ?"
                              " WHERE opt_out = 0 AND id IN"
                              " (SELECT debtor_id FROM phone WHERE e164 = ?)",
                              DD_TEXT (at != NULL ? at : now), DD_TEXT (now), DD_TEXT (e164),
                              DD_END);
  if (ok && case_id != 0)
    {
      g_autoptr(JsonObject) refs = json_object_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *refs_text = NULL;

      json_object_set_int_member (refs, "message_id", message_id);
      json_object_set_string_member (refs, "from", e164);
      json_object_set_boolean_member (refs, "opt_out", opt_out);
      node = json_node_init_object (json_node_alloc (), refs);
      refs_text = json_to_string (node, FALSE);
      ok = dd_case_store_add_activity (self->cases, case_id, "sms-reply", "sms", text, refs_text,
                                       0, error);
    }
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return FALSE;
  if (out_case_id != NULL)
    *out_case_id = case_id;
  if (out_opt_out != NULL)
    *out_opt_out = opt_out;
  return TRUE;
}

gboolean
dd_outbox_record_fetched_reply (DdOutbox                    *self,
                                const DdOutboxFetchedReply  *reply,
                                gboolean                    *out_new,
                                gboolean                    *out_opt_out,
                                GError                     **error)
{
  g_autofree char *now = dd_timestamp_now ();
  const char *text;
  gboolean opt_out = FALSE;
  gint64 case_id = 0;
  gboolean is_new = FALSE;
  gboolean ok;

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (reply != NULL && reply->provider != NULL && reply->provider_id != NULL
                        && reply->e164 != NULL, FALSE);

  text = reply->text != NULL ? reply->text : "";
  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = dd_database_execute (dd_store_db (self), error,
                            "INSERT INTO sms_reply (provider, provider_id, e164, body,"
                            " received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                            DD_TEXT (reply->provider), DD_TEXT (reply->provider_id),
                            DD_TEXT (reply->e164), DD_TEXT (text),
                            DD_TEXT (reply->at != NULL ? reply->at : now), DD_END);
  is_new = ok && dd_database_changes (dd_store_db (self)) > 0;
  if (ok && is_new)
    ok = dd_outbox_record_reply (self, reply->e164, text, reply->at, &case_id, &opt_out, error);
  if (ok && is_new)
    ok = dd_database_execute (dd_store_db (self), error,
                              "UPDATE sms_reply SET case_id = NULLIF(?, 0), opt_out = ?"
                              " WHERE provider = ? AND provider_id = ?",
                              DD_INT (case_id), DD_INT (opt_out), DD_TEXT (reply->provider),
                              DD_TEXT (reply->provider_id), DD_END);
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return FALSE;
  if (out_new != NULL)
    *out_new = is_new;
  if (out_opt_out != NULL)
    *out_opt_out = opt_out;
  return TRUE;
}

char *
dd_outbox_last_reply_at (DdOutbox    *self,
                         const char  *provider,
                         GError     **error)
{
  char *at = NULL;

  g_return_val_if_fail (DD_IS_OUTBOX (self), NULL);

  dd_database_fetch_text (dd_store_db (self), &at, error,
                          "SELECT MAX(received_at) FROM sms_reply WHERE provider = ?",
                          DD_TEXT (provider), DD_END);
  return at;
}

gboolean
dd_outbox_cancel_campaign (DdOutbox  *self,
                           gint64     campaign_id,
                           guint     *out_cancelled,
                           GError   **error)
{
  g_autofree char *now = dd_timestamp_now ();

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);

  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE message SET state = 'cancelled', updated_at = ?"
                              " WHERE campaign_id = ? AND state = 'queued'",
                              DD_TEXT (now), DD_INT (campaign_id), DD_END)
         && count_changes (self, out_cancelled);
}

static void
add_state_counts (DdStatement *stmt,
                  gpointer     data)
{
  DdOutboxCounts *counts = data;
  DdMessageState state;
  guint n = (guint) dd_statement_get_int64 (stmt, 1);
  guint *slot[] = {
    &counts->queued, &counts->sending, &counts->sent, &counts->delivered,
    &counts->failed, &counts->expired, &counts->cancelled,
  };

  if (!dd_message_state_from_string (dd_statement_get_text (stmt, 0), &state))
    return;
  *slot[state] = n;
  counts->parts += (guint) dd_statement_get_int64 (stmt, 2);
  counts->cost_minor += dd_statement_get_int64 (stmt, 3);
  counts->replies += (guint) dd_statement_get_int64 (stmt, 4);
  counts->deferred += (guint) dd_statement_get_int64 (stmt, 5);
  counts->waiting += (guint) dd_statement_get_int64 (stmt, 6);
  counts->failed_passing += (guint) dd_statement_get_int64 (stmt, 7);
}

gboolean
dd_outbox_get_counts (DdOutbox        *self,
                      gint64           campaign_id,
                      DdOutboxCounts  *out_counts,
                      GError         **error)
{
  g_autofree char *now = dd_timestamp_now ();

  g_return_val_if_fail (DD_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (out_counts != NULL, FALSE);

  memset (out_counts, 0, sizeof *out_counts);
  return dd_database_query_each (dd_store_db (self), add_state_counts, out_counts, error,
                                 "SELECT state, COUNT(*), SUM(parts), SUM(COALESCE(cost_minor, 0)),"
                                 " SUM(replies),"
                                 " SUM(CASE WHEN state = 'queued' AND COALESCE(not_before, '') > ?"
                                 "     AND COALESCE(error_code, '') <> ? THEN 1 ELSE 0 END),"
                                 " SUM(CASE WHEN state = 'queued' AND error_code = ? THEN 1"
                                 "     ELSE 0 END),"
                                 " SUM(CASE WHEN state = 'failed' AND provider_id IS NULL"
                                 "     AND sent_at IS NULL AND error_code IN " PASSING_CODES
                                 "     THEN 1 ELSE 0 END)"
                                 " FROM message WHERE campaign_id = ? GROUP BY state",
                                 DD_TEXT (now), DD_TEXT (DD_OUTBOX_WAITING),
                                 DD_TEXT (DD_OUTBOX_WAITING), DD_INT (campaign_id), DD_END);
}

char *
dd_outbox_next_due (DdOutbox  *self,
                    GError   **error)
{
  char *next = NULL;

  g_return_val_if_fail (DD_IS_OUTBOX (self), NULL);

  if (!dd_database_fetch_text (dd_store_db (self), &next, error,
                               "SELECT MIN(COALESCE(not_before, '')) FROM message m"
                               " WHERE state = 'queued' AND (campaign_id IS NULL OR EXISTS"
                               " (SELECT 1 FROM campaign c WHERE c.id = m.campaign_id"
                               "  AND c.state = 'running'))",
                               DD_END))
    return NULL;
  return next;
}
