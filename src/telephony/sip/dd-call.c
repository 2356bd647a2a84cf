/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-call"

#include "config.h"

#include "dd-call.h"
#include "dd-telephony-enums.h"

#include "dd-media-wav.h"
#include "dd-secret-store.h"
#include "dd-sip-core.h"

#include <glib/gi18n-lib.h>
#include <string.h>

typedef struct _Account Account;

static void account_unref (Account *account);

struct _DdCall
{
  GObject         parent_instance;

  DdSipEngine    *engine;          /* weak: the engine outlives its calls' events */
  guint           id;
  char           *uri;
  DdCallOptions   options;         /* strings owned below */
  char           *from_uri;
  char           *from_name;
  char           *auth_user;
  char           *password;
  DdCallState     state;
  DdCallEndCause  end_cause;
  guint           sip_status;
  char           *sip_reason;
  GString        *digits;
  DdWavWriter    *writer;
  guint           next_play_id;
  gboolean        queued;          /* waiting for a free place */
  Account        *account;         /* the account it goes out through (a reference), or NULL */
  gboolean        any_account;     /* takes whichever account has room when its turn comes */
  gboolean        inbound;
  char           *remote_name;     /* inbound: the caller's display name */
  char           *local_uri;       /* inbound: the number they called */
  DdAnsweringMachine *detector;    /* handed to the engine when the call is dialled */
  DdAnsweringMachineVerdict verdict;
  guint           heard_ms;        /* the callee's audio after the answer (when ended) */
  guint           sound_ms;        /* of it, louder than silence */
};

struct _DdSipEngine
{
  GObject      parent_instance;

  DdSipCore   *core;
  GHashTable  *calls;      /* id → DdCall (a reference while not ended) */
  GQueue       waiting;    /* DdCall, not yet dialled */
  guint        max_calls;
  guint        n_dialled;
  GStrv        caller_ids;
  guint        next_caller_id;
  GPtrArray   *accounts;   /* Account, in the order added */
  guint        next_account;
  guint        retry_base_ms;
};

/* A SIP account: where calls go out (its AOR as the caller ID, its credentials, its proxy and
 * transport), its registration and its own concurrency limit. */
struct _Account
{
  gint                ref_count;
  DdSipEngine        *engine;     /* weak */
  char               *name;
  char               *aor;
  char               *display_name;
  char               *registrar;
  char               *outbound_proxy;
  char               *auth_user;
  char               *password;
  DdSipTransport      transport;
  guint               max_calls;
  guint               expires;
  guint               n_calls;    /* dialled and not ended */
  DdSipAccountState   state;
  guint               status;
  char               *reason;
  guint               failures;
  guint               retry_source;
  gboolean            removed;
};

enum {
  ENGINE_SIGNAL_INCOMING_CALL,
  ENGINE_SIGNAL_ACCOUNT_CHANGED,
  ENGINE_N_SIGNALS
};

static guint engine_signals[ENGINE_N_SIGNALS];

G_DEFINE_FINAL_TYPE (DdCall, dd_call, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (DdSipEngine, dd_sip_engine, G_TYPE_OBJECT)

enum {
  CALL_PROP_0,
  CALL_PROP_STATE,
  CALL_N_PROPS
};

static GParamSpec *call_properties[CALL_N_PROPS];

enum {
  SIGNAL_DTMF,
  SIGNAL_PLAYBACK_FINISHED,
  SIGNAL_ENDED,
  SIGNAL_ANSWERED_BY,
  CALL_N_SIGNALS
};

static guint call_signals[CALL_N_SIGNALS];

/* DdCall */

static void
dd_call_finalize (GObject *object)
{
  DdCall *self = DD_CALL (object);

  if (self->writer != NULL)
    dd_wav_writer_close (self->writer, NULL);
  g_clear_pointer (&self->account, account_unref);
  g_clear_object (&self->detector);
  g_free (self->uri);
  g_free (self->remote_name);
  g_free (self->local_uri);
  g_free (self->from_uri);
  g_free (self->from_name);
  g_free (self->auth_user);
  g_free (self->password);
  g_free (self->sip_reason);
  g_string_free (self->digits, TRUE);
  G_OBJECT_CLASS (dd_call_parent_class)->finalize (object);
}

static void
dd_call_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  DdCall *self = DD_CALL (object);

  switch (prop_id)
    {
    case CALL_PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_call_class_init (DdCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dd_call_finalize;
  object_class->get_property = dd_call_get_property;

  /**
   * DdCall:state:
   *
   * A DdCallState: dialing, ringing, early media, answered, ended.
   */
  call_properties[CALL_PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DD_TYPE_CALL_STATE, DD_CALL_STATE_DIALING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, CALL_N_PROPS, call_properties);

  /**
   * DdCall::dtmf:
   * @digit: the key ('0'–'9', '*', '#', 'A'–'D')
   * @in_band: heard as tones rather than received as an RFC 4733 event
   */
  call_signals[SIGNAL_DTMF] =
    g_signal_new ("dtmf", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_CHAR, G_TYPE_BOOLEAN);
  /**
   * DdCall::playback-finished:
   * @interrupted: stopped by a key or a new prompt rather than played to its end
   */
  call_signals[SIGNAL_PLAYBACK_FINISHED] =
    g_signal_new ("playback-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  /**
   * DdCall::ended:
   *
   * The call is over; dd_call_get_end_cause() says why.
   */
  call_signals[SIGNAL_ENDED] =
    g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /**
   * DdCall::answered-by:
   * @verdict: a DdAnsweringMachineVerdict: human, machine or not sure
   * @reason: the DdAnsweringMachineReason that decided it
   * @elapsed_ms: how much of the callee's audio after the answer decided it
   *
   * The answering-machine detector (dd_call_detect_answering_machine()) decided; once.
   */
  call_signals[SIGNAL_ANSWERED_BY] =
    g_signal_new ("answered-by", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, DD_TYPE_ANSWERING_MACHINE_VERDICT,
                  DD_TYPE_ANSWERING_MACHINE_REASON, G_TYPE_UINT);
}

static void
dd_call_init (DdCall *self)
{
  self->digits = g_string_new (NULL);
}

static void
set_state (DdCall      *self,
           DdCallState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), call_properties[CALL_PROP_STATE]);
}

/* DdSipEngine */

static void dial_waiting (DdSipEngine *self);

/* Accounts */

static Account *
account_ref (Account *account)
{
  g_atomic_int_inc (&account->ref_count);
  return account;
}

static void
account_unref (Account *account)
{
  if (!g_atomic_int_dec_and_test (&account->ref_count))
    return;
  g_clear_handle_id (&account->retry_source, g_source_remove);
  g_free (account->name);
  g_free (account->aor);
  g_free (account->display_name);
  g_free (account->registrar);
  g_free (account->outbound_proxy);
  g_free (account->auth_user);
  dd_secret_free (account->password);
  g_free (account->reason);
  g_free (account);
}

static Account *
find_account (DdSipEngine *self,
              const char  *name)
{
  for (guint i = 0; name != NULL && i < self->accounts->len; i++)
    {
      Account *account = g_ptr_array_index (self->accounts, i);

      if (g_strcmp0 (account->name, name) == 0)
        return account;
    }
  return NULL;
}

/* @uri with the account's transport (";transport=tcp"), unless it names one already. */
static char *
with_transport (const char     *uri,
                DdSipTransport  transport)
{
  if (uri == NULL || *uri == '\0')
    return NULL;
  if (transport == DD_SIP_TRANSPORT_UDP || strstr (uri, ";transport=") != NULL)
    return g_strdup (uri);
  return g_strdup_printf ("%s;transport=%s", uri,
                          transport == DD_SIP_TRANSPORT_TLS ? "tls" : "tcp");
}

static void
account_set_state (Account           *account,
                   DdSipAccountState  state,
                   guint              status,
                   const char        *reason)
{
  DdSipEngine *self = account->engine;

  if (account->state == state && account->status == status &&
      g_strcmp0 (account->reason, reason) == 0)
    return;
  account->state = state;
  account->status = status;
  g_free (account->reason);
  account->reason = g_strdup (reason);
  g_signal_emit (self, engine_signals[ENGINE_SIGNAL_ACCOUNT_CHANGED], 0, account->name);
}

static void
account_register (Account *account)
{
  DdSipEngine *self = account->engine;
  DdSipRegisterParams params = { 0 };
  g_autofree char *registrar = with_transport (account->registrar, account->transport);
  g_autofree char *proxy = with_transport (account->outbound_proxy, account->transport);

  params.key = account->name;
  params.registrar_uri = registrar;
  params.aor = account->aor;
  params.display_name = account->display_name;
  params.contact_user = "dunning-desk";
  params.auth_user = account->auth_user;
  params.password = account->password;
  params.expires = account->expires;
  params.outbound_proxy = proxy;
  account_set_state (account, DD_SIP_ACCOUNT_REGISTERING, 0, NULL);
  dd_sip_core_register (self->core, &params);
}

static gboolean
retry_registration (gpointer user_data)
{
  Account *account = user_data;

  account->retry_source = 0;
  if (!account->removed)
    account_register (account);
  return G_SOURCE_REMOVE;
}

/* A registration's outcome: registered; or refused or lost, then tried again after a pause
 * that doubles with each failure (up to 5 minutes) — the network may be back by then. A
 * wrong password or an unknown user is not retried: it needs the user. */
static void
registration_event (DdSipEngine      *self,
                    const DdSipEvent *event)
{
  Account *account = find_account (self, event->text);
  guint delay;

  if (account == NULL)
    return;
  if (event->local)
    {
      account->failures = 0;
      account_set_state (account, DD_SIP_ACCOUNT_REGISTERED, event->status, event->reason);
      return;
    }
  /* this registration is over either way; a new one is tried later unless the registrar
   * refused who we are (the user must fix the account first) */
  dd_sip_core_unregister (self->core, account->name);
  account->failures++;
  g_clear_handle_id (&account->retry_source, g_source_remove);
  if (event->status != 401 && event->status != 403 && event->status != 407 &&
      event->status != 404)
    {
      delay = self->retry_base_ms << MIN (account->failures - 1, 8);
      account->retry_source = g_timeout_add (MIN (delay, 300000), retry_registration, account);
    }
  account_set_state (account, DD_SIP_ACCOUNT_FAILED, event->status, event->reason);
}

gboolean
dd_sip_engine_add_account (DdSipEngine               *self,
                           const DdSipAccountConfig  *config,
                           GError                   **error)
{
  Account *account;

  g_return_val_if_fail (DD_IS_SIP_ENGINE (self), FALSE);
  g_return_val_if_fail (config != NULL && config->name != NULL, FALSE);

  if (config->aor == NULL || !g_str_has_prefix (config->aor, "sip:") ||
      strchr (config->aor, '@') == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a SIP address: it should look like sip:user@server"),
                   config->aor != NULL ? config->aor : "");
      return FALSE;
    }
  if (config->registrar != NULL && *config->registrar &&
      !g_str_has_prefix (config->registrar, "sip:"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a SIP server address: it should look like sip:server"),
                   config->registrar);
      return FALSE;
    }
  dd_sip_engine_remove_account (self, config->name);
  account = g_new0 (Account, 1);
  account->ref_count = 1;
  account->engine = self;
  account->name = g_strdup (config->name);
  account->aor = g_strdup (config->aor);
  account->display_name = g_strdup (config->display_name);
  account->registrar = config->registrar != NULL && *config->registrar
                       ? g_strdup (config->registrar) : NULL;
  account->outbound_proxy = config->outbound_proxy != NULL && *config->outbound_proxy
                            ? g_strdup (config->outbound_proxy) : NULL;
  account->auth_user = config->auth_user != NULL && *config->auth_user
                       ? g_strdup (config->auth_user) : NULL;
  account->password = g_strdup (config->password);
  account->transport = config->transport;
  account->max_calls = config->max_calls;
  account->expires = config->expires > 0 ? config->expires : 600;
  account->state = DD_SIP_ACCOUNT_UNREGISTERED;
  g_ptr_array_add (self->accounts, account);
  if (account->registrar != NULL)
    account_register (account);
  dial_waiting (self);
  return TRUE;
}

void
dd_sip_engine_remove_account (DdSipEngine *self,
                              const char  *name)
{
  Account *account;

  g_return_if_fail (DD_IS_SIP_ENGINE (self));

  account = find_account (self, name);
  if (account == NULL)
    return;
  account->removed = TRUE;
  g_clear_handle_id (&account->retry_source, g_source_remove);
  if (account->registrar != NULL)
    dd_sip_core_unregister (self->core, account->name);
  g_ptr_array_remove (self->accounts, account);   /* calls keep their reference */
}

DdSipAccountState
dd_sip_engine_get_account_state (DdSipEngine  *self,
                                 const char   *name,
                                 guint        *status,
                                 const char  **reason)
{
  Account *account;

  g_return_val_if_fail (DD_IS_SIP_ENGINE (self), DD_SIP_ACCOUNT_UNKNOWN);

  account = find_account (self, name);
  if (status != NULL)
    *status = account != NULL ? account->status : 0;
  if (reason != NULL)
    *reason = account != NULL ? account->reason : NULL;
  return account != NULL ? account->state : DD_SIP_ACCOUNT_UNKNOWN;
}

guint
dd_sip_engine_get_account_calls (DdSipEngine *self,
                                 const char  *name)
{
  Account *account;

  g_return_val_if_fail (DD_IS_SIP_ENGINE (self), 0);
  account = find_account (self, name);
  return account != NULL ? account->n_calls : 0;
}

void
dd_sip_engine_set_registration_retry (DdSipEngine *self,
                                      guint        first_ms)
{
  g_return_if_fail (DD_IS_SIP_ENGINE (self));
  self->retry_base_ms = MAX (first_ms, 100);
}

static void
dial_now (DdSipEngine *self,
          DdCall      *call)
{
  DdSipDialParams params = { 0 };
  Account *account = call->account;
  g_autofree char *to = NULL;
  g_autofree char *proxy = NULL;

  params.to_uri = call->uri;
  params.from_uri = call->from_uri;
  params.from_name = call->from_name;
  params.contact_user = "dunning-desk";
  params.auth_user = call->auth_user;
  params.password = call->password;
  if (account != NULL)
    {
      /* the account's caller ID, credentials, proxy and transport (the per-call From name
       * stays, where the trunk lets it through) */
      params.from_uri = account->aor;
      if (params.from_name == NULL)
        params.from_name = account->display_name;
      params.auth_user = account->auth_user;
      params.password = account->password;
      proxy = with_transport (account->outbound_proxy, account->transport);
      to = proxy != NULL ? g_strdup (call->uri) : with_transport (call->uri, account->transport);
      params.to_uri = to;
      params.outbound_proxy = proxy;
      account->n_calls++;
    }
  params.ring_timeout_ms = (call->options.ring_timeout_s > 0 ? call->options.ring_timeout_s : 30)
                           * 1000;
  call->queued = FALSE;
  self->n_dialled++;
  dd_sip_core_dial (self->core, call->id, &params);
  if (call->detector != NULL)
    {
      /* asked for while it waited: the engine's thread has it from now on */
      dd_sip_core_detect_machine (self->core, call->id, call->detector);
      g_clear_object (&call->detector);
    }
}

/* The account with room for one more call, the next in turn after the last one used. */
static Account *
next_free_account (DdSipEngine *self)
{
  for (guint i = 0; i < self->accounts->len; i++)
    {
      guint index = (self->next_account + i) % self->accounts->len;
      Account *account = g_ptr_array_index (self->accounts, index);

      if (account->max_calls == 0 || account->n_calls < account->max_calls)
        {
          self->next_account = index + 1;
          return account;
        }
    }
  return NULL;
}

static void
dial_waiting (DdSipEngine *self)
{
  /* in order; a call whose account is full waits without holding up the others' */
  for (GList *l = self->waiting.head; l != NULL;)
    {
      DdCall *call = l->data;
      GList *next = l->next;

      if (self->max_calls > 0 && self->n_dialled >= self->max_calls)
        break;
      if (call->any_account)
        {
          Account *account = next_free_account (self);

          if (account == NULL)
            {
              l = next;
              continue;
            }
          call->account = account_ref (account);
          call->any_account = FALSE;
        }
      else if (call->account != NULL && call->account->max_calls > 0 &&
               call->account->n_calls >= call->account->max_calls)
        {
          l = next;
          continue;
        }
      g_queue_delete_link (&self->waiting, l);
      dial_now (self, call);
      l = next;
    }
}

/* An incoming call: a DdCall ringing here, offered to whoever listens; with nobody to take it
 * (no handler, or the limit reached) it is refused busy at once. */
static void
incoming (DdSipEngine      *self,
          const DdSipEvent *event)
{
  g_autoptr(DdCall) call = g_object_new (DD_TYPE_CALL, NULL);

  call->engine = self;
  call->id = event->call_id;
  call->inbound = TRUE;
  call->uri = g_strdup (event->text);
  call->remote_name = g_strdup (event->name != NULL && *event->name ? event->name : NULL);
  call->local_uri = g_strdup (event->text2);
  call->state = DD_CALL_STATE_RINGING;
  if (!g_signal_has_handler_pending (self, engine_signals[ENGINE_SIGNAL_INCOMING_CALL], 0,
                                     FALSE) ||
      (self->max_calls > 0 && self->n_dialled >= self->max_calls))
    {
      dd_sip_core_hangup (self->core, call->id, 486);
      return;
    }
  self->n_dialled++;
  g_hash_table_insert (self->calls, GUINT_TO_POINTER (call->id), g_object_ref (call));
  g_signal_emit (self, engine_signals[ENGINE_SIGNAL_INCOMING_CALL], 0, call);
}

static void
on_core_event (const DdSipEvent *event,
               gpointer          user_data)
{
  DdSipEngine *self = user_data;
  g_autoptr(DdCall) call = NULL;

  if (event->kind == DD_SIP_EVENT_INCOMING)
    {
      incoming (self, event);
      return;
    }
  if (event->kind == DD_SIP_EVENT_REGISTRATION)
    {
      registration_event (self, event);
      return;
    }
  call = g_hash_table_lookup (self->calls, GUINT_TO_POINTER (event->call_id));
  if (call == NULL)
    return;
  g_object_ref (call);
  switch (event->kind)
    {
    case DD_SIP_EVENT_RINGING:
      set_state (call, DD_CALL_STATE_RINGING);
      break;
    case DD_SIP_EVENT_EARLY_MEDIA:
      set_state (call, DD_CALL_STATE_EARLY_MEDIA);
      break;
    case DD_SIP_EVENT_ANSWERED:
      call->sip_status = event->status;
      set_state (call, DD_CALL_STATE_ANSWERED);
      break;
    case DD_SIP_EVENT_DTMF:
      g_string_append_c (call->digits, event->digit);
      g_signal_emit (call, call_signals[SIGNAL_DTMF], 0, event->digit, event->in_band);
      break;
    case DD_SIP_EVENT_PLAYBACK_FINISHED:
      g_signal_emit (call, call_signals[SIGNAL_PLAYBACK_FINISHED], 0, event->interrupted);
      break;
    case DD_SIP_EVENT_ANSWERED_BY:
      if (call->verdict != DD_ANSWERING_MACHINE_VERDICT_UNDECIDED)
        break;
      call->verdict = (DdAnsweringMachineVerdict) event->verdict;
      g_signal_emit (call, call_signals[SIGNAL_ANSWERED_BY], 0,
                     (DdAnsweringMachineVerdict) event->verdict,
                     (DdAnsweringMachineReason) event->verdict_reason, event->verdict_ms);
      break;
    case DD_SIP_EVENT_ENDED:
      call->end_cause = (DdCallEndCause) event->cause;
      call->sip_status = event->status;
      call->heard_ms = event->heard_ms;
      call->sound_ms = event->sound_ms;
      g_free (call->sip_reason);
      call->sip_reason = g_strdup (event->reason);
      if (self->n_dialled > 0)
        self->n_dialled--;
      if (call->account != NULL && call->account->n_calls > 0)
        call->account->n_calls--;
      g_hash_table_remove (self->calls, GUINT_TO_POINTER (event->call_id));
      if (call->writer != NULL)
        {
          dd_wav_writer_close (call->writer, NULL);
          call->writer = NULL;
        }
      set_state (call, DD_CALL_STATE_ENDED);
      g_signal_emit (call, call_signals[SIGNAL_ENDED], 0);
      dial_waiting (self);
      break;
    default:
      break;
    }
}

static void
dd_sip_engine_dispose (GObject *object)
{
  DdSipEngine *self = DD_SIP_ENGINE (object);

  if (self->accounts != NULL)
    for (guint i = 0; i < self->accounts->len; i++)
      {
        Account *account = g_ptr_array_index (self->accounts, i);

        account->removed = TRUE;
        g_clear_handle_id (&account->retry_source, g_source_remove);
      }
  g_clear_pointer (&self->core, dd_sip_core_stop);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_queue_clear (&self->waiting);
  g_clear_pointer (&self->calls, g_hash_table_unref);
  g_clear_pointer (&self->caller_ids, g_strfreev);
  G_OBJECT_CLASS (dd_sip_engine_parent_class)->dispose (object);
}

static void
dd_sip_engine_class_init (DdSipEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dd_sip_engine_dispose;

  /**
   * DdSipEngine::incoming-call:
   * @call: a DdCall ringing here (dd_call_is_inbound())
   *
   * Someone calls: answer with dd_call_answer(), refuse with dd_call_reject(), or let it
   * ring (it ends when the caller gives up, or unanswered after the ring timeout). Only
   * after dd_sip_engine_set_inbound(); a call with no handler is refused busy.
   */
  engine_signals[ENGINE_SIGNAL_INCOMING_CALL] =
    g_signal_new ("incoming-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, DD_TYPE_CALL);
  /**
   * DdSipEngine::account-changed:
   * @name: the account's name
   *
   * An account's registration changed: dd_sip_engine_get_account_state() tells.
   */
  engine_signals[ENGINE_SIGNAL_ACCOUNT_CHANGED] =
    g_signal_new ("account-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dd_sip_engine_init (DdSipEngine *self)
{
  self->calls = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_object_unref);
  self->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) account_unref);
  self->retry_base_ms = 5000;
  g_queue_init (&self->waiting);
}

DdSipEngine *
dd_sip_engine_new (const char  *address,
                   guint16      port,
                   GError     **error)
{
  g_autoptr(DdSipEngine) self = g_object_new (DD_TYPE_SIP_ENGINE, NULL);

  self->core = dd_sip_core_start (address, port, NULL, NULL, on_core_event, self, error);
  if (self->core == NULL)
    return NULL;
  dd_sip_core_set_inbound (self->core, FALSE, 0);
  return g_steal_pointer (&self);
}

guint16
dd_sip_engine_get_port (DdSipEngine *self)
{
  g_return_val_if_fail (DD_IS_SIP_ENGINE (self), 0);

  return dd_sip_core_get_port (self->core);
}

void
dd_sip_engine_set_max_calls (DdSipEngine *self,
                             guint        max)
{
  g_return_if_fail (DD_IS_SIP_ENGINE (self));

  self->max_calls = max;
  dial_waiting (self);
}

DdCall *
dd_sip_engine_dial (DdSipEngine         *self,
                    const char          *uri,
                    const DdCallOptions *options)
{
  DdCall *call;
  Account *account = NULL;

  g_return_val_if_fail (DD_IS_SIP_ENGINE (self), NULL);
  g_return_val_if_fail (uri != NULL && options != NULL, NULL);

  if (options->account != NULL)
    {
      account = find_account (self, options->account);
      g_return_val_if_fail (account != NULL, NULL);
    }
  g_return_val_if_fail (account != NULL || options->from_uri != NULL ||
                        (self->caller_ids != NULL && self->caller_ids[0] != NULL) ||
                        self->accounts->len > 0, NULL);

  call = g_object_new (DD_TYPE_CALL, NULL);
  call->engine = self;
  call->id = dd_sip_core_new_call_id (self->core);
  call->uri = g_strdup (uri);
  call->options = *options;
  if (account != NULL)
    call->account = account_ref (account);
  else if (options->from_uri != NULL)
    call->from_uri = g_strdup (options->from_uri);
  else if (self->caller_ids != NULL && self->caller_ids[0] != NULL)
    {
      /* rotation: each call the next caller ID of the pool */
      call->from_uri = g_strdup (self->caller_ids[self->next_caller_id]);
      self->next_caller_id = (self->next_caller_id + 1) % g_strv_length (self->caller_ids);
    }
  else
    call->any_account = TRUE;   /* rotation over the accounts, as they have room */
  call->options.from_uri = NULL;
  call->options.account = NULL;
  call->from_name = g_strdup (options->from_name);
  call->auth_user = g_strdup (options->auth_user);
  call->password = g_strdup (options->password);
  g_hash_table_insert (self->calls, GUINT_TO_POINTER (call->id), g_object_ref (call));
  call->queued = TRUE;
  g_queue_push_tail (&self->waiting, call);
  dial_waiting (self);
  return call;
}

void
dd_sip_engine_set_caller_ids (DdSipEngine       *self,
                              const char *const *from_uris)
{
  g_return_if_fail (DD_IS_SIP_ENGINE (self));

  g_clear_pointer (&self->caller_ids, g_strfreev);
  self->next_caller_id = 0;
  if (from_uris != NULL && from_uris[0] != NULL)
    self->caller_ids = g_strdupv ((char **) from_uris);
}

void
dd_sip_engine_set_call_limits (DdSipEngine *self,
                               guint        rtp_timeout_ms,
                               guint        max_call_ms)
{
  g_return_if_fail (DD_IS_SIP_ENGINE (self));

  dd_sip_core_set_rtp_timeout (self->core, rtp_timeout_ms);
  dd_sip_core_set_max_call_length (self->core, max_call_ms);
}

guint
dd_sip_engine_get_n_active (DdSipEngine *self)
{
  g_return_val_if_fail (DD_IS_SIP_ENGINE (self), 0);

  return g_hash_table_size (self->calls);
}

DdCallState
dd_call_get_state (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), DD_CALL_STATE_ENDED);
  return self->state;
}

DdCallEndCause
dd_call_get_end_cause (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), DD_CALL_END_NONE);
  return self->end_cause;
}

guint
dd_call_get_sip_status (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), 0);
  return self->sip_status;
}

const char *
dd_call_get_sip_reason (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), NULL);
  return self->sip_reason;
}

const char *
dd_call_get_uri (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), NULL);
  return self->uri;
}

const char *
dd_call_get_digits (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), NULL);
  return self->digits->str;
}

void
dd_call_hangup (DdCall *self)
{
  g_return_if_fail (DD_IS_CALL (self));

  if (self->state == DD_CALL_STATE_ENDED)
    return;
  if (self->queued)
    {
      /* never dialled: it simply ends */
      g_queue_remove (&self->engine->waiting, self);
      self->queued = FALSE;
      self->end_cause = DD_CALL_END_CANCELLED;
      g_object_ref (self);
      g_hash_table_remove (self->engine->calls, GUINT_TO_POINTER (self->id));
      set_state (self, DD_CALL_STATE_ENDED);
      g_signal_emit (self, call_signals[SIGNAL_ENDED], 0);
      g_object_unref (self);
      return;
    }
  dd_sip_core_hangup (self->engine->core, self->id, 0);
}

void
dd_call_play_pcm (DdCall   *self,
                  GBytes   *pcm,
                  gboolean  barge_in)
{
  g_return_if_fail (DD_IS_CALL (self));
  g_return_if_fail (pcm != NULL);

  if (self->state == DD_CALL_STATE_ENDED || self->queued)
    return;
  dd_sip_core_play (self->engine->core, self->id, pcm, ++self->next_play_id, barge_in);
}

void
dd_call_send_dtmf (DdCall     *self,
                   const char *digits)
{
  g_return_if_fail (DD_IS_CALL (self));

  if (self->state == DD_CALL_STATE_ENDED || self->queued)
    return;
  dd_sip_core_send_dtmf (self->engine->core, self->id, digits);
}

gboolean
dd_call_record_to (DdCall      *self,
                   const char  *path,
                   GError     **error)
{
  g_return_val_if_fail (DD_IS_CALL (self), FALSE);
  g_return_val_if_fail (self->writer == NULL, FALSE);

  self->writer = dd_wav_writer_open (path, 8000, 1, error);
  if (self->writer == NULL)
    return FALSE;
  dd_sip_core_record (self->engine->core, self->id, self->writer);
  return TRUE;
}

gboolean
dd_call_is_inbound (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), FALSE);
  return self->inbound;
}

const char *
dd_call_get_remote_name (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), NULL);
  return self->remote_name;
}

const char *
dd_call_get_local_uri (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), NULL);
  return self->local_uri;
}

void
dd_call_answer (DdCall *self)
{
  g_return_if_fail (DD_IS_CALL (self));
  g_return_if_fail (self->inbound);

  if (self->state != DD_CALL_STATE_RINGING)
    return;
  dd_sip_core_answer (self->engine->core, self->id);
}

void
dd_call_reject (DdCall *self,
                guint   status)
{
  g_return_if_fail (DD_IS_CALL (self));
  g_return_if_fail (self->inbound);
  g_return_if_fail (status == 0 || (status >= 400 && status < 700));

  if (self->state != DD_CALL_STATE_RINGING)
    return;
  dd_sip_core_hangup (self->engine->core, self->id, status);
}

void
dd_sip_engine_set_inbound (DdSipEngine *self,
                           gboolean     accept,
                           guint        ring_timeout_s)
{
  g_return_if_fail (DD_IS_SIP_ENGINE (self));
  dd_sip_core_set_inbound (self->core, accept, ring_timeout_s * 1000);
}

const char *
dd_call_get_account (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), NULL);
  return self->account != NULL ? self->account->name : NULL;
}

void
dd_call_set_media_link (DdCall      *self,
                        DdMediaLink *link)
{
  g_return_if_fail (DD_IS_CALL (self));

  if (self->state == DD_CALL_STATE_ENDED || self->queued)
    return;
  dd_sip_core_attach_audio (self->engine->core, self->id, link);
}

char *
dd_call_describe_end (DdCall *self)
{
  const char *what;

  g_return_val_if_fail (DD_IS_CALL (self), NULL);

  switch (self->end_cause)
    {
    case DD_CALL_END_COMPLETED:
      what = _("Answered and completed");
      break;
    case DD_CALL_END_BUSY:
      what = _("Busy");
      break;
    case DD_CALL_END_NO_ANSWER:
      what = _("No answer");
      break;
    case DD_CALL_END_REJECTED:
      what = _("Rejected");
      break;
    case DD_CALL_END_INVALID_NUMBER:
      what = _("The number does not exist");
      break;
    case DD_CALL_END_UNREACHABLE:
      what = _("Unreachable");
      break;
    case DD_CALL_END_CANCELLED:
      what = _("Cancelled");
      break;
    case DD_CALL_END_NETWORK_ERROR:
      what = _("Network error");
      break;
    case DD_CALL_END_NO_MEDIA:
      what = _("Answered without a usable audio description");
      break;
    case DD_CALL_END_MAX_LENGTH:
      what = _("Cut off at the maximum call length");
      break;
    case DD_CALL_END_NO_CODEC:
      what = _("No audio codec in common");
      break;
    case DD_CALL_END_REDIRECTED:
      what = _("Redirected, but to no reachable destination");
      break;
    case DD_CALL_END_NONE:
      what = _("Not ended");
      break;
    case DD_CALL_END_FAILED:
    default:
      /* a challenge we could not meet (no password, a wrong one, or one asked for again and
       * again): the user can do something about it */
      if (self->sip_status == 401 || self->sip_status == 407)
        what = _("The provider refused the line's login: check its user name and password");
      else
        what = _("Failed");
      break;
    }
  if (self->sip_status >= 300 && self->sip_reason != NULL && *self->sip_reason != '\0')
    /* Translators: how a call ended, then the SIP status and reason: "Busy (486 Busy Here)" */
    return g_strdup_printf (_("%s (%u %s)"), what, self->sip_status, self->sip_reason);
  return g_strdup (what);
}

void
dd_call_detect_answering_machine (DdCall             *self,
                                  DdAnsweringMachine *detector)
{
  g_return_if_fail (DD_IS_CALL (self));
  g_return_if_fail (detector == NULL || DD_IS_ANSWERING_MACHINE (detector));

  if (self->state == DD_CALL_STATE_ENDED)
    return;
  g_clear_object (&self->detector);
  self->detector = detector != NULL ? g_object_ref (detector) : dd_answering_machine_new ();
  if (!self->queued)
    {
      /* the engine's thread has it from now on */
      dd_sip_core_detect_machine (self->engine->core, self->id, self->detector);
      g_clear_object (&self->detector);
    }
}

guint
dd_call_get_heard_ms (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), 0);

  return self->heard_ms;
}

guint
dd_call_get_sound_ms (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), 0);

  return self->sound_ms;
}

DdAnsweringMachineVerdict
dd_call_get_answering_machine_verdict (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), DD_ANSWERING_MACHINE_VERDICT_UNDECIDED);
  return self->verdict;
}
