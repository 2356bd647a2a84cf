/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "dd-ivr-machine"

#include "config.h"

#include "dd-ivr-machine.h"
#include "dd-money.h"
#include "dd-speech.h"

#include <string.h>

/* Nodes that take no time (send SMS, set status, time switch) in a row without an event
 * between them: more means a loop the validator would have reported; the call is ended. */
#define MAX_INSTANT_STEPS 100

#define MAX_AMOUNT_KEYS 16

typedef enum
{
  PHASE_NONE,
  PHASE_PROMPT,        /* playing the prompt of a node that listens to keys */
  PHASE_WAIT,          /* prompt done, timer running */
  PHASE_PLAY,          /* playing a message, then "done" */
} Phase;

typedef enum
{
  DECLARE_DATE,
  DECLARE_AMOUNT,
  DECLARE_CONFIRM,
} DeclareStep;

struct _DdIvrMachine
{
  GObject             parent_instance;

  DdIvrFlow          *flow;
  DdIvrCaseInfo      *info;
  GDateTime          *now;
  const char         *language;

  DdIvrMachineState   state;
  char               *current;
  Phase               phase;
  gboolean            playing;
  guint               timer_id;
  guint               next_timer_id;
  guint               attempts;
  guint               instant_steps;
  GString            *keys;
  GString            *typed_ahead; /* keys pressed during messages, for the next listener */
  DeclareStep         declare_step;
  GDate               declared_date;
  gint64              declared_minor;

  GPtrArray          *trace;       /* DdIvrStep* */
  GHashTable         *variables;   /* name → value */
  GPtrArray          *actions;     /* of the event being handled */
};

G_DEFINE_TYPE (DdIvrMachine, dd_ivr_machine, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (DdIvrCaseInfo, dd_ivr_case_info, dd_ivr_case_info_copy,
                     dd_ivr_case_info_free)
G_DEFINE_BOXED_TYPE (DdIvrAction, dd_ivr_action, dd_ivr_action_copy, dd_ivr_action_free)

G_DEFINE_ENUM_TYPE (DdIvrActionType, dd_ivr_action_type,
  G_DEFINE_ENUM_VALUE (DD_IVR_ACTION_PLAY, "play"),
  G_DEFINE_ENUM_VALUE (DD_IVR_ACTION_STOP_PLAYBACK, "stop-playback"),
  G_DEFINE_ENUM_VALUE (DD_IVR_ACTION_START_TIMER, "start-timer"),
  G_DEFINE_ENUM_VALUE (DD_IVR_ACTION_STOP_TIMER, "stop-timer"),
  G_DEFINE_ENUM_VALUE (DD_IVR_ACTION_COLLECT, "collect"),
  G_DEFINE_ENUM_VALUE (DD_IVR_ACTION_TRANSFER, "transfer"),
  G_DEFINE_ENUM_VALUE (DD_IVR_ACTION_SEND_SMS, "send-sms"),
  G_DEFINE_ENUM_VALUE (DD_IVR_ACTION_RECORD_DECLARATION, "record-declaration"),
  G_DEFINE_ENUM_VALUE (DD_IVR_ACTION_SET_STATUS, "set-status"),
  G_DEFINE_ENUM_VALUE (DD_IVR_ACTION_HANG_UP, "hang-up"))

/* Sentences the machine says itself when a node leaves a text empty, in the flow's language
 * (not the user interface's: these are not gettext strings). */
typedef struct
{
  const char *invoice;
  const char *date_prompt;
  const char *amount_prompt;
  const char *confirm_prompt;
  const char *invalid;
} Phrases;

static const Phrases phrases_en = {
  "Invoice number {invoice} for {amount} was due on {due_date}.",
  "Enter the date you will pay, day and month, then press the hash key.",
  "Enter the amount you will pay, with the star key before the cents, then press the hash "
  "key.",
  "You declared {declared_amount} on {declared_date}. Press 1 to confirm or 2 to enter it "
  "again.",
  "That was not valid.",
};

static const Phrases phrases_pl = {
  "Faktura numer {invoice} na kwotę {amount}, termin płatności {due_date}.",
  "Wprowadź datę wpłaty: dzień i miesiąc, a potem krzyżyk.",
  "Wprowadź kwotę wpłaty, gwiazdka oddziela grosze, na końcu krzyżyk.",
  "Deklarujesz wpłatę {declared_amount} w dniu {declared_date}. Naciśnij 1, aby potwierdzić, "
  "lub 2, aby wprowadzić ponownie.",
  "Nieprawidłowe dane.",
};

static const Phrases phrases_ru = {
  "Счёт номер {invoice} на сумму {amount}, срок оплаты {due_date}.",
  "Введите дату оплаты: день и месяц, затем нажмите решётку.",
  "Введите сумму оплаты, звёздочка отделяет копейки, в конце нажмите решётку.",
  "Вы обещаете оплатить {declared_amount} {declared_date}. Нажмите 1 для подтверждения или 2, "
  "чтобы ввести заново.",
  "Неверный ввод.",
};

static void enter_node (DdIvrMachine *self,
                        const char   *node_id);
static void take_key   (DdIvrMachine    *self,
                        const DdIvrNode *node,
                        char             key);

/* Case info */

/**
 * dd_ivr_case_info_new:
 *
 * Returns: (transfer full): empty case information: no strings, amounts of zero, currency
 *   PLN, no due date, language "pl"
 */
DdIvrCaseInfo *
dd_ivr_case_info_new (void)
{
  DdIvrCaseInfo *info = g_new0 (DdIvrCaseInfo, 1);

  strcpy (info->currency, "PLN");
  g_date_clear (&info->due_date, 1);
  info->language = g_strdup ("pl");

  return info;
}

DdIvrCaseInfo *
dd_ivr_case_info_copy (const DdIvrCaseInfo *info)
{
  DdIvrCaseInfo *copy = g_new0 (DdIvrCaseInfo, 1);

  *copy = *info;
  copy->name = g_strdup (info->name);
  copy->invoice = g_strdup (info->invoice);
  copy->creditor = g_strdup (info->creditor);
  copy->payment_link = g_strdup (info->payment_link);
  copy->agent_phone = g_strdup (info->agent_phone);
  copy->language = g_strdup (info->language);

  return copy;
}

void
dd_ivr_case_info_free (DdIvrCaseInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->name);
  g_free (info->invoice);
  g_free (info->creditor);
  g_free (info->payment_link);
  g_free (info->agent_phone);
  g_free (info->language);
  g_free (info);
}

/* Actions */

DdIvrAction *
dd_ivr_action_copy (const DdIvrAction *action)
{
  DdIvrAction *copy = g_new0 (DdIvrAction, 1);

  *copy = *action;
  copy->node_id = g_strdup (action->node_id);
  copy->text = g_strdup (action->text);
  copy->file = g_strdup (action->file);
  copy->language = g_strdup (action->language);
  copy->queue = g_strdup (action->queue);
  copy->status = g_strdup (action->status);
  copy->voice = g_strdup (action->voice);

  return copy;
}

void
dd_ivr_action_free (DdIvrAction *action)
{
  if (action == NULL)
    return;

  g_free (action->node_id);
  g_free (action->text);
  g_free (action->file);
  g_free (action->language);
  g_free (action->queue);
  g_free (action->status);
  g_free (action->voice);
  g_free (action);
}

static void
step_free (DdIvrStep *step)
{
  g_free (step->node_id);
  g_free (step->outcome);
  g_free (step);
}

/* Rendering */

static const char *
currency_of (const DdIvrCaseInfo *info)
{
  return info->currency[0] != '\0' ? info->currency : "PLN";
}

static char *
format_date (const GDate *date,
             const char  *language)
{
  char buffer[32];

  if (!g_date_valid (date))
    return g_strdup ("");

  if (strcmp (dd_speech_normalize_language (language), "en") == 0)
    g_date_strftime (buffer, sizeof buffer, "%Y-%m-%d", date);
  else
    g_date_strftime (buffer, sizeof buffer, "%d.%m.%Y", date);

  return g_strdup (buffer);
}

static char *
render_placeholder (const char          *name,
                    const DdIvrCaseInfo *info,
                    DdIvrRenderMode      mode)
{
  gboolean speech = mode == DD_IVR_RENDER_SPEECH;
  const char *language = info->language;

  if (strcmp (name, "name") == 0)
    return g_strdup (info->name != NULL ? info->name : "");
  if (strcmp (name, "creditor") == 0)
    return g_strdup (info->creditor != NULL ? info->creditor : "");
  if (strcmp (name, "payment_link") == 0)
    return g_strdup (info->payment_link != NULL ? info->payment_link : "");
  if (strcmp (name, "amount") == 0 || strcmp (name, "balance") == 0)
    {
      gint64 minor = name[0] == 'a' ? info->amount_minor : info->balance_minor;

      return speech ? dd_speech_amount (minor, currency_of (info), language)
                    : dd_money_format (minor, currency_of (info), language);
    }
  if (strcmp (name, "due_date") == 0)
    {
      if (!g_date_valid (&info->due_date))
        return g_strdup ("");
      return speech ? dd_speech_date (&info->due_date, language)
                    : format_date (&info->due_date, language);
    }
  if (strcmp (name, "invoice") == 0 || strcmp (name, "agent_phone") == 0)
    {
      const char *value = name[0] == 'i' ? info->invoice : info->agent_phone;

      if (value == NULL)
        return g_strdup ("");
      return speech ? dd_speech_characters (value, language) : g_strdup (value);
    }

  return NULL;
}

/**
 * dd_ivr_render:
 * @text: a text with {placeholders}
 * @info: the case
 * @mode: words for speech, or formatted for an SMS
 * @extra: (nullable) (element-type utf8 utf8): more placeholders, already rendered
 *
 * Replaces the known placeholders (see dd_ivr_placeholder_is_known()) and those of @extra
 * with the case's values in its language; a value the case lacks becomes empty. Unknown
 * placeholders and lone braces are left as they are.
 *
 * Returns: (transfer full): the text
 */
char *
dd_ivr_render (const char          *text,
               const DdIvrCaseInfo *info,
               DdIvrRenderMode      mode,
               GHashTable          *extra)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (info != NULL, NULL);

  if (text == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (text));
  for (p = text; *p != '\0'; )
    {
      const char *end;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (*p != '{')
        {
          g_string_append_c (out, *p++);
          continue;
        }

      end = p + 1;
      while (g_ascii_isalnum (*end) || *end == '_')
        end++;
      if (*end != '}' || end == p + 1)
        {
          g_string_append_c (out, *p++);
          continue;
        }

      name = g_strndup (p + 1, end - p - 1);
      if (extra != NULL && g_hash_table_contains (extra, name))
        value = g_strdup (g_hash_table_lookup (extra, name));
      else
        value = render_placeholder (name, info, mode);

      if (value != NULL)
        g_string_append (out, value);
      else
        g_string_append_len (out, p, end - p + 1);
      p = end + 1;
    }

  return g_string_free (out, FALSE);
}

/* Machinery */

static const Phrases *
phrases (DdIvrMachine *self)
{
  if (strcmp (self->language, "pl") == 0)
    return &phrases_pl;
  if (strcmp (self->language, "ru") == 0)
    return &phrases_ru;

  return &phrases_en;
}

static const DdIvrNode *
current_node (DdIvrMachine *self)
{
  return dd_ivr_flow_get_node (self->flow, self->current);
}

static DdIvrAction *
push_action (DdIvrMachine    *self,
             DdIvrActionType  type)
{
  DdIvrAction *action = g_new0 (DdIvrAction, 1);

  action->type = type;
  action->node_id = g_strdup (self->current);
  g_date_clear (&action->date, 1);
  g_ptr_array_add (self->actions, action);

  return action;
}

static gboolean
is_message (DdIvrNodeType type)
{
  return type == DD_IVR_NODE_PLAY || type == DD_IVR_NODE_SAY_AMOUNT ||
         type == DD_IVR_NODE_SAY_DATE || type == DD_IVR_NODE_SAY_INVOICE;
}

static gboolean
is_listener (DdIvrNodeType type)
{
  return type == DD_IVR_NODE_MENU || type == DD_IVR_NODE_COLLECT_DIGITS ||
         type == DD_IVR_NODE_DECLARE_PAYMENT;
}

/* Whether the messages from @node on lead straight (by their "done" exits) to a node that
 * listens to keys: a key pressed during them is then meant for it (barge-in). */
static gboolean
listener_ahead (DdIvrMachine    *self,
                const DdIvrNode *node)
{
  for (guint steps = 0; node != NULL && steps < MAX_INSTANT_STEPS; steps++)
    {
      if (is_listener (node->type))
        return TRUE;
      if (!is_message (node->type))
        return FALSE;
      node = dd_ivr_flow_get_node (self->flow, dd_ivr_node_get_exit (node, "done"));
    }

  return FALSE;
}

static void
play_text (DdIvrMachine *self,
           const char   *text,
           gboolean      barge_in)
{
  DdIvrAction *action = push_action (self, DD_IVR_ACTION_PLAY);
  const DdIvrNode *node = current_node (self);

  action->text = g_strdup (text);
  action->language = g_strdup (self->language);
  /* the voice chosen for the node's prompts (the campaign wizard's) */
  if (node != NULL)
    action->voice = g_strdup (dd_ivr_node_get_string (node, "voice", NULL));
  action->barge_in = barge_in;
  self->playing = TRUE;
}

static void
stop_playback (DdIvrMachine *self)
{
  if (!self->playing)
    return;

  push_action (self, DD_IVR_ACTION_STOP_PLAYBACK);
  self->playing = FALSE;
}

static void
stop_timer (DdIvrMachine *self)
{
  DdIvrAction *action;

  if (self->timer_id == 0)
    return;

  action = push_action (self, DD_IVR_ACTION_STOP_TIMER);
  action->timer_id = self->timer_id;
  self->timer_id = 0;
}

static void
start_timer (DdIvrMachine *self,
             gint64        timeout_ms)
{
  DdIvrAction *action;

  stop_timer (self);
  action = push_action (self, DD_IVR_ACTION_START_TIMER);
  action->timer_id = ++self->next_timer_id;
  action->timeout_ms = (guint) CLAMP (timeout_ms, 1, G_MAXINT);
  self->timer_id = action->timer_id;
  self->phase = PHASE_WAIT;
}

static char *
render (DdIvrMachine *self,
        const char   *text,
        GHashTable   *extra)
{
  return dd_ivr_render (text, self->info, DD_IVR_RENDER_SPEECH, extra);
}

static void
finish (DdIvrMachine *self)
{
  stop_timer (self);
  self->state = DD_IVR_MACHINE_FINISHED;
  self->phase = PHASE_NONE;
}

static void
hang_up (DdIvrMachine *self)
{
  stop_playback (self);
  finish (self);
  push_action (self, DD_IVR_ACTION_HANG_UP);
}

/* Leaves the current node by @outcome. */
static void
leave (DdIvrMachine *self,
       const char   *outcome)
{
  const DdIvrNode *node = current_node (self);
  DdIvrStep *step = self->trace->len > 0 ? g_ptr_array_index (self->trace, self->trace->len - 1)
                                         : NULL;
  const char *target;

  if (step != NULL && step->outcome == NULL)
    step->outcome = g_strdup (outcome);

  stop_timer (self);
  self->phase = PHASE_NONE;

  target = node != NULL ? dd_ivr_node_get_exit (node, outcome) : NULL;
  if (target == NULL)
    {
      if (node != NULL && node->type == DD_IVR_NODE_TRANSFER && strcmp (outcome, "answered") == 0)
        {
          /* The consultant has the call now. */
          finish (self);
          return;
        }

      g_debug ("Node “%s” has no exit “%s”: hanging up", self->current, outcome);
      hang_up (self);
      return;
    }

  enter_node (self, target);
}

static gint64
node_int (const DdIvrNode *node,
          const char      *param,
          gint64           default_value,
          gint64           min,
          gint64           max)
{
  return CLAMP (dd_ivr_node_get_int (node, param, default_value), min, max);
}

/* Plays the prompt of a node that listens, or starts waiting at once if there is none. */
static void
prompt (DdIvrMachine    *self,
        const DdIvrNode *node,
        const char      *before,
        const char      *text,
        GHashTable      *extra)
{
  g_autofree char *rendered = render (self, text, extra);
  g_autofree char *rendered_before = before != NULL ? render (self, before, NULL) : NULL;
  g_autofree char *full = NULL;

  /* the caller already answered: no prompt; the keys come right after */
  if (self->typed_ahead->len > 0)
    {
      self->phase = PHASE_WAIT;
      return;
    }

  if (rendered_before != NULL && rendered_before[0] != '\0')
    full = rendered[0] != '\0' ? g_strconcat (rendered_before, " ", rendered, NULL)
                               : g_strdup (rendered_before);
  else
    full = g_steal_pointer (&rendered);

  if (full[0] == '\0')
    {
      start_timer (self, node_int (node, "timeout_ms", 5000, 1, G_MAXINT));
      return;
    }

  play_text (self, full, TRUE);
  self->phase = PHASE_PROMPT;
}

static void
play_message (DdIvrMachine *self,
              const char   *text,
              const char   *file)
{
  /* keys pressed during a message before a menu are for the menu: the message may be cut
   * short, and once the caller has pressed them the messages on the way are skipped */
  gboolean barge_in = listener_ahead (self, current_node (self));

  if (self->typed_ahead->len > 0 && barge_in)
    {
      leave (self, "done");
      return;
    }
  g_string_truncate (self->typed_ahead, 0);

  if (file != NULL)
    {
      DdIvrAction *action = push_action (self, DD_IVR_ACTION_PLAY);

      action->file = g_strdup (file);
      action->language = g_strdup (self->language);
      action->barge_in = barge_in;
      self->playing = TRUE;
    }
  else if (text != NULL && text[0] != '\0')
    play_text (self, text, barge_in);
  else
    {
      leave (self, "done");
      return;
    }

  self->phase = PHASE_PLAY;
}

/* Menus */

static void
menu_retry (DdIvrMachine    *self,
            const DdIvrNode *node,
            const char      *outcome)
{
  const char *before = strcmp (outcome, "timeout") == 0
                       ? dd_ivr_node_get_string (node, "timeout_prompt", NULL)
                       : dd_ivr_node_get_string (node, "invalid_prompt", NULL);

  self->attempts++;
  if (self->attempts > (guint) node_int (node, "max_retries", 2, 0, 10))
    {
      leave (self, outcome);
      return;
    }

  stop_timer (self);
  prompt (self, node, before, dd_ivr_node_get_string (node, "prompt", ""), NULL);
}

static void
menu_key (DdIvrMachine    *self,
          const DdIvrNode *node,
          char             key)
{
  char outcome[2] = { key, '\0' };

  /* The keys are the one-character exits of a menu. */
  if (dd_ivr_node_type_has_exit (DD_IVR_NODE_MENU, outcome) &&
      dd_ivr_node_get_exit (node, outcome) != NULL)
    leave (self, outcome);
  else
    menu_retry (self, node, "invalid");
}

/* Collect digits */

static void
collect_finish (DdIvrMachine    *self,
                const DdIvrNode *node)
{
  gint64 min = node_int (node, "min_digits", 1, 0, 64);

  if (self->keys->len > 0 && (gint64) self->keys->len >= min)
    {
      g_hash_table_replace (self->variables,
                            g_strdup (dd_ivr_node_get_string (node, "variable", "digits")),
                            g_strdup (self->keys->str));
      leave (self, "done");
    }
  else if (self->keys->len == 0 && min > 0)
    leave (self, "timeout");
  else
    leave (self, "invalid");
}

static void
collect_key (DdIvrMachine    *self,
             const DdIvrNode *node,
             char             key)
{
  const char *terminator = dd_ivr_node_get_string (node, "terminator", "#");

  if (key == terminator[0])
    {
      /* A terminator alone is a wrong input, not silence. */
      if (self->keys->len == 0 && node_int (node, "min_digits", 1, 0, 64) > 0)
        leave (self, "invalid");
      else
        collect_finish (self, node);
      return;
    }

  if (!g_ascii_isdigit (key))
    {
      leave (self, "invalid");
      return;
    }

  g_string_append_c (self->keys, key);
  if (self->keys->len >= (gsize) node_int (node, "max_digits", 16, 1, 64))
    collect_finish (self, node);
  else
    start_timer (self, node_int (node, "timeout_ms", 5000, 1, G_MAXINT));
}

/* Declare payment */

static const char *
declare_prompt_text (DdIvrMachine    *self,
                     const DdIvrNode *node)
{
  switch (self->declare_step)
    {
    case DECLARE_DATE:
      return dd_ivr_node_get_string (node, "date_prompt", phrases (self)->date_prompt);
    case DECLARE_AMOUNT:
      return dd_ivr_node_get_string (node, "amount_prompt", phrases (self)->amount_prompt);
    case DECLARE_CONFIRM:
    default:
      return dd_ivr_node_get_string (node, "confirm_prompt", phrases (self)->confirm_prompt);
    }
}

static const char *
declare_currency (DdIvrMachine    *self,
                  const DdIvrNode *node)
{
  const char *currency = dd_ivr_node_get_string (node, "currency", NULL);

  if (currency != NULL && strlen (currency) == 3 && dd_money_currency_is_known (currency))
    return currency;

  return currency_of (self->info);
}

static void
declare_ask (DdIvrMachine    *self,
             const DdIvrNode *node,
             const char      *before)
{
  g_autoptr(GHashTable) extra = NULL;

  g_string_truncate (self->keys, 0);

  if (self->declare_step == DECLARE_CONFIRM)
    {
      extra = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_hash_table_insert (extra, "declared_amount",
                           dd_speech_amount (self->declared_minor,
                                             declare_currency (self, node), self->language));
      g_hash_table_insert (extra, "declared_date",
                           dd_speech_date (&self->declared_date, self->language));
    }

  prompt (self, node, before, declare_prompt_text (self, node), extra);
}

static void
declare_retry (DdIvrMachine    *self,
               const DdIvrNode *node)
{
  self->attempts++;
  if (self->attempts > (guint) node_int (node, "max_retries", 2, 0, 10))
    {
      leave (self, "failed");
      return;
    }

  stop_timer (self);
  declare_ask (self, node,
               dd_ivr_node_get_string (node, "invalid_prompt", phrases (self)->invalid));
}

static void
today (DdIvrMachine *self,
       GDate        *out)
{
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) g_date_time_get_day_of_month (self->now),
                  (GDateMonth) g_date_time_get_month (self->now),
                  (GDateYear) g_date_time_get_year (self->now));
}

/* "DDMM" (the next such day from today) or "DDMMYYYY"; not in the past. */
static gboolean
parse_declared_date (DdIvrMachine *self,
                     const char   *keys,
                     GDate        *out)
{
  GDate now_date;
  guint day, month, year;
  gsize len = strlen (keys);

  if (len != 4 && len != 8)
    return FALSE;

  today (self, &now_date);
  day = (guint) ((keys[0] - '0') * 10 + (keys[1] - '0'));
  month = (guint) ((keys[2] - '0') * 10 + (keys[3] - '0'));
  year = len == 8 ? (guint) g_ascii_strtoull (keys + 4, NULL, 10) : g_date_get_year (&now_date);

  if (month < 1 || month > 12 || year < 1 || year > 9999 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      /* 29 February of a year to come. */
      if (len == 4 && day == 29 && month == 2)
        {
          for (year++; !g_date_is_leap_year ((GDateYear) year); year++)
            ;
        }
      else
        return FALSE;
    }

  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  if (len == 4 && g_date_compare (out, &now_date) < 0)
    {
      if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) (year + 1)))
        return FALSE;
      g_date_set_year (out, (GDateYear) (year + 1));
    }

  return g_date_compare (out, &now_date) >= 0;
}

/* Digits with at most one "*" before the minor units: "120", "120*5", "120*50". */
static gboolean
parse_declared_amount (const char *keys,
                       guint       digits,
                       gint64     *out_minor)
{
  const char *star = strchr (keys, '*');
  gsize whole_len = star != NULL ? (gsize) (star - keys) : strlen (keys);
  const char *fraction = star != NULL ? star + 1 : "";
  gint64 minor = 0;

  if (whole_len == 0 && fraction[0] == '\0')
    return FALSE;
  if (whole_len > 9 || strlen (fraction) > digits || strchr (fraction, '*') != NULL)
    return FALSE;

  for (gsize i = 0; i < whole_len; i++)
    minor = minor * 10 + (keys[i] - '0');
  for (guint i = 0; i < digits; i++)
    minor = minor * 10 + (i < strlen (fraction) ? fraction[i] - '0' : 0);

  *out_minor = minor;

  return minor > 0;
}

static void
declare_submit (DdIvrMachine    *self,
                const DdIvrNode *node)
{
  if (self->declare_step == DECLARE_DATE)
    {
      if (!parse_declared_date (self, self->keys->str, &self->declared_date))
        {
          declare_retry (self, node);
          return;
        }
      self->declare_step = DECLARE_AMOUNT;
    }
  else
    {
      const char *currency = declare_currency (self, node);

      if (!parse_declared_amount (self->keys->str, dd_money_currency_digits (currency),
                                  &self->declared_minor))
        {
          declare_retry (self, node);
          return;
        }
      self->declare_step = DECLARE_CONFIRM;
    }

  stop_timer (self);
  declare_ask (self, node, NULL);
}

static void
declare_key (DdIvrMachine    *self,
             const DdIvrNode *node,
             char             key)
{
  if (self->declare_step == DECLARE_CONFIRM)
    {
      if (key == '1')
        {
          DdIvrAction *action;

          stop_timer (self);
          action = push_action (self, DD_IVR_ACTION_RECORD_DECLARATION);

          action->amount_minor = self->declared_minor;
          memcpy (action->currency, declare_currency (self, node), 3);
          action->date = self->declared_date;
          leave (self, "done");
        }
      else if (key == '2')
        {
          self->declare_step = DECLARE_DATE;
          stop_timer (self);
          declare_ask (self, node, NULL);
        }
      else
        declare_retry (self, node);
      return;
    }

  if (key == '#')
    {
      declare_submit (self, node);
      return;
    }

  if (!g_ascii_isdigit (key) &&
      !(key == '*' && self->declare_step == DECLARE_AMOUNT && strchr (self->keys->str, '*') == NULL))
    {
      declare_retry (self, node);
      return;
    }

  g_string_append_c (self->keys, key);
  if (self->declare_step == DECLARE_DATE && self->keys->len == 8)
    declare_submit (self, node);
  else if (self->keys->len > MAX_AMOUNT_KEYS)
    declare_retry (self, node);
  else
    start_timer (self, node_int (node, "timeout_ms", 7000, 1, G_MAXINT));
}

/* Keys */

static void
take_key (DdIvrMachine    *self,
          const DdIvrNode *node,
          char             key)
{
  switch (node->type)
    {
    case DD_IVR_NODE_MENU:
      menu_key (self, node, key);
      break;
    case DD_IVR_NODE_COLLECT_DIGITS:
      collect_key (self, node, key);
      break;
    case DD_IVR_NODE_DECLARE_PAYMENT:
      declare_key (self, node, key);
      break;
    default:
      break;
    }
}

/* Hands the keys pressed during the messages before it to the node that listens now (it
 * skipped its prompt); what it leaves goes on to the next one. */
static void
feed_typed_ahead (DdIvrMachine *self)
{
  while (self->typed_ahead->len > 0 && self->state == DD_IVR_MACHINE_RUNNING &&
         self->phase == PHASE_WAIT)
    {
      const DdIvrNode *node = current_node (self);
      char key;

      if (node == NULL || !is_listener (node->type))
        break;
      key = self->typed_ahead->str[0];
      g_string_erase (self->typed_ahead, 0, 1);
      take_key (self, node, key);
    }
}

/* Nodes */

/* The steps of the node types that do more than one thing */

static void
enter_play (DdIvrMachine    *self,
            const DdIvrNode *node)
{
  g_autofree char *text = render (self, dd_ivr_node_get_string (node, "text", NULL), NULL);

  play_message (self, text, dd_ivr_node_get_string (node, "file", NULL));
}

/* "{prefix} {what}", or either alone. */
static char *
with_prefix (DdIvrMachine    *self,
             const DdIvrNode *node,
             const char      *what)
{
  g_autofree char *prefix = render (self, dd_ivr_node_get_string (node, "prefix", NULL), NULL);

  if (prefix[0] != '\0' && what[0] != '\0')
    return g_strconcat (prefix, " ", what, NULL);
  return g_strconcat (prefix, what, NULL);
}

static void
enter_say_amount (DdIvrMachine    *self,
                  const DdIvrNode *node)
{
  gboolean balance = g_strcmp0 (dd_ivr_node_get_string (node, "source", NULL), "balance") == 0;
  g_autofree char *amount = dd_speech_amount (balance ? self->info->balance_minor
                                                      : self->info->amount_minor,
                                              currency_of (self->info), self->language);
  g_autofree char *text = with_prefix (self, node, amount);

  play_message (self, text, NULL);
}

static void
enter_say_date (DdIvrMachine    *self,
                const DdIvrNode *node)
{
  g_autofree char *date_text = NULL;
  g_autofree char *text = NULL;
  GDate date;

  if (g_strcmp0 (dd_ivr_node_get_string (node, "source", NULL), "today") == 0)
    today (self, &date);
  else
    date = self->info->due_date;

  date_text = g_date_valid (&date) ? dd_speech_date (&date, self->language) : g_strdup ("");
  text = with_prefix (self, node, date_text);
  play_message (self, text, NULL);
}

static void
enter_say_invoice (DdIvrMachine    *self,
                   const DdIvrNode *node)
{
  g_autofree char *text = render (self, dd_ivr_node_get_string (node, "text",
                                                                phrases (self)->invoice),
                                  NULL);

  play_message (self, text, NULL);
}

static void
enter_collect_digits (DdIvrMachine    *self,
                      const DdIvrNode *node)
{
  const char *terminator = dd_ivr_node_get_string (node, "terminator", "#");
  DdIvrAction *action = push_action (self, DD_IVR_ACTION_COLLECT);

  action->min_digits = (guint) node_int (node, "min_digits", 1, 0, 64);
  action->max_digits = (guint) node_int (node, "max_digits", 16, 1, 64);
  action->terminator = terminator[0] == '#' || terminator[0] == '*' ? terminator[0] : 0;
  prompt (self, node, NULL, dd_ivr_node_get_string (node, "prompt", ""), NULL);
  feed_typed_ahead (self);
}

static void
enter_declare_payment (DdIvrMachine    *self,
                       const DdIvrNode *node)
{
  DdIvrAction *action = push_action (self, DD_IVR_ACTION_COLLECT);

  action->min_digits = 4;
  action->max_digits = 8;
  action->terminator = '#';
  self->declare_step = DECLARE_DATE;
  g_date_clear (&self->declared_date, 1);
  self->declared_minor = 0;
  declare_ask (self, node, NULL);
  feed_typed_ahead (self);
}

static void
enter_transfer (DdIvrMachine    *self,
                const DdIvrNode *node)
{
  DdIvrAction *action = push_action (self, DD_IVR_ACTION_TRANSFER);

  action->queue = g_strdup (dd_ivr_node_get_string (node, "queue", ""));
  self->state = DD_IVR_MACHINE_TRANSFERRING;
}

static void
enter_send_sms (DdIvrMachine    *self,
                const DdIvrNode *node)
{
  DdIvrAction *action = push_action (self, DD_IVR_ACTION_SEND_SMS);

  action->text = dd_ivr_render (dd_ivr_node_get_string (node, "text", ""), self->info,
                                DD_IVR_RENDER_TEXT, NULL);
  leave (self, "done");
}

static void
enter_time_switch (DdIvrMachine    *self,
                   const DdIvrNode *node)
{
  g_autoptr(GError) error = NULL;
  gboolean open = dd_ivr_time_switch_is_open (node, self->now, &error);

  if (error != NULL)
    g_debug ("Time switch “%s”: %s; taking “closed”", node->id, error->message);
  leave (self, open ? "open" : "closed");
}

static void
enter_set_status (DdIvrMachine    *self,
                  const DdIvrNode *node)
{
  DdIvrAction *action = push_action (self, DD_IVR_ACTION_SET_STATUS);

  action->status = g_strdup (dd_ivr_node_get_string (node, "status", ""));
  leave (self, "done");
}

/* The machine at @node_id: its bookkeeping (the trace, the keys) and the node of the flow, or
 * NULL after hanging up (no such node, or a loop that waits for nothing). */
static const DdIvrNode *
arrive_at (DdIvrMachine *self,
           const char   *node_id)
{
  const DdIvrNode *node = dd_ivr_flow_get_node (self->flow, node_id);
  DdIvrStep *step;

  g_free (self->current);
  self->current = g_strdup (node_id);
  self->phase = PHASE_NONE;
  self->attempts = 0;
  g_string_truncate (self->keys, 0);

  if (node == NULL)
    {
      g_debug ("No node “%s”: hanging up", node_id);
      hang_up (self);
      return NULL;
    }
  if (++self->instant_steps > MAX_INSTANT_STEPS)
    {
      g_debug ("Too many steps without an event: hanging up");
      hang_up (self);
      return NULL;
    }

  step = g_new0 (DdIvrStep, 1);
  step->node_id = g_strdup (node_id);
  g_ptr_array_add (self->trace, step);

  /* keys pressed ahead are for a node that listens, nobody else */
  if (!is_listener (node->type) && !is_message (node->type))
    g_string_truncate (self->typed_ahead, 0);
  return node;
}

static void
enter_node (DdIvrMachine *self,
            const char   *node_id)
{
  const DdIvrNode *node = arrive_at (self, node_id);

  if (node == NULL)
    return;

  switch (node->type)
    {
    case DD_IVR_NODE_PLAY:
      enter_play (self, node);
      break;
    case DD_IVR_NODE_SAY_AMOUNT:
      enter_say_amount (self, node);
      break;
    case DD_IVR_NODE_SAY_DATE:
      enter_say_date (self, node);
      break;
    case DD_IVR_NODE_SAY_INVOICE:
      enter_say_invoice (self, node);
      break;
    case DD_IVR_NODE_MENU:
      prompt (self, node, NULL, dd_ivr_node_get_string (node, "prompt", ""), NULL);
      feed_typed_ahead (self);
      break;
    case DD_IVR_NODE_COLLECT_DIGITS:
      enter_collect_digits (self, node);
      break;
    case DD_IVR_NODE_DECLARE_PAYMENT:
      enter_declare_payment (self, node);
      break;
    case DD_IVR_NODE_TRANSFER:
      enter_transfer (self, node);
      break;
    case DD_IVR_NODE_SEND_SMS:
      enter_send_sms (self, node);
      break;
    case DD_IVR_NODE_TIME_SWITCH:
      enter_time_switch (self, node);
      break;
    case DD_IVR_NODE_SET_STATUS:
      enter_set_status (self, node);
      break;
    case DD_IVR_NODE_HANG_UP:
    default:
      hang_up (self);
      break;
    }
}

/* GObject */

static void
dd_ivr_machine_finalize (GObject *object)
{
  DdIvrMachine *self = DD_IVR_MACHINE (object);

  g_clear_object (&self->flow);
  g_clear_pointer (&self->info, dd_ivr_case_info_free);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->current, g_free);
  g_string_free (self->keys, TRUE);
  g_string_free (self->typed_ahead, TRUE);
  g_clear_pointer (&self->trace, g_ptr_array_unref);
  g_clear_pointer (&self->variables, g_hash_table_unref);
  g_clear_pointer (&self->actions, g_ptr_array_unref);

  G_OBJECT_CLASS (dd_ivr_machine_parent_class)->finalize (object);
}

static void
dd_ivr_machine_class_init (DdIvrMachineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dd_ivr_machine_finalize;
}

static void
dd_ivr_machine_init (DdIvrMachine *self)
{
  self->keys = g_string_new (NULL);
  self->typed_ahead = g_string_new (NULL);
  self->trace = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  self->variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_date_clear (&self->declared_date, 1);
}

/**
 * dd_ivr_machine_new:
 * @flow: the flow (referenced; it should not change while a call runs: a node that
 *   disappears ends the call)
 * @info: the case (copied)
 * @now: the time of the call (see dd_ivr_machine_set_now())
 *
 * Returns: (transfer full): a machine waiting for dd_ivr_machine_answered()
 */
DdIvrMachine *
dd_ivr_machine_new (DdIvrFlow           *flow,
                    const DdIvrCaseInfo *info,
                    GDateTime           *now)
{
  DdIvrMachine *self;

  g_return_val_if_fail (DD_IS_IVR_FLOW (flow), NULL);
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  self = g_object_new (DD_TYPE_IVR_MACHINE, NULL);
  self->flow = g_object_ref (flow);
  self->info = dd_ivr_case_info_copy (info);
  self->now = g_date_time_ref (now);
  /* one language per call: the flow's (its prompts are written in it); a flow saved before
   * flows had a language speaks the debtor's */
  if (dd_ivr_flow_get_language (flow) != NULL)
    {
      g_free (self->info->language);
      self->info->language = g_strdup (dd_ivr_flow_get_language (flow));
    }
  self->language = dd_speech_normalize_language (self->info->language);

  return self;
}

/**
 * dd_ivr_machine_set_now:
 * @self: a machine
 * @now: the current time
 *
 * Tells the machine the time. Hosts call it before each event; tests set it once.
 */
void
dd_ivr_machine_set_now (DdIvrMachine *self,
                        GDateTime    *now)
{
  g_return_if_fail (DD_IS_IVR_MACHINE (self));
  g_return_if_fail (now != NULL);

  g_date_time_unref (self->now);
  self->now = g_date_time_ref (now);
}

static void
begin_event (DdIvrMachine *self)
{
  g_clear_pointer (&self->actions, g_ptr_array_unref);
  self->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_ivr_action_free);
  self->instant_steps = 0;
}

static GPtrArray *
end_event (DdIvrMachine *self)
{
  return g_steal_pointer (&self->actions);
}

/**
 * dd_ivr_machine_answered:
 * @self: a machine
 *
 * The call was answered: the flow starts at its start node. A flow without a start hangs up.
 *
 * Returns: (transfer full) (element-type DdIvrAction): the actions to carry out, in order
 */
GPtrArray *
dd_ivr_machine_answered (DdIvrMachine *self)
{
  g_return_val_if_fail (DD_IS_IVR_MACHINE (self), NULL);

  begin_event (self);
  if (self->state == DD_IVR_MACHINE_IDLE)
    {
      self->state = DD_IVR_MACHINE_RUNNING;
      enter_node (self, dd_ivr_flow_get_start (self->flow));
    }

  return end_event (self);
}

/**
 * dd_ivr_machine_dtmf:
 * @self: a machine
 * @key: '0'-'9', '*', '#'
 *
 * A key was pressed. Keys are heard by menus, collect-digits and declare-payment nodes (also
 * during their prompts, which they stop). A key pressed during a message from which the flow
 * goes on (by "done", through more messages) to such a node stops the message and is kept
 * for that node, which then skips its prompt (barge-in); elsewhere keys are ignored.
 *
 * Returns: (transfer full) (element-type DdIvrAction): the actions to carry out, in order
 */
GPtrArray *
dd_ivr_machine_dtmf (DdIvrMachine *self,
                     char          key)
{
  const DdIvrNode *node;

  g_return_val_if_fail (DD_IS_IVR_MACHINE (self), NULL);

  begin_event (self);
  node = current_node (self);
  if (self->state != DD_IVR_MACHINE_RUNNING || node == NULL ||
      !(g_ascii_isdigit (key) || key == '*' || key == '#'))
    return end_event (self);

  /* barge-in: a key during a message that leads to a menu is the answer to that menu */
  if (self->phase == PHASE_PLAY && listener_ahead (self, node))
    {
      g_string_append_c (self->typed_ahead, key);
      stop_playback (self);
      leave (self, "done");
      return end_event (self);
    }

  if (self->phase != PHASE_PROMPT && self->phase != PHASE_WAIT)
    return end_event (self);

  if (self->phase == PHASE_PROMPT)
    stop_playback (self);
  self->phase = PHASE_WAIT;
  take_key (self, node, key);

  return end_event (self);
}

/**
 * dd_ivr_machine_timeout:
 * @self: a machine
 * @timer_id: the timer of a start timer action
 *
 * A timer ran out. Timers that were stopped or replaced are ignored.
 *
 * Returns: (transfer full) (element-type DdIvrAction): the actions to carry out, in order
 */
GPtrArray *
dd_ivr_machine_timeout (DdIvrMachine *self,
                        guint         timer_id)
{
  const DdIvrNode *node;

  g_return_val_if_fail (DD_IS_IVR_MACHINE (self), NULL);

  begin_event (self);
  node = current_node (self);
  if (self->state != DD_IVR_MACHINE_RUNNING || node == NULL || timer_id == 0 ||
      timer_id != self->timer_id)
    return end_event (self);

  self->timer_id = 0;

  switch (node->type)
    {
    case DD_IVR_NODE_MENU:
      menu_retry (self, node, "timeout");
      break;

    case DD_IVR_NODE_COLLECT_DIGITS:
      collect_finish (self, node);
      break;

    case DD_IVR_NODE_DECLARE_PAYMENT:
      if (self->keys->len > 0 && self->declare_step != DECLARE_CONFIRM)
        declare_submit (self, node);
      else
        declare_retry (self, node);
      break;

    default:
      break;
    }

  return end_event (self);
}

/**
 * dd_ivr_machine_playback_done:
 * @self: a machine
 *
 * The last play action finished. A message node moves on; a listening node starts its timer.
 *
 * Returns: (transfer full) (element-type DdIvrAction): the actions to carry out, in order
 */
GPtrArray *
dd_ivr_machine_playback_done (DdIvrMachine *self)
{
  const DdIvrNode *node;

  g_return_val_if_fail (DD_IS_IVR_MACHINE (self), NULL);

  begin_event (self);
  node = current_node (self);
  if (self->state != DD_IVR_MACHINE_RUNNING || node == NULL || !self->playing)
    return end_event (self);

  self->playing = FALSE;
  if (self->phase == PHASE_PLAY)
    leave (self, "done");
  else if (self->phase == PHASE_PROMPT)
    start_timer (self, node_int (node, "timeout_ms",
                                 node->type == DD_IVR_NODE_DECLARE_PAYMENT ? 7000 : 5000,
                                 1, G_MAXINT));

  return end_event (self);
}

/**
 * dd_ivr_machine_transfer_result:
 * @self: a machine
 * @answered: whether a consultant took the call
 *
 * Ends a transfer: the flow goes on by the "answered" or "failed" exit. An unconnected
 * "answered" exit ends the flow with the call in the consultant's hands (no hang up).
 *
 * Returns: (transfer full) (element-type DdIvrAction): the actions to carry out, in order
 */
GPtrArray *
dd_ivr_machine_transfer_result (DdIvrMachine *self,
                                gboolean      answered)
{
  g_return_val_if_fail (DD_IS_IVR_MACHINE (self), NULL);

  begin_event (self);
  if (self->state == DD_IVR_MACHINE_TRANSFERRING)
    {
      self->state = DD_IVR_MACHINE_RUNNING;
      leave (self, answered ? "answered" : "failed");
    }

  return end_event (self);
}

/**
 * dd_ivr_machine_hung_up:
 * @self: a machine
 *
 * The caller hung up: the flow ends; the step where it happened gets the outcome "hung-up".
 *
 * Returns: (transfer full) (element-type DdIvrAction): the actions to carry out (at most
 *   stopping a timer)
 */
GPtrArray *
dd_ivr_machine_hung_up (DdIvrMachine *self)
{
  g_return_val_if_fail (DD_IS_IVR_MACHINE (self), NULL);

  begin_event (self);
  if (self->state != DD_IVR_MACHINE_FINISHED)
    {
      DdIvrStep *step = self->trace->len > 0
                        ? g_ptr_array_index (self->trace, self->trace->len - 1) : NULL;

      if (step != NULL && step->outcome == NULL)
        step->outcome = g_strdup ("hung-up");
      self->playing = FALSE;
      finish (self);
    }

  return end_event (self);
}

DdIvrMachineState
dd_ivr_machine_get_state (DdIvrMachine *self)
{
  g_return_val_if_fail (DD_IS_IVR_MACHINE (self), DD_IVR_MACHINE_FINISHED);

  return self->state;
}

/**
 * dd_ivr_machine_get_current_node:
 * @self: a machine
 *
 * Returns: (nullable): the node the call is at (or ended at)
 */
const char *
dd_ivr_machine_get_current_node (DdIvrMachine *self)
{
  g_return_val_if_fail (DD_IS_IVR_MACHINE (self), NULL);

  return self->current;
}

/**
 * dd_ivr_machine_get_trace:
 * @self: a machine
 *
 * Returns: (transfer none) (element-type DdIvrStep): the nodes the call went through, in
 *   order, with the outcome by which it left each
 */
GPtrArray *
dd_ivr_machine_get_trace (DdIvrMachine *self)
{
  g_return_val_if_fail (DD_IS_IVR_MACHINE (self), NULL);

  return self->trace;
}

/**
 * dd_ivr_machine_get_trace_string:
 * @self: a machine
 *
 * Returns: (transfer full): the trace as "node:outcome" separated by spaces, a node without
 *   outcome alone ("greeting:done menu:2 queue:answered"); what call_attempt stores as the
 *   IVR path
 */
char *
dd_ivr_machine_get_trace_string (DdIvrMachine *self)
{
  GString *out;

  g_return_val_if_fail (DD_IS_IVR_MACHINE (self), NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->trace->len; i++)
    {
      const DdIvrStep *step = g_ptr_array_index (self->trace, i);

      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, step->node_id);
      if (step->outcome != NULL)
        g_string_append_printf (out, ":%s", step->outcome);
    }

  return g_string_free (out, FALSE);
}

/**
 * dd_ivr_machine_get_variable:
 * @self: a machine
 * @name: a variable set by a collect-digits node ("digits" unless the node names another)
 *
 * Returns: (nullable): the digits collected
 */
const char *
dd_ivr_machine_get_variable (DdIvrMachine *self,
                             const char   *name)
{
  g_return_val_if_fail (DD_IS_IVR_MACHINE (self), NULL);

  return g_hash_table_lookup (self->variables, name);
}
