/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-mail"

#include "config.h"

#include "dd-mail.h"

#include "dd-report-pdf.h"
#include "dd-report-table.h"
#include "dd-reports.h"
#include "dd-secret-store.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

G_DEFINE_QUARK (dd-mail-error-quark, dd_mail_error)

/* Account */

DdMailAccount *
dd_mail_account_new (void)
{
  DdMailAccount *account = g_new0 (DdMailAccount, 1);

  account->security = DD_MAIL_SECURITY_STARTTLS;
  return account;
}

DdMailAccount *
dd_mail_account_new_from_settings (GSettings *settings)
{
  DdMailAccount *account = dd_mail_account_new ();
  g_autofree char *security = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), account);

  account->server = g_settings_get_string (settings, "mail-server");
  account->port = g_settings_get_uint (settings, "mail-port");
  security = g_settings_get_string (settings, "mail-security");
  dd_mail_security_from_string (security, &account->security);
  account->user = g_settings_get_string (settings, "mail-user");
  account->from = g_settings_get_string (settings, "mail-from");
  account->recipients = g_settings_get_strv (settings, "mail-recipients");
  return account;
}

DdMailAccount *
dd_mail_account_copy (const DdMailAccount *account)
{
  DdMailAccount *copy = g_new0 (DdMailAccount, 1);

  copy->server = g_strdup (account->server);
  copy->port = account->port;
  copy->security = account->security;
  copy->user = g_strdup (account->user);
  copy->password = g_strdup (account->password);
  copy->from = g_strdup (account->from);
  copy->recipients = g_strdupv (account->recipients);
  copy->ca_file = g_strdup (account->ca_file);
  return copy;
}

void
dd_mail_account_free (DdMailAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->server);
  g_free (account->user);
  dd_secret_free (account->password);
  g_free (account->from);
  g_strfreev (account->recipients);
  g_free (account->ca_file);
  g_free (account);
}

guint
dd_mail_account_get_port (const DdMailAccount *account)
{
  if (account->port != 0)
    return account->port;
  switch (account->security)
    {
    case DD_MAIL_SECURITY_TLS:
      return 465;
    case DD_MAIL_SECURITY_NONE:
      return 25;
    case DD_MAIL_SECURITY_STARTTLS:
    default:
      return 587;
    }
}

static const char * const security_names[] = { "starttls", "tls", "none" };

const char *
dd_mail_security_to_string (DdMailSecurity security)
{
  return security < G_N_ELEMENTS (security_names) ? security_names[security] : "starttls";
}

gboolean
dd_mail_security_from_string (const char     *text,
                              DdMailSecurity *out_security)
{
  guint index;

  if (!dd_name_index (security_names, G_N_ELEMENTS (security_names), text, &index))
    return FALSE;
  *out_security = (DdMailSecurity) index;
  return TRUE;
}

gboolean
dd_mail_address_is_valid (const char *address)
{
  const char *at;
  const char *dot;

  if (address == NULL || *address == '\0' || !g_utf8_validate (address, -1, NULL))
    return FALSE;
  for (const char *p = address; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || *p == '<' || *p == '>' || *p == ',' || *p == ';' ||
        *p == '"' || (guchar) *p < 0x20)
      return FALSE;
  at = strchr (address, '@');
  if (at == NULL || at == address || strchr (at + 1, '@') != NULL)
    return FALSE;
  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

char **
dd_mail_parse_addresses (const char  *text,
                         GError     **error)
{
  g_auto(GStrv) parts = g_regex_split_simple ("[,;\\s]+", text != NULL ? text : "", 0, 0);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;
      if (!dd_mail_address_is_valid (parts[i]))
        {
          g_set_error (error, DD_MAIL_ERROR, DD_MAIL_ERROR_INVALID_ADDRESS,
                       _("“%s” is not an e-mail address"), parts[i]);
          return NULL;
        }
      g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

gboolean
dd_mail_account_check (const DdMailAccount  *account,
                       GError              **error)
{
  if (account->server == NULL || *account->server == '\0')
    {
      g_set_error_literal (error, DD_MAIL_ERROR, DD_MAIL_ERROR_NOT_CONFIGURED,
                           _("No e-mail server is set up: enter it in Preferences › E-mail"));
      return FALSE;
    }
  if (!dd_mail_address_is_valid (account->from))
    {
      g_set_error (error, DD_MAIL_ERROR, DD_MAIL_ERROR_INVALID_ADDRESS,
                   _("The sender “%s” is not an e-mail address"),
                   account->from != NULL ? account->from : "");
      return FALSE;
    }
  if (account->recipients == NULL || account->recipients[0] == NULL)
    {
      g_set_error_literal (error, DD_MAIL_ERROR, DD_MAIL_ERROR_NOT_CONFIGURED,
                           _("No recipients are set up for the e-mail summaries"));
      return FALSE;
    }
  for (guint i = 0; account->recipients[i] != NULL; i++)
    if (!dd_mail_address_is_valid (account->recipients[i]))
      {
        g_set_error (error, DD_MAIL_ERROR, DD_MAIL_ERROR_INVALID_ADDRESS,
                     _("“%s” is not an e-mail address"), account->recipients[i]);
        return FALSE;
      }
  return TRUE;
}

/* Attachments and composition */

DdMailAttachment *
dd_mail_attachment_new (const char *filename,
                        const char *content_type,
                        GBytes     *data)
{
  DdMailAttachment *attachment = g_new0 (DdMailAttachment, 1);

  attachment->filename = g_strdup (filename);
  attachment->content_type = g_strdup (content_type);
  attachment->data = g_bytes_ref (data);
  return attachment;
}

void
dd_mail_attachment_free (DdMailAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->filename);
  g_free (attachment->content_type);
  g_bytes_unref (attachment->data);
  g_free (attachment);
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80 || *p == '\r' || *p == '\n')
      return FALSE;
  return TRUE;
}

/* base64 of @data in lines of 76 characters, each ended by CRLF */
static void
append_base64 (GString      *out,
               const guchar *data,
               gsize         length)
{
  g_autofree char *encoded = g_base64_encode (data, length);
  gsize n = strlen (encoded);

  for (gsize i = 0; i < n; i += 76)
    {
      g_string_append_len (out, encoded + i, MIN (76, n - i));
      g_string_append (out, "\r\n");
    }
}

/* A header's text: as it is when ASCII, else RFC 2047 encoded words of whole characters */
static void
append_header_text (GString    *out,
                    const char *text)
{
  const char *p = text;

  if (is_ascii (text))
    {
      g_string_append (out, text);
      return;
    }
  while (*p != '\0')
    {
      const char *start = p;
      g_autofree char *encoded = NULL;

      /* at most 45 bytes of UTF-8 a word keeps it under 76 characters */
      while (*p != '\0')
        {
          const char *next = g_utf8_next_char (p);

          if (next - start > 45)
            break;
          p = next;
        }
      encoded = g_base64_encode ((const guchar *) start, (gsize) (p - start));
      if (start != text)
        g_string_append (out, "\r\n ");
      g_string_append_printf (out, "=?UTF-8?B?%s?=", encoded);
    }
}

static char *
rfc5322_date (GDateTime *date)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                         "Sep", "Oct", "Nov", "Dec" };
  gint64 offset = g_date_time_get_utc_offset (date) / G_TIME_SPAN_MINUTE;

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
                          days[g_date_time_get_day_of_week (date) - 1],
                          g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date), g_date_time_get_hour (date),
                          g_date_time_get_minute (date), g_date_time_get_second (date),
                          offset < 0 ? '-' : '+', (int) (ABS (offset) / 60),
                          (int) (ABS (offset) % 60));
}

char *
dd_mail_compose (const char         *from,
                 const char * const *to,
                 const char         *subject,
                 const char         *body,
                 GPtrArray          *attachments,
                 GDateTime          *date)
{
  GString *out = g_string_new (NULL);
  g_autofree char *boundary = NULL;
  g_autofree char *when = rfc5322_date (date);
  g_autofree char *id = g_uuid_string_random ();
  const char *domain = strchr (from, '@');

  boundary = g_strdup_printf ("=_dd_%s", id);
  g_string_append_printf (out, "From: %s\r\n", from);
  g_string_append (out, "To: ");
  for (guint i = 0; to != NULL && to[i] != NULL; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ",\r\n " : "", to[i]);
  g_string_append (out, "\r\nSubject: ");
  append_header_text (out, subject);
  g_string_append_printf (out, "\r\nDate: %s\r\n", when);
  g_string_append_printf (out, "Message-ID: <%s@%s>\r\n", id,
                          domain != NULL ? domain + 1 : "dunningdesk.invalid");
  g_string_append (out, "MIME-Version: 1.0\r\n");
  g_string_append_printf (out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n",
                          boundary);
  g_string_append_printf (out, "--%s\r\n", boundary);
  g_string_append (out, "Content-Type: text/plain; charset=utf-8\r\n"
                        "Content-Transfer-Encoding: base64\r\n\r\n");
  append_base64 (out, (const guchar *) body, strlen (body));
  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      DdMailAttachment *a = g_ptr_array_index (attachments, i);
      gsize length = 0;
      const guchar *data = g_bytes_get_data (a->data, &length);

      g_string_append_printf (out, "--%s\r\n", boundary);
      g_string_append_printf (out, "Content-Type: %s; name=\"%s\"\r\n"
                                   "Content-Disposition: attachment; filename=\"%s\"\r\n"
                                   "Content-Transfer-Encoding: base64\r\n\r\n",
                              a->content_type, a->filename, a->filename);
      append_base64 (out, data != NULL ? data : (const guchar *) "", length);
    }
  g_string_append_printf (out, "--%s--\r\n", boundary);
  return g_string_free (out, FALSE);
}

/* Transfer (libcurl) */

typedef struct
{
  const char *data;
  gsize       length;
  gsize       offset;
} Upload;

static size_t
read_upload (char   *buffer,
             size_t  size,
             size_t  n,
             void   *user_data)
{
  Upload *upload = user_data;
  gsize room = size * n;
  gsize left = upload->length - upload->offset;
  gsize count = MIN (room, left);

  memcpy (buffer, upload->data + upload->offset, count);
  upload->offset += count;
  return count;
}

static gpointer
init_curl (gpointer data)
{
  curl_global_init (CURL_GLOBAL_DEFAULT);
  return NULL;
}

static void
set_transfer_error (GError            **error,
                    CURLcode            code,
                    const DdMailAccount *account,
                    const char         *detail)
{
  const char *why = detail != NULL && *detail != '\0' ? detail : curl_easy_strerror (code);

  switch (code)
    {
    case CURLE_LOGIN_DENIED:
      g_set_error (error, DD_MAIL_ERROR, DD_MAIL_ERROR_LOGIN_REFUSED,
                   _("The e-mail server %s refused the login: check the user name and the "
                     "password"), account->server);
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
      if (code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR)
        {
          g_set_error (error, DD_MAIL_ERROR, DD_MAIL_ERROR_REFUSED,
                       _("The e-mail server %s did not take the message (%s)"), account->server,
                       why);
          break;
        }
      g_set_error (error, DD_MAIL_ERROR, DD_MAIL_ERROR_UNREACHABLE,
                   _("Cannot reach the e-mail server %s on port %u (%s)"), account->server,
                   dd_mail_account_get_port (account), why);
      break;
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      g_set_error (error, DD_MAIL_ERROR, DD_MAIL_ERROR_TLS,
                   _("No secure connection to the e-mail server %s (%s): check the security "
                     "and the port"), account->server, why);
      break;
    default:
      g_set_error (error, DD_MAIL_ERROR, DD_MAIL_ERROR_FAILED,
                   _("The e-mail could not be sent through %s (%s)"), account->server, why);
      break;
    }
}

gboolean
dd_mail_transfer (const DdMailAccount  *account,
                  const char * const   *recipients,
                  const char           *message,
                  GError              **error)
{
  static GOnce once = G_ONCE_INIT;
  g_autofree char *url = NULL;
  g_autofree char *from = NULL;
  char detail[CURL_ERROR_SIZE] = "";
  struct curl_slist *rcpt = NULL;
  Upload upload = { message, strlen (message), 0 };
  CURL *curl;
  CURLcode code;

  if (account->server == NULL || *account->server == '\0')
    return dd_mail_account_check (account, error);
  g_once (&once, init_curl, NULL);

  curl = curl_easy_init ();
  if (curl == NULL)
    {
      g_set_error_literal (error, DD_MAIL_ERROR, DD_MAIL_ERROR_FAILED,
                           _("The e-mail library could not start"));
      return FALSE;
    }
  url = g_strdup_printf ("%s://%s:%u", account->security == DD_MAIL_SECURITY_TLS ? "smtps"
                                                                                 : "smtp",
                         account->server, dd_mail_account_get_port (account));
  from = g_strdup_printf ("<%s>", account->from);
  for (guint i = 0; recipients != NULL && recipients[i] != NULL; i++)
    {
      g_autofree char *to = g_strdup_printf ("<%s>", recipients[i]);

      rcpt = curl_slist_append (rcpt, to);
    }

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 300L);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt (curl, CURLOPT_USE_SSL,
                    account->security == DD_MAIL_SECURITY_NONE ? (long) CURLUSESSL_NONE
                                                               : (long) CURLUSESSL_ALL);
  if (account->ca_file != NULL)
    curl_easy_setopt (curl, CURLOPT_CAINFO, account->ca_file);
  if (account->user != NULL && *account->user != '\0')
    {
      curl_easy_setopt (curl, CURLOPT_USERNAME, account->user);
      curl_easy_setopt (curl, CURLOPT_PASSWORD,
                        account->password != NULL ? account->password : "");
    }
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt (curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);

  code = curl_easy_perform (curl);
  curl_slist_free_all (rcpt);
  curl_easy_cleanup (curl);
  if (code != CURLE_OK)
    {
      set_transfer_error (error, code, account, g_strstrip (detail));
      return FALSE;
    }
  return TRUE;
}

char *
dd_mail_compose_test (const DdMailAccount *account)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return dd_mail_compose (account->from, (const char * const *) account->recipients,
                          _("Dunning Desk: test e-mail"),
                          _("This is a test e-mail from Dunning Desk. The report summaries "
                            "will come from this address."),
                          NULL, now);
}

static void
send_test_in_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  DdMailAccount *account = task_data;
  g_autofree char *message = dd_mail_compose_test (account);
  GError *error = NULL;

  if (!dd_mail_transfer (account, (const char * const *) account->recipients, message, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
dd_mail_send_test_async (const DdMailAccount *account,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, dd_mail_send_test_async);
  if (!dd_mail_account_check (account, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, dd_mail_account_copy (account),
                        (GDestroyNotify) dd_mail_account_free);
  g_task_run_in_thread (task, send_test_in_thread);
}

gboolean
dd_mail_send_test_finish (GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Password */

void
dd_mail_password_lookup (const DdMailAccount *account,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  const char *attributes[] = { "server", account->server, "user", account->user, NULL };

  dd_secret_lookup (DD_SECRET_MAIL_ACCOUNT, attributes, cancellable, callback, user_data);
}

char *
dd_mail_password_lookup_finish (GAsyncResult  *result,
                                GError       **error)
{
  return dd_secret_lookup_finish (result, error);
}

void
dd_mail_password_store (const DdMailAccount *account,
                        const char          *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  const char *attributes[] = { "server", account->server, "user", account->user, NULL };
  /* Translators: the keyring's label of the e-mail password; %s is the server */
  g_autofree char *label = g_strdup_printf (_("Dunning Desk e-mail (%s)"), account->server);

  dd_secret_store (DD_SECRET_MAIL_ACCOUNT, attributes, label, password, cancellable, callback,
                   user_data);
}

gboolean
dd_mail_password_store_finish (GAsyncResult  *result,
                               GError       **error)
{
  return dd_secret_store_finish (result, error);
}

/* Outbox */

gint64
dd_mail_backoff (guint attempts)
{
  /* 1, 2, 4, … minutes, at most 6 hours */
  if (attempts == 0)
    return 0;
  if (attempts > 10)
    return 6 * 3600;
  return MIN ((gint64) 60 << (attempts - 1), (gint64) 6 * 3600);
}

static char *
now_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
dd_mail_outbox_add (DdDatabase          *database,
                    const char          *kind,
                    const char          *from,
                    const char * const  *recipients,
                    const char          *subject,
                    const char          *message,
                    gint64               now,
                    gint64              *out_id,
                    GError             **error)
{
  g_autofree char *to = g_strjoinv (",", (char **) recipients);
  g_autofree char *created = now_text ();
  gint64 id = 0;

  if (!dd_database_insert (database, &id, error,
                           "INSERT INTO mail_outbox (kind, subject, sender, recipients, message,"
                           " state, attempts, next_attempt_at, created_at)"
                           " VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?)",
                           DD_TEXT (kind), DD_TEXT (subject), DD_TEXT (from), DD_TEXT (to),
                           DD_TEXT (message), DD_INT (now), DD_TEXT (created), DD_END))
    return FALSE;
  if (out_id != NULL)
    *out_id = id;
  return TRUE;
}

typedef struct
{
  gint64  id;
  char   *recipients;
  char   *message;
  gint64  attempts;
} Queued;

static const DdField queued_fields[] = {
  DD_FIELD (Queued, id, INT64),
  DD_FIELD (Queued, recipients, TEXT),
  DD_FIELD (Queued, message, TEXT),
  DD_FIELD (Queued, attempts, INT64),
};
static const DdRowType queued_type = { sizeof (Queued), queued_fields,
                                       G_N_ELEMENTS (queued_fields) };

static void
queued_free (gpointer item)
{
  dd_row_free (&queued_type, item);
}

static gboolean
stops_flush (const GError *error)
{
  return g_error_matches (error, DD_MAIL_ERROR, DD_MAIL_ERROR_LOGIN_REFUSED) ||
         g_error_matches (error, DD_MAIL_ERROR, DD_MAIL_ERROR_UNREACHABLE) ||
         g_error_matches (error, DD_MAIL_ERROR, DD_MAIL_ERROR_TLS) ||
         g_error_matches (error, DD_MAIL_ERROR, DD_MAIL_ERROR_NOT_CONFIGURED);
}

gboolean
dd_mail_outbox_flush (DdDatabase           *database,
                      const DdMailAccount  *account,
                      gint64                now,
                      guint                *out_sent,
                      guint                *out_waiting,
                      GError              **error)
{
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (queued_free);
  g_autoptr(GError) first = NULL;
  gint64 waiting = 0;
  guint sent = 0;

  if (!dd_database_fetch_all (database, due, dd_statement_read_row, &queued_type, error,
                              "SELECT id, recipients, message, attempts FROM mail_outbox"
                              " WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY id",
                              DD_INT (now), DD_END))
    return FALSE;
  for (guint i = 0; i < due->len; i++)
    {
      Queued *q = g_ptr_array_index (due, i);
      g_auto(GStrv) to = g_strsplit (q->recipients, ",", -1);
      g_autoptr(GError) local = NULL;
      g_autofree char *at = now_text ();

      if (dd_mail_transfer (account, (const char * const *) to, q->message, &local))
        {
          if (!dd_database_execute (database, error,
                                    "UPDATE mail_outbox SET state = 'sent', sent_at = ?,"
                                    " attempts = attempts + 1, last_error = NULL WHERE id = ?",
                                    DD_TEXT (at), DD_INT (q->id), DD_END))
            return FALSE;
          sent++;
          continue;
        }
      g_info ("mail %" G_GINT64_FORMAT " not sent: %s", q->id, local->message);
      if (!dd_database_execute (database, error,
                                "UPDATE mail_outbox SET attempts = attempts + 1,"
                                " next_attempt_at = ?, last_error = ? WHERE id = ?",
                                DD_INT (now + dd_mail_backoff ((guint) q->attempts + 1)),
                                DD_TEXT (local->message), DD_INT (q->id), DD_END))
        return FALSE;
      if (first == NULL)
        first = g_steal_pointer (&local);
      if (stops_flush (first))
        break;
    }
  if (!dd_database_fetch_int64 (database, &waiting, NULL, error,
                                "SELECT COUNT(*) FROM mail_outbox WHERE state = 'queued'",
                                DD_END))
    return FALSE;
  if (out_sent != NULL)
    *out_sent = sent;
  if (out_waiting != NULL)
    *out_waiting = (guint) waiting;
  if (first != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first));
      return FALSE;
    }
  return TRUE;
}

/* Summaries */

char *
dd_mail_report_summary (const DdMailAccount  *account,
                        const char           *title,
                        const char           *office_name,
                        const char           *period,
                        GPtrArray            *tables,
                        const char           *pdf_path,
                        const char           *file_stem,
                        char                **out_subject,
                        GError              **error)
{
  g_autoptr(GPtrArray) attachments =
    g_ptr_array_new_with_free_func ((GDestroyNotify) dd_mail_attachment_free);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *csv = dd_report_tables_to_csv (tables);
  g_autofree char *pdf_name = g_strconcat (file_stem, ".pdf", NULL);
  g_autofree char *csv_name = g_strconcat (file_stem, ".csv", NULL);
  g_autoptr(GBytes) csv_bytes = NULL;
  char *pdf = NULL;
  gsize pdf_length = 0;

  if (!g_file_get_contents (pdf_path, &pdf, &pdf_length, error))
    return NULL;
  {
    g_autoptr(GBytes) pdf_bytes = g_bytes_new_take (pdf, pdf_length);

    g_ptr_array_add (attachments, dd_mail_attachment_new (pdf_name, "application/pdf",
                                                          pdf_bytes));
  }
  csv_bytes = g_bytes_new (csv, strlen (csv));
  g_ptr_array_add (attachments, dd_mail_attachment_new (csv_name, "text/csv; charset=utf-8",
                                                        csv_bytes));

  g_string_append_printf (body, "%s\n%s\n%s\n", office_name != NULL ? office_name : "", title,
                          period);
  /* the key figures: every table's rows as "column: value" lines */
  for (guint t = 0; t < tables->len; t++)
    {
      const DdReportTable *table = g_ptr_array_index (tables, t);

      g_string_append_printf (body, "\n%s\n", table->title);
      if (table->note != NULL)
        g_string_append_printf (body, "%s\n", table->note);
      for (guint r = 0; r < table->rows->len; r++)
        {
          for (guint c = 0; c < table->columns->len; c++)
            {
              g_autofree char *text = dd_report_cell_format (dd_report_table_cell (table, r, c));

              g_string_append_printf (body, "%s%s: %s", c > 0 ? "; " : "  ",
                                      g_array_index (table->columns, DdReportColumn, c).title,
                                      text);
            }
          g_string_append_c (body, '\n');
        }
      if (table->rows->len == 0)
        g_string_append_printf (body, "  %s\n", _("Nothing in this period"));
    }
  g_string_append_printf (body, "\n%s\n", _("The full report is attached as PDF and CSV."));

  if (out_subject != NULL)
    /* Translators: the subject of a report's e-mail summary: the report and the period */
    *out_subject = g_strdup_printf (_("%1$s — %2$s"), title, period);
  return dd_mail_compose (account->from, (const char * const *) account->recipients,
                          out_subject != NULL ? *out_subject : title, body->str, attachments,
                          now);
}

/* Schedule */

/* Queues the campaign results of @filter as a summary of @kind. */
static gboolean
queue_campaign_summary (DdDatabase           *database,
                        const DdMailAccount  *account,
                        const char           *office_name,
                        const char           *kind,
                        const DdReportFilter *filter,
                        const char           *period,
                        const char           *stem,
                        gint64                now,
                        GError              **error)
{
  g_autoptr(GPtrArray) rows = dd_report_campaigns (database, filter, error);
  g_autoptr(GPtrArray) tables = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *message = NULL;
  const char *title = _("Campaign results");

  if (rows == NULL)
    return FALSE;
  tables = dd_report_campaigns_tables (rows);
  dir = g_dir_make_tmp ("dd-mail-XXXXXX", error);
  if (dir == NULL)
    return FALSE;
  pdf = g_build_filename (dir, "report.pdf", NULL);
  if (dd_report_pdf_write (pdf, title, office_name, period, tables, error))
    message = dd_mail_report_summary (account, title, office_name, period, tables, pdf, stem,
                                      &subject, error);
  g_unlink (pdf);
  g_rmdir (dir);
  return message != NULL &&
         dd_mail_outbox_add (database, kind, account->from,
                             (const char * const *) account->recipients, subject, message, now,
                             NULL, error);
}

static char *
day_text (gint64 unix_time)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (unix_time);

  return g_date_time_format (at, "%Y-%m-%d");
}

gboolean
dd_mail_queue_due (DdDatabase            *database,
                   const DdMailAccount   *account,
                   const DdMailSchedule  *schedule,
                   gint64                 now,
                   guint                 *out_queued,
                   gint64                *out_weekly_sent,
                   GError               **error)
{
  g_autoptr(GDateTime) week_ago = g_date_time_new_from_unix_utc (now - 7 * 86400);
  g_autofree char *since = g_date_time_format (week_ago, "%Y-%m-%dT%H:%M:%SZ");
  guint queued = 0;

  if (out_weekly_sent != NULL)
    *out_weekly_sent = schedule->weekly_sent;
  if (!dd_mail_account_check (account, error))
    return FALSE;

  if (schedule->after_campaign)
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

      if (!dd_database_fetch_ids (database, ids, error,
                                  "SELECT c.id FROM campaign c WHERE c.state = 'completed'"
                                  " AND c.finished_at >= ? AND NOT EXISTS (SELECT 1 FROM"
                                  " mail_outbox m WHERE m.kind = 'campaign-' || c.id)"
                                  " ORDER BY c.id", DD_TEXT (since), DD_END))
        return FALSE;
      for (guint i = 0; i < ids->len; i++)
        {
          gint64 id = g_array_index (ids, gint64, i);
          g_autofree char *kind = g_strdup_printf ("campaign-%" G_GINT64_FORMAT, id);
          g_autofree char *name = NULL;
          g_autofree char *period = NULL;
          g_autofree char *stem = g_strdup_printf ("campaign-%" G_GINT64_FORMAT, id);
          DdReportFilter filter = { 0 };

          if (!dd_database_fetch_text (database, &name, error,
                                       "SELECT name FROM campaign WHERE id = ?", DD_INT (id),
                                       DD_END))
            return FALSE;
          /* Translators: the "period" line of a campaign's summary: its name */
          period = g_strdup_printf (_("Campaign: %s"), name != NULL ? name : "");
          filter.campaign_id = id;
          if (!queue_campaign_summary (database, account, schedule->office_name, kind, &filter,
                                       period, stem, now, error))
            return FALSE;
          queued++;
        }
    }

  if (schedule->weekly && now - schedule->weekly_sent >= 7 * 86400)
    {
      g_autofree char *from = day_text (now - 7 * 86400);
      g_autofree char *to = day_text (now - 86400);
      /* Translators: the period of a report */
      g_autofree char *period = g_strdup_printf (_("Period: %1$s – %2$s"), from, to);
      g_autofree char *stem = g_strdup_printf ("weekly-%s", to);
      DdReportFilter filter = { from, to, 0, 0 };

      if (!queue_campaign_summary (database, account, schedule->office_name, "weekly", &filter,
                                   period, stem, now, error))
        return FALSE;
      queued++;
      if (out_weekly_sent != NULL)
        *out_weekly_sent = now;
    }
  if (out_queued != NULL)
    *out_queued = queued;
  return TRUE;
}
