/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-letter"

#include "config.h"

#include "dd-letter.h"

#include "dd-dates.h"
#include "dd-json.h"
#include "dd-money.h"
#include "dd-report-table.h"

#include <string.h>

G_DEFINE_QUARK (dd-letter-error-quark, dd_letter_error)

/* The key the office's own receivables are stored under (schema 8). */
#define OWN_CREDITOR "Own receivables"

enum { LANG_PL, LANG_RU, LANG_EN, N_LANGS };
static const char * const lang_codes[N_LANGS] = { "pl", "ru", "en" };

/* The templates: legal texts of each jurisdiction (see the header). */
static const char * const texts[N_LANGS][DD_N_LETTER_TEXTS] = {
  [LANG_PL] = {
    [DD_LETTER_TITLE] = "WEZWANIE DO ZAPŁATY",
    [DD_LETTER_PLACE_DATE] = "Data: %s",
    [DD_LETTER_CREDITOR] = "Wierzyciel",
    [DD_LETTER_DEBTOR] = "Dłużnik",
    [DD_LETTER_TAX_ID] = "NIP",
    [DD_LETTER_ON_BEHALF] = "%1$s w imieniu wierzyciela %2$s",
    [DD_LETTER_INTRO] = "Niniejszym wzywamy do zapłaty należności wierzyciela %s z tytułu "
                        "niżej wymienionych faktur:",
    [DD_LETTER_COL_INVOICE] = "Faktura",
    [DD_LETTER_COL_DUE] = "Termin płatności",
    [DD_LETTER_COL_AMOUNT] = "Kwota",
    [DD_LETTER_COL_OUTSTANDING] = "Do zapłaty",
    [DD_LETTER_COL_INTEREST] = "Odsetki",
    [DD_LETTER_PRINCIPAL] = "Należność główna",
    [DD_LETTER_INTEREST_TOTAL] = "Odsetki do dnia %s",
    [DD_LETTER_COMPENSATION] = "Rekompensata za koszty odzyskiwania należności (art. 10 ustawy "
                               "z dnia 8 marca 2013 r.)",
    [DD_LETTER_TOTAL] = "Razem do zapłaty",
    [DD_LETTER_CALCULATION] = "Wyliczenie odsetek (%s):",
    [DD_LETTER_CALC_LINE] = "%1$s: %2$s – %3$s, %4$u dni, %5$s × %6$s%% × %4$u/%7$u = %8$s",
    [DD_LETTER_DEMAND] = "Wzywamy do zapłaty kwoty %1$s w terminie %3$u dni od daty niniejszego "
                         "wezwania, tj. do dnia %2$s.",
    [DD_LETTER_ACCOUNT] = "Wpłaty prosimy dokonać na rachunek bankowy nr %s, podając w tytule "
                          "numer faktury.",
    [DD_LETTER_CONSEQUENCE] = "W przypadku bezskutecznego upływu wyznaczonego terminu sprawa "
                              "zostanie skierowana na drogę postępowania sądowego bez "
                              "ponownego wezwania, co narazi Państwa na dodatkowe koszty, w tym "
                              "koszty sądowe i koszty zastępstwa procesowego. Odsetki są "
                              "naliczane do dnia zapłaty.",
    [DD_LETTER_CLOSING] = "Z poważaniem",
  },
  [LANG_RU] = {
    [DD_LETTER_TITLE] = "ПРЕТЕНЗИЯ",
    [DD_LETTER_PLACE_DATE] = "Дата: %s",
    [DD_LETTER_CREDITOR] = "Кредитор",
    [DD_LETTER_DEBTOR] = "Должник",
    [DD_LETTER_TAX_ID] = "ИНН",
    [DD_LETTER_ON_BEHALF] = "%1$s по поручению кредитора %2$s",
    [DD_LETTER_INTRO] = "Настоящим уведомляем о задолженности перед %s по следующим счетам:",
    [DD_LETTER_COL_INVOICE] = "Счёт",
    [DD_LETTER_COL_DUE] = "Срок оплаты",
    [DD_LETTER_COL_AMOUNT] = "Сумма",
    [DD_LETTER_COL_OUTSTANDING] = "Остаток долга",
    [DD_LETTER_COL_INTEREST] = "Проценты",
    [DD_LETTER_PRINCIPAL] = "Основной долг",
    [DD_LETTER_INTEREST_TOTAL] = "Проценты по ст. 395 ГК РФ по %s",
    [DD_LETTER_COMPENSATION] = "Компенсация расходов",
    [DD_LETTER_TOTAL] = "Итого к оплате",
    [DD_LETTER_CALCULATION] = "Расчёт процентов (%s):",
    [DD_LETTER_CALC_LINE] = "%1$s: %2$s – %3$s, %4$u дн., %5$s × %6$s%% × %4$u/%7$u = %8$s",
    [DD_LETTER_DEMAND] = "Требуем оплатить %1$s в течение %3$u календарных дней, то есть до "
                         "%2$s.",
    [DD_LETTER_ACCOUNT] = "Оплату просим перечислить на расчётный счёт %s, указав номер счёта "
                          "в назначении платежа.",
    [DD_LETTER_CONSEQUENCE] = "Если претензия не будет удовлетворена, по истечении тридцати "
                              "календарных дней со дня её направления (часть 5 статьи 4 АПК РФ) "
                              "кредитор обратится в арбитражный суд с иском о взыскании долга, "
                              "процентов по статье 395 ГК РФ по день фактической оплаты и "
                              "судебных расходов.",
    [DD_LETTER_CLOSING] = "С уважением",
  },
  [LANG_EN] = {
    [DD_LETTER_TITLE] = "FINAL DEMAND FOR PAYMENT",
    [DD_LETTER_PLACE_DATE] = "Date: %s",
    [DD_LETTER_CREDITOR] = "Creditor",
    [DD_LETTER_DEBTOR] = "Debtor",
    [DD_LETTER_TAX_ID] = "Tax ID",
    [DD_LETTER_ON_BEHALF] = "%1$s on behalf of %2$s",
    [DD_LETTER_INTRO] = "We demand payment of the following invoices owed to %s:",
    [DD_LETTER_COL_INVOICE] = "Invoice",
    [DD_LETTER_COL_DUE] = "Due date",
    [DD_LETTER_COL_AMOUNT] = "Amount",
    [DD_LETTER_COL_OUTSTANDING] = "Outstanding",
    [DD_LETTER_COL_INTEREST] = "Interest",
    [DD_LETTER_PRINCIPAL] = "Principal outstanding",
    [DD_LETTER_INTEREST_TOTAL] = "Interest to %s",
    [DD_LETTER_COMPENSATION] = "Compensation for recovery costs (art. 10, Polish Act of "
                               "8 March 2013)",
    [DD_LETTER_TOTAL] = "Total due",
    [DD_LETTER_CALCULATION] = "Calculation of interest (%s):",
    [DD_LETTER_CALC_LINE] = "%1$s: %2$s – %3$s, %4$u days, %5$s × %6$s%% × %4$u/%7$u = %8$s",
    [DD_LETTER_DEMAND] = "Please pay %1$s within %3$u days, that is by %2$s.",
    [DD_LETTER_ACCOUNT] = "Please pay to bank account %s, quoting the invoice number.",
    [DD_LETTER_CONSEQUENCE] = "If payment is not received by that date, we will start legal "
                              "proceedings without further notice to recover the debt, interest "
                              "to the day of payment and the costs of the proceedings.",
    [DD_LETTER_CLOSING] = "Yours faithfully",
  },
};

static const char * const kind_texts[N_LANGS][3] = {
  [LANG_PL] = { "odsetki ustawowe za opóźnienie",
                "odsetki ustawowe za opóźnienie w transakcjach handlowych",
                "odsetki z art. 395 Kodeksu cywilnego Federacji Rosyjskiej" },
  [LANG_RU] = { "законные проценты за просрочку по праву Польши",
                "проценты за просрочку в коммерческих сделках по праву Польши",
                "проценты по ст. 395 ГК РФ, ключевая ставка Банка России" },
  [LANG_EN] = { "statutory interest for late payment, Poland",
                "statutory interest for late payment in commercial transactions, Poland",
                "interest under art. 395 of the Russian Civil Code, Bank of Russia key rate" },
};

static const char * const en_months[12] = {
  "January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"
};

static guint
lang_index (const DdLetter *letter)
{
  guint index = LANG_EN;

  dd_name_index (lang_codes, N_LANGS, letter->language, &index);
  return index;
}

/* The arbitrazh court and the pre-trial claim of art. 4 part 5 of the APK are for disputes
 * between organisations (and entrepreneurs): a private person (or anyone the letter cannot
 * tell from one: no INN, or a person's INN) is sued in a court of general jurisdiction. */
static const char ru_consequence_court[] =
  "Если задолженность не будет погашена в указанный срок, кредитор обратится в суд с иском "
  "о взыскании долга, процентов по статье 395 ГК РФ по день фактической оплаты и судебных "
  "расходов.";

const char *
dd_letter_text (const DdLetter *letter,
                DdLetterText    text)
{
  g_return_val_if_fail ((guint) text < DD_N_LETTER_TEXTS, "");
  if (text == DD_LETTER_KIND_NAME)
    return kind_texts[lang_index (letter)][letter->kind];
  if (text == DD_LETTER_CONSEQUENCE && lang_index (letter) == LANG_RU
      && g_strcmp0 (letter->debtor.tax_id_kind, "inn-legal") != 0)
    return ru_consequence_court;
  return texts[lang_index (letter)][text];
}

char *
dd_letter_format_date (const DdLetter *letter,
                       const GDate    *date)
{
  if (lang_index (letter) == LANG_EN)
    return g_strdup_printf ("%u %s %u", g_date_get_day (date),
                            en_months[g_date_get_month (date) - 1], g_date_get_year (date));
  return g_strdup_printf ("%02u.%02u.%04u", g_date_get_day (date), g_date_get_month (date),
                          g_date_get_year (date));
}

char *
dd_letter_format_money (const DdLetter *letter,
                        gint64          minor)
{
  return dd_money_format (minor, letter->currency, letter->language);
}

static void
party_clear (DdLetterParty *party)
{
  g_clear_pointer (&party->name, g_free);
  g_clear_pointer (&party->address, g_free);
  g_clear_pointer (&party->tax_id, g_free);
  g_clear_pointer (&party->tax_id_kind, g_free);
}

static void
invoice_free (gpointer data)
{
  DdLetterInvoice *invoice = data;

  if (invoice == NULL)
    return;
  g_free (invoice->invoice_no);
  g_free (invoice->due_on);
  g_clear_pointer (&invoice->interest, dd_interest_result_free);
  g_free (invoice);
}

void
dd_letter_free (DdLetter *letter)
{
  if (letter == NULL)
    return;
  g_free (letter->language);
  party_clear (&letter->creditor);
  party_clear (&letter->debtor);
  g_free (letter->office_name);
  g_free (letter->office_address);
  g_free (letter->office_tax_id);
  g_free (letter->bank_account);
  g_free (letter->currency);
  g_clear_pointer (&letter->case_ids, g_array_unref);
  g_clear_pointer (&letter->invoices, g_ptr_array_unref);
  g_free (letter->reference);
  g_free (letter->signature);
  g_free (letter);
}

static gboolean
is_business (const DdLetterParty *party)
{
  return g_strcmp0 (party->tax_id_kind, "nip") == 0
      || g_strcmp0 (party->tax_id_kind, "inn-legal") == 0;
}

static const char *
choose_language (const char *debtor_language,
                 const char *currency)
{
  guint index;

  if (debtor_language != NULL
      && dd_name_index (lang_codes, N_LANGS, debtor_language, &index))
    return lang_codes[index];
  if (g_strcmp0 (currency, "PLN") == 0)
    return "pl";
  if (g_strcmp0 (currency, "RUB") == 0)
    return "ru";
  return "en";
}

static DdLetter *
new_letter (DdStatement          *c,
            const DdLetterOffice *office,
            const GDate          *date,
            guint                 days)
{
  DdLetter *letter = g_new0 (DdLetter, 1);
  const char *creditor = dd_statement_get_text (c, 3);

  letter->debtor_id = dd_statement_get_int64 (c, 1);
  letter->currency = g_strdup (dd_statement_get_text (c, 2));
  letter->debtor.name = g_strdup (dd_statement_get_text (c, 5));
  letter->debtor.address = g_strdup (dd_statement_get_text (c, 6));
  letter->debtor.tax_id = g_strdup (dd_statement_get_text (c, 7));
  letter->debtor.tax_id_kind = g_strdup (dd_statement_get_text (c, 8));
  letter->language = g_strdup (choose_language (dd_statement_get_text (c, 9), letter->currency));
  if (g_strcmp0 (creditor, OWN_CREDITOR) == 0)
    {
      letter->creditor.name = g_strdup (office->name);
      letter->creditor.address = g_strdup (office->address);
      letter->creditor.tax_id = g_strdup (office->tax_id);
    }
  else
    {
      letter->creditor.name = g_strdup (creditor);
      letter->creditor.tax_id = g_strdup (dd_statement_get_text (c, 4));
    }
  letter->office_name = g_strdup (office->name);
  letter->office_address = g_strdup (office->address);
  letter->office_tax_id = g_strdup (office->tax_id);
  letter->bank_account = g_strdup (office->bank_account);

  if (g_str_equal (letter->language, "ru") || g_strcmp0 (letter->currency, "RUB") == 0)
    letter->kind = DD_INTEREST_RU_395;
  else if (g_strcmp0 (letter->currency, "PLN") == 0 && is_business (&letter->debtor))
    letter->kind = DD_INTEREST_COMMERCIAL;
  else
    letter->kind = DD_INTEREST_STATUTORY;

  letter->date = *date;
  /* the pre-trial claim of the arbitrazh procedure gives 30 days at least */
  letter->days = g_str_equal (letter->language, "ru") ? MAX (days, 30) : days;
  letter->deadline = *date;
  g_date_add_days (&letter->deadline, letter->days);
  letter->case_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  letter->invoices = g_ptr_array_new_with_free_func (invoice_free);
  return letter;
}

/* Adds the open invoices of case @case_id, with the case's payments given to the oldest
 * invoice first. */
static gboolean
add_case (DdDatabase   *database,
          DdRateTable  *rates,
          DdLetter     *letter,
          gint64        case_id,
          GError      **error)
{
  g_autoptr(GArray) payments = g_array_new (FALSE, FALSE, sizeof (DdInterestPayment));
  g_autoptr(GPtrArray) invoices = g_ptr_array_new_with_free_func (invoice_free);
  GError *local_error = NULL;
  DdStatement *stmt;
  guint next_payment = 0;
  gint64 left_of_payment = 0;

  stmt = dd_database_query (database, error,
                            "SELECT paid_on, amount_minor FROM payment WHERE case_id = ?"
                            " AND state = 'matched' AND currency = ?"
                            " ORDER BY paid_on, id",
                            DD_INT (case_id), DD_TEXT (letter->currency), DD_END);
  if (stmt == NULL)
    return FALSE;
  while (dd_statement_step (stmt, &local_error))
    {
      DdInterestPayment p;
      const char *paid_on = dd_statement_get_text (stmt, 0);

      if (paid_on == NULL || !dd_date_from_iso (paid_on, &p.paid_on))
        continue;
      if (g_date_compare (&p.paid_on, &letter->date) > 0)
        continue;
      p.amount_minor = dd_statement_get_int64 (stmt, 1);
      g_array_append_val (payments, p);
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (payments->len > 0)
    left_of_payment = g_array_index (payments, DdInterestPayment, 0).amount_minor;

  stmt = dd_database_query (database, error,
                            "SELECT invoice_no, due_on, amount_minor FROM liability"
                            " WHERE case_id = ? AND paid_at IS NULL AND currency = ?"
                            " ORDER BY due_on IS NULL, due_on, id",
                            DD_INT (case_id), DD_TEXT (letter->currency), DD_END);
  if (stmt == NULL)
    return FALSE;
  while (dd_statement_step (stmt, &local_error))
    {
      DdLetterInvoice *invoice = g_new0 (DdLetterInvoice, 1);

      invoice->case_id = case_id;
      invoice->invoice_no = g_strdup (dd_statement_get_text (stmt, 0));
      invoice->due_on = g_strdup (dd_statement_get_text (stmt, 1));
      invoice->amount_minor = dd_statement_get_int64 (stmt, 2);
      g_ptr_array_add (invoices, invoice);
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  for (guint i = 0; i < invoices->len; i++)
    {
      DdLetterInvoice *invoice = g_steal_pointer (&invoices->pdata[i]);
      g_autoptr(GArray) own = g_array_new (FALSE, FALSE, sizeof (DdInterestPayment));
      gint64 owed = invoice->amount_minor;
      GDate due;

      /* the payments (in their order) settle this invoice before the next one */
      while (owed > 0 && next_payment < payments->len)
        {
          DdInterestPayment part = g_array_index (payments, DdInterestPayment, next_payment);

          part.amount_minor = MIN (owed, left_of_payment);
          g_array_append_val (own, part);
          owed -= part.amount_minor;
          left_of_payment -= part.amount_minor;
          if (left_of_payment == 0 && ++next_payment < payments->len)
            left_of_payment = g_array_index (payments, DdInterestPayment,
                                             next_payment).amount_minor;
        }
      invoice->outstanding_minor = owed;
      if (owed <= 0)
        {
          invoice_free (invoice);
          continue;
        }
      if (invoice->due_on == NULL || !dd_date_from_iso (invoice->due_on, &due)
          || g_date_compare (&due, &letter->date) > 0)
        due = letter->date;
      invoice->interest = dd_interest_compute (rates, letter->kind, invoice->amount_minor, &due,
                                               &letter->date, own, error);
      if (invoice->interest == NULL)
        {
          invoice_free (invoice);
          return FALSE;
        }
      if (letter->kind == DD_INTEREST_COMMERCIAL && invoice->due_on != NULL
          && g_date_compare (&due, &letter->date) < 0)
        {
          gint64 eur, rate;

          if (!dd_interest_compensation (rates, invoice->amount_minor, &due, &eur,
                                         &invoice->compensation_minor, &rate, NULL))
            invoice->compensation_minor = 0;
        }
      letter->principal_minor += invoice->outstanding_minor;
      letter->interest_minor += invoice->interest->interest_minor;
      letter->compensation_minor += invoice->compensation_minor;
      g_ptr_array_add (letter->invoices, invoice);
    }
  letter->total_minor = letter->principal_minor + letter->interest_minor
                        + letter->compensation_minor;
  g_array_append_val (letter->case_ids, case_id);
  return TRUE;
}

static gboolean
creditor_is (const DdLetter *letter,
             const char     *creditor)
{
  if (g_strcmp0 (creditor, OWN_CREDITOR) == 0)
    return g_strcmp0 (letter->creditor.name, letter->office_name) == 0;
  return g_strcmp0 (letter->creditor.name, creditor) == 0;
}

GPtrArray *
dd_letter_build (DdDatabase           *database,
                 const DdLetterOffice *office,
                 GArray               *case_ids,
                 gboolean              per_debtor,
                 const GDate          *date,
                 guint                 days,
                 GError              **error)
{
  g_autoptr(GPtrArray) letters = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_letter_free);
  g_autoptr(GHashTable) by_debtor = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           NULL);
  g_autoptr(DdRateTable) rates = dd_rate_table_new_for_database (database, error);

  if (rates == NULL)
    return NULL;
  for (guint i = 0; i < case_ids->len; i++)
    {
      gint64 case_id = g_array_index (case_ids, gint64, i);
      GError *local_error = NULL;
      DdStatement *c;
      DdLetter *letter = NULL;
      gboolean fresh = FALSE, found;
      g_autofree char *key = NULL;

      c = dd_database_query (database, error,
                             "SELECT c.id, c.debtor_id, c.currency, cr.name, cr.tax_id, d.name,"
                             " d.address, d.tax_id, d.tax_id_kind, d.language"
                             " FROM debt_case c JOIN creditor cr ON cr.id = c.creditor_id"
                             " JOIN debtor d ON d.id = c.debtor_id WHERE c.id = ?",
                             DD_INT (case_id), DD_END);
      if (c == NULL)
        return NULL;
      found = dd_statement_step (c, &local_error);
      if (found)
        {
          key = g_strdup_printf ("%" G_GINT64_FORMAT "/%s", dd_statement_get_int64 (c, 1),
                                 dd_statement_get_text (c, 2));
          letter = per_debtor ? g_hash_table_lookup (by_debtor, key) : NULL;
          if (letter != NULL && g_strcmp0 (letter->creditor.name, office->name) != 0
              && !creditor_is (letter, dd_statement_get_text (c, 3)))
            {
              /* cases of several creditors: the office demands payment for them all */
              party_clear (&letter->creditor);
              letter->creditor.name = g_strdup (office->name);
              letter->creditor.address = g_strdup (office->address);
              letter->creditor.tax_id = g_strdup (office->tax_id);
            }
          if (letter == NULL)
            {
              letter = new_letter (c, office, date, days);
              fresh = TRUE;
            }
        }
      dd_statement_reset (c);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (!found)
        {
          g_set_error (error, DD_LETTER_ERROR, DD_LETTER_ERROR_NOT_FOUND,
                       "no case %" G_GINT64_FORMAT, case_id);
          return NULL;
        }
      if (!add_case (database, rates, letter, case_id, error))
        {
          if (fresh)
            dd_letter_free (letter);
          return NULL;
        }
      if (fresh)
        {
          g_autofree char *iso = dd_date_to_iso (date);

          letter->reference = g_strdup_printf ("%s/%" G_GINT64_FORMAT, iso, case_id);
          g_ptr_array_add (letters, letter);
          if (per_debtor)
            g_hash_table_insert (by_debtor, g_steal_pointer (&key), letter);
        }
    }

  /* nothing owed: no letter */
  for (guint i = letters->len; i-- > 0;)
    if (((DdLetter *) letters->pdata[i])->invoices->len == 0)
      g_ptr_array_remove_index (letters, i);
  return g_steal_pointer (&letters);
}

static void
add_party (JsonBuilder         *b,
           const char          *member,
           const DdLetterParty *party)
{
  dd_json_begin_object_member (b, member);
  dd_json_add_string (b, "name", party->name);
  dd_json_add_string (b, "address", party->address);
  dd_json_add_string (b, "tax_id", party->tax_id);
  json_builder_end_object (b);
}

JsonNode *
dd_letter_to_json (const DdLetter *letter)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *date = dd_date_to_iso (&letter->date);
  g_autofree char *deadline = dd_date_to_iso (&letter->deadline);

  json_builder_begin_object (b);
  dd_json_add_string (b, "reference", letter->reference);
  dd_json_add_string (b, "language", letter->language);
  dd_json_add_string (b, "kind", dd_interest_kind_to_string (letter->kind));
  dd_json_add_string (b, "date", date);
  dd_json_add_string (b, "deadline", deadline);
  dd_json_add_int (b, "days", letter->days);
  dd_json_begin_array_member (b, "cases");
  for (guint i = 0; i < letter->case_ids->len; i++)
    json_builder_add_int_value (b, g_array_index (letter->case_ids, gint64, i));
  json_builder_end_array (b);
  add_party (b, "creditor", &letter->creditor);
  add_party (b, "debtor", &letter->debtor);
  dd_json_add_string (b, "currency", letter->currency);
  dd_json_add_int (b, "principal", letter->principal_minor);
  dd_json_add_int (b, "interest", letter->interest_minor);
  dd_json_add_int (b, "compensation", letter->compensation_minor);
  dd_json_add_int (b, "total", letter->total_minor);
  dd_json_begin_array_member (b, "invoices");
  for (guint i = 0; i < letter->invoices->len; i++)
    {
      const DdLetterInvoice *invoice = letter->invoices->pdata[i];

      json_builder_begin_object (b);
      dd_json_add_int (b, "case", invoice->case_id);
      dd_json_add_string (b, "invoice", invoice->invoice_no);
      dd_json_add_string (b, "due", invoice->due_on);
      dd_json_add_int (b, "amount", invoice->amount_minor);
      dd_json_add_int (b, "outstanding", invoice->outstanding_minor);
      dd_json_add_int (b, "compensation", invoice->compensation_minor);
      json_builder_set_member_name (b, "interest");
      json_builder_add_value (b, dd_interest_result_to_json (invoice->interest));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
dd_letter_record (DdDatabase      *database,
                  const DdLetter  *letter,
                  const char      *pdf_path,
                  GError         **error)
{
  g_autofree char *now = dd_timestamp_now ();
  g_autofree char *date = dd_date_to_iso (&letter->date);
  g_autofree char *deadline = dd_date_to_iso (&letter->deadline);
  g_autofree char *total = dd_letter_format_money (letter, letter->total_minor);
  g_autofree char *body = g_strdup_printf ("%s: %s", dd_letter_text (letter, DD_LETTER_TITLE),
                                           total);

  if (!dd_database_begin (database, error))
    return FALSE;
  for (guint i = 0; i < letter->case_ids->len; i++)
    {
      gint64 case_id = g_array_index (letter->case_ids, gint64, i);
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) refs_node = NULL;
      g_autofree char *interest = NULL, *refs = NULL;
      gint64 principal = 0, interest_minor = 0, letter_id = 0;

      json_builder_begin_array (b);
      for (guint j = 0; j < letter->invoices->len; j++)
        {
          const DdLetterInvoice *invoice = letter->invoices->pdata[j];
          g_autoptr(JsonNode) node = NULL;
          JsonObject *o;

          if (invoice->case_id != case_id)
            continue;
          node = dd_interest_result_to_json (invoice->interest);
          o = json_node_get_object (node);
          json_object_set_string_member (o, "invoice", invoice->invoice_no);
          json_object_set_int_member (o, "compensation", invoice->compensation_minor);
          json_builder_add_value (b, g_steal_pointer (&node));
          principal += invoice->outstanding_minor;
          interest_minor += invoice->interest->interest_minor;
        }
      json_builder_end_array (b);
      refs_node = json_builder_get_root (b);
      interest = json_to_string (refs_node, FALSE);

      if (!dd_database_insert (database, &letter_id, error,
                               "INSERT INTO letter (case_id, letter_date, language, deadline,"
                               " principal_minor, interest_minor, currency, interest, pdf_path,"
                               " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               DD_INT (case_id), DD_TEXT (date), DD_TEXT (letter->language),
                               DD_TEXT (deadline), DD_INT (principal), DD_INT (interest_minor),
                               DD_TEXT (letter->currency), DD_TEXT (interest),
                               DD_TEXT (pdf_path), DD_TEXT (now), DD_END))
        return dd_database_finish (database, FALSE, error);
      refs = g_strdup_printf ("{\"letter\": %" G_GINT64_FORMAT ", \"reference\": \"%s\"}",
                              letter_id, letter->reference);
      if (!dd_database_execute (database, error,
                                "INSERT INTO activity (case_id, kind, channel, body, refs,"
                                " created_at) VALUES (?, 'letter', 'post', ?, ?, ?)",
                                DD_INT (case_id), DD_TEXT (body), DD_TEXT (refs), DD_TEXT (now),
                                DD_END)
          || !dd_database_execute (database, error,
                                   "UPDATE debt_case SET last_activity_at = ?1, updated_at = ?1"
                                   " WHERE id = ?2", DD_TEXT (now), DD_INT (case_id), DD_END))
        return dd_database_finish (database, FALSE, error);
    }
  return dd_database_commit (database, error);
}

/* @is_text: a name or an address, which gets an apostrophe in front when a spreadsheet would
 * take it for a formula ("=HYPERLINK(…)", "+48…"). */
static void
csv_field_full (GString    *out,
                const char *value,
                char        separator,
                gboolean    is_text)
{
  const char *v = value != NULL ? value : "";
  char special[] = { separator, '"', '\n', '\r', '\0' };
  gboolean defuse = is_text && dd_csv_text_is_formula (v);

  if (strpbrk (v, special) == NULL)
    {
      if (defuse)
        g_string_append_c (out, '\'');
      g_string_append (out, v);
      return;
    }
  g_string_append_c (out, '"');
  if (defuse)
    g_string_append_c (out, '\'');
  for (; *v != '\0'; v++)
    {
      if (*v == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *v == '\n' ? ' ' : *v);
    }
  g_string_append_c (out, '"');
}


/* "6509.76": the amount with a dot and the currency's decimals, for spreadsheets. */
static char *
plain_amount (gint64      minor,
              const char *currency)
{
  guint digits = dd_money_currency_digits (currency);
  gint64 scale = 1;

  for (guint i = 0; i < digits; i++)
    scale *= 10;
  if (digits == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, minor);
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%0*" G_GINT64_FORMAT, minor < 0 ? "-" : "",
                          ABS (minor) / scale, (int) digits, ABS (minor) % scale);
}

char *
dd_letter_posting_list_csv (GPtrArray *letters,
                            GArray    *pages)
{
  /* for a spreadsheet: a byte order mark (Excel reads the names' letters right), and in Polish
   * or Russian ";" between the fields and a decimal comma, as their spreadsheets read them */
  gboolean comma = dd_report_decimal_comma_language () != NULL;
  char sep = comma ? ';' : ',';
  GString *out = g_string_new ("\xef\xbb\xbf");
  static const char *const header[] = { "no", "recipient", "address", "reference", "cases",
                                        "language", "page", "total", "currency" };

  for (guint h = 0; h < G_N_ELEMENTS (header); h++)
    {
      if (h > 0)
        g_string_append_c (out, sep);
      g_string_append (out, header[h]);
    }
  g_string_append (out, "\r\n");

  for (guint i = 0; i < letters->len; i++)
    {
      const DdLetter *letter = letters->pdata[i];
      g_autoptr(GString) cases = g_string_new (NULL);
      g_autofree char *address = g_strdup (letter->debtor.address);
      g_autofree char *total = NULL;
      g_autofree char *no = g_strdup_printf ("%u", i + 1);
      g_autofree char *page = NULL;

      for (guint j = 0; j < letter->case_ids->len; j++)
        g_string_append_printf (cases, "%s%" G_GINT64_FORMAT, j ? " " : "",
                                g_array_index (letter->case_ids, gint64, j));
      if (address != NULL)
        g_strdelimit (address, "\r\n", ' ');
      total = plain_amount (letter->total_minor, letter->currency);
      if (comma)
        g_strdelimit (total, ".", ',');
      if (pages != NULL && i < pages->len)
        page = g_strdup_printf ("%u", g_array_index (pages, guint, i));
      csv_field_full (out, no, sep, FALSE);
      g_string_append_c (out, sep);
      csv_field_full (out, letter->debtor.name, sep, TRUE);
      g_string_append_c (out, sep);
      csv_field_full (out, address, sep, TRUE);
      g_string_append_c (out, sep);
      csv_field_full (out, letter->reference, sep, TRUE);
      g_string_append_c (out, sep);
      csv_field_full (out, cases->str, sep, FALSE);
      g_string_append_c (out, sep);
      csv_field_full (out, letter->language, sep, FALSE);
      g_string_append_c (out, sep);
      csv_field_full (out, page, sep, FALSE);
      g_string_append_c (out, sep);
      csv_field_full (out, total, sep, FALSE);
      g_string_append_c (out, sep);
      csv_field_full (out, letter->currency, sep, FALSE);
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}
