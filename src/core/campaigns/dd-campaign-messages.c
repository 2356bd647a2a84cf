/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-campaign-messages"

#include "config.h"

#include "dd-campaign-messages.h"

#include "dd-money.h"
#include "dd-outbox.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

/* GSM 03.38 (3GPP TS 23.038): the default alphabet, and the extension table whose
 * characters take two septets (an escape and the character). */
static const char gsm7_basic[] =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
static const char gsm7_extension[] = "\f^{}\\[~]|€";

static GHashTable *
gsm7_table (void)
{
  static GHashTable *table;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      GHashTable *t = g_hash_table_new (NULL, NULL);

      for (const char *p = gsm7_basic; *p != '\0'; p = g_utf8_next_char (p))
        g_hash_table_insert (t, GUINT_TO_POINTER (g_utf8_get_char (p)), GUINT_TO_POINTER (1));
      for (const char *p = gsm7_extension; *p != '\0'; p = g_utf8_next_char (p))
        g_hash_table_insert (t, GUINT_TO_POINTER (g_utf8_get_char (p)), GUINT_TO_POINTER (2));
      table = t;
      g_once_init_leave (&once, 1);
    }
  return table;
}

/* Septets of @c in GSM-7 (1 or 2), 0 if it has none. */
static guint
gsm7_septets (gunichar c)
{
  if (c < 0x80 && c != '`' && c != 0x1b)
    {
      /* fast path: ASCII letters, digits and most punctuation are in the basic table */
      if (g_ascii_isalnum (c) || c == ' ')
        return 1;
    }
  return GPOINTER_TO_UINT (g_hash_table_lookup (gsm7_table (), GUINT_TO_POINTER (c)));
}

void
dd_sms_measure_clear (DdSmsMeasure *measure)
{
  g_clear_pointer (&measure->forcing, g_free);
}

void
dd_campaign_messages_measure_text (const char   *text,
                                   DdSmsMeasure *out)
{
  g_autoptr(GString) forcing = NULL;
  guint septets = 0, units = 0, segments, used = 0;
  gboolean ucs2 = FALSE;

  memset (out, 0, sizeof *out);
  out->script = G_UNICODE_SCRIPT_COMMON;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint s = gsm7_septets (c);

      septets += s;
      units += c > 0xFFFF ? 2 : 1;
      if (s == 0)
        {
          char buf[8] = { 0 };

          ucs2 = TRUE;
          if (out->script == G_UNICODE_SCRIPT_COMMON && g_unichar_isalpha (c))
            {
              GUnicodeScript script = g_unichar_get_script (c);

              /* a Latin letter with an accent can be replaced (ą → a); a Cyrillic one is the
               * language itself */
              if (script != G_UNICODE_SCRIPT_LATIN && script != G_UNICODE_SCRIPT_COMMON
                  && script != G_UNICODE_SCRIPT_INHERITED && script != G_UNICODE_SCRIPT_UNKNOWN)
                out->script = script;
            }
          g_unichar_to_utf8 (c, buf);
          if (forcing == NULL)
            forcing = g_string_new (NULL);
          if (strstr (forcing->str, buf) == NULL && forcing->len < 200)
            {
              if (forcing->len > 0)
                g_string_append_c (forcing, ' ');
              g_string_append (forcing, buf);
            }
        }
    }

  if (!ucs2)
    {
      /* 160 septets in one message; 153 each when concatenated, an escape and its
       * character never split */
      if (septets <= 160)
        segments = 1;
      else
        {
          segments = 1;
          for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
            {
              guint s = gsm7_septets (g_utf8_get_char (p));

              if (used + s > 153)
                {
                  segments++;
                  used = 0;
                }
              used += s;
            }
        }
      out->units = septets;
      out->units_left = septets <= 160 ? 160 - septets : 153 - used;
    }
  else
    {
      /* 70 UTF-16 units; 67 concatenated, a surrogate pair never split */
      if (units <= 70)
        segments = 1;
      else
        {
          segments = 1;
          for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
            {
              guint u = g_utf8_get_char (p) > 0xFFFF ? 2 : 1;

              if (used + u > 67)
                {
                  segments++;
                  used = 0;
                }
              used += u;
            }
        }
      out->units = units;
      out->units_left = units <= 70 ? 70 - units : 67 - used;
    }
  out->ucs2 = ucs2;
  out->segments = segments;
  out->forcing = forcing != NULL ? g_string_free (g_steal_pointer (&forcing), FALSE) : NULL;
}

char *
dd_sms_measure_describe_script (const DdSmsMeasure *measure)
{
  g_return_val_if_fail (measure != NULL, NULL);

  if (!measure->ucs2 || measure->script == G_UNICODE_SCRIPT_COMMON)
    return NULL;
  if (measure->script == G_UNICODE_SCRIPT_CYRILLIC)
    return g_strdup (_("Russian text is sent as Unicode: 70 characters per part"));
  if (measure->script == G_UNICODE_SCRIPT_GREEK)
    return g_strdup (_("Greek text is sent as Unicode: 70 characters per part"));
  return g_strdup (_("Text in this alphabet is sent as Unicode: 70 characters per part"));
}

/* Transliteration */

static const struct
{
  gunichar    from;
  const char *to;
} replacements[] = {
  /* Polish */
  { 0x0105, "a" }, { 0x0107, "c" }, { 0x0119, "e" }, { 0x0142, "l" }, { 0x0144, "n" },
  { 0x00F3, "o" }, { 0x015B, "s" }, { 0x017A, "z" }, { 0x017C, "z" },
  { 0x0104, "A" }, { 0x0106, "C" }, { 0x0118, "E" }, { 0x0141, "L" }, { 0x0143, "N" },
  { 0x00D3, "O" }, { 0x015A, "S" }, { 0x0179, "Z" }, { 0x017B, "Z" },
  /* Russian (a common SMS scheme) */
  { 0x0430, "a" }, { 0x0431, "b" }, { 0x0432, "v" }, { 0x0433, "g" }, { 0x0434, "d" },
  { 0x0435, "e" }, { 0x0451, "e" }, { 0x0436, "zh" }, { 0x0437, "z" }, { 0x0438, "i" },
  { 0x0439, "y" }, { 0x043A, "k" }, { 0x043B, "l" }, { 0x043C, "m" }, { 0x043D, "n" },
  { 0x043E, "o" }, { 0x043F, "p" }, { 0x0440, "r" }, { 0x0441, "s" }, { 0x0442, "t" },
  { 0x0443, "u" }, { 0x0444, "f" }, { 0x0445, "kh" }, { 0x0446, "ts" }, { 0x0447, "ch" },
  { 0x0448, "sh" }, { 0x0449, "shch" }, { 0x044A, "" }, { 0x044B, "y" }, { 0x044C, "" },
  { 0x044D, "e" }, { 0x044E, "yu" }, { 0x044F, "ya" },
  { 0x0410, "A" }, { 0x0411, "B" }, { 0x0412, "V" }, { 0x0413, "G" }, { 0x0414, "D" },
  { 0x0415, "E" }, { 0x0401, "E" }, { 0x0416, "Zh" }, { 0x0417, "Z" }, { 0x0418, "I" },
  { 0x0419, "Y" }, { 0x041A, "K" }, { 0x041B, "L" }, { 0x041C, "M" }, { 0x041D, "N" },
  { 0x041E, "O" }, { 0x041F, "P" }, { 0x0420, "R" }, { 0x0421, "S" }, { 0x0422, "T" },
  { 0x0423, "U" }, { 0x0424, "F" }, { 0x0425, "Kh" }, { 0x0426, "Ts" }, { 0x0427, "Ch" },
  { 0x0428, "Sh" }, { 0x0429, "Shch" }, { 0x042A, "" }, { 0x042B, "Y" }, { 0x042C, "" },
  { 0x042D, "E" }, { 0x042E, "Yu" }, { 0x042F, "Ya" },
  /* typography */
  { 0x201C, "\"" }, { 0x201D, "\"" }, { 0x201E, "\"" }, { 0x00AB, "\"" }, { 0x00BB, "\"" },
  { 0x2018, "'" }, { 0x2019, "'" }, { 0x201A, "'" }, { 0x2013, "-" }, { 0x2014, "-" },
  { 0x2026, "..." }, { 0x00A0, " " }, { 0x202F, " " }, { 0x2009, " " }, { 0x2116, "No." },
};

char *
dd_campaign_messages_transliterate (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean done = FALSE;

      if (gsm7_septets (c) > 0)
        {
          g_string_append_unichar (out, c);
          continue;
        }
      for (guint i = 0; i < G_N_ELEMENTS (replacements) && !done; i++)
        if (replacements[i].from == c)
          {
            g_string_append (out, replacements[i].to);
            done = TRUE;
          }
      if (!done)
        {
          /* other Latin letters: their base letter (č → c) */
          char buf[8] = { 0 };
          g_autofree char *ascii = NULL;

          g_unichar_to_utf8 (c, buf);
          ascii = g_str_to_ascii (buf, "C");
          g_string_append (out, ascii != NULL && *ascii != '\0' ? ascii : "?");
        }
    }
  return g_string_free (out, FALSE);
}

/* Placeholders */

/* {payment_link} and {agent_phone} are known to the renderer but not offered: the office has no
 * setting to give them a value yet, and an empty gap in a reminder helps nobody. */
static const char * const placeholders[] = {
  "name", "amount", "due_date", "invoice", "creditor", "balance",
  NULL,
};

const char * const *
dd_campaign_messages_placeholders (void)
{
  return placeholders;
}

const char *
dd_campaign_messages_placeholder_label (const char *placeholder)
{
  if (g_strcmp0 (placeholder, "name") == 0)
    return _("The debtor’s name");
  if (g_strcmp0 (placeholder, "amount") == 0)
    return _("The amount of the oldest unpaid invoice");
  if (g_strcmp0 (placeholder, "due_date") == 0)
    return _("Its due date");
  if (g_strcmp0 (placeholder, "invoice") == 0)
    return _("Its number");
  if (g_strcmp0 (placeholder, "creditor") == 0)
    return _("The creditor");
  if (g_strcmp0 (placeholder, "balance") == 0)
    return _("Everything the debtor owes the creditor");
  if (g_strcmp0 (placeholder, "payment_link") == 0)
    return _("A link to pay online");
  if (g_strcmp0 (placeholder, "agent_phone") == 0)
    return _("The phone number of the consultant");
  return "";
}

/* Rendering */

static const char *
language_of (const DdRecipient *recipient,
             const char        *locale)
{
  if (recipient->language != NULL && *recipient->language != '\0')
    return recipient->language;
  return locale != NULL ? locale : "en";
}

/* Money for a text message: the app's format, with ordinary spaces (a non-breaking space
 * would make the whole message UCS-2). */
static void
append_money (GString    *out,
              gint64      minor,
              const char *currency,
              const char *language)
{
  g_autofree char *text = dd_money_format (minor, currency != NULL ? currency : "PLN", language);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x00A0 || c == 0x202F)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
}

static void
append_date (GString    *out,
             const char *iso,
             const char *language)
{
  int y, m, d;

  if (iso == NULL || sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return;
  if (g_str_has_prefix (language, "en"))
    g_string_append_printf (out, "%02d/%02d/%04d", d, m, y);
  else
    g_string_append_printf (out, "%02d.%02d.%04d", d, m, y);
}

char *
dd_campaign_messages_render (const char         *template_text,
                             const DdRecipient  *recipient,
                             const char         *locale,
                             const char         *payment_link,
                             const char         *agent_phone,
                             GError            **error)
{
  g_autoptr(GString) out = g_string_sized_new (strlen (template_text) + 64);
  const char *language = language_of (recipient, locale);
  const char *p = template_text;

  while (*p != '\0')
    {
      const char *open = strpbrk (p, "{}");
      const char *close;
      g_autofree char *name = NULL;

      if (open == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, open - p);
      if (open[0] == open[1])
        {
          /* "{{" and "}}" are literal braces */
          g_string_append_c (out, open[0]);
          p = open + 2;
          continue;
        }
      if (*open == '}')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       /* Translators: %d is a position in the text */
                       _("A closing brace at character %d has no opening one (write }} for a "
                         "brace)."),
                       (int) g_utf8_pointer_to_offset (template_text, open) + 1);
          return NULL;
        }
      close = strchr (open, '}');
      if (close == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The brace at character %d is not closed."),
                       (int) g_utf8_pointer_to_offset (template_text, open) + 1);
          return NULL;
        }
      name = g_strndup (open + 1, close - open - 1);
      g_strstrip (name);
      if (g_str_equal (name, "name"))
        g_string_append (out, recipient->name != NULL ? recipient->name : "");
      else if (g_str_equal (name, "amount"))
        append_money (out, recipient->invoice != NULL ? recipient->invoice_minor
                                                      : recipient->balance_minor,
                      recipient->currency, language);
      else if (g_str_equal (name, "balance"))
        append_money (out, recipient->balance_minor, recipient->currency, language);
      else if (g_str_equal (name, "due_date"))
        append_date (out, recipient->due_on, language);
      else if (g_str_equal (name, "invoice"))
        g_string_append (out, recipient->invoice != NULL ? recipient->invoice : "");
      else if (g_str_equal (name, "creditor"))
        g_string_append (out, recipient->creditor != NULL ? recipient->creditor : "");
      else if (g_str_equal (name, "payment_link") || g_str_equal (name, "agent_phone"))
        {
          const char *value = name[0] == 'p' ? payment_link : agent_phone;

          if (value == NULL || *value == '\0')
            {
              /* a gap in the text the debtor gets: refused, not sent empty */
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           name[0] == 'p'
                           /* Translators: %d is a position in the text */
                           ? _("{payment_link} at character %d has no value: this office has "
                               "no payment link to send. Remove it from the message.")
                           /* Translators: %d is a position in the text */
                           : _("{agent_phone} at character %d has no value: this office has no "
                               "consultant’s number to send. Remove it from the message."),
                           (int) g_utf8_pointer_to_offset (template_text, open) + 1);
              return NULL;
            }
          g_string_append (out, value);
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       /* Translators: the first %s is the unknown placeholder as written */
                       _("Unknown placeholder {%s} at character %d."), name,
                       (int) g_utf8_pointer_to_offset (template_text, open) + 1);
          return NULL;
        }
      p = close + 1;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Renders, transliterated when asked. */
static char *
render_message (const char               *template_text,
                const DdRecipient        *recipient,
                const char               *locale,
                DdCampaignMessagesFlags   flags,
                GError                  **error)
{
  g_autofree char *text = dd_campaign_messages_render (template_text, recipient, locale, NULL,
                                                       NULL, error);

  if (text == NULL || !(flags & DD_CAMPAIGN_MESSAGES_PLAIN))
    return g_steal_pointer (&text);
  return dd_campaign_messages_transliterate (text);
}

/* Counts a message measured as @measure in @info. */
static void
count_message (DdCampaignMessagesInfo *info,
               const DdSmsMeasure     *measure)
{
  info->n_messages++;
  info->n_segments += measure->segments;
  info->max_segments = MAX (info->max_segments, measure->segments);
  info->n_ucs2 += measure->ucs2 ? 1 : 0;
}

gboolean
dd_campaign_messages_measure (const char              *template_text,
                              GPtrArray               *recipients,
                              const char              *locale,
                              DdCampaignMessagesFlags  flags,
                              DdCampaignMessagesInfo  *out_info,
                              GError                 **error)
{
  DdCampaignMessagesInfo info = { 0 };
  DdRecipient empty = { 0 };

  /* a template with no recipient yet is still checked */
  if (recipients == NULL || recipients->len == 0)
    {
      g_autofree char *text = dd_campaign_messages_render (template_text, &empty, locale, NULL,
                                                           NULL, error);

      if (text == NULL)
        return FALSE;
    }
  for (guint i = 0; recipients != NULL && i < recipients->len; i++)
    {
      g_autofree char *text = render_message (template_text, g_ptr_array_index (recipients, i),
                                              locale, flags, error);
      DdSmsMeasure measure;

      if (text == NULL)
        return FALSE;
      dd_campaign_messages_measure_text (text, &measure);
      count_message (&info, &measure);
      dd_sms_measure_clear (&measure);
    }
  if (out_info != NULL)
    *out_info = info;
  return TRUE;
}

gboolean
dd_campaign_messages_enqueue (DdDatabase              *database,
                              gint64                   campaign_id,
                              const char              *template_text,
                              const char              *sender,
                              GPtrArray               *recipients,
                              const char              *locale,
                              DdCampaignMessagesFlags  flags,
                              const char              *not_before,
                              DdCampaignMessagesInfo  *out_info,
                              GError                 **error)
{
  g_autoptr(DdOutbox) outbox = dd_outbox_new (database);
  g_autoptr(GArray) items = g_array_sized_new (FALSE, TRUE, sizeof (DdOutboxNew),
                                               recipients->len);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  DdCampaignMessagesInfo info = { 0 };
  guint added = 0;

  for (guint i = 0; i < recipients->len; i++)
    {
      const DdRecipient *r = g_ptr_array_index (recipients, i);
      char *text = render_message (template_text, r, locale, flags, error);
      DdSmsMeasure measure;
      DdOutboxNew item = { 0 };

      if (text == NULL)
        return FALSE;
      g_ptr_array_add (texts, text);
      dd_campaign_messages_measure_text (text, &measure);
      item.case_id = r->case_id;
      item.phone_id = r->phone_id;
      item.e164 = r->e164;
      item.body = text;
      item.encoding = measure.ucs2 ? "ucs2" : "gsm7";
      item.parts = measure.segments;
      item.not_before = not_before;
      g_array_append_val (items, item);
      count_message (&info, &measure);
      dd_sms_measure_clear (&measure);
    }
  if (!dd_outbox_enqueue (outbox, campaign_id, sender, (const DdOutboxNew *) items->data,
                          items->len, &added, error))
    return FALSE;
  if (out_info != NULL)
    *out_info = info;
  return TRUE;
}
