/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Statements in the shapes banks export them, shared by the payment tests. Written here in
 * UTF-8; the tests convert them to Windows-1250 / Windows-1251 as the banks save them. */
#pragma once

#include <glib.h>

/* PKO BP-like MT940: SWIFT envelope, CRLF, '~' subfields, the invoice number cut between ~20
 * and ~21; a debit; a second credit with ING-like ~32/~33 name and ~38 IBAN; an entry
 * without a reference (NONREF). */
static const char sample_mt940[] =
  "{1:F01PKOPPLPWAXXX0000000000}{2:O9401200261120PKOPPLPWAXXX00000000002611201200N}{4:\r\n"
  ":20:ST261120CYC/1\r\n"
  ":25:/PL61109010140000071219812874\r\n"
  ":28C:00231/1\r\n"
  ":60F:C261119PLN000000012345,67\r\n"
  ":61:2611201120C000000001000,00NTRFNONREF//CEN2611200123\r\n"
  ":86:020~00TRANSFER~20Zapłata za FV/2026/01/0~21001 dziękuję~22~23~24~25\r\n"
  "~3010901014~310000071219812874~32Łukasz Żółkiewski~33~38PL6110901014\r\n"
  "0000071219812874~60ul. Długa 1 Gdańsk~63REF26112000123\r\n"
  ":61:2611201120D000000000200,00NTRFNONREF//CEN2611200124\r\n"
  ":86:073~00PRZELEW WYCHODZĄCY~20Opłata za prowadzenie rachunku\r\n"
  ":61:2611211121CN000000000050,00NTRF12345//CEN2611210001\r\n"
  ":86:020~00TRANSFER~20Rata E-77-2026~27Anna Nowak~28~29ul. Leśna 5\r\n"
  "~3010201026~310000042270201111\r\n"
  ":61:2611211121C000000000033,00N051NONREF\r\n"
  ":86:Wpłata gotówkowa Jan Kowalski-Nowak\r\n"
  "za fakturę X-1\r\n"
  ":62F:C261121PLN000000013228,67\r\n"
  "-}\r\n";

/* mBank-like: '<' as the subfield marker, no envelope, LF only. */
static const char sample_mt940_angle[] =
  ":20:MBANK\n"
  ":25:PL27114020040000300201355387\n"
  ":28C:1\n"
  ":60F:C261120PLN0,00\n"
  ":61:2611221122C150,00NTRF//2611220042\n"
  ":86:020<00PRZELEW<20FV/2026/03/0007 część<32Łukasz Żółkiewski<38PL83101010230000261395100000\n"
  ":62F:C261122PLN150,00\n";

/* 1CClientBankExchange as Sberbank exports it (Кодировка=Windows): one incoming payment order,
 * one outgoing, one incoming "Банковский ордер" without the ИНН key. */
static const char sample_1c[] =
  "1CClientBankExchange\r\n"
  "ВерсияФормата=1.03\r\n"
  "Кодировка=Windows\r\n"
  "Отправитель=Бухгалтерия предприятия, редакция 3.0\r\n"
  "Получатель=\r\n"
  "ДатаСоздания=21.11.2026\r\n"
  "ВремяСоздания=10:15:00\r\n"
  "ДатаНачала=20.11.2026\r\n"
  "ДатаКонца=21.11.2026\r\n"
  "РасчСчет=40702810938000012345\r\n"
  "Документ=Платежное поручение\r\n"
  "СекцияРасчСчет\r\n"
  "ДатаНачала=20.11.2026\r\n"
  "ДатаКонца=21.11.2026\r\n"
  "РасчСчет=40702810938000012345\r\n"
  "НачальныйОстаток=100000.00\r\n"
  "ВсегоПоступило=990000.00\r\n"
  "ВсегоСписано=5000.00\r\n"
  "КонечныйОстаток=1085000.00\r\n"
  "КонецРасчСчет\r\n"
  "СекцияДокумент=Платежное поручение\r\n"
  "Номер=512\r\n"
  "Дата=20.11.2026\r\n"
  "Сумма=4500.00\r\n"
  "ПлательщикСчет=40817810099910004312\r\n"
  "Плательщик=ИНН 7707083893 Иван Петров\r\n"
  "ПлательщикИНН=7707083893\r\n"
  "Плательщик1=Иван Петров\r\n"
  "ПлательщикБанк1=ПАО СБЕРБАНК\r\n"
  "ПолучательСчет=40702810938000012345\r\n"
  "Получатель=ООО «Дебет»\r\n"
  "ПолучательИНН=7701234567\r\n"
  "ВидОплаты=01\r\n"
  "Очередность=5\r\n"
  "НазначениеПлатежа=Оплата по счёту СЧ-123/45 от 01.04.2026. Без НДС\r\n"
  "ДатаПоступило=21.11.2026\r\n"
  "КонецДокумента\r\n"
  "СекцияДокумент=Платежное поручение\r\n"
  "Номер=77\r\n"
  "Дата=20.11.2026\r\n"
  "Сумма=5000.00\r\n"
  "ПлательщикСчет=40702810938000012345\r\n"
  "Плательщик=ООО «Дебет»\r\n"
  "ПлательщикИНН=7701234567\r\n"
  "ПолучательСчет=40702810400000000001\r\n"
  "Получатель=АО «Энергосбыт»\r\n"
  "НазначениеПлатежа=Оплата электроэнергии за октябрь\r\n"
  "ДатаСписано=20.11.2026\r\n"
  "КонецДокумента\r\n"
  "СекцияДокумент=Банковский ордер\r\n"
  "Номер=9\r\n"
  "Дата=21.11.2026\r\n"
  "Сумма=1200\r\n"
  "ПлательщикСчет=40817810500000000777\r\n"
  "Плательщик=Сидоров Пётр Ильич\r\n"
  "ПолучательСчет=40702810938000012345\r\n"
  "НазначениеПлатежа=Возврат долга\r\n"
  "ДатаПоступило=21.11.2026\r\n"
  "КонецДокумента\r\n"
  "КонецФайла\r\n";

/* A payments CSV from an accounting system. */
static const char sample_payments_csv[] =
  "Data;Kwota;Waluta;Tytuł;Nadawca;Rachunek nadawcy;NIP;Referencja\r\n"
  "20.11.2026;1 000,00;PLN;Zapłata FV/2026/01/0001;Łukasz Żółkiewski;"
  "PL61 1090 1014 0000 0712 1981 2874;5260250274;CSV-1\r\n"
  "21.11.2026;-20,00;PLN;Zwrot;Bank;;;CSV-2\r\n"
  "21.11.2026;200,00;PLN;Rata;Anna Nowak;;;CSV-3\r\n";

static inline GBytes *
sample_in (const char *text,
           const char *encoding)
{
  g_autoptr(GError) error = NULL;
  gsize written = 0;
  char *bytes;

  if (g_ascii_strcasecmp (encoding, "UTF-8") == 0)
    return g_bytes_new (text, strlen (text));
  bytes = g_convert (text, -1, encoding, "UTF-8", NULL, &written, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (bytes, written);
}
