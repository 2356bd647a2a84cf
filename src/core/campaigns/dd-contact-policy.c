/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-contact-policy"

#include "config.h"

#include "dd-contact-policy.h"
#include "dd-json.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_BOXED_TYPE (DdContactPolicy, dd_contact_policy, dd_contact_policy_copy,
                     dd_contact_policy_free)
G_DEFINE_QUARK (dd-contact-policy-error-quark, dd_contact_policy_error)

static const char *const day_kind_names[DD_DAY_N_KINDS] = { "working", "weekend", "holiday" };
static const char *const channel_names[DD_CONTACT_N_CHANNELS] = { "sms", "call" };
static const char *const presets[] = { "pl", "ru-230fz", NULL };

/* Presets */

static DdContactPolicy *
policy_new (void)
{
  DdContactPolicy *self = g_new0 (DdContactPolicy, 1);

  self->extra_holidays = g_array_new (FALSE, FALSE, sizeof (guint32));
  return self;
}

static void
set_window (DdContactPolicy *self,
            DdDayKind        kind,
            gboolean         enabled,
            guint            start_hour,
            guint            end_hour)
{
  self->windows[kind].enabled = enabled;
  self->windows[kind].start_min = start_hour * 60;
  self->windows[kind].end_min = end_hour * 60;
}

DdContactPolicy *
dd_contact_policy_new_preset (const char *preset_id)
{
  DdContactPolicy *self;

  if (g_strcmp0 (preset_id, "pl") == 0)
    {
      /* No statutory numbers in Poland; the ban on harassing a debtor (art. 190a of the
       * penal code, UOKiK's guidance) asks for restraint: daytime only, no holidays, at most
       * one contact a day, three a week and ten a month by any channel. */
      self = policy_new ();
      self->preset = g_strdup (preset_id);
      self->default_zone = g_strdup ("Europe/Warsaw");
      self->holiday_country = g_strdup ("PL");
      set_window (self, DD_DAY_WORKING, TRUE, 8, 20);
      set_window (self, DD_DAY_WEEKEND, TRUE, 10, 16);
      set_window (self, DD_DAY_HOLIDAY, FALSE, 10, 16);
      self->total = (DdContactCap) { 1, 3, 10 };
      return self;
    }
  if (g_strcmp0 (preset_id, "ru-230fz") == 0)
    {
      /* Federal Law 230-FZ, art. 7: 8:00–22:00 on working days, 9:00–20:00 on weekends and
       * non-working holidays; calls at most once a day, twice a week, eight times a month;
       * messages at most twice a day, four times a week, sixteen times a month. */
      self = policy_new ();
      self->preset = g_strdup (preset_id);
      self->default_zone = g_strdup ("Europe/Moscow");
      self->holiday_country = g_strdup ("RU");
      set_window (self, DD_DAY_WORKING, TRUE, 8, 22);
      set_window (self, DD_DAY_WEEKEND, TRUE, 9, 20);
      set_window (self, DD_DAY_HOLIDAY, TRUE, 9, 20);
      self->caps[DD_CONTACT_SMS] = (DdContactCap) { 2, 4, 16 };
      self->caps[DD_CONTACT_CALL] = (DdContactCap) { 1, 2, 8 };
      return self;
    }
  return NULL;
}

const char *const *
dd_contact_policy_list_presets (void)
{
  return presets;
}

const char *
dd_contact_policy_preset_title (const char *preset_id)
{
  if (g_strcmp0 (preset_id, "pl") == 0)
    return _("Poland (conservative default)");
  if (g_strcmp0 (preset_id, "ru-230fz") == 0)
    return _("Russia (Federal Law 230-FZ)");
  return _("Custom");
}

const char *
dd_contact_policy_preset_for_country (const char *country)
{
  return g_strcmp0 (country, "RU") == 0 ? "ru-230fz" : "pl";
}

DdContactPolicy *
dd_contact_policy_copy (const DdContactPolicy *self)
{
  DdContactPolicy *copy;

  if (self == NULL)
    return NULL;
  copy = policy_new ();
  copy->preset = g_strdup (self->preset);
  copy->default_zone = g_strdup (self->default_zone);
  copy->holiday_country = g_strdup (self->holiday_country);
  g_array_append_vals (copy->extra_holidays, self->extra_holidays->data,
                       self->extra_holidays->len);
  memcpy (copy->windows, self->windows, sizeof self->windows);
  memcpy (copy->caps, self->caps, sizeof self->caps);
  copy->total = self->total;
  return copy;
}

void
dd_contact_policy_free (DdContactPolicy *self)
{
  if (self == NULL)
    return;
  g_free (self->preset);
  g_free (self->default_zone);
  g_free (self->holiday_country);
  g_array_unref (self->extra_holidays);
  g_free (self);
}

/* Holidays */

static void
easter_sunday (guint year,
               GDate *out)
{
  /* the anonymous Gregorian algorithm (Meeus/Jones/Butcher) */
  guint a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
  guint f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  guint i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  guint m = (a + 11 * h + 22 * l) / 451;
  guint month = (h + l - 7 * m + 114) / 31;
  guint day = (h + l - 7 * m + 114) % 31 + 1;

  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

gboolean
dd_contact_policy_is_public_holiday (const char  *country,
                                     const GDate *date)
{
  guint day, month, year;

  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  day = g_date_get_day (date);
  month = g_date_get_month (date);
  year = g_date_get_year (date);

  if (g_strcmp0 (country, "PL") == 0)
    {
      static const guint8 fixed[][2] = {
        { 1, 1 }, { 6, 1 }, { 1, 5 }, { 3, 5 }, { 15, 8 }, { 1, 11 }, { 11, 11 },
        { 25, 12 }, { 26, 12 },
      };
      GDate easter;
      gint offset;

      for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
        if (day == fixed[i][0] && month == fixed[i][1])
          return TRUE;
      /* Christmas Eve is a public holiday from 2025 on */
      if (day == 24 && month == 12 && year >= 2025)
        return TRUE;
      easter_sunday (year, &easter);
      offset = (gint) g_date_get_julian (date) - (gint) g_date_get_julian (&easter);
      /* Easter Sunday and Monday, Pentecost Sunday, Corpus Christi */
      return offset == 0 || offset == 1 || offset == 49 || offset == 60;
    }
  if (g_strcmp0 (country, "RU") == 0)
    {
      static const guint8 fixed[][2] = {
        { 23, 2 }, { 8, 3 }, { 1, 5 }, { 9, 5 }, { 12, 6 }, { 4, 11 },
      };

      if (month == 1 && day <= 8)
        return TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
        if (day == fixed[i][0] && month == fixed[i][1])
          return TRUE;
    }
  return FALSE;
}

void
dd_contact_policy_add_holiday (DdContactPolicy *self,
                               const GDate     *date)
{
  guint32 julian;

  g_return_if_fail (self != NULL && date != NULL && g_date_valid (date));

  julian = g_date_get_julian (date);
  for (guint i = 0; i < self->extra_holidays->len; i++)
    if (g_array_index (self->extra_holidays, guint32, i) == julian)
      return;
  g_array_append_val (self->extra_holidays, julian);
}

DdDayKind
dd_contact_policy_classify_day (const DdContactPolicy *self,
                                const GDate           *date)
{
  guint32 julian = g_date_get_julian (date);
  GDateWeekday weekday;

  for (guint i = 0; i < self->extra_holidays->len; i++)
    if (g_array_index (self->extra_holidays, guint32, i) == julian)
      return DD_DAY_HOLIDAY;
  if (dd_contact_policy_is_public_holiday (self->holiday_country, date))
    return DD_DAY_HOLIDAY;
  weekday = g_date_get_weekday (date);
  return weekday == G_DATE_SATURDAY || weekday == G_DATE_SUNDAY ? DD_DAY_WEEKEND
                                                                : DD_DAY_WORKING;
}

/* JSON */

static char *
minutes_to_text (guint minutes)
{
  return g_strdup_printf ("%02u:%02u", minutes / 60, minutes % 60);
}

static gboolean
text_to_minutes (const char *text,
                 guint      *out)
{
  guint hours, minutes;
  char extra;

  if (text == NULL || sscanf (text, "%u:%u%c", &hours, &minutes, &extra) != 2 ||
      minutes > 59 || hours > 24 || (hours == 24 && minutes != 0))
    return FALSE;
  *out = hours * 60 + minutes;
  return TRUE;
}

static void
add_cap (JsonBuilder        *builder,
         const char         *name,
         const DdContactCap *cap)
{
  dd_json_begin_object_member (builder, name);
  dd_json_add_int (builder, "day", cap->per_day);
  dd_json_add_int (builder, "week", cap->per_week);
  dd_json_add_int (builder, "month", cap->per_month);
  json_builder_end_object (builder);
}

char *
dd_contact_policy_to_json (const DdContactPolicy *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  dd_json_add_int (builder, "version", 1);
  dd_json_add_string (builder, "preset", self->preset);
  dd_json_add_string (builder, "zone", self->default_zone);
  dd_json_add_string (builder, "holidays", self->holiday_country);
  dd_json_begin_array_member (builder, "extra_holidays");
  for (guint i = 0; i < self->extra_holidays->len; i++)
    {
      GDate date;
      char text[16];

      g_date_clear (&date, 1);
      g_date_set_julian (&date, g_array_index (self->extra_holidays, guint32, i));
      g_date_strftime (text, sizeof text, "%Y-%m-%d", &date);
      json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);
  dd_json_begin_object_member (builder, "windows");
  for (guint k = 0; k < DD_DAY_N_KINDS; k++)
    {
      g_autofree char *start = minutes_to_text (self->windows[k].start_min);
      g_autofree char *end = minutes_to_text (self->windows[k].end_min);

      dd_json_begin_object_member (builder, day_kind_names[k]);
      dd_json_add_boolean (builder, "enabled", self->windows[k].enabled);
      dd_json_add_string (builder, "start", start);
      dd_json_add_string (builder, "end", end);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  dd_json_begin_object_member (builder, "caps");
  for (guint c = 0; c < DD_CONTACT_N_CHANNELS; c++)
    add_cap (builder, channel_names[c], &self->caps[c]);
  add_cap (builder, "total", &self->total);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gboolean
read_cap (JsonObject    *caps,
          const char    *name,
          DdContactCap  *out,
          GError       **error)
{
  JsonNode *node = json_object_get_member (caps, name);
  JsonObject *object;
  const char *fields[] = { "day", "week", "month" };
  guint *values[] = { &out->per_day, &out->per_week, &out->per_month };

  *out = (DdContactCap) { 0, 0, 0 };
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  object = json_node_get_object (node);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      JsonNode *value = json_object_get_member (object, fields[i]);
      gint64 n;

      if (value == NULL)
        continue;
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64)
        goto bad;
      n = json_node_get_int (value);
      if (n < 0 || n > 1000)
        goto bad;
      *values[i] = (guint) n;
    }
  return TRUE;

bad:
  /* Translators: %s names a channel ("sms", "call", "total") in the stored policy */
  g_set_error (error, DD_CONTACT_POLICY_ERROR, DD_CONTACT_POLICY_ERROR_PARSE,
               _("The limits for “%s” in the contact policy are not numbers from 0 to 1000."),
               name);
  return FALSE;
}

DdContactPolicy *
dd_contact_policy_from_json (const char  *json,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DdContactPolicy) self = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonObject *root, *windows, *caps;
  JsonArray *extra;
  JsonNode *node;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, &parse_error) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, DD_CONTACT_POLICY_ERROR, DD_CONTACT_POLICY_ERROR_PARSE,
                           _("The contact policy is not valid JSON."));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_get_int_member_with_default (root, "version", 0) != 1)
    {
      g_set_error_literal (error, DD_CONTACT_POLICY_ERROR, DD_CONTACT_POLICY_ERROR_PARSE,
                           _("The contact policy was saved by an unknown version."));
      return NULL;
    }
  self = policy_new ();
  self->preset = g_strdup (json_object_get_string_member_with_default (root, "preset", NULL));
  self->default_zone = g_strdup (json_object_get_string_member_with_default (root, "zone",
                                                                             "Europe/Warsaw"));
  self->holiday_country = g_strdup (json_object_get_string_member_with_default (root, "holidays",
                                                                                NULL));
  node = json_object_get_member (root, "extra_holidays");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      extra = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (extra); i++)
        {
          const char *text = json_array_get_string_element (extra, i);
          GDate date;
          guint y, m, d;

          g_date_clear (&date, 1);
          if (text == NULL || sscanf (text, "%u-%u-%u", &y, &m, &d) != 3 ||
              !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
            {
              g_set_error (error, DD_CONTACT_POLICY_ERROR, DD_CONTACT_POLICY_ERROR_PARSE,
                           _("“%s” in the contact policy’s holidays is not a date."),
                           text != NULL ? text : "");
              return NULL;
            }
          g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
          dd_contact_policy_add_holiday (self, &date);
        }
    }
  node = json_object_get_member (root, "windows");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, DD_CONTACT_POLICY_ERROR, DD_CONTACT_POLICY_ERROR_PARSE,
                           _("The contact policy has no sending hours."));
      return NULL;
    }
  windows = json_node_get_object (node);
  for (guint k = 0; k < DD_DAY_N_KINDS; k++)
    {
      JsonNode *window = json_object_get_member (windows, day_kind_names[k]);
      JsonObject *object;

      if (window == NULL || !JSON_NODE_HOLDS_OBJECT (window))
        continue;   /* disabled */
      object = json_node_get_object (window);
      self->windows[k].enabled = json_object_get_boolean_member_with_default (object, "enabled",
                                                                              FALSE);
      if (!text_to_minutes (json_object_get_string_member_with_default (object, "start", NULL),
                            &self->windows[k].start_min) ||
          !text_to_minutes (json_object_get_string_member_with_default (object, "end", NULL),
                            &self->windows[k].end_min))
        {
          g_set_error_literal (error, DD_CONTACT_POLICY_ERROR, DD_CONTACT_POLICY_ERROR_PARSE,
                               _("The contact policy’s sending hours are not times like 08:00."));
          return NULL;
        }
    }
  node = json_object_get_member (root, "caps");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      caps = json_node_get_object (node);
      for (guint c = 0; c < DD_CONTACT_N_CHANNELS; c++)
        if (!read_cap (caps, channel_names[c], &self->caps[c], error))
          return NULL;
      if (!read_cap (caps, "total", &self->total, error))
        return NULL;
    }
  if (!dd_contact_policy_validate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

static gboolean
cap_is_consistent (const DdContactCap *cap)
{
  /* a day's cap above the week's (or a week's above the month's) could never be used */
  return (cap->per_week == 0 || cap->per_day <= cap->per_week) &&
         (cap->per_month == 0 || cap->per_week <= cap->per_month) &&
         (cap->per_month == 0 || cap->per_day <= cap->per_month);
}

gboolean
dd_contact_policy_validate (const DdContactPolicy  *self,
                            GError                **error)
{
  g_autoptr(GTimeZone) zone = NULL;

  for (guint k = 0; k < DD_DAY_N_KINDS; k++)
    if (self->windows[k].enabled &&
        (self->windows[k].start_min >= self->windows[k].end_min || self->windows[k].end_min > 1440))
      {
        g_set_error_literal (error, DD_CONTACT_POLICY_ERROR, DD_CONTACT_POLICY_ERROR_INVALID,
                             k == DD_DAY_WORKING
                             ? _("On working days the sending hours end before they start.")
                             : k == DD_DAY_WEEKEND
                             ? _("On weekends the sending hours end before they start.")
                             : _("On public holidays the sending hours end before they start."));
        return FALSE;
      }
  if (!self->windows[DD_DAY_WORKING].enabled && !self->windows[DD_DAY_WEEKEND].enabled)
    {
      g_set_error_literal (error, DD_CONTACT_POLICY_ERROR, DD_CONTACT_POLICY_ERROR_INVALID,
                           _("The policy allows no day at all."));
      return FALSE;
    }
  for (guint c = 0; c < DD_CONTACT_N_CHANNELS; c++)
    if (!cap_is_consistent (&self->caps[c]))
      goto inconsistent;
  if (!cap_is_consistent (&self->total))
    goto inconsistent;
  if (self->default_zone == NULL ||
      (zone = g_time_zone_new_identifier (self->default_zone)) == NULL)
    {
      g_set_error (error, DD_CONTACT_POLICY_ERROR, DD_CONTACT_POLICY_ERROR_INVALID,
                   _("“%s” is not a known time zone."),
                   self->default_zone ? self->default_zone : "");
      return FALSE;
    }
  return TRUE;

inconsistent:
  g_set_error_literal (error, DD_CONTACT_POLICY_ERROR, DD_CONTACT_POLICY_ERROR_INVALID,
                       _("A limit per day is above the limit per week or month, or a week’s "
                         "above the month’s."));
  return FALSE;
}

/* Checking */

typedef enum { PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH } Period;

/* The key of @when's day, ISO week or month in its zone, comparable for equality. */
static gint64
period_key (GDateTime *when,
            Period     period)
{
  switch (period)
    {
    case PERIOD_DAY:
      return g_date_time_get_year (when) * 1000 + g_date_time_get_day_of_year (when);
    case PERIOD_WEEK:
      return g_date_time_get_week_numbering_year (when) * 100 + g_date_time_get_week_of_year (when);
    case PERIOD_MONTH:
    default:
      return g_date_time_get_year (when) * 100 + g_date_time_get_month (when);
    }
}

/* Local midnight at the start of the day @days after @when's day. */
static GDateTime *
day_start (GDateTime *when,
           GTimeZone *zone,
           gint       days)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) g_date_time_get_day_of_month (when),
                  (GDateMonth) g_date_time_get_month (when),
                  (GDateYear) g_date_time_get_year (when));
  if (days > 0)
    g_date_add_days (&date, (guint) days);
  return g_date_time_new (zone, g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date), 0, 0, 0);
}

/* The start of the next period after @when's (local). */
static GDateTime *
next_period_start (GDateTime *when,
                   GTimeZone *zone,
                   Period     period)
{
  switch (period)
    {
    case PERIOD_DAY:
      return day_start (when, zone, 1);
    case PERIOD_WEEK:
      return day_start (when, zone, 8 - g_date_time_get_day_of_week (when));
    case PERIOD_MONTH:
    default:
      {
        gint year = g_date_time_get_year (when), month = g_date_time_get_month (when) + 1;

        if (month > 12)
          {
            month = 1;
            year++;
          }
        return g_date_time_new (zone, year, month, 1, 0, 0, 0);
      }
    }
}

/* Is a cap of @period reached at @when? */
static gboolean
cap_reached (guint                 cap,
             Period                period,
             gboolean              any_channel,
             DdContactChannel      channel,
             GDateTime            *when,
             GTimeZone            *zone,
             const DdContactEvent *history,
             gsize                 n_history)
{
  gint64 key;
  guint count = 0;

  if (cap == 0)
    return FALSE;
  key = period_key (when, period);
  for (gsize i = 0; i < n_history; i++)
    {
      g_autoptr(GDateTime) utc = NULL;
      g_autoptr(GDateTime) local = NULL;

      if (!any_channel && history[i].channel != channel)
        continue;
      utc = g_date_time_new_from_unix_utc (history[i].at);
      local = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
      if (local != NULL && period_key (local, period) == key)
        count++;
    }
  return count >= cap;
}

DdContactVerdict
dd_contact_policy_check (const DdContactPolicy *self,
                         DdContactChannel       channel,
                         const char            *zone_name,
                         gint64                 at,
                         const DdContactEvent  *history,
                         gsize                  n_history,
                         guint                  horizon_days,
                         gint64                *next_allowed)
{
  g_autoptr(GTimeZone) zone = NULL;
  DdContactVerdict reason = DD_CONTACT_ALLOWED;
  gint64 horizon = at + (gint64) horizon_days * 86400;
  gint64 t = at;

  g_return_val_if_fail (self != NULL, DD_CONTACT_SKIP);
  g_return_val_if_fail (channel < DD_CONTACT_N_CHANNELS, DD_CONTACT_SKIP);

  if (zone_name != NULL && *zone_name != '\0')
    zone = g_time_zone_new_identifier (zone_name);
  if (zone == NULL && self->default_zone != NULL)
    zone = g_time_zone_new_identifier (self->default_zone);
  if (zone == NULL)
    zone = g_time_zone_new_utc ();

  /* each step moves t forward to the next opening or period; a few per day at most */
  for (guint steps = 0; steps < 8 * (horizon_days + 1) && t <= horizon; steps++)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
      g_autoptr(GDateTime) next = NULL;
      GDate date;
      const DdContactWindow *window;
      guint minute;
      static const Period periods[] = { PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH };

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, (GDateDay) g_date_time_get_day_of_month (local),
                      (GDateMonth) g_date_time_get_month (local),
                      (GDateYear) g_date_time_get_year (local));
      window = &self->windows[dd_contact_policy_classify_day (self, &date)];
      minute = (guint) (g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local));

      if (!window->enabled || minute >= window->end_min)
        next = day_start (local, zone, 1);
      else if (minute < window->start_min)
        /* wall-clock time, not minutes after midnight: on the days the clocks change the
         * two differ by an hour */
        next = g_date_time_new (zone, g_date_time_get_year (local),
                                g_date_time_get_month (local),
                                g_date_time_get_day_of_month (local),
                                (gint) window->start_min / 60, (gint) window->start_min % 60, 0);
      if (next != NULL)
        {
          if (reason == DD_CONTACT_ALLOWED)
            reason = DD_CONTACT_DEFER_WINDOW;
          t = MAX (g_date_time_to_unix (next), t + 1);
          continue;
        }

      for (guint p = 0; p < G_N_ELEMENTS (periods) && next == NULL; p++)
        {
          const DdContactCap *mine = &self->caps[channel];
          guint channel_cap = p == 0 ? mine->per_day : p == 1 ? mine->per_week : mine->per_month;
          guint total_cap = p == 0 ? self->total.per_day
                            : p == 1 ? self->total.per_week : self->total.per_month;

          if (cap_reached (channel_cap, periods[p], FALSE, channel, local, zone, history,
                           n_history) ||
              cap_reached (total_cap, periods[p], TRUE, channel, local, zone, history, n_history))
            next = next_period_start (local, zone, periods[p]);
        }
      if (next != NULL)
        {
          if (reason == DD_CONTACT_ALLOWED)
            reason = DD_CONTACT_DEFER_CAP;
          t = MAX (g_date_time_to_unix (next), t + 1);
          continue;
        }

      if (next_allowed != NULL)
        *next_allowed = t;
      return reason;
    }
  if (next_allowed != NULL)
    *next_allowed = 0;
  return DD_CONTACT_SKIP;
}
