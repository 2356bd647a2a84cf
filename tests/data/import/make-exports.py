#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the two accounting exports of issue 14, in the shapes and encodings the systems
write them. Run from this folder; the files are committed, this is how they were made.

- naleznosci-cp1250.csv: a Polish receivables export (Windows-1250, ";", CRLF) with both
  the invoice total ("Kwota brutto") and what is still owed ("Pozostało do zapłaty"); four
  rows partly paid, one whose remaining amount is "do ustalenia".
- zestawienie-cp1250.csv: the same receivables as a spreadsheet report saves them: a title,
  the date of the report and a blank row above the table (padded with ";"), a totals row
  ("Razem") under it.
- 1c-zadolzhennost-cp1251.csv: a Russian 1C export (Windows-1251, ";", CRLF), the debt in
  "Сумма задолженности", phones written "8 9xx …" and "+7 (9xx) …".
"""

def nip(stem):
    w = [6, 5, 7, 2, 3, 4, 5, 6, 7]
    c = sum(int(d) * k for d, k in zip(stem, w)) % 11
    assert c != 10
    return stem + str(c)

def inn10(stem):
    w = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    return stem + str(sum(int(d) * k for d, k in zip(stem, w)) % 11 % 10)

polish = [
    # name, nip stem, phone, gross, remaining
    ("Przedsiębiorstwo Handlowe „Łąka” Sp. z o.o.", "526025099", "+48 601 234 567",
     "12 300,00", "12 300,00"),
    ("Zakład Usługowy Żuraw", "725123456", "602 345 678", "4 920,00", "1 920,00"),
    ("Ślusarczyk Agnieszka", None, "512 345 678", "615,00", "615,00"),
    ("Gęsicka-Żądło Małgorzata", None, "+48 41 344 55 66", "2 460,00", "460,00"),
    ("Jaźwiński Budownictwo Sp. j.", "676246810", "22 555 01 02", "8 610,00", "do ustalenia"),
    ("Piekarnia „Złoty Kłos” s.c.", "945218762", "56 622 11 00", "1 230,00", "230,50"),
    ("Wąsowski Józef", None, "+48 600 100 200", "369,00", "369,00"),
    ("Kowalczyk-Źdźbło Ewa", None, "693 111 222", "3 075,00", "1 075,00"),
]

with open("naleznosci-cp1250.csv", "wb") as out:
    lines = ["Lp.;Kontrahent;NIP;Telefon;Nr dokumentu;Data wystawienia;Termin płatności;"
             "Kwota brutto;Pozostało do zapłaty"]
    for i, (name, stem, phone, gross, remaining) in enumerate(polish, 1):
        tax = nip(stem) if stem else ""
        if tax:
            tax = f"{tax[:3]}-{tax[3:6]}-{tax[6:8]}-{tax[8:]}"
        if '"' in name or ";" in name:
            name = '"' + name.replace('"', '""') + '"'
        lines.append(f"{i};{name};{tax};{phone};FV/2026/09/{i:04d};{i:02d}.09.2026;"
                     f"{i + 14:02d}.09.2026;{gross};{remaining}")
    out.write(("\r\n".join(lines) + "\r\n").encode("cp1250"))

with open("zestawienie-cp1250.csv", "wb") as out:
    pad = ";" * 8
    title = ["Zestawienie należności przeterminowanych" + pad,
             "Stan na dzień 30.11.2026 r." + pad, pad]
    totals = ["Razem" + ";" * 7 + "24 969,00;16 969,50"]
    out.write(("\r\n".join(title + lines + totals) + "\r\n").encode("cp1250"))

russian_names = [
    "ООО «Ромашка»", "ИП Иванов Пётр Сергеевич", "АО «Северный ветер»", "ООО «Вектор-М»",
    "ИП Ёлкина Семёна Юрьевна", "ООО «ТехноСнаб»", "ЗАО «Уральские самоцветы»",
    "ООО «Берёзка»", "ИП Кузнецов Алексей Викторович", "ООО «Стройресурс»",
    "АО «Волжский завод»", "ООО «Альфа-Трейд»",
]
rows = []
for i, name in enumerate(russian_names):
    inn = inn10(f"77{i + 10:02d}{123400 + i * 7:06d}"[:9])
    if i % 2 == 0:
        phone = f"8 9{i:02d} 123-45-{10 + i:02d}"
    else:
        phone = f"+7 (9{i + 10:02d}) 345-67-{20 + i:02d}"
    amount = (i + 1) * 1234567 // 10 * 10 + 50     # kopecks
    rub, kop = divmod(amount, 100)
    text = f"{rub:,}".replace(",", "\u00a0") + f",{kop:02d}"   # 1C groups with NBSP
    doc = f"Реализация товаров и услуг 00БП-{i + 101:06d} от {i + 1:02d}.10.2026"
    rows.append(f"{name};{inn};{phone};{doc};{i + 10:02d}.11.2026;{text}")
with open("1c-zadolzhennost-cp1251.csv", "wb") as out:
    out.write(("Контрагент;ИНН;Телефон;Документ;Срок оплаты;Сумма задолженности\r\n"
               + "\r\n".join(rows) + "\r\n").encode("cp1251"))
print("total RUB kopecks:", sum((i + 1) * 1234567 // 10 * 10 + 50 for i in range(len(russian_names))))
