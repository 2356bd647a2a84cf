/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ladder-planner"

#include "config.h"

#include "dd-ladder-planner.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

static const char *const exclusion_names[DD_LADDER_EXCLUDED_N_REASONS] = {
  "dispute", "paused", "promise-pending", "opt-out", "no-phone", "window-closed", "cap-reached",
};

const char *
dd_ladder_exclusion_to_string (DdLadderExclusion reason)
{
  g_return_val_if_fail (reason < DD_LADDER_EXCLUDED_N_REASONS, NULL);
  return exclusion_names[reason];
}

const char *
dd_ladder_exclusion_to_label (DdLadderExclusion reason)
{
  switch (reason)
    {
    case DD_LADDER_EXCLUDED_DISPUTE:
      return _("Excluded (dispute)");
    case DD_LADDER_EXCLUDED_PAUSED:
      return _("Paused");
    case DD_LADDER_EXCLUDED_PROMISE:
      return _("Payment declaration pending");
    case DD_LADDER_EXCLUDED_OPT_OUT:
      return _("Opted out");
    case DD_LADDER_EXCLUDED_NO_PHONE:
      return _("No usable phone number");
    case DD_LADDER_EXCLUDED_WINDOW:
      return _("No contact allowed that day");
    case DD_LADDER_EXCLUDED_CAP:
      return _("Contact limit reached");
    case DD_LADDER_EXCLUDED_N_REASONS:
    default:
      break;
    }
  g_return_val_if_reached (NULL);
}

void
dd_ladder_plan_free (DdLadderPlan *plan)
{
  if (plan == NULL)
    return;
  g_array_unref (plan->items);
  g_array_unref (plan->cases);
  g_array_unref (plan->excluded);
  g_array_unref (plan->steps);
  g_free (plan);
}

const DdLadderPlanCase *
dd_ladder_plan_item_cases (const DdLadderPlan     *plan,
                           const DdLadderPlanItem *item)
{
  return &g_array_index (plan->cases, DdLadderPlanCase, item->first_case);
}

typedef enum
{
  DECIDED_NOTHING,
  DECIDED_STEP,
  DECIDED_EXCLUDED,
} Decision;

/* What one case would do on @day, before the debtor's cases are put together. */
static Decision
decide (const DdLadderPolicy  *policy,
        const DdLadderCase    *c,
        guint32                day,
        guint                  grace_days,
        DdLadderPlanCase      *out_step,
        DdLadderExcludedCase  *out_excluded)
{
  const DdLadderStep *steps = (const DdLadderStep *) (gpointer) policy->steps->data;
  gint n = (gint) policy->steps->len;
  gboolean open_declaration;
  gboolean pending = FALSE;
  gboolean broken = FALSE;
  gint best = -1;
  gint shift = c->shift_days;
  gint reached = -1;

  /* the step reached by its day, not its place: the office may have added or taken out steps
   * since (a step done is never made again, none after it is skipped) */
  if (c->reached >= 0)
    for (gint i = 0; i < n && steps[i].offset_days <= c->reached_offset; i++)
      reached = i;
  if (c->due_day == 0 || reached >= n - 1 || (c->reached_day != 0 && c->reached_day >= day))
    return DECIDED_NOTHING;

  open_declaration = c->declaration_id != 0 && c->declaration_id != c->handled_declaration_id;
  if (open_declaration && c->declaration_state == DD_LADDER_DECLARATION_PENDING)
    {
      if (day <= c->promised_day + grace_days)
        pending = TRUE;
      else
        broken = TRUE;
    }
  else if (open_declaration && c->declaration_state == DD_LADDER_DECLARATION_BROKEN)
    broken = TRUE;

  if (broken)
    {
      /* back on the step after the one reached, the later ones shifted from today */
      best = reached + 1;
      /* not a reminder before a due date already passed: the first step from it on */
      while (best < n - 1 && steps[best].offset_days < 0 && day > c->due_day)
        best++;
      if (steps[best].offset_days < 0 && day > c->due_day)
        return DECIDED_NOTHING;   /* a ladder of reminders only: nothing left to do */
      shift = MAX (shift, (gint) day - (gint) c->due_day - steps[best].offset_days);
    }
  else
    for (gint i = reached + 1; i < n; i++)
      {
        if ((gint64) c->due_day + steps[i].offset_days + shift > (gint64) day)
          break;
        best = i;
      }
  if (best < 0)
    return DECIDED_NOTHING;
  /* a reminder before the due date is not sent once the date has passed (the PC was off, the
   * case came in late): it would announce a date already gone; the next step after the due
   * date comes on its day */
  if (!broken && steps[best].offset_days < 0 && (gint64) day > (gint64) c->due_day + shift)
    return DECIDED_NOTHING;

  out_excluded->case_id = c->case_id;
  out_excluded->debtor_id = c->debtor_id;
  out_excluded->step = best;
  out_excluded->channel = steps[best].channel;
  out_excluded->until_day = 0;
  if (c->excluded)
    {
      out_excluded->reason = DD_LADDER_EXCLUDED_DISPUTE;
      return DECIDED_EXCLUDED;
    }
  if (c->paused_until != 0 && c->paused_until >= day)
    {
      out_excluded->reason = DD_LADDER_EXCLUDED_PAUSED;
      out_excluded->until_day = c->paused_until;
      return DECIDED_EXCLUDED;
    }
  if (pending)
    {
      out_excluded->reason = DD_LADDER_EXCLUDED_PROMISE;
      out_excluded->until_day = c->promised_day + grace_days;
      return DECIDED_EXCLUDED;
    }

  out_step->case_id = c->case_id;
  out_step->step = best;
  out_step->offset_days = steps[best].offset_days;
  out_step->shift_days = shift;
  out_step->promise_broken = broken;
  out_step->declaration_id = broken ? c->declaration_id : 0;
  return DECIDED_STEP;
}

/* The contact policy's answer for one zone and day, without history: the same for every
 * debtor who was not contacted lately, so it is computed once. */
typedef struct
{
  GTimeZone        *tz;
  gint64            day_start;
  gint64            day_end;
  gboolean          known[DD_CONTACT_N_CHANNELS];
  DdContactVerdict  verdict[DD_CONTACT_N_CHANNELS];
  gint64            next[DD_CONTACT_N_CHANNELS];
} ZoneDay;

static void
zone_day_free (gpointer data)
{
  ZoneDay *z = data;

  g_time_zone_unref (z->tz);
  g_free (z);
}

static ZoneDay *
zone_day_lookup (GHashTable            *zones,
                 const DdContactPolicy *policy,
                 const char            *zone,
                 guint32                day)
{
  const char *key = zone != NULL && *zone != '\0' ? zone : "";
  ZoneDay *z = g_hash_table_lookup (zones, key);

  if (z == NULL)
    {
      g_autoptr(GDateTime) start = NULL;
      GDate date;

      z = g_new0 (ZoneDay, 1);
      if (*key != '\0')
        z->tz = g_time_zone_new_identifier (key);
      if (z->tz == NULL && policy->default_zone != NULL)
        z->tz = g_time_zone_new_identifier (policy->default_zone);
      if (z->tz == NULL)
        z->tz = g_time_zone_new_utc ();
      g_date_clear (&date, 1);
      g_date_set_julian (&date, day);
      start = g_date_time_new (z->tz, g_date_get_year (&date), g_date_get_month (&date),
                               g_date_get_day (&date), 0, 0, 0);
      z->day_start = g_date_time_to_unix (start);
      {
        g_autoptr(GDateTime) end = g_date_time_add_days (start, 1);

        z->day_end = g_date_time_to_unix (end);
      }
      g_hash_table_insert (zones, g_strdup (key), z);
    }
  return z;
}

/* Whether the contact policy lets @channel reach the debtor on the plan's day; *@out_at gets
 * when. */
static gboolean
contact_allowed (const DdLadderPlanOptions *options,
                 GHashTable                *zones,
                 const DdLadderCase        *lead,
                 guint32                    day,
                 DdContactChannel           channel,
                 gint64                    *out_at,
                 DdLadderExclusion         *out_reason)
{
  ZoneDay *z = zone_day_lookup (zones, options->contact_policy, lead->zone, day);
  gint64 at = MAX (z->day_start, options->now);
  GArray *history = NULL;
  DdContactVerdict verdict;
  gint64 next = 0;

  if (options->history != NULL)
    history = g_hash_table_lookup (options->history, &lead->debtor_id);

  if (history == NULL || history->len == 0)
    {
      if (!z->known[channel] || at != z->day_start)
        {
          verdict = dd_contact_policy_check (options->contact_policy, channel, lead->zone, at,
                                             NULL, 0, 1, &next);
          if (at == z->day_start)
            {
              z->known[channel] = TRUE;
              z->verdict[channel] = verdict;
              z->next[channel] = next;
            }
        }
      else
        {
          verdict = z->verdict[channel];
          next = z->next[channel];
        }
      if (verdict != DD_CONTACT_SKIP && next < z->day_end)
        {
          *out_at = next;
          return TRUE;
        }
      *out_reason = verdict == DD_CONTACT_DEFER_CAP ? DD_LADDER_EXCLUDED_CAP
                                                    : DD_LADDER_EXCLUDED_WINDOW;
      return FALSE;
    }

  verdict = dd_contact_policy_check (options->contact_policy, channel, lead->zone, at,
                                     (const DdContactEvent *) (gpointer) history->data,
                                     history->len, 1, &next);
  if (verdict != DD_CONTACT_SKIP && next < z->day_end)
    {
      *out_at = next;
      return TRUE;
    }
  /* not that day: because of the caps if the day has a window without the history */
  next = 0;
  verdict = dd_contact_policy_check (options->contact_policy, channel, lead->zone, at, NULL, 0,
                                     1, &next);
  *out_reason = verdict != DD_CONTACT_SKIP && next < z->day_end ? DD_LADDER_EXCLUDED_CAP
                                                                 : DD_LADDER_EXCLUDED_WINDOW;
  return FALSE;
}

static void
count_step (GArray          *steps,
            DdLadderChannel  channel,
            gint             offset_days,
            guint            n_cases)
{
  DdLadderStepCount add = { channel, offset_days, 1, n_cases };
  guint at;

  for (at = 0; at < steps->len; at++)
    {
      DdLadderStepCount *s = &g_array_index (steps, DdLadderStepCount, at);

      if (s->offset_days == offset_days && s->channel == channel)
        {
          s->n_items++;
          s->n_cases += n_cases;
          return;
        }
      if (s->offset_days > offset_days ||
          (s->offset_days == offset_days && s->channel > channel))
        break;
    }
  g_array_insert_val (steps, at, add);
}

static int
compare_by_debtor (const void *a,
                   const void *b,
                   void       *user_data)
{
  const DdLadderCase *cases = user_data;
  const DdLadderCase *ca = &cases[*(const guint *) a];
  const DdLadderCase *cb = &cases[*(const guint *) b];

  if (ca->debtor_id != cb->debtor_id)
    return ca->debtor_id < cb->debtor_id ? -1 : 1;
  return (ca->case_id > cb->case_id) - (ca->case_id < cb->case_id);
}

static const DdLadderPolicy *
policy_for (const GPtrArray      *policies,
            GHashTable           *by_creditor,
            const DdLadderPolicy *fallback,
            gint64                creditor_id)
{
  const DdLadderPolicy *p;

  if (policies->len <= 1 || creditor_id == 0)
    return fallback;
  p = g_hash_table_lookup (by_creditor, &creditor_id);
  return p != NULL ? p : fallback;
}

DdLadderPlan *
dd_ladder_plan_compute (const GPtrArray           *policies,
                        const DdLadderCase        *cases,
                        gsize                      n_cases,
                        guint32                    day,
                        const DdLadderPlanOptions *options)
{
  static const DdLadderPlanOptions no_options = { 3, NULL, NULL, 0 };
  g_autoptr(GHashTable) by_creditor = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       zone_day_free);
  g_autofree guint *order = NULL;
  g_autoptr(GArray) group = g_array_new (FALSE, FALSE, sizeof (guint));
  const DdLadderPolicy *fallback = NULL;
  DdLadderPlan *plan;
  gboolean sorted = TRUE;
  gsize i = 0;

  g_return_val_if_fail (policies != NULL && policies->len > 0, NULL);
  if (options == NULL)
    options = &no_options;

  for (guint k = 0; k < policies->len; k++)
    {
      const DdLadderPolicy *p = g_ptr_array_index ((GPtrArray *) policies, k);

      if (p->creditor_id == 0 && fallback == NULL)
        fallback = p;
      else if (p->creditor_id != 0)
        g_hash_table_insert (by_creditor, (gpointer) &p->creditor_id, (gpointer) p);
    }
  if (fallback == NULL)
    fallback = g_ptr_array_index ((GPtrArray *) policies, 0);

  plan = g_new0 (DdLadderPlan, 1);
  plan->day = day;
  plan->items = g_array_new (FALSE, FALSE, sizeof (DdLadderPlanItem));
  plan->cases = g_array_new (FALSE, FALSE, sizeof (DdLadderPlanCase));
  plan->excluded = g_array_new (FALSE, FALSE, sizeof (DdLadderExcludedCase));
  plan->steps = g_array_new (FALSE, FALSE, sizeof (DdLadderStepCount));

  order = g_new (guint, n_cases > 0 ? n_cases : 1);
  for (gsize k = 0; k < n_cases; k++)
    {
      order[k] = (guint) k;
      if (k > 0 && compare_by_debtor (&order[k - 1], &order[k], (gpointer) cases) > 0)
        sorted = FALSE;
    }
  if (!sorted)
    g_qsort_with_data (order, (gint) n_cases, sizeof (guint), compare_by_debtor,
                       (gpointer) cases);

  while (i < n_cases)
    {
      gint64 debtor_id = cases[order[i]].debtor_id;
      guint first = plan->cases->len;
      const DdLadderCase *lead = NULL;
      const DdLadderPolicy *lead_policy = NULL;
      const DdLadderPlanCase *lead_step = NULL;
      DdLadderPlanItem item = { 0 };
      DdLadderExclusion reason = DD_LADDER_EXCLUDED_OPT_OUT;
      gboolean blocked = FALSE;

      g_array_set_size (group, 0);
      for (; i < n_cases && cases[order[i]].debtor_id == debtor_id; i++)
        {
          const DdLadderCase *c = &cases[order[i]];
          const DdLadderPolicy *policy = policy_for (policies, by_creditor, fallback,
                                                     c->creditor_id);
          DdLadderPlanCase step;
          DdLadderExcludedCase excluded;

          switch (decide (policy, c, day, options->grace_days, &step, &excluded))
            {
            case DECIDED_STEP:
              g_array_append_val (plan->cases, step);
              g_array_append_val (group, order[i]);
              break;
            case DECIDED_EXCLUDED:
              g_array_append_val (plan->excluded, excluded);
              plan->n_excluded[excluded.reason]++;
              break;
            case DECIDED_NOTHING:
            default:
              break;
            }
        }
      if (plan->cases->len == first)
        continue;

      /* the debtor's highest step leads: its channel covers all their cases */
      for (guint k = 0; k < group->len; k++)
        {
          const DdLadderPlanCase *s = &g_array_index (plan->cases, DdLadderPlanCase, first + k);
          const DdLadderCase *c = &cases[g_array_index (group, guint, k)];
          const DdLadderPolicy *policy = policy_for (policies, by_creditor, fallback,
                                                     c->creditor_id);
          DdLadderChannel channel = dd_ladder_policy_get_step (policy, (guint) s->step)->channel;

          if (lead == NULL || s->offset_days > lead_step->offset_days ||
              (s->offset_days == lead_step->offset_days && channel > item.channel))
            {
              lead = c;
              lead_step = s;
              lead_policy = policy;
              item.channel = channel;
            }
        }

      item.debtor_id = debtor_id;
      item.lead_case_id = lead->case_id;
      item.policy = lead_policy;
      item.step = (guint) lead_step->step;
      item.promise_broken = lead_step->promise_broken;
      item.first_case = first;
      item.n_cases = plan->cases->len - first;

      if (dd_ladder_channel_is_contact (item.channel))
        {
          DdContactChannel contact = item.channel == DD_LADDER_SMS ? DD_CONTACT_SMS
                                                                   : DD_CONTACT_CALL;

          if (lead->opt_out)
            blocked = TRUE, reason = DD_LADDER_EXCLUDED_OPT_OUT;
          else if (!lead->has_phone)
            blocked = TRUE, reason = DD_LADDER_EXCLUDED_NO_PHONE;
          else if (options->contact_policy != NULL)
            blocked = !contact_allowed (options, zones, lead, day, contact, &item.not_before,
                                        &reason);
        }

      if (blocked)
        {
          for (guint k = 0; k < item.n_cases; k++)
            {
              const DdLadderPlanCase *s = &g_array_index (plan->cases, DdLadderPlanCase,
                                                          first + k);
              DdLadderExcludedCase excluded = {
                .case_id = s->case_id,
                .debtor_id = debtor_id,
                .reason = reason,
                .step = s->step,
                .channel = item.channel,
              };

              g_array_append_val (plan->excluded, excluded);
              plan->n_excluded[reason]++;
            }
          g_array_set_size (plan->cases, first);
          continue;
        }

      g_array_append_val (plan->items, item);
      count_step (plan->steps, item.channel,
                  dd_ladder_policy_get_step (lead_policy, item.step)->offset_days, item.n_cases);
    }

  return plan;
}
