/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The enums registered as GTypes (gnome.mkenums_simple): every value has its nick, and where
 * the database or the settings spell a value, the nick is that spelling. */
#include "config.h"

#include "dd-agent-store.h"
#include "dd-call.h"
#include "dd-case-store.h"
#include "dd-core-enums.h"
#include "dd-gateways-enums.h"
#include "dd-sms-gateway.h"
#include "dd-telephony-enums.h"

static const char *
nick_of (GType type,
         int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  return v != NULL ? v->value_nick : NULL;
}

static void
test_case_status (void)
{
  for (int s = DD_CASE_STATUS_NEW; s <= DD_CASE_STATUS_CLOSED; s++)
    g_assert_cmpstr (nick_of (DD_TYPE_CASE_STATUS, s), ==, dd_case_status_to_string (s));
}

static void
test_registered (void)
{
  g_assert_cmpstr (nick_of (DD_TYPE_AGENT_ROLE, DD_AGENT_ROLE_MANAGER), ==, "manager");
  g_assert_cmpstr (nick_of (DD_TYPE_SMS_STATE, DD_SMS_STATE_DELIVERED), ==, "delivered");
  g_assert_cmpstr (nick_of (DD_TYPE_CALL_STATE, DD_CALL_STATE_EARLY_MEDIA), ==, "early-media");
  g_assert_cmpstr (nick_of (DD_TYPE_CALL_END_CAUSE, DD_CALL_END_NO_ANSWER), ==, "no-answer");
}

static void
test_call_state_property (void)
{
  GParamSpec *pspec = g_object_class_find_property (g_type_class_ref (DD_TYPE_CALL), "state");

  g_assert_nonnull (pspec);
  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == DD_TYPE_CALL_STATE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/enums/case-status", test_case_status);
  g_test_add_func ("/dd/enums/registered", test_registered);
  g_test_add_func ("/dd/enums/call-state-property", test_call_state_property);
  return g_test_run ();
}
