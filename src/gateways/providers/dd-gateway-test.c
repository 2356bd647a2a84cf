/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-gateway-test"

#include "config.h"

#include "dd-gateway-test.h"

#include <glib/gi18n-lib.h>

struct _DdGatewayTest
{
  DdHttpGateway      parent_instance;

  GPtrArray         *inbox;        /* DdTestSms */
  GHashTable        *by_key;       /* idempotency key → DdTestSms (unowned) */
  GHashTable        *by_id;        /* provider id → DdTestSms (unowned) */
  guint              request_ms;
  guint              delivery_ms;
  guint              n_requests;
  guint              next_id;
  guint              fail_count;
  DdSmsGatewayError  fail_code;
  gint64             fail_retry_after;
  GPtrArray         *replies;      /* DdSmsReply, as "received" */
};

DD_DEFINE_HTTP_GATEWAY (DdGatewayTest, dd_gateway_test)

enum {
  RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
test_sms_free (DdTestSms *sms)
{
  g_free (sms->provider_id);
  g_free (sms->idempotency_key);
  g_free (sms->to);
  g_free (sms->text);
  g_free (sms->sender);
  g_free (sms);
}

static char *
now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

typedef enum
{
  OP_SEND,
  OP_LOOKUP,
  OP_STATUS,
} Op;

typedef struct
{
  Op       op;
  char    *key;
  char    *to;
  char    *text;
  char    *sender;
} Request;

static void
request_free (Request *request)
{
  g_free (request->key);
  g_free (request->to);
  g_free (request->text);
  g_free (request->sender);
  g_free (request);
}

static gboolean
complete (gpointer user_data)
{
  GTask *task = G_TASK (user_data);
  DdGatewayTest *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  DdTestSms *sms;

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  switch (request->op)
    {
    case OP_SEND:
      if (self->fail_count > 0)
        {
          GError *error = NULL;

          self->fail_count--;
          dd_sms_gateway_set_error_retry_after (&error, self->fail_code, self->fail_retry_after,
                                                _("The test gateway was told to fail."));
          g_task_return_error (task, error);
          break;
        }
      if (request->key != NULL && g_hash_table_contains (self->by_key, request->key))
        {
          g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_DUPLICATE,
                                   _("This message was sent before."));
          break;
        }
      sms = g_new0 (DdTestSms, 1);
      sms->provider_id = g_strdup_printf ("TEST-%u", ++self->next_id);
      sms->idempotency_key = g_strdup (request->key);
      sms->to = g_strdup (request->to);
      sms->text = g_strdup (request->text);
      sms->sender = g_strdup (request->sender);
      sms->received_at = g_get_monotonic_time ();
      g_ptr_array_add (self->inbox, sms);
      if (sms->idempotency_key != NULL)
        g_hash_table_insert (self->by_key, sms->idempotency_key, sms);
      g_hash_table_insert (self->by_id, sms->provider_id, sms);
      g_signal_emit (self, signals[RECEIVED], 0, sms->to, sms->text);
      dd_http_gateway_return_sent (task, dd_sms_send_result_new (sms->provider_id, 1, 0, NULL));
      break;

    case OP_LOOKUP:
      sms = g_hash_table_lookup (self->by_key, request->key);
      dd_http_gateway_return_sent (task, sms != NULL
                                         ? dd_sms_send_result_new (sms->provider_id, 1, 0, NULL)
                                         : NULL);
      break;

    case OP_STATUS:
      sms = g_hash_table_lookup (self->by_id, request->key);
      if (sms == NULL)
        g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_BAD_REQUEST,
                                 _("The test gateway knows no such message."));
      else
        {
          g_autofree char *at = now_iso ();
          gboolean delivered = g_get_monotonic_time () - sms->received_at >=
                               (gint64) self->delivery_ms * 1000;

          dd_http_gateway_return_status (task,
                                         dd_sms_status_new (delivered ? DD_SMS_STATE_DELIVERED
                                                                      : DD_SMS_STATE_SENT,
                                                            delivered ? at : NULL, NULL));
        }
      break;

    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

/* Answers @request for @task after the request delay. */
static void
start (DdGatewayTest *self,
       GTask         *task,
       Request       *request)
{
  GSource *source = g_timeout_source_new (self->request_ms);

  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  if (request->op == OP_SEND)
    self->n_requests++;
  g_source_set_callback (source, complete, g_object_ref (task), g_object_unref);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

/* A look-up by the idempotency key or by the provider's id. */
static void
start_with_key (DdHttpGateway *gateway,
                GTask         *task,
                Op             op,
                const char    *key)
{
  Request *request = g_new0 (Request, 1);

  request->op = op;
  request->key = g_strdup (key);
  start (DD_GATEWAY_TEST (gateway), task, request);
}

/* The provider's calls (see DdHttpGatewayClass) */

static void
send (DdHttpGateway      *gateway,
      GTask              *task,
      const DdSmsRequest *req)
{
  Request *request = g_new0 (Request, 1);

  request->op = OP_SEND;
  request->key = g_strdup (req->idempotency_key);
  request->to = g_strdup (req->to);
  request->text = g_strdup (req->text);
  request->sender = g_strdup (req->sender);
  start (DD_GATEWAY_TEST (gateway), task, request);
}

static void
lookup (DdHttpGateway *gateway,
        GTask         *task,
        const char    *idempotency_key)
{
  start_with_key (gateway, task, OP_LOOKUP, idempotency_key);
}

static void
query_status (DdHttpGateway *gateway,
              GTask         *task,
              const char    *provider_id)
{
  start_with_key (gateway, task, OP_STATUS, provider_id);
}

static void
fetch_replies (DdHttpGateway *gateway,
               GTask         *task,
               const char    *since)
{
  DdGatewayTest *self = DD_GATEWAY_TEST (gateway);
  GPtrArray *replies = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sms_reply_free);

  for (guint i = 0; i < self->replies->len; i++)
    {
      DdSmsReply *reply = g_ptr_array_index (self->replies, i);

      if (since == NULL || g_strcmp0 (reply->at, since) >= 0)
        g_ptr_array_add (replies, dd_sms_reply_new (reply->provider_id, reply->from, reply->text,
                                                    reply->at));
    }
  dd_http_gateway_return_replies (task, replies);
}

/* Look-ups for the demo: a number ending in 00 is not in service, one ending in 99 is
 * unreachable, the rest are mobiles in service. */
static void
check_number (DdHttpGateway *gateway,
              GTask         *task,
              const char    *e164)
{
  const char *status = g_str_has_suffix (e164, "00") ? "invalid"
                       : g_str_has_suffix (e164, "99") ? "unreachable" : "valid";
  const char *line_type = g_str_equal (status, "invalid") ? NULL : "mobile";

  dd_http_gateway_return_check (task, dd_number_check_new (status, line_type, _("Test network")));
}

/* GObject */

static void
dd_gateway_test_finalize (GObject *object)
{
  DdGatewayTest *self = DD_GATEWAY_TEST (object);

  g_hash_table_unref (self->by_key);
  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->inbox);
  g_ptr_array_unref (self->replies);

  G_OBJECT_CLASS (dd_gateway_test_parent_class)->finalize (object);
}

static void
dd_gateway_test_class_init (DdGatewayTestClass *klass)
{
  DdHttpGatewayClass *http_class = DD_HTTP_GATEWAY_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = dd_gateway_test_finalize;

  http_class->id = "test";
  http_class->display_name = N_("Test inbox (nothing reaches real phones)");
  http_class->default_rate = DD_HTTP_GATEWAY_NO_RATE_LIMIT;
  http_class->send = send;
  http_class->lookup = lookup;
  http_class->query_status = query_status;
  http_class->fetch_replies = fetch_replies;
  http_class->check_number = check_number;

  /**
   * DdGatewayTest::received:
   * @to: the recipient
   * @text: the message
   *
   * A message arrived in the test inbox.
   */
  signals[RECEIVED] =
    g_signal_new ("received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
dd_gateway_test_init (DdGatewayTest *self)
{
  self->replies = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sms_reply_free);
  self->inbox = g_ptr_array_new_with_free_func ((GDestroyNotify) test_sms_free);
  self->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->request_ms = 20;
  self->delivery_ms = 1000;
}

DdGatewayTest *
dd_gateway_test_new (void)
{
  return g_object_new (DD_TYPE_GATEWAY_TEST, NULL);
}

void
dd_gateway_test_set_delays (DdGatewayTest *self,
                            guint          request_ms,
                            guint          delivery_ms)
{
  g_return_if_fail (DD_IS_GATEWAY_TEST (self));

  self->request_ms = request_ms;
  self->delivery_ms = delivery_ms;
}

void
dd_gateway_test_fail_next (DdGatewayTest     *self,
                           DdSmsGatewayError  code,
                           guint              n,
                           gint64             retry_after)
{
  g_return_if_fail (DD_IS_GATEWAY_TEST (self));

  self->fail_code = code;
  self->fail_count = n;
  self->fail_retry_after = retry_after;
}

GPtrArray *
dd_gateway_test_get_inbox (DdGatewayTest *self)
{
  g_return_val_if_fail (DD_IS_GATEWAY_TEST (self), NULL);

  return self->inbox;
}

guint
dd_gateway_test_get_n_requests (DdGatewayTest *self)
{
  g_return_val_if_fail (DD_IS_GATEWAY_TEST (self), 0);

  return self->n_requests;
}

void
dd_gateway_test_add_reply (DdGatewayTest *self,
                           const char    *from,
                           const char    *text)
{
  g_autofree char *id = NULL;
  g_autofree char *at = now_iso ();

  g_return_if_fail (DD_IS_GATEWAY_TEST (self));

  id = g_strdup_printf ("test-reply-%u", self->replies->len + 1);
  g_ptr_array_add (self->replies, dd_sms_reply_new (id, from, text, at));
}
