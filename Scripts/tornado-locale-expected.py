#!/usr/bin/env python3
"""Runs real Tornado 6 over Gale's locale fixtures and writes what it returns to
Tests/GaleTests/Fixtures/locale/tornado-expected.json, which Tests/GaleTests/Locale/
TornadoLocaleParityTests.swift compares Gale against (so `make test` needs no Python packages).

Run it from the package root after Scripts/make-locale-fixtures.py, then commit the JSON:

    python3 -m venv /tmp/tornado-venv && /tmp/tornado-venv/bin/pip install 'tornado>=6,<7'
    /tmp/tornado-venv/bin/python Scripts/tornado-locale-expected.py

Tornado's `format_date` reads the clock itself; the script replaces the `datetime` that
`tornado.locale` sees with one whose `now()` is frozen, so every case has a fixed "now".
Tornado keeps translations in module globals and caches `Locale` objects across loads; the
script resets both between the CSV and gettext runs.
"""
import datetime
import gettext
import json
import os
import sys
import types

import tornado
import tornado.locale
import tornado.web
from tornado._locale_data import LOCALE_NAMES

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "GaleTests", "Fixtures",
                        "locale")
UTC = datetime.timezone.utc


class FrozenClock:
    now = None


class FrozenDateTime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return FrozenClock.now


tornado.locale.datetime = types.SimpleNamespace(datetime=FrozenDateTime, timedelta=datetime.timedelta, UTC=UTC)
tornado.locale.gen_log.disabled = True


def load(kind, default="en_US"):
    tornado.locale.Locale._cache = {}
    tornado.locale._use_gettext = False
    tornado.locale.set_default_locale(default)
    if kind == "csv":
        tornado.locale.load_translations(os.path.join(FIXTURES, "csv"))
    elif kind == "csv-utf16":
        tornado.locale.load_translations(os.path.join(FIXTURES, "csv-utf16"))
    elif kind == "gettext":
        tornado.locale.load_gettext_translations(os.path.join(FIXTURES, "gettext"), "gale")
    tornado.locale.set_default_locale(default)


def timestamp(*fields):
    return datetime.datetime(*fields, tzinfo=UTC).timestamp()


def csv_catalogs():
    return {code: {kind: dict(sorted(table.items())) for kind, table in sorted(tables.items())}
            for code, tables in sorted(tornado.locale._translations.items())}


def gettext_catalogs():
    """Each language's chain of catalogs, the entries as [msgid, form index or -1, translation]."""
    result = {}
    for code, translations in sorted(tornado.locale._translations.items()):
        chain = []
        while translations is not None:
            entries = []
            for key, value in translations._catalog.items():
                if isinstance(key, tuple):
                    entries.append([key[0], key[1], value])
                else:
                    entries.append([key, -1, value])
            chain.append({"entries": sorted(entries), "plural": [plural_value(translations.plural, n) for n in COUNTS]})
            translations = translations._fallback
        result[code] = chain
    return result


COUNTS = list(range(-12, 131)) + [1000, 1001, 1011, 1021, 1000000, 2 ** 40]


def plural_value(function, n):
    try:
        return int(function(n))
    except ZeroDivisionError:
        return None


TRANSLATE_CASES = [
    ("Home", None, None), ("Sign out", None, None), ("Settings", None, None), ("Missing", None, None),
    ("Empty", None, None), ("", None, None), ("apple", None, None),
    ("%(name)s liked this", "%(name)s liked this", 1), ("%(name)s liked this", "%(name)s liked this", 2),
    ("%(name)s liked this", "%(names)s liked this", 0), ("%(name)s liked this", "%(names)s liked this", 1),
    ("1 second ago", "%(seconds)d seconds ago", 1), ("1 second ago", "%(seconds)d seconds ago", 7),
    ("apple", "apples", 1), ("apple", "apples", 2), ("apple", "apples", 0), ("apple", "apples", -1),
    ("file", "files", 1), ("file", "files", 2), ("file", "files", 5), ("file", "files", 21), ("file", "files", 22),
    ("file", "files", 111), ("1 minute ago", "%(minutes)d minutes ago", 3),
    ("1 minute ago", "%(minutes)d minutes ago", 11), ("Missing", "Missings", 1), ("Missing", "Missings", 3),
]
PGETTEXT_CASES = [
    ("law", "right", None, None), ("good", "right", None, None), ("other", "right", None, None),
    ("law", "Home", None, None), ("organization", "club", "clubs", 1), ("organization", "club", "clubs", 3),
    ("stick", "club", "clubs", 3), ("none", "apple", "apples", 3), ("none", "apple", "apples", 1),
    ("none", "club", "clubs", 2),
]
LOCALES = {
    "csv": ["es_LA", "es", "fr_FR", "pt_BR", "sv_SE", "en_US"],
    "csv-utf16": ["de_DE", "de_AT"],
    "gettext": ["es_LA", "es", "ru_RU", "pt_BR", "fr_CA", "en_US"],
}


def translate_cases(kind):
    cases = []
    for code in LOCALES[kind]:
        locale = tornado.locale.Locale.get(code)
        for message, plural, count in TRANSLATE_CASES:
            cases.append({"loader": kind, "locale": code, "message": message, "plural": plural, "count": count,
                          "result": locale.translate(message, plural, count)})
        for context, message, plural, count in PGETTEXT_CASES:
            cases.append({"loader": kind, "locale": code, "context": context, "message": message, "plural": plural,
                          "count": count, "result": locale.pgettext(context, message, plural, count)})
    return cases


NOWS = [timestamp(2024, 3, 15, 14, 30, 45, 250000), timestamp(2024, 1, 1, 0, 20, 10, 500000),
        timestamp(2023, 3, 1, 5, 0, 0)]
AGO = [-3600, -60, -59.9999, -30, -0.5, 0, 0.4, 1, 1.2, 49, 49.9999, 50, 89, 90, 150, 2999, 3000, 3599, 5399, 5400,
       9000, 86399, 86400, 86400 + 1800, 86400 + 60000, 2 * 86400, 4 * 86400 + 3600, 5 * 86400, 100 * 86400,
       333 * 86400, 334 * 86400, 400 * 86400, 3650 * 86400]
FLAGS = [(True, False, False), (True, True, False), (False, False, False), (False, True, False),
         (True, False, True), (False, True, True)]


def format_date_cases():
    cases = []

    def add(locale, now, date, offset, flags):
        FrozenClock.now = datetime.datetime.fromtimestamp(now, UTC)
        relative, shorter, full = flags
        result = locale.format_date(date, gmt_offset=offset, relative=relative, shorter=shorter, full_format=full)
        cases.append([locale.code, now, date, offset, relative, shorter, full, result])

    english = tornado.locale.CSVLocale("en_US", {})
    for now in NOWS:
        for ago in AGO:
            for offset in [0, 300, -600]:
                for flags in FLAGS:
                    add(english, now, now - ago, offset, flags)
    others = [tornado.locale.Locale.get("es_LA"), tornado.locale.CSVLocale("zh_CN", {}),
              tornado.locale.CSVLocale("de_DE", {})]
    for locale in others:
        for ago in AGO:
            for offset in [0, 300]:
                for flags in FLAGS:
                    add(locale, NOWS[0], NOWS[0] - ago, offset, flags)
    # Far from 1970 both ways, and the hours around noon and midnight.
    for date in [timestamp(1969, 7, 20, 20, 17, 40), timestamp(1900, 2, 28, 23, 59), timestamp(2000, 2, 29, 12, 0),
                 timestamp(2100, 12, 31, 0, 0), -1.5, 0.0, timestamp(2024, 3, 15, 0, 5), timestamp(2024, 3, 15, 12, 5),
                 timestamp(2024, 3, 14, 23, 59, 59, 999999)]:
        for locale in [english, tornado.locale.CSVLocale("en", {})] + others:
            for offset in [0, 60, -330, 720]:
                add(locale, NOWS[0], date, offset, (False, False, True))
    return cases


def format_day_cases():
    cases = []
    for code, locale in [("en_US", tornado.locale.CSVLocale("en_US", {})), ("es_LA", tornado.locale.Locale.get("es_LA"))]:
        for date in [NOWS[0], NOWS[1], NOWS[2], timestamp(1999, 12, 31, 23, 30), -86400 * 365.25]:
            for offset in [0, 300, -330]:
                for dow in [True, False]:
                    value = locale.format_day(datetime.datetime.fromtimestamp(date, UTC), gmt_offset=offset, dow=dow)
                    cases.append([code, date, offset, dow, value])
    return cases


def list_and_number_cases():
    lists, numbers = [], []
    locales = [tornado.locale.CSVLocale(code, {}) for code in ["en_US", "en", "fa_IR", "de_DE"]]
    locales.append(tornado.locale.Locale.get("es_LA"))
    for locale in locales:
        for parts in [[], ["A"], ["A", "B"], ["A", "B", "C"], ["uno", "dos", "tres", "cuatro"]]:
            lists.append([locale.code, parts, locale.list(parts)])
        for value in [0, 7, 999, 1000, 12345, 1234567, 1000000000, 9223372036854775807, -1234, -123456]:
            numbers.append([locale.code, value, locale.friendly_number(value)])
    return lists, numbers


GET_CLOSEST = [["es_LA"], ["es-la"], ["ES-la"], ["es_MX"], ["ES"], ["es"], ["zz", "fr-FR"], ["fr"], ["en_US"],
               ["en-gb"], ["a_b_c", "pt_BR"], [""], ["pt_br_x"], ["sv"], ["sv-se"], ["es_"], ["-"], ["_es"],
               ["Es_La"], [], ["xx", "yy"], ["ru-RU"], ["ru"], ["fr-ca", "es"], ["eo"], ["zz"], ["xx_TR"],
               ["de_DE"], ["de-at"], ["fr_FR", "es_LA"]]
HEADERS = [None, "", "es-LA,es;q=0.9,en;q=0.8", "fr-FR;q=0.5, es-LA;q=0.8", "de;q=1.0, pt-BR;q=0.9",
           "en;q=abc, es-LA", "es-LA;q=-1, fr-FR;q=0.1", "es-LA;q=0, fr-FR", "pt-BR;q=nan, fr-FR;q=0.2",
           "pt-BR;q=inf, fr-FR", "fr-FR;q=0.5, es-LA;q=0.5, pt-BR;q=0.5", "*", "es-LA ;q=0.9, fr-FR;q=0.1",
           " es-LA , fr-FR", "es-LA;level=1;q=0.1, fr-FR;q=0.5", "fr-FR; q=0.5, es-LA;q=0.4", "fr-FR;Q=0.5, es-LA",
           "fr-FR;q= 0.5 , es-LA;q=0.4", "fr-FR;q=1_0, es-LA", "fr-FR;q=\u0660.\u0665, es-LA;q=0.4",
           "fr-FR;q=0x1p-1, es-LA;q=0.4", ",,,", "es-LA;q=0.5;q=0.9, fr-FR;q=0.6", "en-US,en;q=0.9",
           "zz, yy;q=0.5", "fr-FR;q=.5, es-LA;q=5., pt-BR;q=1e-1", "fr-FR;q=1e, es-LA;q=-0",
           "ru-RU, es-LA;q=0.9", "fr-CA,fr;q=0.8,es;q=0.5"]


def closest_cases(kind, default):
    load(kind, default)
    cases = []
    for codes in GET_CLOSEST:
        cases.append({"loader": kind, "default": default, "codes": codes,
                      "result": tornado.locale.get(*codes).code})
    original = tornado.locale.get
    for header in HEADERS:
        for fallback in ["en_US", "fr_FR"]:
            captured = []

            def capture(*codes):
                captured.append(list(codes))
                return original(*codes)

            handler = types.SimpleNamespace(request=types.SimpleNamespace(
                headers={} if header is None else {"Accept-Language": header}))
            tornado.locale.get = capture
            try:
                result = tornado.web.RequestHandler.get_browser_locale(handler, fallback).code
            finally:
                tornado.locale.get = original
            cases.append({"loader": kind, "default": default, "header": header, "fallback": fallback,
                          "codes": captured[0], "result": result})
    return cases


PLURAL_EXPRESSIONS = [
    "n != 1", "(n != 1)", "0", "n > 1", "n==1 ? 0 : n==2 ? 1 : 2",
    "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)",
    "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)",
    "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)",
    "(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3)", "n/0", "n % 0", "n && 3", "n || 5", "!n",
    "!!n", "!n == 1", "!(n == 1)", "1 < 2 < 3", "n == 1 == 1", "n < 5 == 1", "n == n < 2", "n - 3", "n * 2 + 1",
    "n / 3", "n % 3", "n - 7 / 2", "(n - 7) / 2", "(n - 7) % 3", "n ? 1 : 0 ? 2 : 3", "n ? n ? 1 : 2 : 3",
    "n > 2 ? n > 5 ? 2 : 1 : 0", "(n ? 1 : 2) + 1", "n + (n ? 1 : 2)", "n + !n", "n == !1", "!n + 1", "-1", "(n",
    "n)", "", "n n", "m", "1n", "n ==", "2 ? 3", "n == 1 ? 0 : 1 : 2", "n = 1", "n & 1", "n | 1", "n\t!=\t1",
    "n != 1\n", "01 + n", "n ≠ 1", "(" * 20 + "n" + ")" * 20, "(" * 21 + "n" + ")" * 21,
    "n " + "+ 1 " * 300, "n" + " + 1" * 200, "n?1:" * 100 + "0", "n<1 ? n<2 ? n<3 ? n<4 ? 1 : 2 : 3 : 4 : 5",
]


def plural_cases():
    cases = []
    for expression in PLURAL_EXPRESSIONS:
        try:
            function = gettext.c2py(expression)
        except (ValueError, SyntaxError, RecursionError) as error:
            cases.append({"expression": expression, "error": str(error)})
            continue
        cases.append({"expression": expression, "values": [plural_value(function, n) for n in COUNTS]})
    return cases


def mo_prefixes(path):
    """The prefix lengths of a .mo file that gettext accepts (the rest it refuses)."""
    with open(os.path.join(FIXTURES, path), "rb") as source:
        data = source.read()
    accepted = []
    for length in range(len(data) + 1):
        try:
            gettext.GNUTranslations(types.SimpleNamespace(read=lambda: data[:length], name=path))
            accepted.append(length)
        except Exception:
            pass
    return {"file": path, "size": len(data), "accepted": accepted}


def main():
    expected = {"tornado": tornado.version, "python": sys.version.split()[0], "counts": COUNTS}
    expected["localeNames"] = {code: [value["name"], value["name_en"]] for code, value in LOCALE_NAMES.items()}
    expected["localeInfo"] = []
    for code in ["en_US", "es_LA", "es", "fa_IR", "fa", "ar_AR", "he_IL", "hebrew", "zz", "uk_UA", "farsi"]:
        locale = tornado.locale.CSVLocale(code, {})
        expected["localeInfo"].append([code, locale.name, locale.rtl])

    load("csv")
    expected["csv"] = {"supported": sorted(tornado.locale.get_supported_locales()), "catalogs": csv_catalogs()}
    expected["translate"] = translate_cases("csv")
    expected["formatDate"] = format_date_cases()
    expected["formatDay"] = format_day_cases()
    expected["list"], expected["friendlyNumber"] = list_and_number_cases()
    expected["closest"] = closest_cases("csv", "en_US") + closest_cases("csv", "fr_FR")

    load("csv-utf16")
    expected["csvUTF16"] = {"supported": sorted(tornado.locale.get_supported_locales()), "catalogs": csv_catalogs()}
    expected["translate"] += translate_cases("csv-utf16")

    load("gettext")
    expected["gettext"] = {"supported": sorted(tornado.locale.get_supported_locales()),
                           "catalogs": gettext_catalogs()}
    expected["translate"] += translate_cases("gettext")
    expected["closest"] += closest_cases("gettext", "en_US")

    expected["plural"] = plural_cases()
    expected["moPrefixes"] = [mo_prefixes("gettext/es_LA/LC_MESSAGES/gale.mo"),
                              mo_prefixes("gettext/pt_BR/LC_MESSAGES/gale.mo")]

    with open(os.path.join(FIXTURES, "tornado-expected.json"), "w", encoding="utf-8") as out:
        json.dump(expected, out, ensure_ascii=False, indent=None, separators=(",", ":"))
        out.write("\n")


if __name__ == "__main__":
    main()
