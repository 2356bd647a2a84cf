/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * DdContactPolicy: when a debtor may be contacted, by every channel. Sending windows in the
 * debtor's time zone for working days, weekends and public holidays, and frequency caps per
 * day, ISO week (Monday–Sunday) and calendar month — per channel (messages, calls) and across
 * channels — counted in the debtor's calendar. Presets: a conservative Polish default and the
 * limits of the Russian Federal Law 230-FZ (art. 7). Pure: the caller brings the history.
 */

typedef enum
{
  DD_CONTACT_SMS,
  DD_CONTACT_CALL,
  DD_CONTACT_N_CHANNELS
} DdContactChannel;

typedef enum
{
  DD_DAY_WORKING,
  DD_DAY_WEEKEND,
  DD_DAY_HOLIDAY,
  DD_DAY_N_KINDS
} DdDayKind;

typedef struct
{
  gboolean enabled;
  guint    start_min;     /* minutes from local midnight */
  guint    end_min;       /* exclusive; 1440 = midnight */
} DdContactWindow;

typedef struct
{
  guint per_day;          /* 0: no cap */
  guint per_week;
  guint per_month;
} DdContactCap;

typedef struct
{
  char            *preset;           /* the preset it started from, or NULL */
  char            *default_zone;     /* for debtors without a zone of their own */
  char            *holiday_country;  /* "PL", "RU" or NULL */
  GArray          *extra_holidays;   /* guint32 Julian days (GDate) */
  DdContactWindow  windows[DD_DAY_N_KINDS];
  DdContactCap     caps[DD_CONTACT_N_CHANNELS];
  DdContactCap     total;            /* all channels together */
} DdContactPolicy;

#define DD_TYPE_CONTACT_POLICY (dd_contact_policy_get_type ())
GType            dd_contact_policy_get_type      (void) G_GNUC_CONST;

#define DD_CONTACT_POLICY_ERROR (dd_contact_policy_error_quark ())
GQuark           dd_contact_policy_error_quark   (void);

typedef enum
{
  DD_CONTACT_POLICY_ERROR_PARSE,
  DD_CONTACT_POLICY_ERROR_INVALID,
} DdContactPolicyError;

/* "pl", "ru-230fz"; NULL for an unknown id. */
DdContactPolicy *dd_contact_policy_new_preset    (const char             *preset_id);
const char *const *dd_contact_policy_list_presets (void);
/* Translated title of a preset. */
const char      *dd_contact_policy_preset_title  (const char             *preset_id);
/* The preset an office in @country ("PL", "RU", …) starts with. */
const char      *dd_contact_policy_preset_for_country (const char        *country);
DdContactPolicy *dd_contact_policy_copy          (const DdContactPolicy  *self);
void             dd_contact_policy_free          (DdContactPolicy        *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdContactPolicy, dd_contact_policy_free)

char            *dd_contact_policy_to_json       (const DdContactPolicy  *self);
DdContactPolicy *dd_contact_policy_from_json     (const char             *json,
                                                  GError                **error);
/* Windows that end before they start, caps that contradict each other, unknown zones. */
gboolean         dd_contact_policy_validate      (const DdContactPolicy  *self,
                                                  GError                **error);

/* Public holidays computed for any year (Easter by the Gregorian computus). Transfers decreed
 * each year (Russia) are not computed: add them as extra holidays. */
gboolean         dd_contact_policy_is_public_holiday (const char         *country,
                                                      const GDate        *date);
void             dd_contact_policy_add_holiday   (DdContactPolicy        *self,
                                                  const GDate            *date);
DdDayKind        dd_contact_policy_classify_day  (const DdContactPolicy  *self,
                                                  const GDate            *date);

typedef struct
{
  DdContactChannel channel;
  gint64           at;               /* Unix time */
} DdContactEvent;

typedef enum
{
  DD_CONTACT_ALLOWED,
  DD_CONTACT_DEFER_WINDOW,           /* outside the sending window of that day */
  DD_CONTACT_DEFER_CAP,              /* a cap is reached for that day, week or month */
  DD_CONTACT_SKIP,                   /* nothing allowed within the horizon */
} DdContactVerdict;

/* May @channel reach the debtor (time zone @zone, NULL: the policy's) at @at, after the
 * contacts in @history? If not, *@next_allowed (may be NULL) gets the earliest moment from @at
 * on when it may, searching @horizon_days ahead. */
DdContactVerdict dd_contact_policy_check         (const DdContactPolicy  *self,
                                                  DdContactChannel        channel,
                                                  const char             *zone,
                                                  gint64                  at,
                                                  const DdContactEvent   *history,
                                                  gsize                   n_history,
                                                  guint                   horizon_days,
                                                  gint64                 *next_allowed);

G_END_DECLS
