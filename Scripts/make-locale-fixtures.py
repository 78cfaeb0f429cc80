#!/usr/bin/env python3
"""Writes the translation fixtures under Tests/GaleTests/Fixtures/locale/ (standard library only).

The .mo files are written byte by byte with `struct`, the way CPython's Tools/i18n/msgfmt.py
does, in both byte orders; the CSV files are written as raw bytes so that BOMs, CRLF line ends,
UTF-16 and deliberately broken rows come out exactly as intended. Run it from the package root
after changing anything here, then regenerate the expected outputs with
Scripts/tornado-locale-expected.py:

    python3 Scripts/make-locale-fixtures.py
"""
import os
import shutil
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "GaleTests", "Fixtures", "locale")

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MESES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
         "octubre", "noviembre", "diciembre"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DIAS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]

# (English, Spanish, plural indicator or None): the Spanish strings both es_LA files carry.
SPANISH = [
    ("Home", "Inicio", None),
    ("Sign out", "Cerrar sesión", None),
    ("%(name)s liked this", "A %(name)s les gustó esto", "plural"),
    ("%(name)s liked this", "A %(name)s le gustó esto", "singular"),
    ("1 second ago", "hace 1 segundo", "singular"),
    ("%(seconds)d seconds ago", "hace %(seconds)d segundos", "plural"),
    ("1 minute ago", "hace 1 minuto", "singular"),
    ("%(minutes)d minutes ago", "hace %(minutes)d minutos", "plural"),
    ("1 hour ago", "hace 1 hora", "singular"),
    ("%(hours)d hours ago", "hace %(hours)d horas", "plural"),
    ("yesterday", "ayer", None),
    ("yesterday at %(time)s", "ayer a las %(time)s", None),
    ("%(weekday)s at %(time)s", "%(weekday)s a las %(time)s", None),
    ("%(month_name)s %(day)s", "%(day)s de %(month_name)s", None),
    ("%(month_name)s %(day)s at %(time)s", "%(day)s de %(month_name)s a las %(time)s", None),
    ("%(month_name)s %(day)s, %(year)s", "%(day)s de %(month_name)s de %(year)s", None),
    ("%(month_name)s %(day)s, %(year)s at %(time)s", "%(day)s de %(month_name)s de %(year)s a las %(time)s",
     None),
    ("%(weekday)s, %(month_name)s %(day)s", "%(weekday)s, %(day)s de %(month_name)s", None),
    ("%(commas)s and %(last)s", "%(commas)s y %(last)s", None),
] + [(m, s, None) for m, s in zip(MONTHS, MESES)] + [(d, s, None) for d, s in zip(WEEKDAYS, DIAS)]


def csv_field(text):
    return '"' + text.replace('"', '""') + '"'


def write(path, data):
    full = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as out:
        out.write(data)


def mo_file(messages, big_endian=False):
    """The .mo bytes for {msgid bytes: msgstr bytes}, laid out as msgfmt.py lays it out."""
    order = ">" if big_endian else "<"
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(messages[key])))
        ids += key + b"\0"
        strs += messages[key] + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    table = []
    for id_offset, id_length, _, _ in offsets:
        table += [id_length, id_offset + key_start]
    for _, _, str_offset, str_length in offsets:
        table += [str_length, str_offset + value_start]
    header = struct.pack(order + "Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    return header + struct.pack(order + "%di" % len(table), *table) + ids + strs


def header(plural_forms="nplurals=2; plural=(n != 1);", charset="UTF-8"):
    lines = ["Project-Id-Version: gale-fixtures 1.0", "Language-Team: Gale <gale@example.invalid>",
             "MIME-Version: 1.0", "Content-Type: text/plain; charset=" + charset]
    if plural_forms is not None:
        lines.append("Plural-Forms: " + plural_forms)
    return ("\n".join(lines) + "\n").encode("ascii")


def entries(pairs, charset="utf-8"):
    return {key.encode(charset): value.encode(charset) for key, value in pairs}


def write_csv_fixtures():
    spanish = "".join(
        ",".join([csv_field(e), csv_field(s)] + ([csv_field(p)] if p else [])) + "\n" for e, s, p in SPANISH)
    write("csv/es_LA.csv", spanish.encode("utf-8"))
    write("csv/es.csv", b'"Settings","Configuraci\xc3\xb3n"\n"Home","Casa"\n')
    # UTF-8 with a BOM (what Excel writes), CRLF line ends, a lone CR and a CRLF inside quotes.
    write("csv/fr_FR.csv", "\ufeff" '"Home","Accueil"\r\n"Sign out","Se déconnecter"\r\n'
          '"Line\r\nbreak","Saut\r\nde ligne"\r\n"Settings","Paramètres"\r"Help","Aide"\r\n'.encode("utf-8"))
    # Every quoting rule of Python's csv module (excel dialect, strict=False) and every row
    # Tornado skips; the last field is a quote never closed before the end of the file.
    tricky = (
        '"Home","Início"\n'
        '"He said ""hi""","Ele disse ""oi"""\n'
        '"Two\nlines","Duas\nlinhas"\n'
        '  "  padded  "  ,  "  acolchoado  "  \n'
        '"Padded inside","  dentro  "\n'
        '"x"y,z\n'
        'ab"c,d"e\n'
        'OnlyOne\n'
        '\n'
        '"Bad","Mal","dual"\n'
        '"Extra","Extra!","unknown","ignored column"\n'
        '"Blank plural","Plural vazio",""\n'
        '"Spaced plural","Plural espaçado"," plural "\n'
        '"Home","Página inicial"\n'
        ',\n'
        '"Open quote,"Aberto\n'
        '"apple","maçã","singular"\n'
        '"apples","maçãs","plural"\n'
        '"Final","Unterminated\n'
    )
    write("csv/pt_BR.csv", tricky.encode("utf-8"))
    write("csv/sv_SE.csv", b"")
    write("csv/Bad_name.csv", b'"Home","Wrong"\n')
    write("csv/es-MX.csv", b'"Home","Wrong"\n')
    write("csv/notes.txt", b"Not a translation file: only *.csv files are read.\n")
    # UTF-16 in both byte orders, each with its BOM (Tornado detects UTF-16 from the BOM).
    write("csv-utf16/de_DE.csv", b"\xff\xfe" + '"Home","Startseite"\n"Sign out","Abmelden"\n'.encode("utf-16-le"))
    write("csv-utf16/de_AT.csv", b"\xfe\xff" + '"Home","Startseite"\n"Jänner","Jänner"\n'.encode("utf-16-be"))
    # Files real Tornado cannot load at all (it raises out of load_translations): Gale skips
    # the bad row or file, records why, and keeps everything else.
    write("csv-broken/it_IT.csv", b'"Home","Pagina iniziale"\n"Broken","Rotto \xff\xfe"\n"Sign out","Esci"\n')
    write("csv-broken/en.backup.csv", b'"Home","Home"\n')
    write("csv-broken/nl_NL.csv/README.txt", b"A directory whose name ends in .csv.\n")
    write("csv-broken/ru_RU.csv", b"\xff\xfe\x00\xd8")  # UTF-16 with an unpaired surrogate


def write_gettext_fixtures():
    spanish = [("", header().decode())]
    spanish += [(e, s) for e, s, p in SPANISH if p is None]
    spanish += [
        ("1 second ago\0%(seconds)d seconds ago", "hace 1 segundo\0hace %(seconds)d segundos"),
        ("1 minute ago\0%(minutes)d minutes ago", "hace 1 minuto\0hace %(minutes)d minutos"),
        ("1 hour ago\0%(hours)d hours ago", "hace 1 hora\0hace %(hours)d horas"),
        ("%(name)s liked this\0%(names)s liked this", "A %(name)s le gustó esto\0A %(names)s les gustó esto"),
        ("apple\0apples", "manzana\0manzanas"),
        ("law\x04right", "derecho"),
        ("good\x04right", "correcto"),
        ("organization\x04club\0clubs", "club\0clubes"),
        ("stick\x04club\0clubs", "palo\0palos"),
        ("Empty", ""),
    ]
    write("gettext/es_LA/LC_MESSAGES/gale.mo", mo_file(entries(spanish)))
    # es is the language-only fallback gettext chains behind es_LA.
    generic = [("", header().decode()), ("Home", "Casa"), ("Settings", "Configuración"),
               ("file\0files", "archivo\0archivos"), ("law\x04right", "derecho (es)")]
    write("gettext/es/LC_MESSAGES/gale.mo", mo_file(entries(generic)))
    russian = [("", header("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                           "(n%100<10 || n%100>=20) ? 1 : 2);").decode()),
               ("Home", "Главная"), ("file\0files", "файл\0файла\0файлов"),
               ("1 minute ago\0%(minutes)d minutes ago",
                "%(minutes)d минуту назад\0%(minutes)d минуты назад\0%(minutes)d минут назад")]
    write("gettext/ru_RU/LC_MESSAGES/gale.mo", mo_file(entries(russian)))
    # Big-endian, no Plural-Forms (so n != 1).
    portuguese = [("", header(plural_forms=None).decode()), ("Home", "Início"), ("apple\0apples", "maçã\0maçãs")]
    write("gettext/pt_BR/LC_MESSAGES/gale.mo", mo_file(entries(portuguese), big_endian=True))
    # ISO-8859-1 strings.
    canadian = [("", header(charset="ISO-8859-1").decode()), ("Home", "Accueil"), ("Sign out", "Se déconnecter")]
    write("gettext/fr_CA/LC_MESSAGES/gale.mo", mo_file(entries(canadian, "latin-1")))
    # Files gettext refuses: Tornado logs each and leaves the language out.
    bad_plural = [("", header("nplurals=2; plural=n ! 1;").decode()), ("Home", "Hejmo")]
    write("gettext/eo/LC_MESSAGES/gale.mo", mo_file(entries(bad_plural)))
    write("gettext/zz/LC_MESSAGES/gale.mo", b"this is not a .mo file at all\n")
    write("gettext/xx_TR/LC_MESSAGES/gale.mo", mo_file(entries(spanish))[:40])
    # Another domain in the same tree is not loaded.
    write("gettext/fr_FR/LC_MESSAGES/other.mo", mo_file(entries([("Home", "Accueil")])))


def main():
    for folder in ["csv", "csv-utf16", "csv-broken", "gettext"]:
        shutil.rmtree(os.path.join(ROOT, folder), ignore_errors=True)
    write_csv_fixtures()
    write_gettext_fixtures()


if __name__ == "__main__":
    main()
