/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-campaign-audience.h"
#include "dd-database.h"

G_BEGIN_DECLS

/*
 * The messages of an SMS campaign: the template rendered for each recipient of the
 * audience (dd-template), measured (dd-sms-text: GSM-7 or UCS-2, segments) and put in the
 * outbox in one transaction, each with its idempotency key. Preparing a campaign twice
 * (after a crash) adds nothing twice.
 */

typedef enum
{
  DD_CAMPAIGN_MESSAGES_PLAIN = 1 << 0,   /* transliterate every rendered message to GSM-7 */
} DdCampaignMessagesFlags;

typedef struct
{
  guint   n_messages;
  guint   n_segments;       /* of all messages */
  guint   max_segments;     /* of the longest */
  guint   n_ucs2;           /* messages that need UCS-2 */
} DdCampaignMessagesInfo;

/* One text as an SMS: encoding, length in its units (septets or UTF-16 units), segments,
 * and the characters that force UCS-2 (NULL when it fits GSM-7). */
typedef struct
{
  gboolean ucs2;
  guint    units;
  guint    segments;
  guint    units_left;      /* in the last segment */
  char    *forcing;         /* the characters outside GSM-7, space-separated, or NULL */
  /* the alphabet whose letters force UCS-2 (G_UNICODE_SCRIPT_CYRILLIC for Russian): the
   * language itself needs Unicode, replacing characters would not help; else
   * G_UNICODE_SCRIPT_COMMON (only accents or typography force it, or nothing does) */
  GUnicodeScript script;
} DdSmsMeasure;

void      dd_sms_measure_clear         (DdSmsMeasure            *measure);
/* When the alphabet of the text needs Unicode, says so ("Russian text is sent as Unicode: 70
 * characters per part"), translated; NULL when it fits GSM-7 or replacing would help. */
char     *dd_sms_measure_describe_script (const DdSmsMeasure    *measure);
void      dd_campaign_messages_measure_text (const char         *text,
                                        DdSmsMeasure            *out_measure);
/* The text with the characters GSM-7 lacks replaced (ą → a, ж → zh, “ → "). */
char     *dd_campaign_messages_transliterate (const char        *text);
/* The placeholders a template may use, and their translated descriptions. {payment_link} and
 * {agent_phone} are not among them: rendered only with a value, an error without one. */
const char * const *dd_campaign_messages_placeholders (void);
const char *dd_campaign_messages_placeholder_label (const char  *placeholder);

/* Renders @template_text for @recipient (in the recipient's language, else @locale). A
 * placeholder without a value (@payment_link, @agent_phone NULL or empty) is an error that
 * names it, never an empty gap. */
char     *dd_campaign_messages_render  (const char              *template_text,
                                        const DdRecipient       *recipient,
                                        const char              *locale,
                                        const char              *payment_link,
                                        const char              *agent_phone,
                                        GError                 **error);

/* Renders and measures the messages of @recipients without storing them (the wizard's
 * review step). */
gboolean  dd_campaign_messages_measure (const char              *template_text,
                                        GPtrArray               *recipients,
                                        const char              *locale,
                                        DdCampaignMessagesFlags  flags,
                                        DdCampaignMessagesInfo  *out_info,
                                        GError                 **error);

/* Renders the messages of @recipients and queues them for @campaign_id, not before
 * @not_before (UTC ISO 8601 or NULL). */
gboolean  dd_campaign_messages_enqueue (DdDatabase              *database,
                                        gint64                   campaign_id,
                                        const char              *template_text,
                                        const char              *sender,
                                        GPtrArray               *recipients,
                                        const char              *locale,
                                        DdCampaignMessagesFlags  flags,
                                        const char              *not_before,
                                        DdCampaignMessagesInfo  *out_info,
                                        GError                 **error);

G_END_DECLS
