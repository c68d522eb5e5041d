"""DATE expressions in Arabic news and the day, month or year each one means.

:func:`find_dates` proposes every DATE span of a text with its ``value`` (ISO 8601 of any
precision, as :func:`workbench.core.store.labels.parse_iso_date` reads it), ``precision``
and ``calendar``; :func:`date_at` reads the one expression under an annotator's selection;
:func:`dateline` reads a publication date from a dateline at the top of an article.

How it works (no dateparser: measured, it reads none of the Levantine or Maghreb month
names and no "أمس الأربعاء", and a call per candidate costs more than this whole pass):

1. The text is *folded* once (harakat, tatweel and directional marks dropped; أ إ آ ٱ → ا,
   ى → ي, ة → ه; Arabic-Indic and Persian digits → ASCII), keeping the way back to the
   stored offsets, so one spelling in the patterns matches all of "أبريل/ابريل/إبريل",
   "غداً/غدا" or "٢٠١٩/2019".
2. One precompiled regular expression finds whole expressions: a leading proclitic
   (و ف ب ل ك) and a preposition stay outside the span; modifiers (مطلع، منتصف، أواخر …),
   time-of-day words (صباح، مساء، ليلة …), "يوم"، a weekday before a date, "شهر", both
   names of a month written twice ("فبراير/شباط", "نيسان (أبريل)") and a range's two ends
   ("عامي 2020 و2024", "من 26 وحتى 30 اغسطس") are inside it.
3. Each match is read token by token into a value against the *anchor* (the publication
   date). Without an anchor a relative expression keeps no value (or the part the text
   gives, such as ``--04-05``); today's date is never used.

Conventions (the evaluation set in ``tests/data/values/dates.jsonl`` follows them):

- A range's marker (من، بين، منذ) is inside the span only when the first end is a bare
  number ("بين 2011 و2014", "من 26 وحتى 30 اغسطس"), not before "عامي" or a month name.
- "الخميس الماضي" is the last Thursday *before* the anchor (a week back when the anchor is
  a Thursday); a bare weekday or "يوم الخميس" is the most recent one on or before it;
  "الخميس المقبل" the next one after it.
- A day and month without a year take the anchor's year, or the year before when that
  would put the date more than a month after the anchor; "ثورة 17 فبراير" is 2011.
- A century follows ISO 8601: "القرن العشرين" is ``19`` (1900-1999); a decade
  ("ستينيات القرن الماضي") is a year interval ``1960/1969``; a half year is a month
  interval; a Hijri month or year is the interval of its Gregorian days.
- Not dates: durations (لمدة شهر، منذ سنوات، ثلاثة أيام، عامين), ages (56 عاما), clock times,
  vague spans (قبل أيام، الأيام الماضية), a bare four-digit number unless عام/سنة, a month, a
  preposition of time (في، منذ، حتى، خلال …) or the "م" of the Gregorian era marks it as a
  year, and dates inside the names of units, squares and streets ("كتيبة 17 فبراير").
"""

from __future__ import annotations

import bisect
import calendar
import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from hijridate import Gregorian, Hijri

from workbench.core.text.boundaries import grapheme_ceil, grapheme_floor, is_grapheme_boundary, snap
from workbench.core.values import RULES_DATE, Found

__all__ = ["date_at", "dateline", "find_dates"]

LABEL = "DATE"

# --- folding: one spelling per word, offsets kept ---------------------------------------------

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_DROP = re.compile(f"[{_MARKS}\u0640\u061c\u200c-\u200f]")  # harakat, tatweel, joiners, direction marks
_MARKS_RUN = re.compile(f"[{_MARKS}\u0640]+")  # what stays with the last letter of a span
_LETTERS = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ی", "ي"), ("ک", "ك"), ("ة", "ه"))
_DIGITS = tuple((d, str(i)) for digits in ("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹") for i, d in enumerate(digits))
_INDIC_DIGIT = re.compile("[٠-٩۰-۹]")
_FOLD = str.maketrans(dict(_LETTERS + _DIGITS))


def _fold_letters(text: str) -> str:
    """One form per letter (1:1): a chain of ``str.replace`` is several times faster than
    ``str.translate`` on Arabic text."""
    for old, new in _LETTERS:
        text = text.replace(old, new)
    if _INDIC_DIGIT.search(text):
        for old, new in _DIGITS:
            text = text.replace(old, new)
    return text


def _f(word: str) -> str:
    """The folded form of a word or phrase (what the patterns and tables are written in)."""
    return " ".join(_DROP.sub("", word).translate(_FOLD).split())


@dataclass(frozen=True)
class _Folded:
    text: str
    breaks: list[int]  # breaks[k]: folded offset where the k-th dropped character was

    def origin(self, offset: int) -> int:
        return offset + bisect.bisect_right(self.breaks, offset) if self.breaks else offset


def _fold(text: str) -> _Folded:
    dropped = [m.start() for m in _DROP.finditer(text)]
    if not dropped:
        return _Folded(_fold_letters(text), [])
    return _Folded(_fold_letters(_DROP.sub("", text)), [d - k for k, d in enumerate(dropped)])


# --- vocabulary (written as people spell it, folded when compiled) ----------------------------

_GREGORIAN = {
    1: ("يناير", "كانون الثاني", "كانون ثاني", "جانفي", "جانفييه"),
    2: ("فبراير", "شباط", "فيفري", "فبرير"),
    3: ("مارس", "آذار"),
    4: ("أبريل", "إبريل", "ابريل", "نيسان", "أفريل"),
    5: ("مايو", "أيار", "ماي", "مايس"),
    6: ("يونيو", "يونيه", "حزيران", "جوان"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز"),
    8: ("أغسطس", "اغسطس", "آب", "أوت", "غشت"),
    9: ("سبتمبر", "أيلول", "شتنبر"),
    10: ("أكتوبر", "تشرين الأول", "تشرين أول"),
    11: ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "نونبر"),
    12: ("ديسمبر", "كانون الأول", "كانون أول", "دجنبر"),
}
# Month names that are also common words (مارس "he practised", آب/أب "father", ماي, جوان a
# name, تموز, أوت): alone they are a date only after a preposition of time.
_AMBIGUOUS_MONTHS = {_f(w) for w in ("مارس", "آب", "ماي", "جوان", "تموز", "أوت", "مايس", "غشت")}
_HIJRI = {
    1: ("محرم", "المحرم"),
    2: ("صفر",),
    3: ("ربيع الأول", "ربيع أول", "ربيع الأولى"),
    4: ("ربيع الثاني", "ربيع الآخر", "ربيع ثاني", "ربيع الآخرة"),
    5: ("جمادى الأولى", "جمادى الأول", "جمادى أول"),
    6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الآخر", "جمادى الثاني", "جمادى ثاني"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعدة", "ذي القعدة", "ذا القعدة"),
    12: ("ذو الحجة", "ذي الحجة", "ذا الحجة"),
}
_UNITS = ("الحادي", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع")
_ORDINALS: dict[str, int] = {
    "الأول": 1,
    "الفاتح": 1,  # Libyan: الفاتح من سبتمبر
    "غرة": 1,
    "أول": 1,
    **{w: n for n, w in enumerate(_UNITS[1:], start=2)},
    "العاشر": 10,
    **{f"{w} عشر": n for n, w in enumerate(_UNITS, start=11)},
    "العشرين": 20,
    **{f"{w} والعشرين": n for n, w in enumerate(_UNITS, start=21)},
    "الثلاثين": 30,
    "الحادي والثلاثين": 31,
}
_WEEKDAYS = {
    "الاثنين": 0,
    "الإثنين": 0,
    "الأثنين": 0,
    "الثلاثاء": 1,
    "الثلثاء": 1,
    "الأربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "السبت": 5,
    "الأحد": 6,
}
_RELATIVE_DAYS = {
    "أمس الأول": -2,
    "أول أمس": -2,
    "أول من أمس": -2,
    "قبل أمس": -2,
    "بعد غد": 2,
    "أمس": -1,
    "الأمس": -1,
    "البارحة": -1,
    "اليوم": 0,
    "غدا": 1,
    "الغد": 1,
    "غد": 1,
}
_PAST = ("الماضي", "الماضية", "المنصرم", "المنصرمة", "الفائت", "الفائتة", "السابق", "السابقة", "المنقضي")
_CURRENT = ("الجاري", "الجارية", "الحالي", "الحالية")
_NEXT = ("المقبل", "المقبلة", "القادم", "القادمة")
_ADJECTIVES = {**{_f(w): -1 for w in _PAST}, **{_f(w): 0 for w in _CURRENT}, **{_f(w): 1 for w in _NEXT}}
_MODIFIERS = (
    "مطلع",
    "مطالع",
    "أوائل",
    "أواخر",
    "منتصف",
    "أواسط",
    "أوسط",
    "بداية",
    "بدايات",
    "نهاية",
    "نهايات",
    "مستهل",
    "صيف",
    "شتاء",
    "ربيع",
    "خريف",
)
_TIMES_OF_DAY = (
    "صباح",
    "مساء",
    "ظهر",
    "ظهيرة",
    "عصر",
    "فجر",
    "ليلة",
    "ليل",
    "ضحى",
    "صبيحة",
    "عشية",
    "منتصف ليلة",
    "منتصف ليل",
)
_TIMES_AFTER = ("صباحا", "مساء", "ظهرا", "عصرا", "فجرا", "ليلا")
_DECADES = {
    stem: n
    for n, stems in enumerate(
        (
            (),
            (),
            ("عشرينيات", "عشرينات"),
            ("ثلاثينيات", "ثلاثينات"),
            ("أربعينيات", "أربعينات"),
            ("خمسينيات", "خمسينات"),
            ("ستينيات", "ستينات"),
            ("سبعينيات", "سبعينات"),
            ("ثمانينيات", "ثمانينات"),
            ("تسعينيات", "تسعينات"),
        )
    )
    for stem in stems
}
_QUARTERS = {"الأول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الأخير": 0}
# Before these words a date is part of a name (كتيبة 17 فبراير، ميدان 17 فبراير), not a DATE.
_NAME_HEADS = {
    _f(w)
    for w in (
        "كتيبة",
        "سرية",
        "لواء",
        "ميدان",
        "شارع",
        "ساحة",
        "حركة",
        "ائتلاف",
        "تجمع",
        "مستشفى",
        "جامعة",
        "قناة",
        "جسر",
        "مدرسة",
        "ثوار",
        "مطار",
        "فندق",
        "مسجد",
        "ملعب",
        "مصنع",
        "دوار",
        "حي",
        "منطقة",
        "قاعدة",
        "معسكر",
        "غرفة",
        "جبهة",
        "شركة",
        "مؤسسة",
        "صحيفة",
    )
}
# Named days whose year the text leaves out: the February 17 revolution is 2011.
_NAMED_DAYS = {(2, 17): 2011, (1, 25): 2011, (6, 30): 2013, (9, 1): 1969, (9, 11): 2001}
_NAMED_HEADS = {_f(w) for w in ("ثورة", "انتفاضة", "أحداث", "هجمات", "ذكرى", "عيد")}
# After these a bare month or a bare four-digit number is a date (في مارس، منذ 2011).
_TIME_PREPOSITIONS = {
    _f(w) for w in ("في", "منذ", "حتى", "خلال", "قبل", "بعد", "عقب", "مع", "من", "إلى", "الى", "لغاية", "طيلة", "طوال")
}
# A number followed by one of these counts things; it is not a year ("2000 قرية").
_COUNTED = {
    _f(w)
    for w in (
        "قتيل",
        "قتلى",
        "شخص",
        "أشخاص",
        "جندي",
        "جنود",
        "مدني",
        "مدنيين",
        "عنصر",
        "عناصر",
        "مقاتل",
        "مقاتلين",
        "مسلح",
        "مسلحين",
        "طفل",
        "أطفال",
        "امرأة",
        "منزل",
        "منازل",
        "قرية",
        "عائلة",
        "أسرة",
        "لاجئ",
        "مهاجر",
        "مهاجرين",
        "مرتزق",
        "مرتزقة",
        "إرهابي",
        "صاروخ",
        "غارة",
        "قذيفة",
        "دولار",
        "يورو",
        "دينار",
        "جنيه",
        "كم",
        "كلم",
        "كيلومتر",
        "متر",
        "طن",
        "برميل",
        "حالة",
        "جريح",
        "جرحى",
        "أسير",
        "أسرى",
        "معتقل",
        "عامل",
        "موظف",
        "سيارة",
        "آلية",
        "مليون",
        "ألف",
        "نسمة",
    )
}
_SAME = {_f(w) for w in ("ذات", "نفس", "ذاته", "نفسه")}


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of the folded ``words`` shaped as a trie (a shared prefix is read
    once: three times faster than a flat list), longer words first, a space as any blanks."""
    trie: dict[str, dict] = {}
    for word in {_f(w) for w in words}:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [
            (_SP if char == " " else re.escape(char)) + emit(child) for char, child in sorted(node.items()) if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return f"(?:{emit(trie)})"


_SP = r"[^\S\n]+"  # blanks within one line (NBSP included)
_S0 = r"[^\S\n]*"
_MONTH_NUMBER = {_f(w): n for n, names in _GREGORIAN.items() for w in names}
_HIJRI_NUMBER = {_f(w): n for n, names in _HIJRI.items() for w in names}
_ORDINAL_NUMBER = {_f(w): n for w, n in _ORDINALS.items()}
_WEEKDAY_NUMBER = {_f(w): n for w, n in _WEEKDAYS.items()}
_RELATIVE_NUMBER = {_f(w): n for w, n in _RELATIVE_DAYS.items()}
_DECADE_NUMBER = {_f(w): n for w, n in _DECADES.items()}
_QUARTER_NUMBER = {_f(w): n for w, n in _QUARTERS.items()}

_MG = _alt(_MONTH_NUMBER)
_MH = _alt(_HIJRI_NUMBER)
_WD = _alt(_WEEKDAY_NUMBER)
_ORD = _alt(_ORDINAL_NUMBER)
_ADJ = _alt(_ADJECTIVES)
_MOD = _alt(_MODIFIERS)
_TOD = _alt(_TIMES_OF_DAY)
_TODA = _alt(_TIMES_AFTER)
_DEC = "(?:ال)?" + _alt(_DECADE_NUMBER)
_DAY = rf"(?:(?:ال)?[0-9]{{1,2}}(?![0-9])|{_ORD})"  # 5، الـ5، الخامس
_MIN = rf"(?:من{_SP})?"
_MONTH = rf"(?:شهر{_SP})?{_MG}(?:{_S0}[/\-–]{_S0}{_MG}|{_S0}\({_S0}{_MG}{_S0}\)|{_SP}{_MG})?"
_YW = r"(?:ال|ل)?(?:عام|سنه)"
_YEAR = r"[0-9]{4}(?![0-9])(?:م(?!\w))?"
_YSUF = rf"(?:{_SP}(?:ميلاديه|ميلادي|للميلاد|م)(?!\w))?"
_HYEAR = r"[0-9]{3,4}(?![0-9])"
_HSUF = rf"(?:{_S0}(?:هجريه|هجري|للهجره|ه)(?!\w))"
_RELYEAR = rf"(?:(?:ال|ل)(?:عام|سنه){_SP}{_ADJ}|هذا{_SP}العام|هذه{_SP}السنه)"
_RELMONTH = rf"(?:(?:ال|ل)شهر{_SP}{_ADJ}|هذا{_SP}الشهر)"
_RELWEEK = rf"(?:(?:ال|ل)اسبوع{_SP}{_ADJ}|هذا{_SP}الاسبوع)"
_SAMEMONTH = rf"(?:(?:ذات|نفس){_SP}الشهر|الشهر{_SP}(?:ذاته|نفسه))"
_YEARPART = (
    rf"(?:{_S0}،?{_S0}(?:من{_SP})?(?:{_YW}{_SP})?{_YEAR}{_YSUF}|{_SP}(?:من{_SP})?{_RELYEAR}|{_SP}{_ADJ}(?!{_SP}{_ADJ}))"
)
_PREFIX = (
    rf"(?:(?:{_TOD}{_SP})?(?:(?:ال)?يوم{_SP})?{_WD}{_S0}،?{_S0}(?:الموافق{_SP})?"
    rf"|(?:{_TOD}{_SP})?(?:ال)?يوم{_SP}(?:الموافق{_SP})?|{_TOD}{_SP})?"
)
_MODP = rf"(?:{_MOD}{_SP}(?:من{_SP})?)?"
_CONN = rf"(?:و?{_S0}(?:حتى|الى|لغايه)(?!\w)|و|[-–])"
_RELDAY = _alt(_RELATIVE_NUMBER)
_PROCLITIC = r"(?:[وف][بلك]?|[بلك])?"

_FORMS = {
    # ranges
    "dual": rf"(?:عامي|سنتي){_SP}{_YEAR}{_S0}{_CONN}{_S0}{_YEAR}{_YSUF}",
    "marked": rf"(?:من|بين|منذ){_SP}(?:"
    rf"(?:{_YW}{_SP})?{_YEAR}{_S0}{_CONN}{_S0}(?:{_YW}{_SP})?{_YEAR}{_YSUF}"
    rf"|{_DAY}{_S0}{_CONN}{_S0}{_DAY}{_SP}{_MIN}{_MONTH}{_YEARPART}?"
    rf"|(?:{_DAY}{_SP}{_MIN})?{_MONTH}(?:{_SP}{_YEAR})?{_S0}{_CONN}{_S0}(?:{_DAY}{_SP}{_MIN})?{_MONTH}{_YEARPART}?)",
    "days": rf"[0-9]{{1,2}}{_S0}[-–]{_S0}[0-9]{{1,2}}{_SP}{_MIN}{_MONTH}{_YEARPART}?",
    "years": rf"(?:{_YW}{_SP})?[0-9]{{4}}{_S0}[-–]{_S0}[0-9]{{4}}(?![0-9])",
    # numbers
    "numeric": r"(?:[0-9]{1,2}(?P<s1>[/.\-])[0-9]{1,2}(?P=s1)[0-9]{4}|[0-9]{4}(?P<s2>[/.\-])[0-9]{1,2}(?P=s2)[0-9]{1,2})"
    r"(?![0-9]|[/.\-][0-9])",
    # Hijri
    "hijri_day": rf"{_PREFIX}{_DAY}{_SP}{_MIN}(?:شهر{_SP})?{_MH}(?:{_SP}(?:من{_SP})?(?:{_YW}{_SP})?{_HYEAR}{_HSUF}?)?",
    "hijri_month": rf"{_MODP}(?:شهر{_SP})?{_MH}{_SP}(?:{_YW}{_SP})?{_HYEAR}{_HSUF}?",
    "hijri_year": rf"{_MODP}(?:{_YW}{_SP})?{_HYEAR}{_HSUF}",
    # Gregorian
    "part": rf"(?:(?:ال)?اسبوع|(?:ال)?ايام|(?:ال)?عشر|(?:ال)?عشره|(?:ال)?ثلث|(?:ال)?نصف){_SP}"
    rf"(?:{_ORD}|الاولي|الاخير|الاخيره|الاواخر|الاوائل){_SP}من{_SP}{_MONTH}{_YEARPART}?",
    "day": rf"{_PREFIX}{_DAY}{_SP}{_MIN}{_MONTH}{_YEARPART}?",
    "day_of": rf"{_PREFIX}{_DAY}{_SP}من{_SP}(?:{_RELMONTH}|{_SAMEMONTH})",
    "month": rf"{_MODP}{_MONTH}{_YEARPART}?",
    "quarter": rf"(?:الربع|النصف){_SP}{_alt(_QUARTER_NUMBER)}{_SP}(?:من{_SP})?"
    rf"(?:(?:{_YW}{_SP})?{_YEAR}{_YSUF}|{_RELYEAR}|(?:العام|السنه)(?!{_SP}ال))",
    "century": rf"(?:{_DEC}{_SP}{_MIN})?القرن{_SP}(?:{_ADJ}|{_ORD}|(?:ال)?[0-9]{{1,2}}(?![0-9]))",
    "relative": rf"{_MODP}(?:{_RELMONTH}|{_RELWEEK}|{_RELYEAR})",
    "period": rf"{_MOD}{_SP}(?:ال(?:عام|سنه|شهر|اسبوع))(?!{_SP}ال)",
    "year": rf"{_MODP}{_YW}{_SP}{_YEAR}{_YSUF}",
    "season": rf"{_MOD}{_SP}(?:من{_SP})?{_YEAR}{_YSUF}",
    "reldays": rf"(?:{_TOD}{_SP}(?:يوم{_SP})?|يوم{_SP})?{_RELDAY}(?:{_S0}،?{_S0}{_WD})?(?:{_SP}{_TODA})?",
    "weekday": rf"(?:{_TOD}{_SP}(?:يوم{_SP})?|(?:ال)?يوم{_SP})?{_WD}(?:{_SP}{_ADJ})?(?:{_SP}{_TODA})?",
    "era": r"[0-9]{4}م",
}
_PREPOSITIONAL_YEAR = rf"(?:في|منذ|حتى|خلال|قبل|بعد|عقب|طيلة|طوال){_SP}(?P<bare>[0-9]{{4}}(?![0-9]))"

_MASTER = re.compile(
    (
        rf"(?<!\w){_PROCLITIC}(?:"
        + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _FORMS.items())
        + f"|{_PREPOSITIONAL_YEAR})(?!\\w)"
    ).translate(_FOLD)  # the literals written in the patterns (حتى، هذه) folded like the text
)
_FORM_NAMES = (*_FORMS, "bare")

_TOKEN = re.compile(
    "|".join(
        (
            rf"(?P<hm>{_MH})",
            rf"(?P<gm>{_MG})(?!\w)",
            rf"(?P<dec>{_DEC})",
            rf"(?P<wd>{_WD})",
            rf"(?P<rel>{_RELDAY})(?!\w)",
            rf"(?<![0-9])(?P<num>[0-9]+)(?:{_HSUF})?",
            rf"(?P<ord>{_ORD})(?!\w)",
            rf"(?P<adj>{_ADJ})(?!\w)",
            r"(?P<per>القرن|الربع|النصف|(?:ال|ل)?شهر|(?:ال|ل)?اسبوع|عامي|سنتي|(?:ال|ل)?عام|(?:ال|ل)?سنه)(?!\w)",
            r"(?P<this>هذا|هذه)(?!\w)",
            rf"(?P<same>{_alt(_SAME)})(?!\w)",
            r"(?P<conn>(?<!\w)و?[^\S\n]*(?:حتى|الى|لغايه)(?!\w)|[-–](?=[^\S\n]*[0-9])|(?<!\w)و(?=[^\S\n]*[0-9]|[^\W\d]))",
        )
    ).translate(_FOLD)
)
# Words one of which every expression holds: where the pass looks (digits anywhere: و2024، 2014م).
_TRIGGER = re.compile(
    r"[0-9]+|(?<!\w)(?:[وف][بلك]?|[بلك])?"
    + _alt(
        w.split()[0]
        for w in (
            *_MONTH_NUMBER,
            *_HIJRI_NUMBER,
            *_WEEKDAY_NUMBER,
            *_RELATIVE_NUMBER,
            *_DECADE_NUMBER,
            *("ال" + w for w in _DECADE_NUMBER),
            *("الشهر", "شهر", "الاسبوع", "اسبوع", "العام", "عام", "السنه", "سنه", "عامي", "سنتي"),
            *("القرن", "الربع", "النصف"),
        )
    )
    + r"(?!\w)"
)
_WORD_START = re.compile(r"(?<!\w)\w")
_LOOKBACK_WORDS = 5  # "الحادي والعشرين من شهر رمضان": the trigger is the fifth word
_LOOKBACK_CHARS = 80
_WORD_BEFORE = re.compile(r"(\w+)[^\S\n]*\Z")
_WORD_AFTER = re.compile(r"[^\S\n]*(\w+)")


# --- reading a match --------------------------------------------------------------------------


@dataclass
class _Part:
    """What one end of an expression says."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    hijri: bool = False
    hijri_year: bool = False  # a Hijri year written alone (1440 هـ)
    month_shift: int | None = None  # the month named with الماضي/المقبل/الجاري
    weekday: int | None = None
    weekday_shift: int | None = None
    day_offset: int | None = None  # أمس -1, اليوم 0, غدا 1
    period: str | None = None  # "month", "week", "year", "century", "quarter", "half", "same"
    period_shift: int | None = None
    quarter: int | None = None
    decade: int | None = None
    century: int | None = None  # the ordinal: القرن العشرين is 20
    century_shift: int | None = None  # القرن الماضي -1, الحالي 0


@dataclass
class _State:
    anchor: _dt.date | None
    last_month: tuple[int | None, int] | None = None  # (year, month) of the last explicit date
    found: list[Found] = field(default_factory=list)


def _tokens(folded: str) -> list[tuple[str, str]]:
    return [(m.lastgroup or "", m.group(m.lastgroup or 0)) for m in _TOKEN.finditer(folded) if m.lastgroup]


def _read(tokens: list[tuple[str, str]]) -> _Part:
    """One end of an expression from its tokens, in the order the text gives them."""
    part = _Part()
    last = ("", "")
    for index, (kind, word) in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ("", "")
        shift = _ADJECTIVES[following[1]] if following[0] == "adj" else None
        key = " ".join(word.split())
        if kind == "hm" and part.month is None:
            part.month, part.hijri = _HIJRI_NUMBER[key], True
        elif kind == "gm" and part.month is None:
            part.month, part.month_shift = _MONTH_NUMBER[key], shift
        elif kind == "num":
            if last == ("per", "القرن"):
                part.century = int(word)
            elif len(word) >= 3:
                part.year = int(word) if part.year is None else part.year
            elif part.day is None and part.month is None:
                part.day = int(word)
        elif kind == "ord":
            if last in (("per", "الربع"), ("per", "النصف")):
                part.quarter = _QUARTER_NUMBER.get(key, _ORDINAL_NUMBER[key])
            elif last == ("per", "القرن"):
                part.century = _ORDINAL_NUMBER[key]
            elif part.day is None and part.month is None:
                part.day = _ORDINAL_NUMBER[key]
        elif kind == "wd":
            part.weekday, part.weekday_shift = _WEEKDAY_NUMBER[key], shift
        elif kind == "rel":
            part.day_offset = _RELATIVE_NUMBER[key]
        elif kind == "dec":
            part.decade = _DECADE_NUMBER[key.removeprefix("ال")]
        elif kind == "per":
            _period(part, key, shift, last, following)
        last = (kind, key)
    return part


def _period(part: _Part, key: str, shift: int | None, last: tuple[str, str], following: tuple[str, str]) -> None:
    """What a period word (القرن، الربع، الشهر، الأسبوع، العام) says, with its neighbours."""
    if key == "القرن":
        part.period, part.century_shift = "century", shift
        return
    if key in ("الربع", "النصف"):
        part.period = "quarter" if key == "الربع" else "half"
        return
    stem = key[2:] if key.startswith("ال") else key[1:] if key.startswith("ل") else key
    definite = key != stem
    if stem == "شهر" and part.month is None:
        if shift is not None:
            part.period, part.period_shift = "month", shift
        elif following[0] == "same" or last[0] == "same":
            part.period = "same"
        elif last[0] == "this" or definite:
            part.period, part.period_shift = "month", 0
    elif stem == "اسبوع":
        part.period, part.period_shift = "week", shift or 0
    elif stem in ("عام", "سنه"):
        if shift is not None:
            part.period_shift = shift
        elif last[0] == "this" or (definite and following[0] != "num"):
            part.period_shift = 0  # هذا العام، بداية العام، الربع الأول من العام
        if part.period is None and part.month is None and part.period_shift is not None:
            part.period = "year"


_HIJRI_MARK = re.compile(rf"[0-9]{_HSUF}")


def _hijri_month_days(year: int, month: int) -> str:
    """A Hijri month as the interval of its Gregorian days (Umm al-Qura)."""
    first = Hijri(year, month, 1)
    last = Hijri(year, month, first.month_length())
    return f"{first.to_gregorian().isoformat()}/{last.to_gregorian().isoformat()}"


def _hijri_year_days(year: int) -> str:
    first = Hijri(year, 1, 1).to_gregorian()
    last = Hijri(year, 12, Hijri(year, 12, 1).month_length()).to_gregorian()
    return f"{first.isoformat()}/{last.isoformat()}"


def _hijri_year_for(gregorian_year: int, month: int) -> int:
    """The Hijri year whose ``month`` begins within ``gregorian_year`` ("رمضان 2019")."""
    guess = Gregorian(gregorian_year, 6, 30).to_hijri().year
    for year in (guess - 1, guess, guess + 1):
        if Hijri(year, month, 1).to_gregorian().year == gregorian_year:
            return year
    return guess


def _safe_date(year: int, month: int, day: int) -> _dt.date | None:
    """The date, with 29 February of a common year taken as the 28th; None if there is none."""
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return _dt.date(year, 2, 28) if (month, day) == (2, 29) else None


def _iso(year: int | None, month: int, day: int | None) -> str | None:
    """YYYY-MM-DD, YYYY-MM, --MM-DD or --MM; None for a day that does not exist."""
    if year is None:
        if day is None:
            return f"--{month:02d}"
        return f"--{month:02d}-{day:02d}" if _safe_date(2000, month, day) else None
    if not 1 <= year <= 9999:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _value(part: _Part, anchor: _dt.date | None, state: _State, named_year: int | None) -> tuple[str | None, str]:
    """``(value, precision)`` of one end of an expression; ``value`` is None when unknown."""
    if part.period == "century":
        return _century(part, anchor)
    if part.period in ("quarter", "half"):
        return _quarter(part, anchor)
    if part.period == "week":
        if anchor is None:
            return None, "week"
        iso = (anchor + _dt.timedelta(weeks=part.period_shift or 0)).isocalendar()
        return f"{iso.year}-W{iso.week:02d}", "week"
    if part.period in ("month", "same") and part.month is None:
        return _of_month(part, anchor, state)
    if part.day_offset is not None or (part.weekday is not None and part.month is None and part.day is None):
        return _relative_day(part, anchor), "day"
    if part.month is None:
        return _year(part, anchor)
    precision = "day" if part.day is not None else "month"
    year = part.year
    if year is None and part.period_shift is not None:  # أبريل من العام الماضي
        if anchor is None:
            return None, precision
        year = anchor.year + part.period_shift
    if part.hijri:
        return _hijri_value(part, year, anchor), precision
    if year is None:
        year = named_year if named_year is not None else _year_of_month(part, anchor)
        while year is not None and (part.month, part.day) == (2, 29) and not calendar.isleap(year):
            year -= 1  # 29 February without a year: the last year that had one
    return _iso(year, part.month, part.day), precision


def _century(part: _Part, anchor: _dt.date | None) -> tuple[str | None, str]:
    precision = "year" if part.decade is not None else "century"
    if part.century is not None:
        code = part.century - 1  # ISO 8601: the 20th century (1901-2000) is "19", 1900-1999
    elif part.century_shift is not None and anchor is not None:
        code = anchor.year // 100 + part.century_shift
    else:
        return None, precision
    if not 0 <= code <= 99:
        return None, precision
    if part.decade is not None:
        first = code * 100 + part.decade * 10
        return f"{first:04d}/{first + 9:04d}", precision
    return f"{code:02d}", precision


def _quarter(part: _Part, anchor: _dt.date | None) -> tuple[str | None, str]:
    precision = "quarter" if part.period == "quarter" else "month"
    year = part.year
    if year is None:
        if anchor is None or part.period_shift is None:
            return None, precision
        year = anchor.year + part.period_shift
    if part.period == "quarter":
        quarter = part.quarter or 4  # الربع الأخير
        return (f"{year:04d}-Q{quarter}" if quarter <= 4 else None), precision
    half = part.quarter or 2  # النصف الأخير
    if half > 2:
        return None, precision
    return (f"{year:04d}-01/{year:04d}-06" if half == 1 else f"{year:04d}-07/{year:04d}-12"), precision


def _of_month(part: _Part, anchor: _dt.date | None, state: _State) -> tuple[str | None, str]:
    """ "الشهر الماضي", "12 من الشهر الجاري", "19 من ذات الشهر" (the month last named)."""
    precision = "day" if part.day is not None else "month"
    year: int | None
    if part.period == "same":
        if state.last_month is None:
            return None, precision
        year, month = state.last_month
    else:
        if anchor is None:
            return None, precision
        year, month = divmod(anchor.year * 12 + anchor.month - 1 + (part.period_shift or 0), 12)
        month += 1
    return _iso(year, month, part.day), precision


def _relative_day(part: _Part, anchor: _dt.date | None) -> str | None:
    """أمس، اليوم، غدا (with the weekday they name, trusted when the two disagree by a day or
    so) and weekdays: the last one on or before the anchor; with الماضي the last one before
    it, with المقبل the next one after it."""
    if anchor is None:
        return None
    if part.day_offset is not None:
        target = anchor + _dt.timedelta(days=part.day_offset)
        if part.weekday is not None and target.weekday() != part.weekday:
            back = (target.weekday() - part.weekday) % 7
            target -= _dt.timedelta(days=back if back <= 3 else back - 7)
        return target.isoformat()
    assert part.weekday is not None
    back = (anchor.weekday() - part.weekday) % 7
    if part.weekday_shift == -1 and back == 0:
        back = 7
    elif part.weekday_shift == 1:
        back = -((part.weekday - anchor.weekday()) % 7 or 7)
    return (anchor - _dt.timedelta(days=back)).isoformat()


def _year(part: _Part, anchor: _dt.date | None) -> tuple[str | None, str]:
    """عام 2015، 1440 هـ، العام الماضي، هذا العام."""
    if part.year is not None:
        if part.hijri_year:
            try:
                return _hijri_year_days(part.year), "year"
            except (ValueError, OverflowError):
                return None, "year"
        return f"{part.year:04d}", "year"
    if part.period_shift is not None and anchor is not None:
        return f"{anchor.year + part.period_shift:04d}", "year"
    return None, "day" if part.day is not None else "year"


def _year_of_month(part: _Part, anchor: _dt.date | None) -> int | None:
    """The year of a month written without one: with الماضي the last such month before the
    anchor's, with المقبل the next one, with الجاري the anchor's; else the anchor's year, or
    the year before when the date would lie more than a month after the anchor."""
    assert part.month is not None
    if anchor is None:
        return None
    if part.month_shift == -1:
        return anchor.year if part.month < anchor.month else anchor.year - 1
    if part.month_shift == 1:
        return anchor.year if part.month > anchor.month else anchor.year + 1
    if part.month_shift == 0:
        return anchor.year
    candidate = _safe_date(anchor.year, part.month, part.day or 1)
    if candidate is None:
        return None
    return anchor.year - 1 if candidate > anchor + _AHEAD else anchor.year


_AHEAD = _dt.timedelta(days=31)  # how far after the anchor a date without its year may lie


def _hijri_value(part: _Part, year: int | None, anchor: _dt.date | None) -> str | None:
    """A Hijri day or month in Gregorian days (Umm al-Qura, 1343-1500 AH)."""
    assert part.month is not None
    try:
        if year is not None and year >= 1800:  # a Hijri month in a Gregorian year: رمضان 2019
            year = _hijri_year_for(year, part.month)
        if year is None:
            if anchor is None:
                return None
            year = Gregorian(anchor.year, anchor.month, anchor.day).to_hijri().year
            if Hijri(year, part.month, part.day or 1).to_gregorian() > anchor + _AHEAD:
                year -= 1
        if part.day is None:
            return _hijri_month_days(year, part.month)
        return Hijri(year, part.month, part.day).to_gregorian().isoformat()
    except (ValueError, OverflowError):  # a day the month does not have, a year out of the table
        return None


# --- the pass ---------------------------------------------------------------------------------


def _word_before(folded: str, start: int) -> set[str]:
    """The word before ``start``, with and without one or two proclitic letters."""
    match = _WORD_BEFORE.search(folded, max(0, start - 40), start)
    if match is None:
        return set()
    word = match.group(1)
    forms = {word}
    if len(word) > 2 and word[0] in "وفبلك":
        forms.add(word[1:])
        if len(word) > 3 and word[1] in "بلك":
            forms.add(word[2:])
    return forms


def _word_after(folded: str, end: int) -> str:
    match = _WORD_AFTER.match(folded, end)
    return match.group(1) if match else ""


_NOT_TODAY_BEFORE = {_f(w) for w in ("هذا", "ذلك", "ذات", "نفس")}
_NOT_TODAY_AFTER = {_f(w) for w in ("نفسه", "ذاته", "الذي")}
_NOT_FRIDAY_BEFORE = {_f(w) for w in ("صلاة", "خطبة", "خطيب", "صلوات", "جمعة")}
_NOT_MONDAY_BEFORE = {_f(w) for w in ("بين", "كلا", "هذين")}


def _refused(form: str, folded: str, start: int, end: int, part: _Part, before: set[str]) -> bool:
    """Whether the words around a match say it is no date (the checks of a text pass; an
    annotator's own selection skips them)."""
    piece = " ".join(folded[start:end].split())
    after = _word_after(folded, end)
    if form in ("day", "month", "marked", "days") and before & _NAME_HEADS:
        return True  # كتيبة 17 فبراير
    if form == "bare":
        counted = after in _COUNTED or (after.endswith("ا") and not after.endswith("وا"))
        return part.year is None or not 1900 <= part.year <= 2100 or bool(after) and counted
    if form == "month":
        return piece in _AMBIGUOUS_MONTHS and not before & _TIME_PREPOSITIONS  # ومارس الجيش ضغوطا
    if form == "reldays":
        if piece == "اليوم":  # اليوم الأول، اليوم نفسه، ذلك اليوم
            return after.startswith("ال") or after in _NOT_TODAY_AFTER or bool(before & _NOT_TODAY_BEFORE)
        return piece == "غدا" and after.startswith("ال")  # غدا الوضع: "became"
    if form == "weekday" and piece in _WEEKDAY_NUMBER:
        if piece == "الاحد":
            return after in ("عشر", "عشره")  # الأحد عشر: eleven
        if piece == "الاثنين":
            return bool(before & _NOT_MONDAY_BEFORE) or after in ("معا", "منهما")
        if piece == "الجمعه":
            return bool(before & _NOT_FRIDAY_BEFORE)
    return False


def _interpret(
    form: str, folded: str, start: int, end: int, state: _State, permissive: bool
) -> tuple[dict[str, str], float, int] | None:
    """The attributes, confidence and start (a range may leave its marker out) of a match,
    or None when it is no date."""
    piece = folded[start:end]
    if form == "numeric":
        return _numeric(piece, start)
    tokens = _tokens(piece)
    hijri = form.startswith("hijri") or _HIJRI_MARK.search(piece) is not None
    if form in ("dual", "marked", "days", "years"):
        before = _word_before(folded, start)
        if not permissive and form in ("marked", "days") and before & _NAME_HEADS:
            return None
        return _range(form, piece, tokens, start, state, hijri)
    if form == "part":  # الأسبوع الأول من مارس: the month is what the value can say
        tokens = tokens[next(i for i, (kind, _w) in enumerate(tokens) if kind == "gm") :]
    if form in ("reldays", "weekday") and " ".join(piece.split()) in ("الغد", "غد"):
        return None  # حزب الغد، جيل الغد: only "يوم الغد"، "بعد غد" are days
    part = _read(tokens)
    part.hijri_year = form == "hijri_year"
    part.hijri = (part.hijri or hijri) and not part.hijri_year
    before = _word_before(folded, start)
    if not permissive and _refused(form, folded, start, end, part, before):
        return None
    if form in ("era", "bare") and not 1000 <= (part.year or 0) <= 2199:
        return None
    named_year = None
    if part.month is not None and part.year is None and part.day is not None and before & _NAMED_HEADS:
        named_year = _NAMED_DAYS.get((part.month, part.day))  # ثورة 17 فبراير
    value, precision = _value(part, state.anchor, state, named_year)
    attributes = {"precision": precision, "calendar": "hijri" if part.hijri or part.hijri_year else "gregorian"}
    if value is not None:
        attributes["value"] = value
    return attributes, _confidence(form, part, value, state.anchor), start


def _confidence(form: str, part: _Part, value: str | None, anchor: _dt.date | None) -> float:
    """0.95 for a date written out in full, less for what the anchor or a guess supplies."""
    if value is None:
        return 0.5
    if (
        anchor is not None
        and part.day_offset is not None
        and part.weekday is not None
        and (anchor + _dt.timedelta(days=part.day_offset)).weekday() != part.weekday
    ):
        return 0.5  # "أمس الأربعاء" in an article dated a Wednesday: the anchor may be off
    if value.startswith("--"):
        return 0.7
    if form == "weekday":
        return 0.7
    relative = (
        part.day_offset is not None
        or part.period in ("week", "month", "same", "year")
        or part.period_shift is not None
        or part.century_shift is not None
        or part.month_shift is not None
        or (part.month is not None and part.year is None)
    )
    if relative:
        return 0.8
    if form == "bare":
        return 0.7
    if form.startswith("hijri") or form == "era":
        return 0.9
    return 0.95


def _numeric(piece: str, start: int) -> tuple[dict[str, str], float, int] | None:
    """19/01/2019, 19-1-2019, 2019-01-19, 2019/1/19 (day first, as the Arabic press writes)."""
    match = re.fullmatch(r"([0-9]+)[/.\-]([0-9]+)[/.\-]([0-9]+)", piece)
    if match is None:
        return None
    first, month, last = (int(n) for n in match.groups())
    year, day = (first, last) if len(match.group(1)) == 4 else (last, first)
    value = _iso(year, month, day) if 1 <= month <= 12 and 1900 <= year <= 2100 else None
    if value is None:
        return None
    return {"value": value, "precision": "day", "calendar": "gregorian"}, 0.85, start


_PRECISION_ORDER = ("day", "week", "month", "quarter", "year", "century")


def _range(
    form: str, piece: str, tokens: list[tuple[str, str]], start: int, state: _State, hijri: bool
) -> tuple[dict[str, str], float, int] | None:
    """A range as one span valued START/END: the first end takes the month and year it
    leaves out from the second ("من 26 وحتى 30 اغسطس 2019")."""
    split = next((i for i, (kind, _w) in enumerate(tokens) if kind == "conn"), None)
    if split is None:
        return None
    left_tokens, right_tokens = tokens[:split], tokens[split + 1 :]
    if form == "marked" and any(kind != "num" for kind, _w in left_tokens):
        marker = re.match(rf"(?:من|بين|منذ){_SP}", piece)
        assert marker is not None
        start += marker.end()  # the marker stays in the span only before a bare number
    left, right = _read(left_tokens), _read(right_tokens)
    right.hijri = right.hijri or hijri
    left.hijri = left.hijri or right.hijri
    if left.month is None and left.year is None:
        left.month, left.month_shift = right.month, right.month_shift
    if left.year is None and left.month is not None:
        left.year, left.period_shift = right.year, right.period_shift
    if left.month is None and left.year is None:
        return None
    if form in ("dual", "years") and (left.year or 0) >= (right.year or 0):
        return None  # 2014-2011 is no range; 2019-04 is matched as a numeric date before this
    left_value, left_precision = _value(left, state.anchor, state, None)
    right_value, right_precision = _value(right, state.anchor, state, None)
    precision = max(left_precision, right_precision, key=_PRECISION_ORDER.index)
    attributes = {"precision": precision, "calendar": "hijri" if right.hijri else "gregorian"}
    if (
        left_value
        and right_value
        and left_value.startswith("--") == right_value.startswith("--")
        and (left_value.startswith("--") or left_value <= right_value)
    ):
        attributes["value"] = f"{left_value}/{right_value}"
    value = attributes.get("value")
    confidence = 0.5 if value is None else 0.7 if value.startswith("--") else 0.9
    return attributes, confidence, start


def _scan(text: str, anchor: _dt.date | None, permissive: bool = False) -> list[Found]:
    """The pass: at each trigger word (a month, a weekday, أمس, a period word, a number) the
    expression is looked for from a few words before it, leftmost first; a match that is
    read as no date (a name, a count, a bare ambiguous month) consumes its words."""
    folded = _fold(text)
    line = folded.text
    state = _State(anchor)
    position = 0
    for trigger in _TRIGGER.finditer(line):
        at = trigger.start()
        if at < position:
            continue
        low = max(position, line.rfind("\n", 0, at) + 1, at - _LOOKBACK_CHARS)
        starts = [m.start() for m in _WORD_START.finditer(line, low, at)][-_LOOKBACK_WORDS:]
        starts.append(at)
        consumed = position
        for start in starts:
            match = _MASTER.match(line, start)
            if match is None or match.end() <= at:
                continue
            if _accept(match, text, folded, state, permissive):
                consumed = match.end()
                break
            consumed = max(consumed, match.end())
        position = consumed
    return state.found


def _accept(match: re.Match[str], text: str, folded: _Folded, state: _State, permissive: bool) -> bool:
    """Read ``match``; if it is a date, add its :class:`Found` to ``state``."""
    form = match.lastgroup
    if form not in _FORM_NAMES:  # the numeric form's separator groups
        form = next(name for name in _FORM_NAMES if match.group(name) is not None)
    start, end = match.span(form)
    result = _interpret(form, folded.text, start, end, state, permissive)
    if result is None:
        return False
    attributes, confidence, start = result
    value = attributes.get("value")
    if value is not None and "/" not in value:
        if value.startswith("--"):
            state.last_month = (None, int(value[2:4]))
        elif len(value) >= 7 and value[4] == "-" and value[5:7].isdigit():
            state.last_month = (int(value[:4]), int(value[5:7]))
    begin = folded.origin(start)
    stop = folded.origin(end - 1) + 1
    marks = _MARKS_RUN.match(text, stop)
    if marks:
        stop = marks.end()
    if not is_grapheme_boundary(text, begin):
        begin = grapheme_floor(text, begin)
    if not is_grapheme_boundary(text, stop):
        stop = grapheme_ceil(text, stop)
    state.found.append(Found(begin, stop, LABEL, attributes, RULES_DATE, confidence))
    return True


def find_dates(text: str, anchor: _dt.date | None) -> list[Found]:
    """Every DATE expression of ``text``: sorted, not overlapping, code-point offsets.

    ``anchor`` is the document's publication date: relative expressions (أمس، الخميس،
    الشهر الماضي) are resolved against it; without it they carry no ``value``.
    """
    return _scan(text, anchor)


def date_at(text: str, start: int, end: int, anchor: _dt.date | None) -> Found | None:
    """The DATE expression under the selection ``[start, end)``: the one that overlaps it
    most, at its full extent (a selection a word short or with a proclitic in it finds the
    whole expression), or ``None``. A selection the text pass does not take as a date
    (a bare "مارس", a bare "2019") is read on its own, since the annotator says it is one."""
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    low = text.rfind("\n", 0, max(0, start - 2000)) + 1 if start > 2000 else 0
    high = text.find("\n", min(len(text), end + 2000))
    high = len(text) if high < 0 else high
    best: Found | None = None
    best_overlap = 0
    for item in _scan(text[low:high], anchor):
        overlap = min(end, item.end + low) - max(start, item.start + low)
        if overlap > best_overlap or (
            overlap == best_overlap > 0 and best and item.end - item.start < best.end - best.start
        ):
            best, best_overlap = (
                Found(item.start + low, item.end + low, item.label, item.attributes, item.source, item.confidence),
                overlap,
            )
    if best is not None:
        return best
    if start == end:
        return None
    # Read on its own, the selection widened to whole characters: a mark after its last letter
    # (a selection that ends between "ي" and its fatha) belongs to the date, as in the text pass.
    low, high = grapheme_floor(text, start), grapheme_ceil(text, end)
    for item in _scan(text[low:high], anchor, permissive=True):
        return Found(item.start + low, item.end + low, item.label, item.attributes, item.source, item.confidence)
    edges = snap(text, start, end)
    if edges is not None:  # a bare year: "بلغ 2019" is a count to the text pass, a year to the annotator
        year = _fold(text[edges[0] : edges[1]]).text
        if re.fullmatch(r"[0-9]{4}", year) and 1000 <= int(year) <= 2199:
            return Found(*edges, LABEL, {"value": year, "precision": "year", "calendar": "gregorian"}, RULES_DATE, 0.6)
    return None


_DATELINE_LINES = 6
_DATELINE_WIDTH = 100


def dateline(text: str) -> _dt.date | None:
    """The publication date of a dateline near the top of an article ("الجمعة 5 أبريل 2019
    01:04 م"): a full day written out in one of the first few non-empty lines, each line
    short as datelines are. ``None`` when there is none (a date in the prose does not count)."""
    seen = 0
    for line in text[:2000].split("\n"):
        if not line.strip():
            continue
        seen += 1
        if seen > _DATELINE_LINES:
            break
        if len(line.strip()) > _DATELINE_WIDTH:
            continue
        for item in _scan(line, None):
            value = item.attributes.get("value", "")
            # A dateline is mostly its date (a weekday, a time, "آخر تحديث:" around it), not a
            # sentence that happens to name a day.
            rest = line[: item.start] + line[item.end :]
            if len(_DATELINE_WORD.findall(rest)) > _DATELINE_OTHER_WORDS:
                continue
            if item.attributes.get("precision") == "day" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return _dt.date.fromisoformat(value)
    return None


_DATELINE_WORD = re.compile(r"[^\W\d_]{2,}")
_DATELINE_OTHER_WORDS = 4  # words beside the date: a weekday, "آخر تحديث", a city, "م"
