/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "dd-ivr-flow.h"

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * The interpreter of a call flow: pure and event-driven, the same for real calls and the
 * editor's simulator. The host (a call, the simulator) feeds events in and carries out the
 * actions each event returns, in order:
 *
 *   events in:   answered, dtmf (a key), timeout (of a timer it asked for), playback done,
 *                transfer result, hung up
 *   actions out: play, stop playback, start timer, stop timer, collect, transfer, send SMS,
 *                record declaration, set status, hang up
 *
 * The machine reads no clock: the time for time switches, "today" and the year of a declared
 * date comes from the "now" given to it (dd_ivr_machine_set_now()). Timers are identified by
 * a number: a timeout for a timer that was stopped or replaced is ignored, so a host may be
 * late in stopping timers. Playback is expected to report "done" once per play action that
 * was not stopped; a "done" that arrives after a stop playback action is ignored.
 */

/**
 * DdIvrCaseInfo:
 * @name: the debtor's name ({name})
 * @amount_minor: the amount due in minor units ({amount})
 * @currency: ISO 4217 code of @amount_minor and @balance_minor ("" means PLN)
 * @due_date: the due date ({due_date}); may be cleared (invalid)
 * @invoice: the invoice number ({invoice})
 * @creditor: the creditor's name ({creditor})
 * @balance_minor: the case balance in minor units ({balance})
 * @payment_link: a payment URL ({payment_link})
 * @agent_phone: the consultant's phone number ({agent_phone})
 * @language: the debtor's language: "pl", "ru", "en"; the call speaks it only when the flow
 *   has no language of its own (see dd_ivr_flow_get_language())
 *
 * What the flow may say about the case. All strings may be %NULL.
 */
typedef struct
{
  char    *name;
  gint64   amount_minor;
  char     currency[4];
  GDate    due_date;
  char    *invoice;
  char    *creditor;
  gint64   balance_minor;
  char    *payment_link;
  char    *agent_phone;
  char    *language;
} DdIvrCaseInfo;

#define DD_TYPE_IVR_CASE_INFO (dd_ivr_case_info_get_type ())
GType          dd_ivr_case_info_get_type (void);
DdIvrCaseInfo *dd_ivr_case_info_new      (void);
DdIvrCaseInfo *dd_ivr_case_info_copy     (const DdIvrCaseInfo *info);
void           dd_ivr_case_info_free     (DdIvrCaseInfo       *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdIvrCaseInfo, dd_ivr_case_info_free)

/**
 * DdIvrActionType:
 * @DD_IVR_ACTION_PLAY: play @text (speech in @language, the flow's) or @file; if @barge_in,
 *   a key pressed during it is answered with a stop playback action
 * @DD_IVR_ACTION_STOP_PLAYBACK: stop what is playing (no playback done is expected then)
 * @DD_IVR_ACTION_START_TIMER: call dd_ivr_machine_timeout() with @timer_id after @timeout_ms
 * @DD_IVR_ACTION_STOP_TIMER: timer @timer_id is no longer wanted
 * @DD_IVR_ACTION_COLLECT: the flow now reads keys: @min_digits to @max_digits, ended by
 *   @terminator (0 for none); a hint for hosts that buffer DTMF, keys go to
 *   dd_ivr_machine_dtmf() in any case
 * @DD_IVR_ACTION_TRANSFER: put the call in consultant queue @queue and report with
 *   dd_ivr_machine_transfer_result()
 * @DD_IVR_ACTION_SEND_SMS: send @text to the debtor
 * @DD_IVR_ACTION_RECORD_DECLARATION: the debtor declared to pay @amount_minor in @currency
 *   on @date
 * @DD_IVR_ACTION_SET_STATUS: set the case status to @status
 * @DD_IVR_ACTION_HANG_UP: end the call
 */
typedef enum
{
  DD_IVR_ACTION_PLAY,
  DD_IVR_ACTION_STOP_PLAYBACK,
  DD_IVR_ACTION_START_TIMER,
  DD_IVR_ACTION_STOP_TIMER,
  DD_IVR_ACTION_COLLECT,
  DD_IVR_ACTION_TRANSFER,
  DD_IVR_ACTION_SEND_SMS,
  DD_IVR_ACTION_RECORD_DECLARATION,
  DD_IVR_ACTION_SET_STATUS,
  DD_IVR_ACTION_HANG_UP,
} DdIvrActionType;

#define DD_TYPE_IVR_ACTION_TYPE (dd_ivr_action_type_get_type ())
GType dd_ivr_action_type_get_type (void);

/**
 * DdIvrAction:
 * @type: what to do; the other fields are set as the type says, the rest are zero
 * @node_id: (nullable): the node that asked for it (%NULL for the hang up of a flow without
 *   a start)
 * @text: PLAY: speech text (%NULL when playing a file); SEND_SMS: the message
 * @file: PLAY: an audio file path (%NULL when speaking)
 * @language: PLAY: the language of @text ("pl", "ru", "en")
 * @barge_in: PLAY: keys interrupt it
 * @timer_id: START_TIMER, STOP_TIMER
 * @timeout_ms: START_TIMER
 * @min_digits: COLLECT
 * @max_digits: COLLECT
 * @terminator: COLLECT: '#', '*' or 0
 * @queue: TRANSFER
 * @amount_minor: RECORD_DECLARATION
 * @currency: RECORD_DECLARATION
 * @date: RECORD_DECLARATION: the promised date
 * @status: SET_STATUS
 * @voice: PLAY: the espeak-ng voice the prompt's node asks for ("pl+f3", its "voice" param),
 *   %NULL: the language's own
 */
typedef struct
{
  DdIvrActionType  type;
  char            *node_id;
  char            *text;
  char            *file;
  char            *language;
  gboolean         barge_in;
  guint            timer_id;
  guint            timeout_ms;
  guint            min_digits;
  guint            max_digits;
  char             terminator;
  char            *queue;
  gint64           amount_minor;
  char             currency[4];
  GDate            date;
  char            *status;
  char            *voice;
} DdIvrAction;

#define DD_TYPE_IVR_ACTION (dd_ivr_action_get_type ())
GType        dd_ivr_action_get_type (void);
DdIvrAction *dd_ivr_action_copy     (const DdIvrAction *action);
void         dd_ivr_action_free     (DdIvrAction       *action);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdIvrAction, dd_ivr_action_free)

/**
 * DdIvrStep:
 * @node_id: a node the call went through
 * @outcome: (nullable): how it left it ("done", "1", "timeout"...); "hung-up" if the caller
 *   hung up there; %NULL while the call is still there or if the node ended the call
 */
typedef struct
{
  char *node_id;
  char *outcome;
} DdIvrStep;

/**
 * DdIvrMachineState:
 * @DD_IVR_MACHINE_IDLE: waiting for the call to be answered
 * @DD_IVR_MACHINE_RUNNING: in the flow
 * @DD_IVR_MACHINE_TRANSFERRING: waiting for dd_ivr_machine_transfer_result()
 * @DD_IVR_MACHINE_FINISHED: the flow ended (hang-up, the caller hung up, or the call was
 *   handed to a consultant); events are ignored
 */
typedef enum
{
  DD_IVR_MACHINE_IDLE,
  DD_IVR_MACHINE_RUNNING,
  DD_IVR_MACHINE_TRANSFERRING,
  DD_IVR_MACHINE_FINISHED,
} DdIvrMachineState;

#define DD_TYPE_IVR_MACHINE (dd_ivr_machine_get_type ())
G_DECLARE_FINAL_TYPE (DdIvrMachine, dd_ivr_machine, DD, IVR_MACHINE, GObject)

DdIvrMachine      *dd_ivr_machine_new             (DdIvrFlow           *flow,
                                                   const DdIvrCaseInfo *info,
                                                   GDateTime           *now);
void               dd_ivr_machine_set_now         (DdIvrMachine        *self,
                                                   GDateTime           *now);

GPtrArray         *dd_ivr_machine_answered        (DdIvrMachine        *self);
GPtrArray         *dd_ivr_machine_dtmf            (DdIvrMachine        *self,
                                                   char                 key);
GPtrArray         *dd_ivr_machine_timeout         (DdIvrMachine        *self,
                                                   guint                timer_id);
GPtrArray         *dd_ivr_machine_playback_done   (DdIvrMachine        *self);
GPtrArray         *dd_ivr_machine_transfer_result (DdIvrMachine        *self,
                                                   gboolean             answered);
GPtrArray         *dd_ivr_machine_hung_up         (DdIvrMachine        *self);

DdIvrMachineState  dd_ivr_machine_get_state       (DdIvrMachine        *self);
const char        *dd_ivr_machine_get_current_node (DdIvrMachine       *self);
GPtrArray         *dd_ivr_machine_get_trace       (DdIvrMachine        *self);
char              *dd_ivr_machine_get_trace_string (DdIvrMachine       *self);
const char        *dd_ivr_machine_get_variable    (DdIvrMachine        *self,
                                                   const char          *name);

/**
 * DdIvrRenderMode:
 * @DD_IVR_RENDER_SPEECH: amounts and dates in words, references read out digit by digit
 * @DD_IVR_RENDER_TEXT: amounts and dates formatted for an SMS ("1 234,56 zł", "15.03.2026")
 */
typedef enum
{
  DD_IVR_RENDER_SPEECH,
  DD_IVR_RENDER_TEXT,
} DdIvrRenderMode;

char              *dd_ivr_render                  (const char          *text,
                                                   const DdIvrCaseInfo *info,
                                                   DdIvrRenderMode      mode,
                                                   GHashTable          *extra);

G_END_DECLS
