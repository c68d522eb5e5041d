"""DATE values (issue 13): every rule of ``workbench.core.values.dates`` with real sentences.

The annotation conventions these tests and ``tests/data/values/dates.jsonl`` follow are the
module's (its docstring lists them): a proclitic and a preposition stay outside a span;
modifiers, time-of-day words, "يوم", a weekday before a date and both names of a month
written twice are inside it; a range is one span valued START/END whose marker (من، بين)
is inside only before a bare number; "الخميس الماضي" is the last Thursday before the
anchor; without an anchor a relative date keeps no value.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hijridate import Hijri
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.store.labels import DEFAULT_LABELS, PRECISIONS, parse_iso_date, validate_attributes
from workbench.core.text.boundaries import is_grapheme_boundary
from workbench.core.values import RULES_DATE, Engine, Found
from workbench.core.values.dates import date_at, dateline, find_dates

DATE_LABEL = next(label for label in DEFAULT_LABELS if label.name == "DATE")
EVALUATION_SET = Path(__file__).parent / "data" / "values" / "dates.jsonl"


def spans(text: str, anchor: dt.date | None = None) -> list[tuple[str, str | None, str, str]]:
    """What the engine finds, as (span text, value, precision, calendar)."""
    return [
        (text[f.start : f.end], f.attributes.get("value"), f.attributes["precision"], f.attributes["calendar"])
        for f in find_dates(text, anchor)
    ]


def one(text: str, anchor: dt.date | None = None) -> tuple[str, str | None, str, str]:
    found = spans(text, anchor)
    assert len(found) == 1, found
    return found[0]


def hijri(year: int, month: int, day: int | None = None) -> str:
    if day is not None:
        return Hijri(year, month, day).to_gregorian().isoformat()
    first = Hijri(year, month, 1)
    last = Hijri(year, month, first.month_length())
    return f"{first.to_gregorian().isoformat()}/{last.to_gregorian().isoformat()}"


D = dt.date.fromisoformat

# --- month names of every tradition ------------------------------------------------------------

MONTH_NAMES = [
    # Egyptian and Gulf, with their spelling variants
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("إبريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    # Levantine and Iraqi
    ("كانون الثاني", 1),
    ("شباط", 2),
    ("آذار", 3),
    ("اذار", 3),
    ("نيسان", 4),
    ("أيار", 5),
    ("ايار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("آب", 8),
    ("اب", 8),
    ("أيلول", 9),
    ("ايلول", 9),
    ("تشرين الأول", 10),
    ("تشرين الاول", 10),
    ("تشرين الثاني", 11),
    ("كانون الأول", 12),
    ("كانون الاول", 12),
    # Maghreb
    ("جانفي", 1),
    ("فيفري", 2),
    ("أفريل", 4),
    ("افريل", 4),
    ("ماي", 5),
    ("جوان", 6),
    ("جويلية", 7),
    ("جويليه", 7),
    ("أوت", 8),
    ("اوت", 8),
]


@pytest.mark.parametrize(("name", "month"), MONTH_NAMES)
def test_every_month_name_with_day_and_year(name, month):
    text = f"قالت مصادر محلية إن الاشتباكات اندلعت في 7 {name} 2019 قرب المطار."
    assert one(text) == (f"7 {name} 2019", f"2019-{month:02d}-07", "day", "gregorian")


@pytest.mark.parametrize(("name", "month"), MONTH_NAMES)
def test_every_month_name_with_a_year_only(name, month):
    assert one(f"وفي {name} 2015 انسحبت القوات.") == (f"{name} 2015", f"2015-{month:02d}", "month", "gregorian")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ثورة 17 فبراير/شباط ميراث الشهداء", ("17 فبراير/شباط", "2011-02-17", "day", "gregorian")),
        ("أغلقت الحدود في اغسطس اب 2000 بعد التوتر.", ("اغسطس اب 2000", "2000-08", "month", "gregorian")),
        ("اندلعت الانتفاضة في نيسان (أبريل) 2011.", ("نيسان (أبريل) 2011", "2011-04", "month", "gregorian")),
        ("في 15 شباط/فبراير 2011 خرجت المظاهرات", ("15 شباط/فبراير 2011", "2011-02-15", "day", "gregorian")),
        ("في كانون الثاني/يناير 2020 قال", ("كانون الثاني/يناير 2020", "2020-01", "month", "gregorian")),
        ("في أغسطس (آب) 2014 قال", ("أغسطس (آب) 2014", "2014-08", "month", "gregorian")),
        ("وارتفعت خلال شهر أيار/مايو 2018", ("شهر أيار/مايو 2018", "2018-05", "month", "gregorian")),
        ("في 5 أبريل نيسان 2019 قال", ("5 أبريل نيسان 2019", "2019-04-05", "day", "gregorian")),
    ],
)
def test_a_month_written_twice_is_one_span(text, expected):
    assert one(text) == expected


# --- digits, day numbers in words, proclitics ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقعت الغارة في ١٤ ابريل ٢٠١٩ على المطار.", ("١٤ ابريل ٢٠١٩", "2019-04-14", "day", "gregorian")),
        ("في ۱۲ مارس ۲۰۲۰ أعلنت السلطات", ("۱۲ مارس ۲۰۲۰", "2020-03-12", "day", "gregorian")),
        ("وقعت الاتفاقية في 17/12/2015 في الصخيرات.", ("17/12/2015", "2015-12-17", "day", "gregorian")),
        ("وقد جرى الاتفاق في ١٠/١٠/٢٠٢٠ في الغردقة.", ("١٠/١٠/٢٠٢٠", "2020-10-10", "day", "gregorian")),
        ("نشر البيان بتاريخ 2019-04-04.", ("2019-04-04", "2019-04-04", "day", "gregorian")),
        ("في الثالث من أكتوبر 2014، حيث", ("الثالث من أكتوبر 2014", "2014-10-03", "day", "gregorian")),
        ("عقد في العشرين من يناير 2020.", ("العشرين من يناير 2020", "2020-01-20", "day", "gregorian")),
        ("في الحادي والعشرين من مارس 2016", ("الحادي والعشرين من مارس 2016", "2016-03-21", "day", "gregorian")),
        ("في الخامس عشر من فيفري 2021", ("الخامس عشر من فيفري 2021", "2021-02-15", "day", "gregorian")),
        ("في الحادي والثلاثين من ديسمبر 2020", ("الحادي والثلاثين من ديسمبر 2020", "2020-12-31", "day", "gregorian")),
        ("في الفاتح من سبتمبر 1969", ("الفاتح من سبتمبر 1969", "1969-09-01", "day", "gregorian")),
        ("في الـ15 من مارس 2011", ("الـ15 من مارس 2011", "2011-03-15", "day", "gregorian")),
        # proclitics stay outside the span
        ("تأسست الكتيبة بيناير 2012 في مصراتة.", ("يناير 2012", "2012-01", "month", "gregorian")),
        ("وفي عام 2015 سيطر التنظيم على سرت.", ("عام 2015", "2015", "year", "gregorian")),
        ("ولعام 2018 خصصت الحكومة ميزانية.", ("عام 2018", "2018", "year", "gregorian")),
        ("وبالعام 2016 هزم التنظيم.", ("العام 2016", "2016", "year", "gregorian")),
        ("وتقاتل منذ عام 2014م مع الجماعات", ("عام 2014م", "2014", "year", "gregorian")),
        ("وتقاتل هذه الجماعات منذ 2014م في درنة.", ("2014م", "2014", "year", "gregorian")),
        ("انتهت الحرب سنة 2020 بحسب المراقبين.", ("سنة 2020", "2020", "year", "gregorian")),
        ("وفي 2019 شنت القوات هجوما", ("2019", "2019", "year", "gregorian")),
    ],
)
def test_digits_words_and_proclitics(text, expected):
    assert one(text) == expected


# --- Hijri dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("وقعت في 15 رمضان 1440 هـ.", None, ("15 رمضان 1440 هـ", hijri(1440, 9, 15), "day", "hijri")),
        ("بدأت الهدنة في محرم 1441 وفق البيان.", None, ("محرم 1441", hijri(1441, 1), "month", "hijri")),
        ("ووقعت الحادثة في رجب 1441هـ.", None, ("رجب 1441هـ", hijri(1441, 7), "month", "hijri")),
        (
            "في العاشر من ذي الحجة 1440 هـ.",
            None,
            ("العاشر من ذي الحجة 1440 هـ", hijri(1440, 12, 10), "day", "hijri"),
        ),
        ("صدر في 1 ربيع الأول 1441 هـ", None, ("1 ربيع الأول 1441 هـ", hijri(1441, 3, 1), "day", "hijri")),
        ("صدر في 2 جمادى الآخرة 1441 هـ", None, ("2 جمادى الآخرة 1441 هـ", hijri(1441, 6, 2), "day", "hijri")),
        ("ويتوقع أن يبدأ الهجوم في 27 رمضان.", D("2019-05-20"), ("27 رمضان", hijri(1440, 9, 27), "day", "hijri")),
        ("ويتوقع أن يبدأ الهجوم في 27 رمضان.", None, ("27 رمضان", None, "day", "hijri")),
        ("في رمضان 2019 تصاعد القتال", None, ("رمضان 2019", hijri(1440, 9), "month", "hijri")),
        ("صدر في عام 1440هـ", None, ("عام 1440هـ", "2018-09-11/2019-08-30", "year", "hijri")),
    ],
)
def test_hijri_dates_are_converted_with_umm_al_qura(text, anchor, expected):
    assert one(text, anchor) == expected


def test_hijri_and_gregorian_written_together_are_two_spans():
    text = "صدر القرار بتاريخ 3 شوال 1441هـ الموافق 26 مايو 2020م."
    assert spans(text) == [
        ("3 شوال 1441هـ", "2020-05-26", "day", "hijri"),
        ("26 مايو 2020م", "2020-05-26", "day", "gregorian"),
    ]


# --- relative expressions against the anchor -----------------------------------------------------

WEDNESDAY = D("2019-04-10")


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("قال مصدر عسكري أمس الثلاثاء إن", WEDNESDAY, ("أمس الثلاثاء", "2019-04-09", "day")),
        ("وقصفت الطائرات أمس مواقع في الجفرة", WEDNESDAY, ("أمس", "2019-04-09", "day")),
        ("وقال المتحدث بالأمس إن", WEDNESDAY, ("الأمس", "2019-04-09", "day")),
        ("وأعلنت الحكومة اليوم الأربعاء حالة النفير.", WEDNESDAY, ("اليوم الأربعاء", "2019-04-10", "day")),
        ("حتى اليوم لم يصدر بيان", WEDNESDAY, ("اليوم", "2019-04-10", "day")),
        ("ويعقد الاجتماع غداً في موسكو.", WEDNESDAY, ("غداً", "2019-04-11", "day")),
        ("ويعقد الاجتماع غدا في موسكو.", WEDNESDAY, ("غدا", "2019-04-11", "day")),
        ("وتوقعوا أن يعلن الاتفاق بعد غد.", WEDNESDAY, ("بعد غد", "2019-04-12", "day")),
        ("وقعت الاشتباكات أول أمس في عين زارة.", WEDNESDAY, ("أول أمس", "2019-04-08", "day")),
        ("وقد أعلنت، أمس الأول، سيطرتها", WEDNESDAY, ("أمس الأول", "2019-04-08", "day")),
        ("وكان الجيش قد أعلن يوم الأحد سيطرته", WEDNESDAY, ("يوم الأحد", "2019-04-07", "day")),
        ("وتقدمت القوات، مساء الخميس، على بعد", WEDNESDAY, ("مساء الخميس", "2019-04-04", "day")),
        ("وقال مصدر، الجمعة، إن القوات", WEDNESDAY, ("الجمعة", "2019-04-05", "day")),
        ("وقال مصدر، الأربعاء، إن القوات", WEDNESDAY, ("الأربعاء", "2019-04-10", "day")),
        ("والتقى الوفدان الخميس الماضي في برلين.", WEDNESDAY, ("الخميس الماضي", "2019-04-04", "day")),
        ("والتقى الوفدان الأربعاء الماضي في برلين.", WEDNESDAY, ("الأربعاء الماضي", "2019-04-03", "day")),
        ("يلتقي الوفدان الخميس المقبل", WEDNESDAY, ("الخميس المقبل", "2019-04-11", "day")),
        ("يلتقي الوفدان الأربعاء المقبل", WEDNESDAY, ("الأربعاء المقبل", "2019-04-17", "day")),
        ("وكانت القوات قد دخلت ليلة الثلاثاء.", WEDNESDAY, ("ليلة الثلاثاء", "2019-04-09", "day")),
        ("استهدفت غارة صباح اليوم مستشفى", WEDNESDAY, ("صباح اليوم", "2019-04-10", "day")),
        ("ووصلت الطائرة فجر اليوم", WEDNESDAY, ("فجر اليوم", "2019-04-10", "day")),
        ("وقال المتحدث مساء يوم أمس إن", WEDNESDAY, ("مساء يوم أمس", "2019-04-09", "day")),
        ("تراجعت حدة المعارك الشهر الماضي بعد الهدنة.", WEDNESDAY, ("الشهر الماضي", "2019-03", "month")),
        ("وتعقد الجولة الشهر المقبل", WEDNESDAY, ("الشهر المقبل", "2019-05", "month")),
        ("وصلت تعزيزات مطلع الشهر الجاري.", WEDNESDAY, ("مطلع الشهر الجاري", "2019-04", "month")),
        ("أعلن تنحيه في بداية الشهر الحالي", WEDNESDAY, ("بداية الشهر الحالي", "2019-04", "month")),
        ("ووصلت شحنة أواخر الشهر الماضي إلى الميناء", WEDNESDAY, ("أواخر الشهر الماضي", "2019-03", "month")),
        ("وأعلنت البعثة في 12 من الشهر الجاري عن مبادرة", WEDNESDAY, ("12 من الشهر الجاري", "2019-04-12", "day")),
        ("وارتفع عدد النازحين العام الماضي", WEDNESDAY, ("العام الماضي", "2018", "year")),
        ("وارتفعت الأسعار السنة الماضية", WEDNESDAY, ("السنة الماضية", "2018", "year")),
        ("وتخطط البعثة لعقد مؤتمر هذا العام.", WEDNESDAY, ("هذا العام", "2019", "year")),
        ("وستجرى الانتخابات العام المقبل.", WEDNESDAY, ("العام المقبل", "2020", "year")),
        ("قبل نهاية العام الجاري.", WEDNESDAY, ("نهاية العام الجاري", "2019", "year")),
        ("وصل أكثر من 7000 منذ بداية العام، وكانت", WEDNESDAY, ("بداية العام", "2019", "year")),
        ("وقع في أبريل من العام الماضي", WEDNESDAY, ("أبريل من العام الماضي", "2018-04", "month")),
        ("وقصفت المدفعية الأحياء الأسبوع الماضي.", WEDNESDAY, ("الأسبوع الماضي", "2019-W14", "week")),
        ("ويعقد الملتقى جولته الأسبوع الجاري.", WEDNESDAY, ("الأسبوع الجاري", "2019-W15", "week")),
        ("وقال إن الهجوم سيبدأ الأسبوع المقبل.", WEDNESDAY, ("الأسبوع المقبل", "2019-W16", "week")),
        ("وفي يونيو الماضي استعادت القوات غريان.", WEDNESDAY, ("يونيو الماضي", "2018-06", "month")),
        ("وفي مارس الماضي استعادت القوات غريان.", WEDNESDAY, ("مارس الماضي", "2019-03", "month")),
        ("وفي يناير المقبل تبدأ", WEDNESDAY, ("يناير المقبل", "2020-01", "month")),
        ("وقع في العشرين من فبراير الماضي", WEDNESDAY, ("العشرين من فبراير الماضي", "2019-02-20", "day")),
        ("ويتوقع أن تنتهي المفاوضات منتصف مايو.", WEDNESDAY, ("منتصف مايو", "2019-05", "month")),
        ("وقعت الهجمات منتصف ديسمبر في المدينة.", D("2020-01-05"), ("منتصف ديسمبر", "2019-12", "month")),
        ("في الربع الأخير من العام الماضي", WEDNESDAY, ("الربع الأخير من العام الماضي", "2018-Q4", "quarter")),
        ("كانت المدينة مزدهرة في القرن الماضي.", WEDNESDAY, ("القرن الماضي", "19", "century")),
        ("شهدت ليبيا انقلابا في ستينيات القرن الماضي.", WEDNESDAY, ("ستينيات القرن الماضي", "1960/1969", "year")),
    ],
)
def test_relative_expressions_against_the_anchor(text, anchor, expected):
    assert one(text, anchor) == (*expected, "gregorian")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("هاجم المسلحون المعسكر أمس الأربعاء وقتلوا جنديين.", ("أمس الأربعاء", None, "day")),
        ("قالت الوكالة، اليوم الأربعاء، نقلا عن", ("اليوم الأربعاء", None, "day")),
        ("ومن المقرر أن يعقد الاجتماع غداً في موسكو.", ("غداً", None, "day")),
        ("وشن الجيش هجمات مكثفة أمس السبت على", ("أمس السبت", None, "day")),
        ("والسبت أيضاً، قتل شخص واحد", ("السبت", None, "day")),
        ("وقال المتحدث إن الاجتماع عقد الشهر الماضي.", ("الشهر الماضي", None, "month")),
        ("ارتفعت الأسعار هذا العام.", ("هذا العام", None, "year")),
        ("إنهم علموا الأسبوع الماضي أن شقيقه", ("الأسبوع الماضي", None, "week")),
        ("منذ 12 من الشهر الجاري.", ("12 من الشهر الجاري", None, "day")),
        ("كانت مزدهرة في القرن الماضي.", ("القرن الماضي", None, "century")),
        # what the text writes is kept: the day and month without their year
        ("وأعلنت القوات في 5 أبريل سيطرتها على غريان.", ("5 أبريل", "--04-05", "day")),
        ("وقع في العشرين من فبراير الماضي", ("العشرين من فبراير الماضي", "--02-20", "day")),
        ("وأشار التقرير إلى أن 3 آلاف وصلوا في يوليو.", ("يوليو", "--07", "month")),
        ("بدأ وقف إطلاق النار منذ 12 جانفي الجاري", ("12 جانفي الجاري", "--01-12", "day")),
    ],
)
def test_without_an_anchor_nothing_is_filled_in(text, expected):
    assert one(text, None) == (*expected, "gregorian")


def test_without_an_anchor_the_value_key_is_absent_and_today_is_never_used():
    today = dt.date.today().isoformat()
    for found in find_dates("قال أمس الأربعاء واليوم الخميس إن الهجوم بدأ الشهر الماضي.", None):
        assert "value" not in found.attributes
        assert today not in json.dumps(found.attributes)


@pytest.mark.parametrize(
    ("text", "anchor", "value"),
    [
        ("وأعلنت القوات في 5 أبريل سيطرتها", D("2019-04-20"), "2019-04-05"),
        ("وأعلنت القوات في 5 أبريل سيطرتها", D("2019-03-20"), "2019-04-05"),  # within a month ahead
        ("وقعت المجزرة في 28 ديسمبر قرب الكلية", D("2020-01-10"), "2019-12-28"),  # the year before
        ("وقعت المجزرة في 28 ديسمبر قرب الكلية", D("2020-12-30"), "2020-12-28"),
        ("وقع في 29 فبراير الماضي", D("2021-03-10"), "2020-02-29"),  # the last 29 February
        ("وقع في 29 فبراير الماضي", D("2020-03-10"), "2020-02-29"),
    ],
)
def test_a_day_and_month_take_the_anchors_year_or_the_one_before(text, anchor, value):
    assert one(text, anchor)[1] == value


def test_the_same_month_refers_to_the_month_named_before():
    text = "بدأ وقف إطلاق النار منذ 12\u00a0 جانفي الجاري، وتم التأكيد عليه في مؤتمر برلين، المنعقد في 19 من ذات الشهر."
    assert spans(text) == [
        ("12\u00a0 جانفي الجاري", "--01-12", "day", "gregorian"),
        ("19 من ذات الشهر", "--01-19", "day", "gregorian"),
    ]
    assert [s[1] for s in spans(text, D("2020-01-26"))] == ["2020-01-12", "2020-01-19"]
    assert one("المنعقد في 19 من ذات الشهر.")[1] is None  # no month named before


def test_a_weekday_that_contradicts_the_anchor_is_trusted_with_less_confidence():
    (found,) = find_dates("قال أمس الأربعاء إن", WEDNESDAY)  # the article is probably from Thursday
    assert found.attributes["value"] == "2019-04-10"
    assert found.confidence < 0.6


# --- spans: modifiers, time of day, ranges, centuries -------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أعلن التنظيم عن وجوده مطلع عام 2015 في سرت.", ("مطلع عام 2015", "2015", "year")),
        ("تصاعدت الهجمات أواخر عام 2016.", ("أواخر عام 2016", "2016", "year")),
        ("وصلت الدفعة الأولى أوائل يونيو 2020.", ("أوائل يونيو 2020", "2020-06", "month")),
        ("لذبح 21 مصرياً قبطياَ أواسط فبراير 2015، وكذلك", ("أواسط فبراير 2015", "2015-02", "month")),
        ("ونفذ التنظيم هجمات منذ بداية عام 2016.", ("بداية عام 2016", "2016", "year")),
        ("وفي شتاء 2011 فر آلاف المدنيين.", ("شتاء 2011", "2011", "year")),
        ("وفي أواخر كانون الأول 2019 وقعت تركيا", ("أواخر كانون الأول 2019", "2019-12", "month")),
        ("في الأسبوع الأول من مارس 2019", ("الأسبوع الأول من مارس 2019", "2019-03", "month")),
        ("ارتفعت الصادرات في الربع الأول من 2019.", ("الربع الأول من 2019", "2019-Q1", "quarter")),
        ("وتراجع خلال الربع الثالث من عام 2020.", ("الربع الثالث من عام 2020", "2020-Q3", "quarter")),
        ("وانخفضت الهجمات في النصف الأول من 2018.", ("النصف الأول من 2018", "2018-01/2018-06", "month")),
        ("خضعت ليبيا للاحتلال في القرن العشرين.", ("القرن العشرين", "19", "century")),
        ("في القرن الحادي والعشرين", ("القرن الحادي والعشرين", "20", "century")),
        ("في القرن التاسع عشر", ("القرن التاسع عشر", "18", "century")),
        ("في القرن الـ20", ("القرن الـ20", "19", "century")),
        ("وتعود جذور الأزمة إلى تسعينيات القرن العشرين.", ("تسعينيات القرن العشرين", "1990/1999", "year")),
        ("وأفادت بأن القصف تجدد يوم الجمعة 12 يوليو 2019 على", ("يوم الجمعة 12 يوليو 2019", "2019-07-12", "day")),
        ("الجمعة 5 أبريل 2019 01:04 م", ("الجمعة 5 أبريل 2019", "2019-04-05", "day")),
        ("يوم الخميس الموافق 12 مارس 2020 وقعت", ("يوم الخميس الموافق 12 مارس 2020", "2020-03-12", "day")),
        ("انعقدت الجلسة يوم 14 ماي 2021 في جنيف.", ("يوم 14 ماي 2021", "2021-05-14", "day")),
        ("شهد شهر مارس 2011 أولى المظاهرات", ("شهر مارس 2011", "2011-03", "month")),
        ("منتصف ليل الخميس 4 أبريل 2019 هاجم", ("منتصف ليل الخميس 4 أبريل 2019", "2019-04-04", "day")),
    ],
)
def test_the_span_holds_the_whole_expression(text, expected):
    assert one(text) == (*expected, "gregorian")


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("التهديد المتصاعد بين عامي 2020 و2024، يقول المصدر.", None, ("عامي 2020 و2024", "2020/2024", "year")),
        ("ودارت معارك بين عامي 2014 و2017 في بنغازي.", None, ("عامي 2014 و2017", "2014/2017", "year")),
        (
            "تنعقد الدورة من 26 وحتى 30 اغسطس في تونس.",
            D("2019-08-20"),
            ("من 26 وحتى 30 اغسطس", "2019-08-26/2019-08-30", "day"),
        ),
        ("تنعقد الدورة من 26 وحتى 30 اغسطس في تونس.", None, ("من 26 وحتى 30 اغسطس", "--08-26/--08-30", "day")),
        ("وتقام من 1 إلى 5 ديسمبر 2021.", None, ("من 1 إلى 5 ديسمبر 2021", "2021-12-01/2021-12-05", "day")),
        ("وتقام بين 15-20 مارس 2019.", None, ("بين 15-20 مارس 2019", "2019-03-15/2019-03-20", "day")),
        ("وتقام 15-20 مارس 2019.", None, ("15-20 مارس 2019", "2019-03-15/2019-03-20", "day")),
        ("شهدت المدينة معارك بين 2011 و2014.", None, ("بين 2011 و2014", "2011/2014", "year")),
        ("من عام 2011 حتى عام 2014 قاتل", None, ("عام 2011 حتى عام 2014", "2011/2014", "year")),
        (
            "تستمر الحملة من 5 مارس إلى 10 أبريل 2021.",
            None,
            ("5 مارس إلى 10 أبريل 2021", "2021-03-05/2021-04-10", "day"),
        ),
        ("أجريت الانتخابات بين يناير ومارس 2012.", None, ("يناير ومارس 2012", "2012-01/2012-03", "month")),
        ("خلال الفترة 2011-2014 تضاعف عدد الكتائب.", None, ("2011-2014", "2011/2014", "year")),
        (
            "من 1 يناير 2019 إلى 31 ديسمبر 2020",
            None,
            ("1 يناير 2019 إلى 31 ديسمبر 2020", "2019-01-01/2020-12-31", "day"),
        ),
    ],
)
def test_a_range_is_one_span_valued_as_an_interval(text, anchor, expected):
    assert one(text, anchor) == (*expected, "gregorian")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("التي أعقبت ثورة 17 فبراير 2011 في", "2011-02-17"),  # the year written wins
        ("دفاعا عن ثورة 17 فبراير/شباط ميراث", "2011-02-17"),
        ("منذ ثورة 25 يناير في مصر", "2011-01-25"),
        ("بعد أحداث 11 سبتمبر", "2001-09-11"),
    ],
)
def test_named_revolution_days_keep_their_year(text, value):
    assert one(text, D("2019-04-05"))[1] == value


# --- not dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "استمرت المعارك لمدة شهر قبل أن تتوقف.",
        "ويعمل في ليبيا منذ سنوات عديدة.",
        "وقتل رجل يبلغ من العمر 56 عاما في القصف.",
        "وأصيب طفل عمره 12 عاما بجروح.",
        "وسمع دوي الانفجارات في الساعة 10 ليلا.",
        "واستمر القصف ثلاثة أيام متواصلة.",
        "وأكد المصدر مقتل 2019 شخصا في الاشتباكات.",
        "واعتقل في 2015 شخصا بحسب المصدر.",
        "ويحتاج المشروع إلى أكثر من 2000 عامل.",
        "ويبلغ طول الطريق 2020 كيلومترا.",
        "وتم نقل 1500 مقاتل إلى سرت بعد 4 أشهر من المعارك.",
        "وتقع البلدة منتصف الطريق بين مصراتة وسرت.",
        "ومارس الجيش ضغوطا كبيرة على المسلحين.",
        "وقال الأمين العام إن الرأي العام يطالب بالسلام والمدعي العام يحقق.",
        "قاتلت كتيبة 17 فبراير إلى جانب قوات الوفاق.",
        "وتجمع المحتجون في ميدان 17 فبراير.",
        "وأعلن أن الجماعة تضم 200 مسلح في اليوم الأول من المعارك.",
        "وفي اليوم التالي انسحبت القوات.",
        "واستغرق بناء السور عامين كاملين.",
        "وسقطت 12 قذيفة على حي أبو سليم.",
        "واستقر في المدينة منذ أسبوعين.",
        "وأمضى المعتقلون ستة أشهر في السجن.",
        "هناك مزاعم انتشرت قبل شهر باعتقال عمال، وكانت القيادة قد أعلنت قبل أيام",
        "خلال الأيام القليلة الماضية وخلال الفترة الماضية",
        "صفقة القرن ومنطقة القرن الأفريقي",
        "ألغي العام الدراسي وأمضى أحد عشر يوما",
        "غدا الوضع أكثر تعقيدا",
        "وشارك حزب الغد في الحوار.",
        "وشارك الآلاف في صلاة الجمعة.",
        "وجرت اتصالات بين الاثنين معا.",
        "وأعلنت الحكومة أن 12 من قواته وقعوا في الأسر.",
    ],
)
def test_not_dates(text):
    assert spans(text, WEDNESDAY) == []


def test_a_bare_ambiguous_month_is_a_date_only_after_a_preposition_of_time():
    assert spans("ومارس الجيش ضغوطا") == []
    assert spans("وفي مارس، قال المتحدث") == [("مارس", "--03", "month", "gregorian")]
    assert spans("ماي الوضع") == []
    assert one("منذ ماي") == ("ماي", "--05", "month", "gregorian")


# --- confidence, the engine's contract --------------------------------------------------------------


def test_confidence_is_highest_for_a_full_explicit_date():
    explicit, partial, relative, unknown = (
        find_dates("في 19 يناير 2019", None)[0],
        find_dates("في 19 يناير", None)[0],
        find_dates("أمس", WEDNESDAY)[0],
        find_dates("أمس", None)[0],
    )
    assert explicit.confidence == 0.95
    assert explicit.confidence > relative.confidence > unknown.confidence
    assert explicit.confidence > partial.confidence > unknown.confidence


def test_find_dates_is_an_engine_and_its_values_fit_the_date_label(corpus_texts):
    engine: Engine = find_dates
    for text in corpus_texts.values():
        for anchor in (None, D("2020-03-10")):
            found = engine(text, anchor)
            assert found == sorted(found, key=lambda f: (f.start, f.end))
            for item, following in zip(found, found[1:]):
                assert item.end <= following.start
            for item in found:
                assert (item.label, item.source) == ("DATE", RULES_DATE)
                assert validate_attributes(DATE_LABEL, item.attributes) == item.attributes
                assert item.to_json(text)["text"] == text[item.start : item.end]


def test_harakat_and_tatweel_stay_with_their_letters():
    text = "قُتِلَ أَمْسِ الأَرْبِعَاءِ جنديان، وفي 15 رمضان 1440 هـ وصلت"
    found = find_dates(text, WEDNESDAY)
    assert [text[f.start : f.end] for f in found] == ["أَمْسِ الأَرْبِعَاءِ", "15 رمضان 1440 هـ"]
    for item in found:
        assert is_grapheme_boundary(text, item.start) and is_grapheme_boundary(text, item.end)


# --- date_at: the annotator's selection -----------------------------------------------------------


def _at(text: str, selected: str, anchor: dt.date | None = None, nth: int = 0) -> tuple[str, str | None] | None:
    start = -1
    for _ in range(nth + 1):
        start = text.index(selected, start + 1)
    found = date_at(text, start, start + len(selected), anchor)
    return None if found is None else (text[found.start : found.end], found.attributes.get("value"))


@pytest.mark.parametrize(
    ("text", "selected", "anchor", "expected"),
    [
        ("واستضافت برلين في 19 يناير 2019 مؤتمرا دوليا", "19 يناير 2019", None, ("19 يناير 2019", "2019-01-19")),
        ("واستضافت برلين في 19 يناير 2019 مؤتمرا دوليا", "19 يناير", None, ("19 يناير 2019", "2019-01-19")),
        ("واستضافت برلين في 19 يناير 2019 مؤتمرا دوليا", "يناير 2019", None, ("19 يناير 2019", "2019-01-19")),
        ("واستضافت برلين في 19 يناير 2019 مؤتمرا دوليا", "في 19 يناير 2019", None, ("19 يناير 2019", "2019-01-19")),
        ("واستضافت برلين في 19 يناير 2019 مؤتمرا دوليا", "ناير 20", None, ("19 يناير 2019", "2019-01-19")),
        ("تأسست الكتيبة بيناير 2012 في مصراتة.", "بيناير 2012", None, ("يناير 2012", "2012-01")),
        ("وشن الجيش هجمات أمس السبت على مناطق", "أمس", D("2014-10-19"), ("أمس السبت", "2014-10-18")),
        ("وشن الجيش هجمات أمس السبت على مناطق", "السبت على", D("2014-10-19"), ("أمس السبت", "2014-10-18")),
        ("والسبت أيضاً، قتل شخص واحد", "والسبت", D("2014-10-19"), ("السبت", "2014-10-18")),
        ("تنعقد الدورة من 26 وحتى 30 اغسطس في تونس.", "30 اغسطس", None, ("من 26 وحتى 30 اغسطس", "--08-26/--08-30")),
        ("مطلع عام 2015 أعلن التنظيم", "عام 2015", None, ("مطلع عام 2015", "2015")),
        # the annotator says it is a date: what the text pass leaves alone is read on its own
        ("ومارس الجيش ضغوطا", "مارس", None, ("مارس", "--03")),
        ("وقال إن عدد القتلى بلغ 2019", "2019", None, ("2019", "2019")),
        ("وقال المتحدث إن القوات تقدمت", "القوات", None, None),
    ],
)
def test_date_at_finds_the_whole_expression_under_a_rough_selection(text, selected, anchor, expected):
    assert _at(text, selected, anchor) == expected


def test_date_at_prefers_the_expression_the_selection_covers_most():
    text = "قتل في 19 يناير 2019 ثم في 20 سبتمبر 2019 جنديان"
    assert _at(text, "2019 ثم في 20 سبتمبر") == ("20 سبتمبر 2019", "2019-09-20")
    assert _at(text, "يناير 2019 ثم") == ("19 يناير 2019", "2019-01-19")
    assert date_at(text, 3, 3, None) is None  # an empty selection
    # a range is one expression
    assert _at("بين 19 يناير 2019 و20 سبتمبر 2019", "و20 سبتمبر") == (
        "19 يناير 2019 و20 سبتمبر 2019",
        "2019-01-19/2019-09-20",
    )


def test_date_at_reads_dates_far_into_a_long_text():
    text = "كلام " * 3000 + "وقعت الغارة في 4 أبريل 2019 جنوب طرابلس."
    start = text.index("4 أبريل")
    found = date_at(text, start, start + 7, None)
    assert found is not None and text[found.start : found.end] == "4 أبريل 2019"


# --- dateline -------------------------------------------------------------------------------------


def test_dateline_on_the_corpus(corpus_texts):
    found = {name[:3]: dateline(text) for name, text in corpus_texts.items()}
    assert found == {"000": None, "001": None, "002": D("2019-04-05"), "003": None, "004": None}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("عنوان الخبر\n\nالسبت 12 أكتوبر 2019 10:30 ص\n\nقال مصدر", D("2019-10-12")),
        ("طرابلس - 05/04/2019\nقال مصدر", D("2019-04-05")),
        ("عنوان\nنشر في: 2019-04-05 01:04\nنص", D("2019-04-05")),
        ("عنوان\nالخميس 15 رمضان 1440 هـ\nنص", D("2019-05-20")),
        ("عنوان\nأبريل 2019\nنص", None),  # not a full day
        ("عنوان\nأمس الأربعاء\nنص", None),  # relative: no dateline
        (
            "عنوان\n"
            + "قال المتحدث باسم الجيش الليبي في بيان مطول نشره على صفحته إن القوات سيطرت في 5 أبريل 2019 على المدينة",
            None,
        ),
        ("\n".join(["سطر"] * 8) + "\nالجمعة 5 أبريل 2019", None),  # too far down
        ("", None),
    ],
)
def test_dateline_reads_only_a_full_day_near_the_top(text, expected):
    assert dateline(text) == expected


# --- properties -------------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "في",
        "و",
        "ب",
        " ",
        "  ",
        "\u00a0",
        "\n",
        "،",
        ".",
        "(",
        ")",
        "/",
        "-",
        "19",
        "٢٠١٩",
        "2020",
        "5",
        "31",
        "م",
        "هـ",
        "يناير",
        "فبراير/شباط",
        "كانون الثاني",
        "جانفي",
        "ماي",
        "مارس",
        "رمضان",
        "ذي الحجة",
        "1440",
        "عام",
        "عامي",
        "العام",
        "الماضي",
        "المقبل",
        "الجاري",
        "أمس",
        "اليوم",
        "غداً",
        "الأربعاء",
        "الجمعة",
        "يوم",
        "مساء",
        "مطلع",
        "منتصف",
        "الشهر",
        "ذات",
        "الأسبوع",
        "القرن",
        "العشرين",
        "ستينيات",
        "الربع",
        "الأول",
        "الثالث",
        "من",
        "بين",
        "حتى",
        "إلى",
        "كتيبة",
        "\u064e",
        "\u0651",
        "\u0640",
        "\u200f",
        "\u200d",
        "👍🏽",
        "قتيل",
    ]
)
TEXTS = st.lists(FRAGMENTS, max_size=30).map("".join)
ANCHORS = st.none() | st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31))


def _well_formed(text: str, found: Found) -> None:
    assert 0 <= found.start < found.end <= len(text)
    assert is_grapheme_boundary(text, found.start) and is_grapheme_boundary(text, found.end)
    assert found.label == "DATE" and found.source == RULES_DATE and 0 < found.confidence <= 1
    assert found.attributes["precision"] in PRECISIONS
    assert found.attributes["calendar"] in ("gregorian", "hijri")
    if "value" in found.attributes:
        assert parse_iso_date(found.attributes["value"]) == found.attributes["value"]
    assert validate_attributes(DATE_LABEL, found.attributes) == found.attributes


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, ANCHORS)
def test_spans_are_in_the_text_on_grapheme_edges_and_values_parse(text, anchor):
    found = find_dates(text, anchor)
    for item in found:
        _well_formed(text, item)
    for item, following in zip(found, found[1:]):
        assert item.end <= following.start


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, ANCHORS, st.integers(0, 200), st.integers(0, 40))
def test_date_at_gives_a_well_formed_span_or_none(text, anchor, start, length):
    start = min(start, len(text))
    found = date_at(text, start, min(len(text), start + length), anchor)
    if found is not None:
        _well_formed(text, found)


# --- the evaluation set -------------------------------------------------------------------------------


def _rows() -> list[dict]:
    return [json.loads(line) for line in EVALUATION_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_evaluation_set_is_well_formed():
    rows = _rows()
    written = [r for r in rows if r["source"] == "written"]
    holdout = [r for r in written if r.get("split") == "holdout"]
    assert sum(len(r["spans"]) for r in rows) >= 120
    assert 0.2 <= len(holdout) / len(written) <= 0.3
    assert any(r["source"].startswith("corpus:") for r in rows)
    assert sum(1 for r in rows if not r["spans"]) >= 15  # negatives
    for row in rows:
        assert row["source"] == "written" or row["source"].startswith("corpus:")
        if row["anchor"] is not None:
            dt.date.fromisoformat(row["anchor"])
        for span in row["spans"]:
            assert row["text"][span["start"] : span["end"]] == span["text"]
            assert span["precision"] in PRECISIONS
            if span["value"] is not None:
                assert parse_iso_date(span["value"]) == span["value"]


def evaluate(rows: list[dict]) -> dict[str, float]:
    """Span precision/recall/F1, strict (same edges) and relaxed (overlap, one to one), and the
    accuracy of the value, precision and calendar together on the relaxed matches."""
    strict = relaxed = predicted = gold = right = 0
    for row in rows:
        anchor = dt.date.fromisoformat(row["anchor"]) if row["anchor"] else None
        found = find_dates(row["text"], anchor)
        predicted += len(found)
        gold += len(row["spans"])
        used: set[int] = set()
        for span in row["spans"]:
            match = next(
                (i for i, f in enumerate(found) if i not in used and f.start < span["end"] and span["start"] < f.end),
                None,
            )
            if match is None:
                continue
            used.add(match)
            item = found[match]
            relaxed += 1
            strict += (item.start, item.end) == (span["start"], span["end"])
            right += (
                item.attributes.get("value"),
                item.attributes["precision"],
                item.attributes["calendar"],
            ) == (span["value"], span["precision"], span.get("calendar", "gregorian"))

    def f1(hits: int) -> float:
        p, r = hits / predicted if predicted else 1.0, hits / gold if gold else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    return {
        "strict_f1": f1(strict),
        "relaxed_f1": f1(relaxed),
        "relaxed_precision": relaxed / predicted if predicted else 1.0,
        "relaxed_recall": relaxed / gold if gold else 1.0,
        "value_accuracy": right / relaxed if relaxed else 1.0,
    }


@pytest.mark.parametrize("split", ["all", "holdout"])
def test_figures_on_the_evaluation_set(split):
    rows = _rows()
    if split == "holdout":
        rows = [r for r in rows if r.get("split") == "holdout"]
    figures = evaluate(rows)
    print(split, {k: round(v, 3) for k, v in figures.items()})
    assert figures["relaxed_f1"] >= 0.95
    assert figures["value_accuracy"] >= 0.95


def test_a_selection_that_ends_before_a_letters_mark_gives_the_date_with_its_mark():
    """Found by hypothesis: the selection read on its own stopped between "ي" and its fatha."""
    text = "ووكانون الثانيَ"
    found = date_at(text, 1, 14, None)
    assert found is not None
    _well_formed(text, found)
    assert text[found.start : found.end] == "كانون الثانيَ" and found.attributes["value"] == "--01"
