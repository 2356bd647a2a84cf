/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "dd-demo-office"

#include "config.h"

#include "dd-demo-office.h"
#include "dd-tax-id.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <string.h>

/* A made-up accounting export of overdue invoices, as a small Polish or Russian office's
 * accounting program writes it: one row per invoice, the debtor repeated on each of its rows,
 * ';' between fields, RFC 4180 quotes where a field needs them, CRLF line ends, the
 * locale's number and date formats, and optionally an old Windows code page.
 *
 * Everything comes from one GRand seeded with the options' seed, so a seed gives the same
 * bytes on every run; nothing is kept between calls. Rows are built in a 64 KiB buffer,
 * converted and written as it fills, so a million rows take a few seconds and little memory.
 *
 * Tax IDs and PESEL dates are drawn through a bijection of the debtor's index, phone numbers
 * through one of a running count of numbers (an affine map modulo the size of the range), so
 * no two debtors share a phone or a tax ID by chance, even in the million-row benchmark.
 *
 * PHONE NUMBERS. Neither Poland nor Russia sets numbers aside for fiction, as Ofcom does for
 * the United Kingdom. The demo office uses numbers that libphonenumber 8.12 accepts as valid
 * mobile or fixed-line numbers, but that, as far as we could find out, no operator hands out:
 *
 *  - PL mobile, +48 459 9xx xxx: the last 100,000-number block of the 45 range, the last
 *    range the national numbering plan opened to mobile networks (amended at the end of
 *    2017); UKE began assigning it at 4500. Offices of more than 80,000 debtors also use the
 *    blocks below it, 4598 down to 4590, one more for each 80,000 debtors.
 *  - PL fixed line, an area code and a subscriber number beginning with 0 ("22 012 34 56"):
 *    under the open plan used until 2005 no local number could begin with 0, the trunk
 *    prefix, which networks still accept in front of a number, and we know of no block
 *    assigned there since.
 *  - RU mobile, +7 974 xxx-xx-xx: DEF code 974 is one of the 97x codes (972 to 976, 979)
 *    that operator tables listed as unassigned when this was written; 970, 971, 977 and 978
 *    are in use.
 *  - RU fixed line, the ABC code of a city with seven-digit local numbers and a local number
 *    beginning with 0 ("8 (495) 012-34-56"): Russian local numbers never begin with 0 (the
 *    prefix of the emergency and service numbers, and the planned trunk prefix) nor 8 (the
 *    trunk prefix).
 *
 * Registers change: check these ranges against UKE's and Rossvyaz's registers before each
 * release, and let every gateway that reaches real networks refuse the numbers for which
 * dd_demo_office_is_demo_phone() is TRUE.
 */

G_DEFINE_QUARK (dd-demo-office-error-quark, dd_demo_office_error)

#define FLUSH_SIZE        (64 * 1024)
#define CONVERTED_SIZE    (64 * 1024)

#define PL_MOBILE_PREFIX  "459"   /* followed by the block digit 9..0 and five digits */
#define PL_MOBILE_BLOCK   100000
#define RU_MOBILE_PREFIX  "974"   /* followed by seven digits */

/* Days of birth for PESEL numbers: 1 January 1940 and the 24,090 days after it (to 2005). */
#define PESEL_DAYS        24090

typedef enum
{
  LOCALE_PL,
  LOCALE_RU,
} Locale;

typedef enum
{
  DEBTOR_PERSON,
  DEBTOR_SOLE_TRADER,
  DEBTOR_COMPANY,
} DebtorType;

typedef enum
{
  CREDITOR_INSURER,
  CREDITOR_WASTE,
  CREDITOR_WATER,
  CREDITOR_HEAT,
  CREDITOR_TELECOM,
  CREDITOR_HOUSING,
  N_CREDITOR_KINDS,
} CreditorKind;

/* An item and its relative weight, for weighted picks. */
typedef struct
{
  const char *text;
  guint       weight;
} Weighted;

typedef struct
{
  const char *name;
  const char *region;       /* RU towns: the oblast; NULL for cities and for PL */
  guint       post_min;     /* postcodes as numbers: 1 is "00-001", 125009 is "125009" */
  guint       post_max;
  const char *area_code;    /* for fixed lines, NULL when the demo has none there */
  guint       weight;
} City;

typedef struct
{
  const char   *name;
  CreditorKind  kind;
} CreditorName;

typedef struct
{
  guint64 a;
  guint64 b;
  guint64 m;
} Permutation;

typedef struct
{
  const char   *name;          /* the creditor as written, before CSV quoting */
  GString      *field;         /* the quoted field */
  CreditorKind  kind;
  guint         scheme;        /* invoice number format */
  guint         counter;
} Creditor;

typedef struct
{
  GString     *name;
  GString     *tax;            /* as written, "" when none */
  GString     *address;
  GString     *phone1;
  GString     *phone2;
  GString     *email;
  GString     *prefix;         /* the six debtor fields, quoted, each followed by ';' */
  GString     *scratch;
  char         tax_digits[16];
  DdTaxIdKind  tax_kind;
  const char  *tax_pattern;
  DebtorType   type;
  gboolean     female;
} Debtor;

typedef struct
{
  Locale         locale;
  GRand         *rand;
  guint32        today_julian;
  gboolean       surname_first;
  gboolean       iso_dates;
  const char    *group_separator;
  Creditor       creditors[3];
  guint          n_creditors;
  guint          pl_mobile_blocks;
  guint64        n_mobiles;       /* numbers handed out so far */
  guint64        n_landlines;
  Permutation    mobile;
  Permutation    landline;
  Permutation    nip;
  Permutation    pesel;
  Permutation    inn_legal;
  Permutation    inn_person;
  double         error_rate;

  GOutputStream *out;
  GCancellable  *cancellable;
  GIConv         iconv;
  const char    *encoding;
  GString       *buffer;
  char          *converted;
} Office;

/* ------------------------------------------------------------------------------------------
 * Polish word lists (written for this project)
 */

static const char *const pl_male_names[] = {
  "Jan", "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin", "Marek",
  "Grzegorz", "Józef", "Łukasz", "Adam", "Zbigniew", "Jerzy", "Tadeusz", "Mateusz", "Dariusz",
  "Mariusz", "Wojciech", "Ryszard", "Jakub", "Henryk", "Robert", "Kazimierz", "Jacek",
  "Maciej", "Kamil", "Stanisław", "Rafał", "Sławomir", "Artur", "Szymon", "Bartosz",
  "Przemysław", "Sebastian", "Zdzisław", "Waldemar", "Bogdan", "Leszek", "Dawid", "Damian",
  "Karol", "Wiesław", "Mirosław", "Filip", "Kacper", "Hubert", "Witold", "Eugeniusz",
};

static const char *const pl_female_names[] = {
  "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna",
  "Elżbieta", "Zofia", "Teresa", "Magdalena", "Joanna", "Janina", "Monika", "Danuta",
  "Jadwiga", "Aleksandra", "Halina", "Irena", "Beata", "Marta", "Dorota", "Karolina",
  "Jolanta", "Iwona", "Grażyna", "Natalia", "Bożena", "Urszula", "Justyna", "Renata",
  "Alicja", "Paulina", "Agata", "Sylwia", "Wiesława", "Julia", "Zuzanna", "Helena",
  "Weronika", "Łucja", "Genowefa", "Stanisława", "Jagoda", "Kinga",
};

/* Masculine forms; feminine_surname() makes Kowalska, Konieczna, and keeps Nowak. */
static const char *const pl_surnames[] = {
  "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
  "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
  "Kwiatkowski", "Wojciechowski", "Krawczyk", "Kaczmarek", "Piotrowski", "Grabowski", "Zając",
  "Pawłowski", "Michalski", "Król", "Wieczorek", "Jabłoński", "Wróbel", "Nowakowski",
  "Majewski", "Olszewski", "Stępień", "Malinowski", "Jaworski", "Adamczyk", "Dudek",
  "Nowicki", "Pawlak", "Górski", "Witkowski", "Walczak", "Sikora", "Baran", "Rutkowski",
  "Michalak", "Szewczyk", "Ostrowski", "Tomaszewski", "Pietrzak", "Zalewski", "Wróblewski",
  "Marciniak", "Jasiński", "Zawadzki", "Bąk", "Jakubowski", "Sadowski", "Duda", "Włodarczyk",
  "Wilk", "Chmielewski", "Borkowski", "Sokołowski", "Szczepański", "Sawicki", "Lis",
  "Kucharski", "Mazurek", "Kubiak", "Kalinowski", "Wysocki", "Kołodziej", "Czarnecki",
  "Sobczak", "Konieczny", "Urbański", "Głowacki", "Zakrzewski", "Krajewski", "Przybylski",
  "Domański", "Kasprzak", "Gajewski", "Żak", "Szulc", "Cieślak", "Leśniak", "Łuczak",
  "Nowotny", "Wesoły", "Żukowski",
};

static const char *const pl_streets[] = {
  "ul. Lipowa", "ul. Polna", "ul. Leśna", "ul. Słoneczna", "ul. Krótka", "ul. Szkolna",
  "ul. Ogrodowa", "ul. Kwiatowa", "ul. Mickiewicza", "ul. Słowackiego", "ul. Kościuszki",
  "ul. Sienkiewicza", "ul. Kopernika", "ul. Piłsudskiego", "ul. Długa", "ul. Wiejska",
  "ul. 3 Maja", "ul. Żeromskiego", "ul. Reymonta", "ul. Konopnickiej", "ul. Chopina",
  "ul. Mazowiecka", "ul. Wrocławska", "ul. Parkowa", "ul. Brzozowa", "ul. Akacjowa",
  "ul. Klonowa", "ul. Spacerowa", "ul. Przemysłowa", "ul. Kolejowa", "ul. Zielona",
  "ul. Nadrzeczna", "ul. Rzemieślnicza", "ul. Graniczna", "al. Jana Pawła II",
  "al. Niepodległości", "os. Tysiąclecia", "os. Słoneczne", "pl. Wolności", "pl. Rynek",
};

static const City pl_cities[] = {
  { "Warszawa", NULL, 1, 4999, "22", 30 },
  { "Kraków", NULL, 30001, 31999, "12", 12 },
  { "Łódź", NULL, 90001, 94999, "42", 10 },
  { "Wrocław", NULL, 50001, 54999, "71", 10 },
  { "Poznań", NULL, 60001, 61999, "61", 8 },
  { "Gdańsk", NULL, 80001, 80999, "58", 7 },
  { "Szczecin", NULL, 70001, 71999, "91", 6 },
  { "Bydgoszcz", NULL, 85001, 85999, "52", 5 },
  { "Lublin", NULL, 20001, 20999, "81", 5 },
  { "Katowice", NULL, 40001, 40999, "32", 4 },
  { "Białystok", NULL, 15001, 15999, "85", 4 },
  { "Gdynia", NULL, 81001, 81699, "58", 3 },
  { "Częstochowa", NULL, 42200, 42299, "34", 3 },
  { "Radom", NULL, 26600, 26699, "48", 3 },
  { "Toruń", NULL, 87100, 87199, "56", 3 },
  { "Kielce", NULL, 25001, 25999, "41", 3 },
  { "Rzeszów", NULL, 35001, 35999, "17", 3 },
  { "Olsztyn", NULL, 10001, 10999, "89", 3 },
  { "Opole", NULL, 45001, 45999, "77", 2 },
  { "Zielona Góra", NULL, 65001, 65999, "68", 2 },
  { "Gorzów Wielkopolski", NULL, 66400, 66499, "95", 2 },
  { "Piaseczno", NULL, 5500, 5509, "22", 2 },
  { "Pruszków", NULL, 5800, 5809, "22", 2 },
  { "Wieliczka", NULL, 32020, 32020, "12", 1 },
  { "Pabianice", NULL, 95200, 95209, "42", 1 },
  { "Sopot", NULL, 81701, 81899, "58", 1 },
  { "Tychy", NULL, 43100, 43119, "32", 2 },
  { "Gliwice", NULL, 44100, 44164, "32", 2 },
  { "Bielsko-Biała", NULL, 43300, 43382, "33", 2 },
  { "Nowy Sącz", NULL, 33300, 33399, "18", 1 },
  { "Płock", NULL, 9400, 9420, "24", 1 },
  { "Elbląg", NULL, 82300, 82315, "55", 1 },
  { "Legnica", NULL, 59220, 59230, "76", 1 },
  { "Koszalin", NULL, 75001, 75950, "94", 1 },
  { "Kalisz", NULL, 62800, 62820, "62", 1 },
  { "Tarnów", NULL, 33100, 33120, "14", 1 },
  { "Zakopane", NULL, 34500, 34500, "18", 1 },
};

static const char *const pl_brand_stems[] = {
  "Bart", "Kam", "Pol", "El", "Trans", "Agro", "Drew", "Hydro", "Met", "Tech", "Inter", "Euro",
  "Eko", "Med", "Auto", "Dom", "Stal", "Mar", "Gal", "Rol", "Bud", "Term", "Kom", "Plast",
  "Glob", "Wod", "Kar", "Lech", "Mir", "Zbyt",
};

static const char *const pl_brand_suffixes[] = {
  "ex", "mex", "pol", "bud", "met", "tech", "trans", "lux", "mar", "san", "tex", "plast",
  "max", "med", "rol", "kom", "serwis", "gaz", "bis", "land",
};

static const char *const pl_company_kinds[] = {
  "Przedsiębiorstwo Handlowe", "Przedsiębiorstwo Produkcyjno-Handlowe", "Zakład Usługowy",
  "Hurtownia", "Przedsiębiorstwo Budowlane", "Zakład Stolarski", "Piekarnia",
  "Przedsiębiorstwo Transportowe", "Spółdzielnia Pracy", "Przedsiębiorstwo",
  "Firma Usługowa", "Biuro Projektowe", "Zakład Mięsny", "Drukarnia",
};

static const char *const pl_fancy_names[] = {
  "Słoneczko", "Jaskółka", "Pod Lipami", "Wrzos", "Kłos", "Bursztyn", "Sokół", "Promyk",
  "Stokrotka", "Rubin", "Zdrój", "Orzeł", "Jantar", "Kalina", "Bór", "Grot", "Mewa",
  "Sasanka", "Perła", "Dukat",
};

static const Weighted pl_legal_forms[] = {
  { "Sp. z o.o.", 55 }, { "S.A.", 5 }, { "Sp. j.", 12 }, { "Sp. z o.o. Sp. k.", 10 },
  { "s.c.", 13 }, { "Sp. k.", 5 },
};

static const char *const pl_trades[] = {
  "Usługi Remontowe", "Usługi Transportowe", "Firma Handlowa", "FHU", "PHU", "PPHU",
  "Zakład Fryzjerski", "Gabinet Stomatologiczny", "Warsztat Samochodowy", "Sklep Spożywczy",
  "Biuro Rachunkowe", "Pracownia Krawiecka", "Kwiaciarnia", "Usługi Ogólnobudowlane",
  "Gabinet Weterynaryjny", "Studio Fotograficzne", "Instalatorstwo Elektryczne",
  "Usługi Hydrauliczne",
};

static const CreditorName pl_creditors[] = {
  { "Towarzystwo Ubezpieczeń \"Spokojna Przystań\" S.A.", CREDITOR_INSURER },
  { "Ubezpieczenia \"Pewny Grosz\" TUW", CREDITOR_INSURER },
  { "Przedsiębiorstwo Oczyszczania \"Czysta Gmina\" Sp. z o.o.", CREDITOR_WASTE },
  { "Zakład Gospodarki Odpadami \"Ekosort\" Sp. z o.o.", CREDITOR_WASTE },
  { "Wodociągi Nadrzeczne Sp. z o.o.", CREDITOR_WATER },
  { "Przedsiębiorstwo Wodociągów i Kanalizacji \"Zdrój Dolny\" Sp. z o.o.", CREDITOR_WATER },
  { "Ciepłownia Miejska \"Termik\" Sp. z o.o.", CREDITOR_HEAT },
  { "Energetyka Cieplna \"Kominek\" Sp. z o.o.", CREDITOR_HEAT },
  { "Sieć Osiedlowa \"Światełko\" Sp. z o.o.", CREDITOR_TELECOM },
  { "Telewizja Kablowa \"Antenka\" s.c.", CREDITOR_TELECOM },
  { "Spółdzielnia Mieszkaniowa \"Nad Stawem\"", CREDITOR_HOUSING },
  { "Wspólnota Mieszkaniowa ul. Klonowa 7", CREDITOR_HOUSING },
};

/* NIPs as clerks type them; 'N' stands for the next digit. */
static const Weighted pl_nip_patterns[] = {
  { "NNNNNNNNNN", 40 }, { "NNN-NNN-NN-NN", 30 }, { "NNN-NN-NN-NNN", 10 },
  { "PLNNNNNNNNNN", 10 }, { "PL NNN-NNN-NN-NN", 5 }, { "NNN NNN NN NN", 5 },
};

static const Weighted pl_mobile_patterns[] = {
  { "NNN NNN NNN", 35 }, { "NNNNNNNNN", 15 }, { "+48 NNN NNN NNN", 15 },
  { "+48NNNNNNNNN", 10 }, { "NNN-NNN-NNN", 10 }, { "0048 NNN NNN NNN", 5 },
  { "+48 NNN-NNN-NNN", 5 }, { "(+48) NNN NNN NNN", 5 },
};

static const Weighted pl_landline_patterns[] = {
  { "NN NNN NN NN", 35 }, { "(NN) NNN NN NN", 25 }, { "+48 NN NNN NN NN", 15 },
  { "(0-NN) NNN NN NN", 8 }, { "NNNNNNNNN", 10 }, { "NN-NNN-NN-NN", 5 },
  { "+48 (NN) NNN-NN-NN", 2 },
};

/* ------------------------------------------------------------------------------------------
 * Russian word lists (written for this project)
 */

/* A man's name with the patronymics it gives to his son and to his daughter. */
typedef struct
{
  const char *name;
  const char *son;
  const char *daughter;
} RuMaleName;

static const RuMaleName ru_male_names[] = {
  { "Александр", "Александрович", "Александровна" },
  { "Сергей", "Сергеевич", "Сергеевна" },
  { "Дмитрий", "Дмитриевич", "Дмитриевна" },
  { "Андрей", "Андреевич", "Андреевна" },
  { "Алексей", "Алексеевич", "Алексеевна" },
  { "Владимир", "Владимирович", "Владимировна" },
  { "Михаил", "Михайлович", "Михайловна" },
  { "Николай", "Николаевич", "Николаевна" },
  { "Иван", "Иванович", "Ивановна" },
  { "Евгений", "Евгеньевич", "Евгеньевна" },
  { "Юрий", "Юрьевич", "Юрьевна" },
  { "Виктор", "Викторович", "Викторовна" },
  { "Павел", "Павлович", "Павловна" },
  { "Олег", "Олегович", "Олеговна" },
  { "Игорь", "Игоревич", "Игоревна" },
  { "Василий", "Васильевич", "Васильевна" },
  { "Анатолий", "Анатольевич", "Анатольевна" },
  { "Максим", "Максимович", "Максимовна" },
  { "Константин", "Константинович", "Константиновна" },
  { "Виталий", "Витальевич", "Витальевна" },
  { "Геннадий", "Геннадьевич", "Геннадьевна" },
  { "Роман", "Романович", "Романовна" },
  { "Вячеслав", "Вячеславович", "Вячеславовна" },
  { "Пётр", "Петрович", "Петровна" },
  { "Борис", "Борисович", "Борисовна" },
  { "Григорий", "Григорьевич", "Григорьевна" },
  { "Илья", "Ильич", "Ильинична" },
  { "Никита", "Никитич", "Никитична" },
  { "Артём", "Артёмович", "Артёмовна" },
  { "Денис", "Денисович", "Денисовна" },
  { "Антон", "Антонович", "Антоновна" },
  { "Кирилл", "Кириллович", "Кирилловна" },
  { "Степан", "Степанович", "Степановна" },
  { "Фёдор", "Фёдорович", "Фёдоровна" },
  { "Леонид", "Леонидович", "Леонидовна" },
  { "Валерий", "Валерьевич", "Валерьевна" },
  { "Георгий", "Георгиевич", "Георгиевна" },
  { "Егор", "Егорович", "Егоровна" },
  { "Тимур", "Тимурович", "Тимуровна" },
  { "Руслан", "Русланович", "Руслановна" },
};

static const char *const ru_female_names[] = {
  "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Мария", "Екатерина",
  "Юлия", "Марина", "Галина", "Людмила", "Надежда", "Валентина", "Любовь", "Нина", "Вера",
  "Оксана", "Евгения", "Анастасия", "Дарья", "Ксения", "Виктория", "Алёна", "Полина",
  "Лариса", "Тамара", "Зоя", "Лидия", "Елизавета", "Валерия", "Кристина", "Алина", "Софья",
  "Маргарита", "Жанна", "Инна", "Раиса", "Вероника",
};

/* Masculine forms; feminine_surname() makes Иванова, Дубровская, and keeps Ткаченко. */
static const char *const ru_surnames[] = {
  "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
  "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
  "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
  "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
  "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
  "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев",
  "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев",
  "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов", "Марков", "Миронов",
  "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов", "Гаврилов", "Тихонов",
  "Казаков", "Афанасьев", "Данилов", "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов",
  "Дубровский", "Успенский", "Вишневский", "Покровский", "Трубецкой", "Белый",
  "Ткаченко", "Коваленко", "Бондаренко", "Кравченко", "Черных", "Седых",
};

static const char *const ru_streets[] = {
  "ул. Ленина", "ул. Советская", "ул. Мира", "ул. Садовая", "ул. Школьная", "ул. Лесная",
  "ул. Гагарина", "ул. Молодёжная", "ул. Центральная", "ул. Набережная", "ул. Октябрьская",
  "ул. Пушкина", "ул. Комсомольская", "ул. Первомайская", "ул. Кирова", "ул. Заречная",
  "ул. Строителей", "ул. Полевая", "ул. Луговая", "ул. Новая", "ул. Зелёная", "ул. Южная",
  "ул. Северная", "ул. Рабочая", "ул. Березовая", "пр-т Победы", "пр-т Мира",
  "пр-т Строителей", "пер. Почтовый", "пер. Школьный", "ш. Московское", "б-р Цветной",
  "наб. Речная",
};

static const City ru_cities[] = {
  { "Москва", NULL, 101000, 129999, "495", 25 },
  { "Санкт-Петербург", NULL, 190000, 199999, "812", 12 },
  { "Новосибирск", NULL, 630000, 630999, "383", 5 },
  { "Екатеринбург", NULL, 620000, 620999, "343", 5 },
  { "Казань", NULL, 420000, 420999, "843", 4 },
  { "Нижний Новгород", NULL, 603000, 603999, "831", 4 },
  { "Самара", NULL, 443000, 443999, "846", 4 },
  { "Челябинск", NULL, 454000, 454999, "351", 4 },
  { "Ростов-на-Дону", NULL, 344000, 344999, "863", 4 },
  { "Уфа", NULL, 450000, 450999, "347", 4 },
  { "Красноярск", NULL, 660000, 660999, "391", 4 },
  { "Пермь", NULL, 614000, 614999, "342", 3 },
  { "Воронеж", NULL, 394000, 394999, "473", 3 },
  { "Краснодар", NULL, 350000, 350999, "861", 3 },
  { "Подольск", "Московская обл.", 142100, 142119, NULL, 2 },
  { "Химки", "Московская обл.", 141400, 141410, NULL, 2 },
  { "Мытищи", "Московская обл.", 141000, 141018, NULL, 2 },
  { "Балашиха", "Московская обл.", 143900, 143989, NULL, 2 },
  { "Бердск", "Новосибирская обл.", 633000, 633011, NULL, 1 },
  { "Верхняя Пышма", "Свердловская обл.", 624090, 624097, NULL, 1 },
};

static const char *const ru_brand_stems[] = {
  "Строй", "Транс", "Агро", "Тех", "Торг", "Пром", "Мед", "Авто", "Энерго", "Сиб", "Урал",
  "Волга", "Север", "Лес", "Мет", "Хим", "Нефте", "Газ", "Элит", "Проф",
};

static const char *const ru_brand_suffixes[] = {
  "Сервис", "Монтаж", "Торг", "Снаб", "Групп", "Трейд", "Пром", "Альянс", "Ресурс",
  "Инвест", "Комплект", "Систем", "Маркет", "Логистик", "Строй", "Техника", "Опт", "Мир",
};

static const char *const ru_fancy_names[] = {
  "Ромашка", "Рассвет", "Берёзка", "Радуга", "Восход", "Колос", "Уют", "Меридиан", "Вектор",
  "Гарант", "Стандарт", "Прогресс", "Импульс", "Горизонт", "Магистраль", "Созвездие", "Исток",
  "Родник", "Альтаир", "Континент",
};

static const Weighted ru_legal_forms[] = {
  { "ООО", 75 }, { "АО", 12 }, { "ЗАО", 5 }, { "ПАО", 2 },
  { "Общество с ограниченной ответственностью", 6 },
};

static const CreditorName ru_creditors[] = {
  { "АО \"Страховая компания «Тихая гавань»\"", CREDITOR_INSURER },
  { "ООО «СК «Надёжный тыл»»", CREDITOR_INSURER },
  { "ООО «Региональный оператор «Экосбор»»", CREDITOR_WASTE },
  { "МУП \"Чистая слобода\"", CREDITOR_WASTE },
  { "АО «Водоканал-Заречье»", CREDITOR_WATER },
  { "МУП \"Водоканал Приозёрный\"", CREDITOR_WATER },
  { "ООО \"Теплосеть Северная\"", CREDITOR_HEAT },
  { "АО «Тепловые сети Заречья»", CREDITOR_HEAT },
  { "ООО «Домовая сеть»", CREDITOR_TELECOM },
  { "ООО \"Кабельное ТВ «Антенна»\"", CREDITOR_TELECOM },
  { "ООО «УК «Уютный квартал»»", CREDITOR_HOUSING },
  { "ТСЖ \"Берёзовая роща\"", CREDITOR_HOUSING },
};

static const Weighted ru_inn_patterns[] = {
  { "N", 95 }, { "ИНН N", 5 },   /* 'N' alone: all the digits */
};

static const Weighted ru_mobile_patterns[] = {
  { "8 (NNN) NNN-NN-NN", 30 }, { "+7 (NNN) NNN-NN-NN", 20 }, { "+7NNNNNNNNNN", 15 },
  { "8NNNNNNNNNN", 15 }, { "8-NNN-NNN-NN-NN", 10 }, { "+7 NNN NNN NN NN", 5 },
  { "8 NNN NNN NN NN", 5 },
};

static const Weighted ru_landline_patterns[] = {
  { "8 (NNN) NNN-NN-NN", 40 }, { "(NNN) NNN-NN-NN", 20 }, { "+7 (NNN) NNN-NN-NN", 20 },
  { "8NNNNNNNNNN", 10 }, { "+7 NNN NNN NN NN", 10 },
};

/* ------------------------------------------------------------------------------------------
 * Per locale
 */

static const char pl_header[] =
  "Kontrahent;NIP;Adres;Telefon;Telefon 2;E-mail;Wierzyciel;Nr faktury;Data wystawienia;"
  "Termin płatności;Kwota;Waluta\r\n";
static const char ru_header[] =
  "Контрагент;ИНН;Адрес;Телефон;Телефон 2;E-mail;Кредитор;Номер счёта;Дата выставления;"
  "Срок оплаты;Сумма;Валюта\r\n";

/* Amount ranges in grosze / kopecks, [kind][locale]: { min, max }. */
static const guint amount_ranges[N_CREDITOR_KINDS][2][2] = {
  [CREDITOR_INSURER] = { { 15000, 480000 }, { 300000, 9000000 } },
  [CREDITOR_WASTE] = { { 4000, 90000 }, { 30000, 900000 } },
  [CREDITOR_WATER] = { { 6000, 150000 }, { 60000, 1500000 } },
  [CREDITOR_HEAT] = { { 20000, 300000 }, { 150000, 4000000 } },
  [CREDITOR_TELECOM] = { { 4900, 30000 }, { 40000, 300000 } },
  [CREDITOR_HOUSING] = { { 30000, 250000 }, { 200000, 2500000 } },
};

static const guint payment_terms[] = { 7, 14, 14, 21, 30, 30, 30, 60 };

#define N_INVOICE_SCHEMES 4

/* ------------------------------------------------------------------------------------------
 * Helpers
 */

static guint
pick (GRand *rand,
      guint  n)
{
  return (guint) g_rand_int_range (rand, 0, (gint32) n);
}

#define PICK(rand, array) ((array)[pick ((rand), G_N_ELEMENTS (array))])

static gboolean
chance (GRand  *rand,
        double  probability)
{
  return g_rand_double (rand) < probability;
}

/* Draws one of @n_items items of @item_size bytes, each as likely as its guint weight at
 * @weight_offset; gives its index. */
static guint
pick_weighted_index (GRand         *rand,
                     gconstpointer  items,
                     guint          n_items,
                     gsize          item_size,
                     gsize          weight_offset)
{
  guint total = 0;
  guint r;

#define WEIGHT(i) G_STRUCT_MEMBER (guint, (const char *) items + (i) * item_size, weight_offset)
  for (guint i = 0; i < n_items; i++)
    total += WEIGHT (i);
  r = pick (rand, total);
  for (guint i = 0; i < n_items; i++)
    {
      if (r < WEIGHT (i))
        return i;
      r -= WEIGHT (i);
    }
#undef WEIGHT
  g_assert_not_reached ();
}

static const char *
pick_weighted (GRand          *rand,
               const Weighted *items,
               guint           n_items)
{
  return items[pick_weighted_index (rand, items, n_items, sizeof *items,
                                    G_STRUCT_OFFSET (Weighted, weight))].text;
}

#define PICK_WEIGHTED(rand, array) (pick_weighted ((rand), (array), G_N_ELEMENTS (array)))

static const City *
pick_city (GRand      *rand,
           const City *cities,
           guint       n_cities)
{
  return &cities[pick_weighted_index (rand, cities, n_cities, sizeof *cities,
                                      G_STRUCT_OFFSET (City, weight))];
}

static guint64
gcd (guint64 a,
     guint64 b)
{
  while (b != 0)
    {
      guint64 t = a % b;

      a = b;
      b = t;
    }
  return a;
}

/* An affine bijection of 0..m-1 with random coefficients. */
static void
permutation_init (Permutation *p,
                  guint64      m,
                  GRand       *rand)
{
  p->m = m;
  do
    p->a = 1 + (((guint64) g_rand_int (rand) << 32) | g_rand_int (rand)) % (m - 1);
  while (gcd (p->a, m) != 1);
  p->b = (((guint64) g_rand_int (rand) << 32) | g_rand_int (rand)) % m;
}

static guint64
permutation_apply (const Permutation *p,
                   guint64            x)
{
  return (p->a * (x % p->m) + p->b) % p->m;
}

/* Writes @value as exactly @width decimal digits into @out (no terminator). */
static void
put_digits (char    *out,
            guint64  value,
            guint    width)
{
  for (guint i = width; i > 0; i--)
    {
      out[i - 1] = (char) ('0' + value % 10);
      value /= 10;
    }
}

static void
append_uint (GString *s,
             guint64  value,
             guint    min_width)
{
  char buf[24];
  guint n = 0;

  do
    {
      buf[n++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value > 0 || n < min_width);
  while (n > 0)
    g_string_append_c (s, buf[--n]);
}

/* Writes @digits through @pattern: each 'N' takes the next digit; a pattern of "N" alone,
 * or ending in " N", takes all the remaining digits there. */
static void
append_pattern (GString    *s,
                const char *pattern,
                const char *digits)
{
  gsize plen = strlen (pattern);

  if (plen >= 1 && pattern[plen - 1] == 'N' && (plen == 1 || pattern[plen - 2] == ' ') &&
      strchr (pattern, 'N') == pattern + plen - 1)
    {
      g_string_append_len (s, pattern, plen - 1);
      g_string_append (s, digits);
      return;
    }

  for (const char *p = pattern; *p != '\0'; p++)
    {
      if (*p == 'N' && *digits != '\0')
        g_string_append_c (s, *digits++);
      else
        g_string_append_c (s, *p);
    }
}

/* Appends @text as one CSV field, quoted when it holds ';', '"', a line break or leading or
 * trailing spaces. */
static void
append_field (GString    *s,
              const char *text,
              gssize      len)
{
  gboolean quote = FALSE;

  if (len < 0)
    len = (gssize) strlen (text);
  if (len > 0 && (text[0] == ' ' || text[len - 1] == ' '))
    quote = TRUE;
  for (gssize i = 0; i < len && !quote; i++)
    if (text[i] == ';' || text[i] == '"' || text[i] == '\n' || text[i] == '\r')
      quote = TRUE;

  if (!quote)
    {
      g_string_append_len (s, text, len);
      return;
    }
  g_string_append_c (s, '"');
  for (gssize i = 0; i < len; i++)
    {
      if (text[i] == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, text[i]);
    }
  g_string_append_c (s, '"');
}

static void
feminine_surname (GString    *s,
                  const char *male,
                  Locale      locale)
{
  gsize len = strlen (male);

  if (locale == LOCALE_PL)
    {
      /* -ski, -cki, -dzki and adjectival -y take -a; the others do not change. */
      if (g_str_has_suffix (male, "ki") || g_str_has_suffix (male, "y"))
        {
          g_string_append_len (s, male, len - 1);
          g_string_append_c (s, 'a');
          return;
        }
    }
  else
    {
      if (g_str_has_suffix (male, "ий") || g_str_has_suffix (male, "ой") ||
          g_str_has_suffix (male, "ый"))
        {
          g_string_append_len (s, male, len - strlen ("ий"));
          g_string_append (s, "ая");
          return;
        }
      if (g_str_has_suffix (male, "ов") || g_str_has_suffix (male, "ев") ||
          g_str_has_suffix (male, "ёв") || g_str_has_suffix (male, "ин") ||
          g_str_has_suffix (male, "ын"))
        {
          g_string_append (s, male);
          g_string_append (s, "а");
          return;
        }
    }
  g_string_append (s, male);
}

/* Lower-case ASCII for e-mail addresses: Polish letters lose their marks, Russian ones are
 * transliterated; anything else but letters and digits is dropped. */
static void
append_ascii (GString    *s,
              const char *text)
{
  static const char *const cyrillic[] = {
    "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
    "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
  };

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80)
        {
          if (g_ascii_isalnum ((char) c))
            g_string_append_c (s, g_ascii_tolower ((char) c));
          continue;
        }
      if (c >= 0x0410 && c <= 0x042F)
        c += 0x20;
      if (c >= 0x0430 && c <= 0x044F)
        {
          g_string_append (s, cyrillic[c - 0x0430]);
          continue;
        }
      switch (c)
        {
        case 0x0401: case 0x0451: g_string_append_c (s, 'e'); break;   /* Ё ё */
        case 0x0104: case 0x0105: g_string_append_c (s, 'a'); break;   /* Ą ą */
        case 0x0106: case 0x0107: g_string_append_c (s, 'c'); break;   /* Ć ć */
        case 0x0118: case 0x0119: g_string_append_c (s, 'e'); break;   /* Ę ę */
        case 0x0141: case 0x0142: g_string_append_c (s, 'l'); break;   /* Ł ł */
        case 0x0143: case 0x0144: g_string_append_c (s, 'n'); break;   /* Ń ń */
        case 0x00D3: case 0x00F3: g_string_append_c (s, 'o'); break;   /* Ó ó */
        case 0x015A: case 0x015B: g_string_append_c (s, 's'); break;   /* Ś ś */
        case 0x0179: case 0x017A:
        case 0x017B: case 0x017C: g_string_append_c (s, 'z'); break;   /* Ź ź Ż ż */
        default: break;
        }
    }
}

/* The first letter of @name and a dot: "И." */
static void
append_initial (GString    *s,
                const char *name)
{
  g_string_append_len (s, name, g_utf8_next_char (name) - name);
  g_string_append_c (s, '.');
}

/* ------------------------------------------------------------------------------------------
 * Output
 */

static gboolean
write_bytes (Office      *office,
             const char  *data,
             gsize        len,
             GError     **error)
{
  return g_output_stream_write_all (office->out, data, len, NULL, office->cancellable, error);
}

static gboolean
flush_buffer (Office  *office,
              GError **error)
{
  char *in = office->buffer->str;
  gsize in_left = office->buffer->len;

  if (g_cancellable_set_error_if_cancelled (office->cancellable, error))
    return FALSE;

  if (office->iconv == NULL)
    {
      if (!write_bytes (office, in, in_left, error))
        return FALSE;
      g_string_truncate (office->buffer, 0);
      return TRUE;
    }

  while (in_left > 0)
    {
      char *out = office->converted;
      gsize out_left = CONVERTED_SIZE;
      gsize r = g_iconv (office->iconv, &in, &in_left, &out, &out_left);

      if (r == (gsize) -1 && errno != E2BIG)
        {
          g_autofree char *letter = g_strndup (in, g_utf8_next_char (in) - in);

          g_set_error (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_ENCODING,
                       _("The letter “%s” cannot be written in the encoding %s"),
                       letter, office->encoding);
          return FALSE;
        }
      if (!write_bytes (office, office->converted, CONVERTED_SIZE - out_left, error))
        return FALSE;
    }
  g_string_truncate (office->buffer, 0);
  return TRUE;
}

static gboolean
finish_output (Office  *office,
               GError **error)
{
  if (!flush_buffer (office, error))
    return FALSE;
  if (office->iconv != NULL)
    {
      char *out = office->converted;
      gsize out_left = CONVERTED_SIZE;

      /* Stateful encodings return to their initial state. */
      g_iconv (office->iconv, NULL, NULL, &out, &out_left);
      if (out_left < CONVERTED_SIZE &&
          !write_bytes (office, office->converted, CONVERTED_SIZE - out_left, error))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * Office setup
 */

/* Fills @items with 0..n-1 in a random order (Fisher–Yates). */
static void
shuffle (GRand *rand,
         guint *items,
         guint  n)
{
  for (guint i = 0; i < n; i++)
    items[i] = i;
  for (guint i = n - 1; i > 0; i--)
    {
      guint j = pick (rand, i + 1);
      guint t = items[i];

      items[i] = items[j];
      items[j] = t;
    }
}

static void
setup_creditors (Office *office)
{
  const CreditorName *names = office->locale == LOCALE_PL ? pl_creditors : ru_creditors;
  guint n_names = office->locale == LOCALE_PL ? G_N_ELEMENTS (pl_creditors)
                                              : G_N_ELEMENTS (ru_creditors);
  guint kinds[N_CREDITOR_KINDS];
  guint schemes[N_INVOICE_SCHEMES];

  /* Two or three creditors of different kinds, each numbering its invoices its own way. */
  shuffle (office->rand, kinds, N_CREDITOR_KINDS);
  shuffle (office->rand, schemes, N_INVOICE_SCHEMES);
  office->n_creditors = 2 + pick (office->rand, 2);

  for (guint c = 0; c < office->n_creditors; c++)
    {
      Creditor *creditor = &office->creditors[c];
      const CreditorName *choice[2];
      guint n_choice = 0;

      for (guint i = 0; i < n_names && n_choice < 2; i++)
        if (names[i].kind == (CreditorKind) kinds[c])
          choice[n_choice++] = &names[i];
      g_assert (n_choice > 0);

      creditor->name = choice[pick (office->rand, n_choice)]->name;
      creditor->kind = kinds[c];
      creditor->scheme = schemes[c];
      creditor->counter = 100 + pick (office->rand, 4900);
      creditor->field = g_string_new (NULL);
      append_field (creditor->field, creditor->name, -1);
    }
}

static gboolean
setup_office (Office                     *office,
              const DdDemoOfficeOptions  *options,
              GError                    **error)
{
  static const char *const group_separators[] = { " ", " ", " ", " ", "\xc2\xa0", "", "", "" };
  GDate today;
  guint estimate;

  office->rand = g_rand_new_with_seed (options->seed);

  g_date_clear (&today, 1);
  if (options->today != NULL)
    {
      if (!g_date_valid (options->today))
        {
          g_set_error_literal (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_INVALID_OPTIONS,
                               _("The date of the demo office is not a valid date"));
          return FALSE;
        }
      today = *options->today;
    }
  else
    g_date_set_time_t (&today, time (NULL));
  office->today_julian = g_date_get_julian (&today);

  office->error_rate = options->error_rate;
  office->surname_first = chance (office->rand, 0.5);
  office->iso_dates = office->locale == LOCALE_PL ? chance (office->rand, 0.5)
                                                  : chance (office->rand, 0.15);
  office->group_separator = PICK (office->rand, group_separators);
  setup_creditors (office);

  /* About 0.9 mobile numbers per debtor: the PL blocks needed for them, with a margin. */
  estimate = options->n_debtors;
  if (options->max_rows > 0 && (estimate == 0 || options->max_rows < estimate))
    estimate = options->max_rows;
  office->pl_mobile_blocks = CLAMP (((guint64) estimate * 5 / 4 + PL_MOBILE_BLOCK - 1) /
                                    PL_MOBILE_BLOCK, 1, 10);

  if (office->locale == LOCALE_PL)
    permutation_init (&office->mobile, (guint64) office->pl_mobile_blocks * PL_MOBILE_BLOCK,
                      office->rand);
  else
    permutation_init (&office->mobile, 10000000, office->rand);
  permutation_init (&office->landline, 1000000, office->rand);
  permutation_init (&office->nip, 100000000, office->rand);
  permutation_init (&office->pesel, (guint64) PESEL_DAYS * 1000, office->rand);
  permutation_init (&office->inn_legal, 10000000, office->rand);
  permutation_init (&office->inn_person, 100000000, office->rand);
  return TRUE;
}

static void
office_clear (Office *office)
{
  for (guint c = 0; c < office->n_creditors; c++)
    if (office->creditors[c].field != NULL)
      g_string_free (office->creditors[c].field, TRUE);
  g_clear_pointer (&office->rand, g_rand_free);
  if (office->iconv != NULL)
    g_iconv_close (office->iconv);
  if (office->buffer != NULL)
    g_string_free (office->buffer, TRUE);
  g_free (office->converted);
}

/* ------------------------------------------------------------------------------------------
 * Debtors
 */

static void
debtor_init (Debtor *d)
{
  d->name = g_string_sized_new (80);
  d->tax = g_string_sized_new (24);
  d->address = g_string_sized_new (100);
  d->phone1 = g_string_sized_new (24);
  d->phone2 = g_string_sized_new (24);
  d->email = g_string_sized_new (48);
  d->prefix = g_string_sized_new (300);
  d->scratch = g_string_sized_new (80);
}

static void
debtor_clear (Debtor *d)
{
  g_string_free (d->name, TRUE);
  g_string_free (d->tax, TRUE);
  g_string_free (d->address, TRUE);
  g_string_free (d->phone1, TRUE);
  g_string_free (d->phone2, TRUE);
  g_string_free (d->email, TRUE);
  g_string_free (d->prefix, TRUE);
  g_string_free (d->scratch, TRUE);
}

/* The next mobile number, national digits: PL "4599xxxxx", RU "974xxxxxxx". */
static void
make_mobile (Office *office,
             char   *digits)
{
  guint64 u = permutation_apply (&office->mobile, office->n_mobiles++);

  if (office->locale == LOCALE_PL)
    {
      memcpy (digits, PL_MOBILE_PREFIX, 3);
      digits[3] = (char) ('9' - u / PL_MOBILE_BLOCK);
      put_digits (digits + 4, u % PL_MOBILE_BLOCK, 5);
      digits[9] = '\0';
    }
  else
    {
      memcpy (digits, RU_MOBILE_PREFIX, 3);
      put_digits (digits + 3, u, 7);
      digits[10] = '\0';
    }
}

/* The next fixed line, in @city: the area code, '0', six digits. */
static void
make_landline (Office     *office,
               const City *city,
               char       *digits)
{
  const char *area = city->area_code;
  gsize len = strlen (area);

  /* Moscow has two codes. */
  if (office->locale == LOCALE_RU && g_str_equal (area, "495") && chance (office->rand, 0.4))
    area = "499";
  memcpy (digits, area, len);
  digits[len] = '0';
  put_digits (digits + len + 1, permutation_apply (&office->landline, office->n_landlines++), 6);
  digits[len + 7] = '\0';
}

static void
append_phone (Office     *office,
              GString    *s,
              const char *digits,
              gboolean    mobile)
{
  const char *pattern;

  if (office->locale == LOCALE_PL)
    pattern = mobile ? PICK_WEIGHTED (office->rand, pl_mobile_patterns)
                     : PICK_WEIGHTED (office->rand, pl_landline_patterns);
  else
    pattern = mobile ? PICK_WEIGHTED (office->rand, ru_mobile_patterns)
                     : PICK_WEIGHTED (office->rand, ru_landline_patterns);
  append_pattern (s, pattern, digits);
}

static void
make_phones (Office     *office,
             Debtor     *d,
             const City *city)
{
  char digits[16];
  gboolean has_landline = city->area_code != NULL;
  gboolean first_mobile, second;

  if (d->type == DEBTOR_PERSON)
    {
      first_mobile = TRUE;
      second = chance (office->rand, 0.2);
    }
  else
    {
      first_mobile = !has_landline || chance (office->rand, 0.6);
      second = chance (office->rand, 0.5);
    }

  if (first_mobile)
    make_mobile (office, digits);
  else
    make_landline (office, city, digits);
  append_phone (office, d->phone1, digits, first_mobile);

  if (!second)
    return;
  if (first_mobile && has_landline && (d->type != DEBTOR_PERSON || chance (office->rand, 0.5)))
    {
      make_landline (office, city, digits);
      append_phone (office, d->phone2, digits, FALSE);
    }
  else
    {
      make_mobile (office, digits);
      append_phone (office, d->phone2, digits, TRUE);
    }
}

static void
make_tax_id (Office      *office,
             Debtor      *d,
             DdTaxIdKind  kind,
             guint64      index)
{
  char *t = d->tax_digits;

  d->tax_kind = kind;
  switch (kind)
    {
    case DD_TAX_ID_NIP:
      /* A tax office code never starts with 0; the other eight digits come from the index. */
      t[0] = (char) ('1' + pick (office->rand, 9));
      put_digits (t + 1, permutation_apply (&office->nip, index), 8);
      t[9] = '0';
      t[10] = '\0';
      while (!dd_tax_id_complete (t, kind))
        t[0] = t[0] == '9' ? '1' : (char) (t[0] + 1);
      d->tax_pattern = PICK_WEIGHTED (office->rand, pl_nip_patterns);
      break;

    case DD_TAX_ID_PESEL:
      {
        guint64 u = permutation_apply (&office->pesel, index);
        GDate birth;
        int year, month;

        g_date_clear (&birth, 1);
        g_date_set_dmy (&birth, 1, G_DATE_JANUARY, 1940);
        g_date_add_days (&birth, (guint) (u % PESEL_DAYS));
        year = g_date_get_year (&birth);
        month = g_date_get_month (&birth) + (year >= 2000 ? 20 : 0);
        put_digits (t, (guint64) year % 100, 2);
        put_digits (t + 2, (guint64) month, 2);
        put_digits (t + 4, g_date_get_day (&birth), 2);
        put_digits (t + 6, u / PESEL_DAYS, 3);
        t[9] = (char) ('0' + 2 * pick (office->rand, 5) + (d->female ? 0 : 1));
        t[10] = '0';
        t[11] = '\0';
        dd_tax_id_complete (t, kind);
        d->tax_pattern = "NNNNNNNNNNN";
      }
      break;

    case DD_TAX_ID_INN_LEGAL:
    case DD_TAX_ID_INN_PERSON:
      {
        gboolean legal = kind == DD_TAX_ID_INN_LEGAL;
        guint len = legal ? 10 : 12;

        /* A region code 01–89, then the tax office and serial number from the index, then
         * one or two check digits. */
        put_digits (t, 1 + pick (office->rand, 89), 2);
        if (legal)
          put_digits (t + 2, permutation_apply (&office->inn_legal, index), 7);
        else
          put_digits (t + 2, permutation_apply (&office->inn_person, index), 8);
        memset (t + len - (legal ? 1 : 2), '0', legal ? 1 : 2);
        t[len] = '\0';
        dd_tax_id_complete (t, kind);
        d->tax_pattern = PICK_WEIGHTED (office->rand, ru_inn_patterns);
      }
      break;

    case DD_TAX_ID_UNKNOWN:
    default:
      d->tax_kind = DD_TAX_ID_UNKNOWN;
      t[0] = '\0';
      return;
    }
  append_pattern (d->tax, d->tax_pattern, t);
}

static void
make_address (Office     *office,
              Debtor     *d,
              const City *city)
{
  GString *s = d->address;
  guint post = city->post_min + pick (office->rand, city->post_max - city->post_min + 1);
  const char *sep = chance (office->rand, 0.05) ? "; " : ", ";
  guint house = 1 + pick (office->rand, 120);

  if (office->locale == LOCALE_PL)
    {
      g_string_append (s, PICK (office->rand, pl_streets));
      g_string_append_c (s, ' ');
      append_uint (s, house, 0);
      if (chance (office->rand, 0.12))
        g_string_append_c (s, (char) ('A' + pick (office->rand, 3)));
      if (d->type == DEBTOR_PERSON ? chance (office->rand, 0.6) : chance (office->rand, 0.3))
        {
          guint flat = 1 + pick (office->rand, 90);

          if (d->type != DEBTOR_PERSON)
            g_string_append (s, " lok. ");
          else if (g_str_equal (city->name, "Warszawa") && chance (office->rand, 0.4))
            g_string_append (s, " m. ");
          else
            g_string_append_c (s, '/');
          append_uint (s, flat, 0);
        }
      g_string_append (s, sep);
      append_uint (s, post / 1000, 2);
      g_string_append_c (s, '-');
      append_uint (s, post % 1000, 3);
      g_string_append_c (s, ' ');
      g_string_append (s, city->name);
    }
  else
    {
      append_uint (s, post, 6);
      g_string_append (s, sep);
      if (city->region != NULL)
        {
          g_string_append (s, city->region);
          g_string_append (s, sep);
        }
      g_string_append (s, "г. ");
      g_string_append (s, city->name);
      g_string_append (s, sep);
      g_string_append (s, PICK (office->rand, ru_streets));
      g_string_append (s, ", д. ");
      append_uint (s, house, 0);
      if (chance (office->rand, 0.15))
        {
          g_string_append (s, ", корп. ");
          append_uint (s, 1 + pick (office->rand, 4), 0);
        }
      if (d->type == DEBTOR_PERSON ? chance (office->rand, 0.8) : chance (office->rand, 0.4))
        {
          g_string_append (s, d->type == DEBTOR_PERSON ? ", кв. "
                                                       : chance (office->rand, 0.5) ? ", офис "
                                                                                    : ", пом. ");
          append_uint (s, 1 + pick (office->rand, d->type == DEBTOR_PERSON ? 250 : 500), 0);
        }
    }
}

/* A person's name parts, in the nominative. */
typedef struct
{
  const char *first;
  const char *patronymic;   /* RU only */
  GString    *last;
} PersonName;

static void
make_person_name (Office     *office,
                  Debtor     *d,
                  PersonName *p)
{
  d->female = chance (office->rand, 0.5);
  g_string_truncate (p->last, 0);
  if (office->locale == LOCALE_PL)
    {
      const char *surname = PICK (office->rand, pl_surnames);

      p->first = d->female ? PICK (office->rand, pl_female_names)
                           : PICK (office->rand, pl_male_names);
      p->patronymic = NULL;
      if (d->female)
        feminine_surname (p->last, surname, LOCALE_PL);
      else
        g_string_append (p->last, surname);
    }
  else
    {
      const char *surname = PICK (office->rand, ru_surnames);
      const RuMaleName *father = &PICK (office->rand, ru_male_names);

      p->first = d->female ? PICK (office->rand, ru_female_names)
                           : PICK (office->rand, ru_male_names).name;
      p->patronymic = d->female ? father->daughter : father->son;
      if (d->female)
        feminine_surname (p->last, surname, LOCALE_RU);
      else
        g_string_append (p->last, surname);
    }
}

/* "Jan Kowalski" or "Kowalski Jan"; "Иванов Иван Иванович" or "Иванов И. И." */
static void
append_person_name (Office           *office,
                    GString          *s,
                    const PersonName *p,
                    gboolean          allow_initials)
{
  if (office->locale == LOCALE_PL)
    {
      if (office->surname_first)
        g_string_append_printf (s, "%s %s", p->last->str, p->first);
      else
        g_string_append_printf (s, "%s %s", p->first, p->last->str);
    }
  else if (allow_initials && chance (office->rand, 0.15))
    {
      g_string_append (s, p->last->str);
      g_string_append_c (s, ' ');
      append_initial (s, p->first);
      g_string_append_c (s, ' ');
      append_initial (s, p->patronymic);
    }
  else
    g_string_append_printf (s, "%s %s %s", p->last->str, p->first, p->patronymic);
}

static void
make_brand (Office  *office,
            GString *s)
{
  if (office->locale == LOCALE_PL)
    {
      const char *stem = PICK (office->rand, pl_brand_stems);
      const char *suffix = PICK (office->rand, pl_brand_suffixes);

      if (g_ascii_strcasecmp (stem, suffix) == 0)
        suffix = "ex";
      g_string_append (s, stem);
      g_string_append (s, suffix);
    }
  else
    {
      const char *stem = PICK (office->rand, ru_brand_stems);
      const char *suffix = PICK (office->rand, ru_brand_suffixes);

      if (g_str_equal (stem, suffix))
        suffix = "Сервис";
      g_string_append (s, stem);
      g_string_append (s, suffix);
    }
}

static void
make_email (Office           *office,
            Debtor           *d,
            const PersonName *p,
            const char       *brand)
{
  GString *s = d->email;
  const char *domain = chance (office->rand, 0.7) ? "@example.com" : "@example.org";

  if (brand != NULL)
    {
      static const char *const pl_boxes[] = { "biuro.", "ksiegowosc.", "kontakt.", "" };
      static const char *const ru_boxes[] = { "info.", "buh.", "office.", "" };

      g_string_append (s, office->locale == LOCALE_PL ? PICK (office->rand, pl_boxes)
                                                      : PICK (office->rand, ru_boxes));
      append_ascii (s, brand);
    }
  else
    {
      switch (pick (office->rand, 3))
        {
        case 0:
          append_ascii (s, p->first);
          g_string_append_c (s, '.');
          append_ascii (s, p->last->str);
          break;
        case 1:
          append_ascii (s, p->first);
          append_ascii (s, p->last->str);
          append_uint (s, 1 + pick (office->rand, 99), 0);
          break;
        default:
          {
            gsize start = s->len;

            append_ascii (s, p->first);
            g_string_truncate (s, start + 1);
            g_string_append_c (s, '.');
            append_ascii (s, p->last->str);
          }
          break;
        }
    }
  g_string_append (s, domain);
}

static void
make_company_name (Office  *office,
                   Debtor  *d,
                   GString *brand)
{
  GString *s = d->name;
  guint style = pick (office->rand, 100);

  if (office->locale == LOCALE_PL)
    {
      const char *form = PICK_WEIGHTED (office->rand, pl_legal_forms);

      if (style < 40)
        {
          make_brand (office, brand);
          g_string_append_printf (s, "%s %s", brand->str, form);
        }
      else if (style < 70)
        {
          make_brand (office, brand);
          g_string_append_printf (s, "%s \"%s\" %s", PICK (office->rand, pl_company_kinds),
                                  brand->str, form);
        }
      else if (style < 85)
        {
          g_string_append (brand, PICK (office->rand, pl_fancy_names));
          g_string_append_printf (s, "%s \"%s\" %s", PICK (office->rand, pl_company_kinds),
                                  brand->str, form);
        }
      else if (style < 95)
        {
          g_string_append (brand, PICK (office->rand, pl_fancy_names));
          g_string_append_printf (s, "%s „%s” %s", PICK (office->rand, pl_company_kinds),
                                  brand->str, form);
        }
      else
        {
          make_brand (office, brand);
          g_string_append_printf (s, "%s %s i Wspólnicy Sp. j.", brand->str,
                                  PICK (office->rand, pl_surnames));
        }
    }
  else
    {
      const char *form = PICK_WEIGHTED (office->rand, ru_legal_forms);
      gboolean ascii_quotes = chance (office->rand, 0.5);

      if (style < 60)
        make_brand (office, brand);
      else
        g_string_append (brand, PICK (office->rand, ru_fancy_names));

      if (style >= 95)
        /* A trading house: quotes inside quotes, as 1C writes them. */
        g_string_append_printf (s, ascii_quotes ? "%s \"ТД \"%s\"\"" : "%s «ТД «%s»»", form,
                                brand->str);
      else
        g_string_append_printf (s, ascii_quotes ? "%s \"%s\"" : "%s «%s»", form, brand->str);
    }
}

static void
make_sole_trader_name (Office           *office,
                       Debtor           *d,
                       const PersonName *p,
                       GString          *brand)
{
  GString *s = d->name;

  if (office->locale == LOCALE_PL)
    {
      const char *trade = PICK (office->rand, pl_trades);

      switch (pick (office->rand, 3))
        {
        case 0:
          g_string_append_printf (s, "%s %s %s", trade, p->first, p->last->str);
          break;
        case 1:
          g_string_append_printf (s, "%s %s %s", p->first, p->last->str, trade);
          break;
        default:
          make_brand (office, brand);
          g_string_append_printf (s, "%s \"%s\" %s %s", trade, brand->str, p->first,
                                  p->last->str);
          break;
        }
    }
  else
    {
      guint style = pick (office->rand, 10);

      g_string_append (s, style == 0 ? "Индивидуальный предприниматель " : "ИП ");
      append_person_name (office, s, p, style != 0);
    }
}

/* Builds everything about debtor @index and its quoted prefix. */
static void
make_debtor (Office  *office,
             Debtor  *d,
             guint64  index,
             GString *brand,
             GString *last_name)
{
  const City *city;
  PersonName person = { NULL, NULL, last_name };
  guint type = pick (office->rand, 100);
  DdTaxIdKind kind = DD_TAX_ID_UNKNOWN;

  g_string_truncate (d->name, 0);
  g_string_truncate (d->tax, 0);
  g_string_truncate (d->address, 0);
  g_string_truncate (d->phone1, 0);
  g_string_truncate (d->phone2, 0);
  g_string_truncate (d->email, 0);
  g_string_truncate (d->prefix, 0);
  g_string_truncate (brand, 0);

  d->type = type < 55 ? DEBTOR_PERSON : type < 75 ? DEBTOR_SOLE_TRADER : DEBTOR_COMPANY;
  make_person_name (office, d, &person);

  if (office->locale == LOCALE_PL)
    city = pick_city (office->rand, pl_cities, G_N_ELEMENTS (pl_cities));
  else
    city = pick_city (office->rand, ru_cities, G_N_ELEMENTS (ru_cities));

  switch (d->type)
    {
    case DEBTOR_PERSON:
      append_person_name (office, d->name, &person, FALSE);
      if (office->locale == LOCALE_PL && chance (office->rand, 0.25))
        kind = DD_TAX_ID_PESEL;
      else if (office->locale == LOCALE_RU && chance (office->rand, 0.2))
        kind = DD_TAX_ID_INN_PERSON;
      if (chance (office->rand, 0.55))
        make_email (office, d, &person, NULL);
      break;
    case DEBTOR_SOLE_TRADER:
      make_sole_trader_name (office, d, &person, brand);
      kind = office->locale == LOCALE_PL ? DD_TAX_ID_NIP : DD_TAX_ID_INN_PERSON;
      if (chance (office->rand, 0.7))
        make_email (office, d, &person, brand->len > 0 ? brand->str : NULL);
      break;
    case DEBTOR_COMPANY:
    default:
      make_company_name (office, d, brand);
      kind = office->locale == LOCALE_PL ? DD_TAX_ID_NIP : DD_TAX_ID_INN_LEGAL;
      if (chance (office->rand, 0.8))
        make_email (office, d, &person, brand->str);
      break;
    }

  make_tax_id (office, d, kind, index);
  make_address (office, d, city);
  make_phones (office, d, city);

  append_field (d->prefix, d->name->str, (gssize) d->name->len);
  g_string_append_c (d->prefix, ';');
  append_field (d->prefix, d->tax->str, (gssize) d->tax->len);
  g_string_append_c (d->prefix, ';');
  append_field (d->prefix, d->address->str, (gssize) d->address->len);
  g_string_append_c (d->prefix, ';');
  append_field (d->prefix, d->phone1->str, (gssize) d->phone1->len);
  g_string_append_c (d->prefix, ';');
  append_field (d->prefix, d->phone2->str, (gssize) d->phone2->len);
  g_string_append_c (d->prefix, ';');
  append_field (d->prefix, d->email->str, (gssize) d->email->len);
  g_string_append_c (d->prefix, ';');
}

/* ------------------------------------------------------------------------------------------
 * Rows
 */

static void
append_date (Office  *office,
             GString *s,
             guint    day,
             guint    month,
             guint    year)
{
  if (office->iso_dates)
    {
      append_uint (s, year, 4);
      g_string_append_c (s, '-');
      append_uint (s, month, 2);
      g_string_append_c (s, '-');
      append_uint (s, day, 2);
    }
  else
    {
      append_uint (s, day, 2);
      g_string_append_c (s, '.');
      append_uint (s, month, 2);
      g_string_append_c (s, '.');
      append_uint (s, year, 4);
    }
}

static void
append_julian (Office  *office,
               GString *s,
               guint32  julian)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  append_date (office, s, g_date_get_day (&date), g_date_get_month (&date),
               g_date_get_year (&date));
}

/* "1 234,56", with the office's thousands separator. */
static void
append_amount (Office  *office,
               GString *s,
               guint64  minor)
{
  guint64 units = minor / 100;
  char digits[24];
  guint n = 0;

  do
    {
      digits[n++] = (char) ('0' + units % 10);
      units /= 10;
    }
  while (units > 0);
  while (n > 0)
    {
      g_string_append_c (s, digits[--n]);
      if (n > 0 && n % 3 == 0)
        g_string_append (s, office->group_separator);
    }
  g_string_append_c (s, ',');
  append_uint (s, minor % 100, 2);
}

static void
append_invoice_number (Office   *office,
                       GString  *s,
                       Creditor *c,
                       guint     month,
                       guint     year)
{
  if (office->locale == LOCALE_PL)
    switch (c->scheme)
      {
      case 0:   /* FV/2026/10/00123 */
        g_string_append (s, "FV/");
        append_uint (s, year, 4);
        g_string_append_c (s, '/');
        append_uint (s, month, 2);
        g_string_append_c (s, '/');
        append_uint (s, c->counter, 5);
        break;
      case 1:   /* FV 123/10/2026 */
        g_string_append (s, "FV ");
        append_uint (s, c->counter, 0);
        g_string_append_c (s, '/');
        append_uint (s, month, 2);
        g_string_append_c (s, '/');
        append_uint (s, year, 4);
        break;
      case 2:   /* F/000123/26 */
        g_string_append (s, "F/");
        append_uint (s, c->counter, 6);
        g_string_append_c (s, '/');
        append_uint (s, year % 100, 2);
        break;
      default:  /* R/123/2026 */
        g_string_append (s, "R/");
        append_uint (s, c->counter, 0);
        g_string_append_c (s, '/');
        append_uint (s, year, 4);
        break;
      }
  else
    switch (c->scheme)
      {
      case 0:   /* СЧ-000123 */
        g_string_append (s, "СЧ-");
        append_uint (s, c->counter, 6);
        break;
      case 1:   /* БП-000123 */
        g_string_append (s, "БП-");
        append_uint (s, c->counter, 6);
        break;
      case 2:   /* 123/26 */
        append_uint (s, c->counter, 0);
        g_string_append_c (s, '/');
        append_uint (s, year % 100, 2);
        break;
      default:  /* 00ЦБ-000123 */
        g_string_append (s, "00ЦБ-");
        append_uint (s, c->counter, 6);
        break;
      }
}

/* The first phone without its last two digits, and the separators left dangling. */
static void
append_broken_phone (GString    *s,
                     const char *phone)
{
  gssize end = (gssize) strlen (phone);
  guint dropped = 0;

  while (end > 0 && dropped < 2)
    if (g_ascii_isdigit (phone[--end]))
      dropped++;
  while (end > 0 && (phone[end - 1] == ' ' || phone[end - 1] == '-'))
    end--;
  append_field (s, phone, end);
}

static DdDemoOfficeDefect
pick_defect (Office       *office,
             const Debtor *d)
{
  guint n = d->tax_kind != DD_TAX_ID_UNKNOWN ? DD_DEMO_OFFICE_N_DEFECTS
                                              : DD_DEMO_OFFICE_DEFECT_TAX_ID;

  return (DdDemoOfficeDefect) pick (office->rand, n);
}

static void
write_row (Office            *office,
           Debtor            *d,
           DdDemoOfficeStats *stats)
{
  GString *s = office->buffer;
  Creditor *c = &office->creditors[pick (office->rand, office->n_creditors)];
  guint32 due = office->today_julian - (5 + pick (office->rand, 176));
  guint32 issued = due - PICK (office->rand, payment_terms);
  const guint *range = amount_ranges[c->kind][office->locale];
  double u = g_rand_double (office->rand);
  guint64 amount = range[0] + (guint64) ((range[1] - range[0]) * u * u);
  gboolean defective = office->error_rate > 0 && chance (office->rand, office->error_rate);
  DdDemoOfficeDefect defect = defective ? pick_defect (office, d) : DD_DEMO_OFFICE_N_DEFECTS;
  GDate issue_date;

  if (c->kind == CREDITOR_TELECOM && chance (office->rand, 0.3))
    amount -= amount % 100;
  c->counter += 1 + (chance (office->rand, 0.25) ? pick (office->rand, 4) : 0);

  /* The debtor: the prepared prefix, unless a defect changes one of its fields. */
  if (defect == DD_DEMO_OFFICE_DEFECT_PHONE || defect == DD_DEMO_OFFICE_DEFECT_TAX_ID)
    {
      append_field (s, d->name->str, (gssize) d->name->len);
      g_string_append_c (s, ';');
      if (defect == DD_DEMO_OFFICE_DEFECT_TAX_ID)
        {
          char wrong[16];
          gsize len = strlen (d->tax_digits);

          /* A wrong last digit that makes no valid id of any scheme either: importers that
           * try the other country's scheme as well must still see the defect. */
          memcpy (wrong, d->tax_digits, len + 1);
          do
            wrong[len - 1] = (char) ('0' + (d->tax_digits[len - 1] - '0' + 1 +
                                            pick (office->rand, 9)) % 10);
          while (dd_tax_id_is_valid (wrong, DD_TAX_ID_NIP) ||
                 dd_tax_id_is_valid (wrong, DD_TAX_ID_INN_LEGAL) ||
                 dd_tax_id_is_valid (wrong, d->tax_kind));
          g_string_truncate (d->scratch, 0);
          append_pattern (d->scratch, d->tax_pattern, wrong);
          append_field (s, d->scratch->str, (gssize) d->scratch->len);
        }
      else
        append_field (s, d->tax->str, (gssize) d->tax->len);
      g_string_append_c (s, ';');
      append_field (s, d->address->str, (gssize) d->address->len);
      g_string_append_c (s, ';');
      if (defect == DD_DEMO_OFFICE_DEFECT_PHONE)
        append_broken_phone (s, d->phone1->str);
      else
        append_field (s, d->phone1->str, (gssize) d->phone1->len);
      g_string_append_c (s, ';');
      append_field (s, d->phone2->str, (gssize) d->phone2->len);
      g_string_append_c (s, ';');
      append_field (s, d->email->str, (gssize) d->email->len);
      g_string_append_c (s, ';');
    }
  else
    g_string_append_len (s, d->prefix->str, (gssize) d->prefix->len);

  g_string_append_len (s, c->field->str, (gssize) c->field->len);
  g_string_append_c (s, ';');

  g_date_clear (&issue_date, 1);
  g_date_set_julian (&issue_date, issued);
  if (defect != DD_DEMO_OFFICE_DEFECT_INVOICE)
    append_invoice_number (office, s, c, g_date_get_month (&issue_date),
                           g_date_get_year (&issue_date));
  g_string_append_c (s, ';');

  append_date (office, s, g_date_get_day (&issue_date), g_date_get_month (&issue_date),
               g_date_get_year (&issue_date));
  g_string_append_c (s, ';');

  if (defect == DD_DEMO_OFFICE_DEFECT_DUE_DATE)
    {
      static const guint impossible[][2] = { { 30, 2 }, { 31, 4 }, { 31, 6 }, { 15, 13 },
                                             { 32, 1 }, { 0, 5 } };
      guint k = pick (office->rand, G_N_ELEMENTS (impossible));
      GDate due_date;

      g_date_clear (&due_date, 1);
      g_date_set_julian (&due_date, due);
      append_date (office, s, impossible[k][0], impossible[k][1], g_date_get_year (&due_date));
    }
  else
    append_julian (office, s, due);
  g_string_append_c (s, ';');

  if (defect == DD_DEMO_OFFICE_DEFECT_AMOUNT)
    {
      static const char *const pl_bad[] = { "#ARG!", "#DZIEL/0!", "brak" };
      static const char *const ru_bad[] = { "#ЗНАЧ!", "#ДЕЛ/0!", "нет данных" };

      g_string_append (s, office->locale == LOCALE_PL ? PICK (office->rand, pl_bad)
                                                      : PICK (office->rand, ru_bad));
    }
  else
    append_amount (office, s, amount);
  g_string_append_c (s, ';');

  g_string_append (s, office->locale == LOCALE_PL ? "PLN" : "RUB");
  g_string_append (s, "\r\n");

  stats->n_rows++;
  if (defect < DD_DEMO_OFFICE_N_DEFECTS)
    stats->n_defects[defect]++;
}

static gboolean
is_utf8 (const char *encoding)
{
  return encoding == NULL || g_ascii_strcasecmp (encoding, "UTF-8") == 0 ||
         g_ascii_strcasecmp (encoding, "UTF8") == 0;
}

/* ------------------------------------------------------------------------------------------
 * Public API
 */

/**
 * dd_demo_office_write_csv_with_stats:
 * @out: where to write the export; not closed
 * @options: what to write
 * @out_stats: (out caller-allocates) (optional): what was written
 * @cancellable: (nullable): checked between blocks of rows
 * @error: return location for a #DD_DEMO_OFFICE_ERROR or a #G_IO_ERROR
 *
 * Writes a plausible accounting export of overdue invoices (see #DdDemoOfficeOptions): a
 * header in the locale's language and one row per invoice, 1–4 invoices per debtor on
 * consecutive rows. Debtors are people (a PESEL or an INN for some), sole traders and
 * companies (a NIP or an INN, always with valid check digits unless a defect says otherwise),
 * with one or two phones in ranges no subscriber should have (see the top of this file),
 * addresses, e-mails at example.com and example.org, owing money to two or three creditors.
 *
 * Returns: %TRUE on success
 */
gboolean
dd_demo_office_write_csv_with_stats (GOutputStream              *out,
                                     const DdDemoOfficeOptions  *options,
                                     DdDemoOfficeStats          *out_stats,
                                     GCancellable               *cancellable,
                                     GError                    **error)
{
  Office office = { 0 };
  DdDemoOfficeStats stats = { 0 };
  Debtor debtor;
  g_autoptr(GString) brand = NULL;
  g_autoptr(GString) last_name = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_stats != NULL)
    memset (out_stats, 0, sizeof *out_stats);

  if (g_strcmp0 (options->locale, "pl") == 0)
    office.locale = LOCALE_PL;
  else if (g_strcmp0 (options->locale, "ru") == 0)
    office.locale = LOCALE_RU;
  else
    {
      g_set_error (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_INVALID_OPTIONS,
                   _("The demo office speaks Polish (pl) or Russian (ru), not “%s”"),
                   options->locale ? options->locale : "");
      return FALSE;
    }
  if (!(options->error_rate >= 0.0 && options->error_rate <= 1.0))
    {
      g_set_error_literal (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_INVALID_OPTIONS,
                           _("The share of rows with defects must be between 0 and 1"));
      return FALSE;
    }
  if (options->n_debtors == 0 && options->max_rows == 0)
    {
      g_set_error_literal (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_INVALID_OPTIONS,
                           _("The demo office needs a number of debtors or of rows"));
      return FALSE;
    }

  if (!is_utf8 (options->encoding))
    {
      office.iconv = g_iconv_open (options->encoding, "UTF-8");
      if (office.iconv == (GIConv) -1)
        {
          office.iconv = NULL;
          g_set_error (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_ENCODING,
                       _("The encoding “%s” is not known on this computer"), options->encoding);
          return FALSE;
        }
      office.encoding = options->encoding;
      office.converted = g_malloc (CONVERTED_SIZE);
    }
  office.out = out;
  office.cancellable = cancellable;
  office.buffer = g_string_sized_new (FLUSH_SIZE + 4096);

  if (!setup_office (&office, options, error))
    {
      office_clear (&office);
      return FALSE;
    }

  debtor_init (&debtor);
  brand = g_string_sized_new (40);
  last_name = g_string_sized_new (40);

  g_string_append (office.buffer, office.locale == LOCALE_PL ? pl_header : ru_header);

  for (guint64 index = 0; options->n_debtors == 0 || index < options->n_debtors; index++)
    {
      static const guint invoices_per_debtor[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2,
                                                   3, 3, 3, 4, 4 };
      guint n_invoices;

      if (options->max_rows > 0 && stats.n_rows >= options->max_rows)
        break;

      make_debtor (&office, &debtor, index, brand, last_name);
      n_invoices = PICK (office.rand, invoices_per_debtor);
      stats.n_debtors++;
      for (guint i = 0; i < n_invoices; i++)
        {
          if (options->max_rows > 0 && stats.n_rows >= options->max_rows)
            break;
          write_row (&office, &debtor, &stats);
        }

      if (office.buffer->len >= FLUSH_SIZE && !flush_buffer (&office, error))
        goto out;
    }

  ok = finish_output (&office, error);

out:
  debtor_clear (&debtor);
  office_clear (&office);
  if (ok && out_stats != NULL)
    *out_stats = stats;
  return ok;
}

/**
 * dd_demo_office_write_csv:
 * @out: where to write the export; not closed
 * @options: what to write
 * @cancellable: (nullable): checked between blocks of rows
 * @error: return location for a #DD_DEMO_OFFICE_ERROR or a #G_IO_ERROR
 *
 * dd_demo_office_write_csv_with_stats() without the statistics.
 *
 * Returns: %TRUE on success
 */
gboolean
dd_demo_office_write_csv (GOutputStream              *out,
                          const DdDemoOfficeOptions  *options,
                          GCancellable               *cancellable,
                          GError                    **error)
{
  return dd_demo_office_write_csv_with_stats (out, options, NULL, cancellable, error);
}

static gboolean
all_digits (const char *p,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (p[i]))
      return FALSE;
  return p[n] == '\0';
}

/**
 * dd_demo_office_is_demo_phone:
 * @e164: (nullable): a number in E.164 ("+48459912345")
 *
 * Whether @e164 lies in one of the ranges the demo office writes (see the top of
 * dd-demo-office.c): gateways that reach real networks must refuse these numbers.
 *
 * Returns: %TRUE for a demo number
 */
gboolean
dd_demo_office_is_demo_phone (const char *e164)
{
  if (e164 == NULL)
    return FALSE;

  if (g_str_has_prefix (e164, "+48"))
    {
      const char *n = e164 + 3;

      if (g_str_has_prefix (n, PL_MOBILE_PREFIX) && all_digits (n + 3, 6))
        return TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (pl_cities); i++)
        if (strncmp (n, pl_cities[i].area_code, 2) == 0 && n[2] == '0' && all_digits (n + 3, 6))
          return TRUE;
    }
  else if (g_str_has_prefix (e164, "+7"))
    {
      const char *n = e164 + 2;

      if (g_str_has_prefix (n, RU_MOBILE_PREFIX) && all_digits (n + 3, 7))
        return TRUE;
      if (strncmp (n, "499", 3) == 0 && n[3] == '0' && all_digits (n + 4, 6))
        return TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (ru_cities); i++)
        if (ru_cities[i].area_code != NULL && strncmp (n, ru_cities[i].area_code, 3) == 0 &&
            n[3] == '0' && all_digits (n + 4, 6))
          return TRUE;
    }
  return FALSE;
}
