/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-payment-statement.h"

G_BEGIN_DECLS

/* 1CClientBankExchange (the text every Russian bank exports for 1C): header keys
 * (ВерсияФормата, Кодировка, РасчСчет…), СекцияРасчСчет … КонецРасчСчет, then
 * СекцияДокумент=… КонецДокумента blocks (Номер, Дата, Сумма, Плательщик, ПлательщикИНН,
 * ПлательщикСчет, ПолучательСчет, НазначениеПлатежа…), КонецФайла. Incoming documents only
 * (the office's account is the ПолучательСчет). @encoding: NULL to take Кодировка
 * (Windows = Windows-1251, DOS = CP866) or UTF-8 when the bytes are UTF-8. */
DdPaymentParser dd_1c_exchange_parse;

G_END_DECLS
