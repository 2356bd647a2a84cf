/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-campaign-messages.h"
#include "case-fixture.h"

#include <string.h>

static char *
repeat (const char *unit,
        guint       n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void
check (const char *text,
       gboolean    ucs2,
       guint       units,
       guint       segments)
{
  DdSmsMeasure m;

  dd_campaign_messages_measure_text (text, &m);
  g_assert_cmpint (m.ucs2, ==, ucs2);
  g_assert_cmpuint (m.units, ==, units);
  g_assert_cmpuint (m.segments, ==, segments);
  dd_sms_measure_clear (&m);
}

static void
test_segments (void)
{
  g_autofree char *a160 = repeat ("a", 160);
  g_autofree char *a161 = repeat ("a", 161);
  g_autofree char *a306 = repeat ("a", 306);
  g_autofree char *a307 = repeat ("a", 307);
  g_autofree char *euro80 = repeat ("€", 80);
  g_autofree char *euro81 = repeat ("€", 81);
  g_autofree char *ext_boundary = NULL;
  g_autofree char *u70 = repeat ("ą", 70);
  g_autofree char *u71 = repeat ("ą", 71);
  g_autofree char *u134 = repeat ("ж", 134);
  g_autofree char *emoji_boundary = NULL;
  DdSmsMeasure m;

  /* the default alphabet, one septet each, including its accented letters */
  check ("Zapłać", TRUE, 6, 1);
  check ("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà", FALSE, 62, 1);
  check (a160, FALSE, 160, 1);
  check (a161, FALSE, 161, 2);
  check (a306, FALSE, 306, 2);
  check (a307, FALSE, 307, 3);
  /* the extension table counts double: 80 € are 160 septets, 81 need two messages */
  check ("^{}\\[~]|€\f", FALSE, 20, 1);
  check (euro80, FALSE, 160, 1);
  check (euro81, FALSE, 162, 2);
  /* an escape and its character never split: 152 a + € do not fit one 153-septet part */
  ext_boundary = g_strconcat (a161, "", NULL);
  ext_boundary[152] = '\0';
  {
    g_autofree char *text = g_strconcat (ext_boundary, "€", a161 + 150, NULL);

    dd_campaign_messages_measure_text (text, &m);
    g_assert_false (m.ucs2);
    /* 152 + 2 + 11 = 165 septets; split 152 | € + 11 = 2 parts */
    g_assert_cmpuint (m.units, ==, 165);
    g_assert_cmpuint (m.segments, ==, 2);
    dd_sms_measure_clear (&m);
  }
  /* UCS-2: 70 / 67 UTF-16 units; characters outside the BMP count 2 and never split */
  check (u70, TRUE, 70, 1);
  check (u71, TRUE, 71, 2);
  check (u134, TRUE, 134, 2);
  emoji_boundary = repeat ("ж", 66);
  {
    g_autofree char *text = g_strconcat (emoji_boundary, "😀", "ж", NULL);

    /* 66 + 2 + 1 = 69 units: one message */
    check (text, TRUE, 69, 1);
  }
  {
    g_autofree char *text = g_strconcat (emoji_boundary, "жжжж", "😀", NULL);

    /* 70 + 2 = 72 units; 66+1 = 67 in part one, the pair moves whole to part two */
    check (text, TRUE, 72, 2);
  }
  /* what forces Unicode is named */
  dd_campaign_messages_measure_text ("Łukasz, zapłać 5 zł", &m);
  g_assert_cmpstr (m.forcing, ==, "Ł ł ć");
  dd_sms_measure_clear (&m);
  check ("`", TRUE, 1, 1);
}

static void
test_transliterate (void)
{
  g_autofree char *pl = dd_campaign_messages_transliterate ("Zażółć gęślą jaźń ŁĄKA");
  g_autofree char *ru = dd_campaign_messages_transliterate ("Щука, жёлтый хлеб — Юля");
  g_autofree char *typo = dd_campaign_messages_transliterate ("„cytat” … 5\u00a0zł – koniec");
  g_autofree char *kept = dd_campaign_messages_transliterate ("Müller Señor Ærø €5 {x}");
  DdSmsMeasure m;

  g_assert_cmpstr (pl, ==, "Zazolc gesla jazn LAKA");
  g_assert_cmpstr (ru, ==, "Shchuka, zheltyy khleb - Yulya");
  g_assert_cmpstr (typo, ==, "\"cytat\" ... 5 zl - koniec");
  g_assert_cmpstr (kept, ==, "Müller Señor Ærø €5 {x}");
  for (guint i = 0; i < 4; i++)
    {
      dd_campaign_messages_measure_text ((const char *[]) { pl, ru, typo, kept }[i], &m);
      g_assert_false (m.ucs2);
      dd_sms_measure_clear (&m);
    }
}

/* A Russian message is Unicode by nature: said so, with no offer to replace its letters; a
 * Polish one or typography can be replaced. */
static void
test_unicode_script (void)
{
  const struct {
    const char    *text;
    gboolean       ucs2;
    GUnicodeScript script;
    const char    *said;
  } cases[] = {
    { "Pay 5 EUR now", FALSE, G_UNICODE_SCRIPT_COMMON, NULL },
    { "Łukasz, zapłać 5 zł", TRUE, G_UNICODE_SCRIPT_COMMON, NULL },
    { "Pay „now” – thanks…", TRUE, G_UNICODE_SCRIPT_COMMON, NULL },
    { "Уважаемый Иван, оплатите счёт", TRUE, G_UNICODE_SCRIPT_CYRILLIC,
      "Russian text is sent as Unicode: 70 characters per part" },
    /* typography first, Cyrillic after: still the language */
    { "«Счёт» — оплатите", TRUE, G_UNICODE_SCRIPT_CYRILLIC,
      "Russian text is sent as Unicode: 70 characters per part" },
    { "Ivan, 5 zł: счёт", TRUE, G_UNICODE_SCRIPT_CYRILLIC,
      "Russian text is sent as Unicode: 70 characters per part" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DdSmsMeasure m;
      g_autofree char *said = NULL;

      dd_campaign_messages_measure_text (cases[i].text, &m);
      g_assert_cmpint (m.ucs2, ==, cases[i].ucs2);
      g_assert_cmpint (m.script, ==, cases[i].script);
      said = dd_sms_measure_describe_script (&m);
      g_assert_cmpstr (said, ==, cases[i].said);
      dd_sms_measure_clear (&m);
    }
}

static DdRecipient *
recipient (void)
{
  DdRecipient *r = g_new0 (DdRecipient, 1);

  r->case_id = 1;
  r->phone_id = 1;
  r->e164 = g_strdup ("+48601234567");
  r->name = g_strdup ("Anna Nowak");
  r->creditor = g_strdup ("Wodociągi");
  r->balance_minor = 123456;
  r->currency = g_strdup ("PLN");
  r->invoice = g_strdup ("FV/7/2026");
  r->due_on = g_strdup ("2026-03-15");
  r->invoice_minor = 45050;
  return r;
}

static void
test_render (void)
{
  g_autoptr(DdRecipient) r = recipient ();
  g_autoptr(GError) error = NULL;
  g_autofree char *pl = NULL;
  g_autofree char *en = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(GError) missing = NULL;
  DdSmsMeasure m;

  pl = dd_campaign_messages_render ("{name}, faktura {invoice} na {amount} ({{razem}} {balance}) "
                                    "minęła {due_date}. {payment_link}", r, "pl",
                                    "https://pay.example/x", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pl, ==, "Anna Nowak, faktura FV/7/2026 na 450,50 zł ({razem} 1 234,56 zł) "
                           "minęła 15.03.2026. https://pay.example/x");
  /* a placeholder with no value is an error naming it, never an empty gap; and such
   * placeholders are not offered */
  g_assert_null (dd_campaign_messages_render ("{name}: {payment_link}", r, "pl", NULL, NULL,
                                              &missing));
  g_assert_error (missing, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (missing->message, "{payment_link}"));
  g_clear_error (&missing);
  g_assert_null (dd_campaign_messages_render ("Call {agent_phone}", r, "pl", "https://pay.example/x",
                                              "", &missing));
  g_assert_nonnull (strstr (missing->message, "{agent_phone}"));
  g_clear_error (&missing);
  for (const char * const *p = dd_campaign_messages_placeholders (); *p != NULL; p++)
    {
      g_assert_cmpstr (*p, !=, "payment_link");
      g_assert_cmpstr (*p, !=, "agent_phone");
    }
  /* no non-breaking spaces: they would force Unicode */
  g_assert_null (strstr (pl, "\u00a0"));
  en = dd_campaign_messages_render ("{name}: {amount} due {due_date}", r, "en", NULL, NULL,
                                    &error);
  g_assert_cmpstr (en, ==, "Anna Nowak: PLN 450.50 due 15/03/2026");
  dd_campaign_messages_measure_text (en, &m);
  g_assert_false (m.ucs2);
  dd_sms_measure_clear (&m);

  bad = dd_campaign_messages_render ("Hi {nmae}", r, "pl", NULL, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "{nmae}"));
  g_clear_error (&error);
  g_assert_null (dd_campaign_messages_render ("Hi {name", r, "pl", NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (dd_campaign_messages_render ("Hi }", r, "pl", NULL, NULL, &error));
  g_clear_error (&error);
}

static void
test_enqueue (CaseFixture   *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_recipient_free);
  g_autoptr(GError) error = NULL;
  DdCampaignMessagesInfo info;

  g_ptr_array_add (recipients, recipient ());
  g_ptr_array_add (recipients, recipient ());
  ((DdRecipient *) recipients->pdata[1])->phone_id = 3;
  ((DdRecipient *) recipients->pdata[1])->case_id = 3;
  g_free (((DdRecipient *) recipients->pdata[1])->name);
  ((DdRecipient *) recipients->pdata[1])->name = g_strdup ("Иван Петров");

  g_assert_true (dd_campaign_messages_measure ("{name}, {amount}", recipients, "pl", 0, &info,
                                               &error));
  g_assert_cmpuint (info.n_messages, ==, 2);
  g_assert_cmpuint (info.n_ucs2, ==, 2);   /* "zł" and Cyrillic both need UCS-2 */
  /* plain: names and amounts transliterated too, every message GSM-7 */
  g_assert_true (dd_campaign_messages_measure ("{name}, {amount}", recipients, "pl",
                                               DD_CAMPAIGN_MESSAGES_PLAIN, &info, &error));
  g_assert_cmpuint (info.n_ucs2, ==, 0);
  g_assert_true (dd_campaign_messages_enqueue (f->db, 1, "{name}, {amount}", "Biuro", recipients,
                                               "pl", 0, "2026-12-01T08:00:00Z", &info, &error));
  g_assert_no_error (error);
  /* twice: nothing added the second time (one message per phone and campaign) */
  g_assert_true (dd_campaign_messages_enqueue (f->db, 1, "{name}, {amount}", "Biuro", recipients,
                                               "pl", 0, NULL, NULL, &error));
  g_assert_cmpint (case_fixture_int (f, "SELECT COUNT(*) FROM message WHERE campaign_id = 1"
                                        " AND idempotency_key LIKE 'dd-%-c1-%'"), ==, 2);
  g_assert_cmpint (case_fixture_int (f, "SELECT COUNT(*) FROM message WHERE encoding = 'ucs2'"
                                        " AND body = 'Иван Петров, 450,50 zł'"
                                        " AND not_before = '2026-12-01T08:00:00Z'"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/campaign-messages/segments", test_segments);
  g_test_add_func ("/dd/campaign-messages/transliterate", test_transliterate);
  g_test_add_func ("/dd/campaign-messages/unicode-script", test_unicode_script);
  g_test_add_func ("/dd/campaign-messages/render", test_render);
  g_test_add ("/dd/campaign-messages/enqueue", CaseFixture, NULL, case_fixture_setup,
              test_enqueue, case_fixture_teardown);

  return g_test_run ();
}
