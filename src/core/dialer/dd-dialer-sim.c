/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-dialer-sim"

#include "config.h"

#include "dd-dialer-sim.h"

#include <math.h>

typedef struct
{
  gint64   ends_at;    /* when the ringing ends (answer or ring timeout) */
  gboolean answers;
  gint     agent;      /* preview: the consultant who dialled it; else -1 */
  gint64   answered_at;/* answered and waiting for a consultant (at most 2 s); else 0 */
  gint64   dialled_at;
} Ringing;

/* A consultant whose wrap-up ends within this many seconds counts as free: a call placed
 * now is answered after 3 s at the earliest, and may wait 2 s more for them. */
#define SOON_FREE_S 5

typedef enum
{
  AGENT_READY,
  AGENT_PREVIEW,  /* reading the case before dialling */
  AGENT_DIALING,  /* preview: waiting for the number they dialled */
  AGENT_TALKING,
  AGENT_WRAP_UP,
} AgentState;

typedef struct
{
  AgentState state;
  gint64     until;
} Agent;

static guint
talk_time (GRand  *rand,
           guint   mean)
{
  double tail = mean > 30 ? mean - 30 : 1;

  return 30 + (guint) (-tail * log (1.0 - g_rand_double (rand)));
}

static gint
find_ready (Agent *agents,
            guint  n)
{
  for (guint i = 0; i < n; i++)
    if (agents[i].state == AGENT_READY)
      return (gint) i;
  return -1;
}

static void
start_talk (Agent   *agent,
            DdPacer *pacer,
            GRand   *rand,
            gint64   now,
            guint    talk_mean,
            guint    wrap_up)
{
  guint talk = talk_time (rand, talk_mean);

  agent->state = AGENT_TALKING;
  agent->until = now + talk;
  dd_pacer_record_handle_time (pacer, talk + wrap_up);
}

static Ringing
dial (GRand                   *rand,
      const DdDialerSimConfig *config,
      gint64                   now,
      guint                    ring_timeout,
      gint                     agent)
{
  Ringing call;

  call.answers = g_rand_double (rand) < config->answer_rate;
  /* A person answers after 3 to 14 s of ringing; else it rings out. */
  call.ends_at = now + (call.answers ? g_rand_int_range (rand, 3, 15) : (gint) ring_timeout);
  call.agent = agent;
  call.answered_at = 0;
  call.dialled_at = now;
  return call;
}

void
dd_dialer_sim_run (const DdDialerSimConfig *config,
                   DdDialerSimResult       *result)
{
  g_autoptr(GRand) rand = NULL;
  g_autoptr(DdPacer) pacer = NULL;
  g_autoptr(GArray) ringing = g_array_new (FALSE, FALSE, sizeof (Ringing));
  g_autofree Agent *agents = NULL;
  guint talk_mean, wrap_up, ring_timeout, preview;
  guint next_debtor = 0;
  guint64 idle_s = 0, talk_s = 0, agent_s = 0, decisions = 0;
  double level_sum = 0.0;
  gint64 now = 0;

  g_return_if_fail (config != NULL && result != NULL);
  g_return_if_fail (config->n_consultants > 0);

  memset (result, 0, sizeof *result);
  rand = g_rand_new_with_seed (config->seed);
  pacer = dd_pacer_new (config->mode, config->cap > 0 ? config->cap : DD_DIALER_DEFAULT_CAP,
                        DD_DIALER_WINDOW_30_DAYS_S, config->answer_rate);
  agents = g_new0 (Agent, config->n_consultants);
  talk_mean = config->talk_mean_s > 0 ? config->talk_mean_s : 120;
  wrap_up = config->wrap_up_s > 0 ? config->wrap_up_s : 15;
  ring_timeout = MAX (config->ring_timeout_s > 0 ? config->ring_timeout_s
                                                 : DD_DIALER_DEFAULT_RING_S,
                      DD_DIALER_MIN_RING_S);
  preview = config->preview_s > 0 ? config->preview_s : 10;

  for (now = 1; next_debtor < config->n_debtors || ringing->len > 0; now++)
    {
      guint free = 0;
      guint busy = 0;
      gboolean any_busy = ringing->len > 0;

      /* The consultants' own clocks */
      for (guint i = 0; i < config->n_consultants; i++)
        {
          Agent *agent = &agents[i];

          if (agent->state == AGENT_TALKING && now >= agent->until)
            {
              agent->state = AGENT_WRAP_UP;
              agent->until = now + wrap_up;
            }
          else if (agent->state == AGENT_WRAP_UP && now >= agent->until)
            agent->state = AGENT_READY;
          else if (agent->state == AGENT_PREVIEW && now >= agent->until
                   && next_debtor < config->n_debtors)
            {
              Ringing call = dial (rand, config, now, ring_timeout, (gint) i);

              next_debtor++;
              result->calls++;
              g_array_append_val (ringing, call);
              agent->state = AGENT_DIALING;
            }
          else if (agent->state == AGENT_PREVIEW && next_debtor >= config->n_debtors)
            agent->state = AGENT_READY;
        }

      /* The calls whose ringing ends now, and the answered ones waiting for a consultant */
      for (guint i = 0; i < ringing->len;)
        {
          Ringing *call = &g_array_index (ringing, Ringing, i);
          gint agent;
          gboolean abandoned;

          if (call->ends_at > now)
            {
              i++;
              continue;
            }
          agent = call->agent >= 0 ? call->agent : find_ready (agents, config->n_consultants);
          if (call->answers && agent < 0 && call->answered_at == 0)
            {
              /* The office's message must start within 2 s: wait that long for someone */
              call->answered_at = now;
              call->ends_at = now + 1;
              i++;
              continue;
            }
          if (call->answers && agent < 0
              && (now - call->answered_at) * 1000 < DD_DIALER_ABANDON_MESSAGE_MS)
            {
              call->ends_at = now + 1;
              i++;
              continue;
            }
          abandoned = call->answers && agent < 0;
          if (call->answers)
            {
              result->answered++;
              if (agent >= 0)
                start_talk (&agents[agent], pacer, rand, now, talk_mean, wrap_up);
              else
                result->abandoned++;
            }
          else if (call->agent >= 0)
            agents[call->agent].state = AGENT_READY;
          dd_pacer_record_call (pacer, now, call->answers, abandoned);
          g_array_remove_index_fast (ringing, i);
        }

      for (guint i = 0; i < config->n_consultants; i++)
        {
          agent_s++;
          if (agents[i].state == AGENT_READY)
            {
              idle_s++;
              free++;
            }
          else if (agents[i].state == AGENT_WRAP_UP && agents[i].until - now <= SOON_FREE_S)
            free++;
          else
            busy++;
          /* Waiting for a number dialled in preview is idle too */
          if (agents[i].state == AGENT_DIALING)
            idle_s++;
          if (agents[i].state == AGENT_TALKING)
            talk_s++;
          if (agents[i].state != AGENT_READY)
            any_busy = TRUE;
        }

      if (config->mode == DD_DIAL_MODE_PREVIEW)
        {
          for (guint i = 0; i < config->n_consultants && next_debtor < config->n_debtors; i++)
            if (agents[i].state == AGENT_READY)
              {
                agents[i].state = AGENT_PREVIEW;
                agents[i].until = now + preview;
              }
        }
      else if (next_debtor < config->n_debtors)
        {
          guint live = 0;
          guint n;

          /* Predictive counts on the calls that may still be answered; progressive keeps one
           * line per person however long it rings */
          for (guint i = 0; i < ringing->len; i++)
            {
              Ringing *call = &g_array_index (ringing, Ringing, i);

              if (call->answered_at > 0 || now - call->dialled_at < DD_DIALER_MIN_RING_S
                  || config->mode != DD_DIAL_MODE_PREDICTIVE)
                live++;
            }
          n = dd_pacer_calls_to_place (pacer, now, free, live, busy);
          if (config->fixed_level > 0)
            {
              guint lines = (guint) (config->fixed_level * free + 0.5);

              n = lines > live ? lines - live : 0;
            }

          if (free > 0)
            {
              level_sum += config->fixed_level > 0 ? config->fixed_level
                                                   : dd_pacer_get_dial_level (pacer);
              decisions++;
            }
          for (guint k = 0; k < n && next_debtor < config->n_debtors; k++)
            {
              Ringing call = dial (rand, config, now, ring_timeout, -1);

              next_debtor++;
              result->calls++;
              g_array_append_val (ringing, call);
            }
        }

      if (next_debtor >= config->n_debtors && ringing->len == 0 && !any_busy)
        break;
    }

  result->hours = now / 3600.0;
  result->abandon_rate = result->answered > 0 ? (double) result->abandoned / result->answered
                                              : 0.0;
  result->idle_share = agent_s > 0 ? (double) idle_s / agent_s : 0.0;
  result->talk_share = agent_s > 0 ? (double) talk_s / agent_s : 0.0;
  result->calls_per_hour = result->hours > 0 ? result->calls / result->hours : 0.0;
  result->connects_per_hour = result->hours > 0
                              ? (result->answered - result->abandoned) / result->hours : 0.0;
  result->mean_level = decisions > 0 ? level_sum / decisions : 1.0;
}
