"""CASUALTY values: spans, counts, kinds, estimates and denials found in Arabic news.

Table-driven per rule of issue 13 (sentences from the sample corpus and written ones), the
things that are not counts, selections, number words (with a generated round trip), the
invariants every proposal keeps (offsets in the text, whole graphemes, valid attributes),
and the evaluation set in tests/data/values/casualties.jsonl with its floors.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.store.labels import DEFAULT_LABELS, parse_count, validate_attributes
from workbench.core.text.boundaries import fits, is_grapheme_boundary
from workbench.core.values import RULES_CASUALTY, Found
from workbench.core.values.casualties import LABEL, casualty_at, find_casualties
from workbench.core.values.numbers import (
    digits_value,
    find_numbers,
    number_at,
    parse_number,
    parse_ordinal,
    starts_number,
    words,
)
from workbench.resources import sample_corpus_files

CASUALTY = next(label for label in DEFAULT_LABELS if label.name == "CASUALTY")
CORPUS = {f.stem: f.read_text(encoding="utf-8") for f in sample_corpus_files()}
EVALUATION = Path(__file__).parent / "data" / "values" / "casualties.jsonl"


def _found(text: str) -> list[tuple[str, Any, str]]:
    """(span text, count, kind) of each proposal."""
    return [(text[f.start : f.end], f.attributes.get("count"), f.attributes["kind"]) for f in find_casualties(text)]


def _one(text: str) -> Found:
    found = find_casualties(text)
    assert len(found) == 1, [(text[f.start : f.end], f.attributes) for f in found]
    return found[0]


# --- the span and the kind -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # the sample corpus
        ("وأفادت مصادر ليبية بمقتل أربعة من قوات حكومة الوفاق", [("مقتل أربعة", 4, "killed")]),
        ("وإصابة 18 في عملية استعادة أبو قرين", [("إصابة 18", 18, "injured")]),
        ("مصدر بجيش حفتر يعترف بأسر 30 من قواته", [("أسر 30", 30, "captured")]),
        (
            "نشر موالون لما يعرف بعملية الكرامة أسماء 12 مسلحا من قوات حفتر لقوا مصرعهم.",
            [("12 مسلحا من قوات حفتر لقوا مصرعهم", 12, "killed")],
        ),
        ("نقلت خلال الفترة الماضية جثث 75 من المرتزقة", [("جثث 75", 75, "killed")]),
        ("وأن 30 من قواته وقعوا في أسر القوات الحكومية.", [("30 من قواته وقعوا في أسر", 30, "captured")]),
        ("وقضت على 80 عنصرًا، في 18 يناير 2017", [("قضت على 80", 80, "killed")]),
        ("كان أبرزها شريط فيديو لذبح 21 مصرياً قبطياَ أواسط فبراير 2015", [("ذبح 21", 21, "killed")]),
        # each kind, verbs and nouns, with their proclitics
        ("وقتل ثلاثة جنود في الهجوم.", [("قتل ثلاثة", 3, "killed")]),
        ("فقتل اثنان من عناصر الشرطة.", [("قتل اثنان", 2, "killed")]),
        ("وندد البيان لمقتل خمسة مدنيين.", [("مقتل خمسة", 5, "killed")]),
        ("لقي خمسة أشخاص حتفهم في انفجار.", [("لقي خمسة أشخاص حتفهم", 5, "killed")]),
        ("واستشهد ثلاثة مسعفين.", [("استشهد ثلاثة", 3, "killed")]),
        ("وقضى أربعة مهاجرين غرقا.", [("قضى أربعة", 4, "killed")]),
        ("وعثر السكان على 9 جثث مجهولة الهوية.", [("9 جثث", 9, "killed")]),
        ("أسفر الانفجار عن سقوط 7 قتلى.", [("7 قتلى", 7, "killed")]),
        ("وجرح 4 أشخاص.", [("جرح 4", 4, "injured")]),
        ("وأصيب سبعة آخرون.", [("أصيب سبعة", 7, "injured")]),
        ("وأفاد المستشفى باستقبال 25 جريحا.", [("25 جريحا", 25, "injured")]),
        ("وأكد الهلال الأحمر وجود 6 مصابين في حالة حرجة.", [("6 مصابين", 6, "injured")]),
        ("وأعلنت القوات اعتقال 15 مشتبها بهم.", [("اعتقال 15", 15, "captured")]),
        ("وتم احتجاز 4 صحفيين لساعات.", [("احتجاز 4", 4, "captured")]),
        ("أقدم مسلحون على خطف ثلاثة عمال.", [("خطف ثلاثة", 3, "captured")]),
        ("وأعلنت الشرطة اختطاف 9 أشخاص.", [("اختطاف 9", 9, "captured")]),
        ("وأعلن خفر السواحل فقدان 20 مهاجرا.", [("فقدان 20", 20, "missing")]),
        ("ولا يزال سبعة صيادين في عداد المفقودين.", [("سبعة صيادين في عداد المفقودين", 7, "missing")]),
        ("وسقط 8 ضحايا من المدنيين.", [("8 ضحايا", 8, "unspecified")]),
        ("وأسفر الهجوم عن مقتل وإصابة 20 شخصا.", [("مقتل وإصابة 20", 20, "unspecified")]),
        ("وسقط 30 شخصا بين قتيل وجريح.", [("30 شخصا بين قتيل وجريح", 30, "unspecified")]),
        # harakat stay on their letters
        ("قُتِلَ ثَلاثَةُ جُنُودٍ.", [("قُتِلَ ثَلاثَةُ", 3, "killed")]),
    ],
)
def test_span_and_kind(text: str, expected: list[tuple[str, Any, str]]) -> None:
    assert _found(text) == expected


# --- the count -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span, count",
    [
        # digits of three scripts, with separators
        ("وقالت الوزارة إن ١٢ شخصا قتلوا.", "١٢ شخصا قتلوا", 12),
        ("وأكدت البعثة مقتل ۱۵ مهاجرا.", "مقتل ۱۵", 15),
        ("وتسبب النزاع في مقتل 1,200 شخص.", "مقتل 1,200", 1200),
        ("وبلغت حصيلة القتلى ١٬٣٥٠ منذ أبريل.", "القتلى ١٬٣٥٠", 1350),
        ("وقالت الأمم المتحدة إن 2000 شخص قتلوا.", "2000 شخص قتلوا", 2000),
        ("وأن 3 آلاف جريح يتلقون العلاج.", "3 آلاف جريح", 3000),
        # number words, compounds and construct forms
        ("وأفادت المصادر بمقتل اثني عشر مقاتلا.", "مقتل اثني عشر", 12),
        ("وقتل اثنا عشر عنصرا.", "قتل اثنا عشر", 12),
        ("وأصيب ثلاثة عشر شخصا.", "أصيب ثلاثة عشر", 13),
        ("وأسفرت المعارك عن مقتل خمسة وعشرين مسلحا.", "مقتل خمسة وعشرين", 25),
        ("فيما قتل ثلاثمائة مدني.", "قتل ثلاثمائة", 300),
        ("وأعلنت المنظمة مقتل ثلاث مئة وأربعين شخصا.", "مقتل ثلاث مئة وأربعين", 340),
        ("وأدى الصراع إلى مقتل ألفين من المقاتلين.", "مقتل ألفين", 2000),
        ("وقتل مائتا مدني.", "قتل مائتا", 200),
        ("ويقدر أن مائتي ألف شخص قتلوا.", "مائتي ألف شخص قتلوا", 200_000),
        ("وقتل مليون شخص.", "قتل مليون", 1_000_000),
        ("وأعلن الجيش مقتل إحدى عشرة امرأة.", "مقتل إحدى عشرة", 11),
        ("وقدرت مصادر عدد القتلى بمائتين وخمسين.", "القتلى بمائتين وخمسين", 250),
        ("ولقي مئة وعشرون شخصا حتفهم.", "لقي مئة وعشرون شخصا حتفهم", 120),
        ("وأعلنت الحكومة أن ثلاثة آلاف مقاتل قتلوا.", "ثلاثة آلاف مقاتل قتلوا", 3000),
        # duals are two
        ("وسقط قتيلان في تبادل لإطلاق النار.", "قتيلان", 2),
        ("وأسفر الهجوم عن سقوط قتيلين.", "قتيلين", 2),
        ("ونقل جريحان إلى المستشفى.", "جريحان", 2),
        ("وعثرت فرق الإنقاذ على جثتين.", "جثتين", 2),
        ("وقتل جنديان في هجوم انتحاري.", "قتل جنديان", 2),
        ("وأعلن الجيش أسر جنديين.", "أسر جنديين", 2),
        ("وأصيب شرطيان بجروح طفيفة.", "أصيب شرطيان", 2),
        ("مما أسفر عن جرح موظفين اثنين، وإلحاق أضرار", "جرح موظفين اثنين", 2),
        # one victim
        ("وأعلنت السلطات مقتل جندي في هجوم.", "مقتل جندي", 1),
        ("وأسفر الانفجار عن قتيل.", "قتيل", 1),
        ("وتحدثت قوات الوفاق عن أسر عنصر من القوات المهاجمة", "أسر عنصر", 1),
        ("في حين أظهرت صور أخرى من قيل إنه أسير سوداني الجنسية.", "أسير", 1),
        ("والسبت أيضاً، قتل شخص واحد في غارة", "قتل شخص واحد", 1),
        ("أن شقيقه تم اختطافه.", "اختطافه", 1),
        ("وأفاد شهود عيان بمقتل الصحفي.", "مقتل الصحفي", 1),
        ("ولقي جندي مصرعه.", "لقي جندي مصرعه", 1),
        ("أسفرت عن إلقاء القبض على إرهابيّ يدعى", "إلقاء القبض على إرهابيّ", 1),
        ("وقتل أحد الجنود.", "قتل أحد", 1),
        ("وتوفي سجينان داخل المعتقل.", "توفي سجينان", 2),
        # an idiom: "took the lives of"
        ("وأودى القصف بحياة سبعة مدنيين.", "أودى القصف بحياة سبعة", 7),
        # a verb's indefinite plural subject is not the victims
        ("وخطف مسلحون رجل أعمال في طرابلس.", "خطف مسلحون رجل", 1),
        ("وقتل مسلحون 5 جنود.", "قتل مسلحون 5", 5),
        ("وقتل مسلحون في 3 غارات.", "قتل مسلحون", None),
        # sums written in the text
        ("وقتل ثلاثة جنود ومدنيان في الهجوم.", "قتل ثلاثة جنود ومدنيان", 5),
        ("وأسفر القصف عن مقتل 4 أطفال و3 نساء.", "مقتل 4 أطفال و3", 7),
        ("وأعلنت الشرطة مقتل جندي ومدني.", "مقتل جندي ومدني", 2),
        ("وقتل 6 من المهاجمين و2 من أفراد الحراسة.", "قتل 6 من المهاجمين و2", 8),
        ("وأصيبت أربع نساء وطفلة.", "أصيبت أربع نساء وطفلة", 5),
        ("وأعلن الجيش مقتل جندي مع ثلاثة من رفاقه.", "مقتل جندي مع ثلاثة", 4),
        (
            "تم احتجازه مع خمسة أشخاص من أضنة واثنان من هاتاي",
            "احتجازه مع خمسة أشخاص من أضنة واثنان",
            8,
        ),
        # a range
        ("وأسفر القصف عن مقتل بين 10 و15 مدنيا.", "مقتل بين 10 و15", "10-15"),
        ("وأصيب من 20 إلى 30 شخصا في التدافع.", "أصيب من 20 إلى 30", "20-30"),
        ("وقدر ناشطون عدد القتلى بـ 40-50 شخصا.", "القتلى بـ 40-50", "40-50"),
        ("واعتقل ما بين خمسة وسبعة أشخاص.", "اعتقل ما بين خمسة وسبعة", "5-7"),
        # a rise gives the new figure, not a range
        ("وأعلنت الوزارة ارتفاع حصيلة القتلى من 20 إلى 30.", "القتلى من 20 إلى 30", 30),
        # a bare plural: no count
        ("وأعلنت البعثة مقتل مدنيين في القصف.", "مقتل مدنيين", None),
        ("وأصيب مدنيون جراء سقوط قذائف.", "أصيب مدنيون", None),
        ("وتحدثت تقارير عن سقوط قتلى في صفوف المهاجمين.", "قتلى", None),
        ("تركوا خلفهم آليات وجثثا محترقة", "جثثا", None),
        ("فروا تاركين جثث قتلاهم تحترق", "جثث قتلاهم", None),
        ("كما أسرت أفرادا من قوات حفتر", "أسرت أفرادا", None),
    ],
)
def test_count(text: str, span: str, count: Any) -> None:
    found = _one(text)
    assert text[found.start : found.end] == span
    assert found.attributes.get("count") == count
    if count is None:
        assert "count" not in found.attributes


# --- estimates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span, count",
    [
        # ACLED's conservative figures for vague quantities
        ("وأسفرت الغارات عن مقتل عشرات المدنيين.", "مقتل عشرات", 10),
        ("وأصيب العشرات في الاشتباكات.", "أصيب العشرات", 10),
        ("وقالت رويترز إن dozens من المقاتلين قتلوا.", "dozens من المقاتلين قتلوا", 12),
        ("وتحدثت مصادر عن سقوط مئات القتلى.", "مئات القتلى", 100),
        ("وتحدثت مصادر عن سقوط مئات القتلى والجرحى.", "مئات القتلى والجرحى", 100),
        ("واعتقلت قوات الأمن المئات من المتظاهرين.", "اعتقلت قوات الأمن المئات", 100),
        ("وتسببت المعارك في مقتل آلاف الأشخاص.", "مقتل آلاف", 1000),
        ("وقتل عشرات الآلاف من الليبيين.", "قتل عشرات الآلاف", 10_000),
        ("وقتل عدة أشخاص في قصف.", "قتل عدة", 10),
        ("وأسفر الهجوم عن إصابة عدد من عناصر الشرطة.", "إصابة عدد", 10),
        ("وأسفر الانفجار عن عدد من الجرحى.", "عدد من الجرحى", 10),
        ("وأعلنت المنظمة اختطاف العديد من الناشطين.", "اختطاف العديد", 10),
        ("واعتقل بضعة شبان.", "اعتقل بضعة", 3),
        # approximators keep the number
        ("وأسفرت المعارك عن مقتل نحو 30 مقاتلا.", "مقتل نحو 30", 30),
        ("وأصيب حوالي 50 شخصا.", "أصيب حوالي 50", 50),
        ("وقتل أكثر من 20 مدنيا.", "قتل أكثر من 20", 20),
        ("واعتقلت الشرطة قرابة 40 شخصا.", "اعتقلت الشرطة قرابة 40", 40),
        ("وأكدت المصادر مقتل ما لا يقل عن 15 شخصا.", "مقتل ما لا يقل عن 15", 15),
        ("وقتل 10 أشخاص على الأقل في التفجير.", "قتل 10", 10),
        ("وجرح ثلاثة على الأقل، في غارة", "جرح ثلاثة", 3),
        ("وأصيب ما يقارب 60 شخصا.", "أصيب ما يقارب 60", 60),
        ("وتشير التقديرات إلى مقتل أكثر من مليون شخص.", "مقتل أكثر من مليون", 1_000_000),
    ],
)
def test_estimates_are_approximate(text: str, span: str, count: int) -> None:
    found = _one(text)
    assert (text[found.start : found.end], found.attributes.get("count")) == (span, count)
    assert found.attributes["approximate"] is True
    if "والجرحى" in span:
        assert found.attributes["kind"] == "unspecified"  # the dead and the wounded together


def test_exact_counts_are_not_approximate() -> None:
    for text in ("وقتل 10 أشخاص في التفجير.", "بمقتل أربعة من قوات حكومة الوفاق", "وسقط قتيلان."):
        assert _one(text).attributes["approximate"] is False


# --- denials -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span, count",
    [
        ("ونفى المتحدث باسم الجيش مقتل 12 جنديا.", "مقتل 12", 12),
        ("ونفت وزارة الداخلية إصابة عناصر من الشرطة.", "إصابة عناصر", None),
        ("ونفت قوات الوفاق أسر 30 من مقاتليها.", "أسر 30", 30),
        ("ونفى الجيش ما تناقلته وسائل إعلام عن مقتل خمسة من جنوده.", "مقتل خمسة", 5),
        ("لكن المتحدث نفى اعتقال أي صحفي.", "اعتقال أي صحفي", None),
        ("وكذبت الحكومة الأنباء عن مقتل 20 شخصا.", "مقتل 20", 20),
        ("لم يتم إبلاغي بالقبض على أي تركي في الأراضي الليبية", "القبض على أي تركي", None),
    ],
)
def test_denials_are_flagged_and_kept(text: str, span: str, count: Any) -> None:
    found = _one(text)
    assert (text[found.start : found.end], found.attributes.get("count")) == (span, count)
    assert found.attributes["denied"] is True


def test_a_denial_ends_with_its_clause() -> None:
    text = "ونفى مصدر عسكري مقتل قائد الكتيبة، مؤكدا أنه أصيب بجروح طفيفة."
    first, second = find_casualties(text)
    assert (text[first.start : first.end], first.attributes["denied"]) == ("مقتل قائد", True)
    assert (text[second.start : second.end], second.attributes) == (
        "أصيب",
        {"kind": "injured", "count": 1, "approximate": False, "denied": False},
    )
    assert not any(f.attributes["denied"] for f in find_casualties("وأكدت الوزارة مقتل 6 أشخاص."))


# --- what is not a count -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # ages
        ("وقتل رجل يبلغ من العمر 56 عاما في القصف.", [("قتل رجل", 1, "killed")]),
        ("وأصيب طفل (12 عاما) بشظايا قذيفة.", [("أصيب طفل", 1, "injured")]),
        ("واعتقل الشاب البالغ 19 عاما من منزله.", [("اعتقل الشاب", 1, "captured")]),
        # gates and unit numbers
        ("وسقط قتيلان قرب بوابة 27 غرب طرابلس.", [("قتيلان", 2, "killed")]),
        ("وأصيب أربعة أشخاص عند البوابة 17.", [("أصيب أربعة", 4, "injured")]),
        ("أنه أسر قوات تتبع اللواء المجحفل 106 والكتيبة 107", [("أسر قوات", None, "captured")]),
        # years
        ("وقتل في 2019 ثلاثة صحفيين في ليبيا.", [("قتل في 2019 ثلاثة", 3, "killed")]),
        ("يعتقد أنه قتل في غارة أمريكية على درنة في نوفمبر 2014", [("قتل", 1, "killed")]),
        ("وتسببت المعارك في مقتل آلاف الأشخاص منذ 2014.", [("مقتل آلاف", 1000, "killed")]),
        # durations
        ("واعتقل الصحفي لمدة 10 أيام.", [("اعتقل الصحفي", 1, "captured")]),
        ("ومنذ اختطافه قبل 3 أشهر لا تعرف عائلته عنه شيئا.", [("اختطافه", 1, "captured")]),
        ("وأصيب 3 جنود في هجوم وقع بعد 48 ساعة من الهدنة.", [("أصيب 3", 3, "injured")]),
        # a part of a count already given
        ("وأصيب 6 أشخاص بجروح، بينهم 2 في حالة حرجة.", [("أصيب 6", 6, "injured")]),
        (
            "وأفادت مصادر بمقتل 3 أشخاص، بينهم طفل، وإصابة 9 آخرين.",
            [("مقتل 3", 3, "killed"), ("إصابة 9", 9, "injured")],
        ),
    ],
)
def test_years_gates_ages_and_durations_are_not_counts(text: str, expected: list[tuple[str, Any, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "وقضى الرجل 20 عاما في الخدمة العسكرية قبل تقاعده.",
        "واستمر احتجاز السفينة 45 يوما في الميناء.",
        "وصدر حكم بالسجن 5 سنوات على المتهم بالاختطاف.",
        "وتم تسجيل أولى حالات الاختطاف في المدينة عام 2014.",
        "وتراجعت نسبة الإصابات بنسبة 20 في المائة.",
        "ونقل الجرحى إلى مستشفى طرابلس المركزي الذي يضم 400 سرير.",
        "وقالت الشرطة إن الأسرى الذين أفرج عنهم عام 2016 عادوا إلى القتال.",
        "وشارك 500 جندي في العرض العسكري في ذكرى ثورة 17 فبراير.",
        "بعدما فقدت السيطرة على الموقع الإستراتيجي",
        "السيطرة على بوابة 27 غرب طرابلس",
        "تضم نحو 200 مسلح",
        "وجود معسكرات تدريب لداعش في شرق ليبيا تضم مئات المسلحين.",
        "وتضمنت تلك الصور بعضا من الأسرى، ولقطات فيديو لبوابة 27",
        "وخاضوا معارك شرسة مع مليشيا ما يسمى شهداء أبو سليم",
        "في محاولة للقضاء على التكفيريين",
        "هو عمليّات الاعتقال المستمرّة في ليبيا",
        "كما يقوم بعمليات إعدام جماعية",
        "وقضت المحكمة بسجن 5 متهمين.",
        "وشارك أسر الضحايا في الوقفة.",
        "وأعلنت الأمم المتحدة أن 400 ألف شخص نزحوا بسبب المعارك.",
        "",
        "   \n\n",
    ],
)
def test_no_casualty(text: str) -> None:
    assert find_casualties(text) == []


# --- confidence ----------------------------------------------------------------------------


def test_confidence_is_lower_for_vague_bare_and_distant_matches() -> None:
    def confidence(text: str) -> float:
        return _one(text).confidence

    exact = confidence("وقتل خمسة جنود.")
    assert 0 < confidence("وقتل عشرات الجنود.") < exact
    assert 0 < confidence("وقتل جنود.") < confidence("وقتل عشرات الجنود.")
    assert confidence("واعتقلت الأجهزة الأمنية 11 شخصا.") < confidence("واعتقل 11 شخصا.")
    for found in find_casualties(CORPUS["000_1d4f535c4afa2fda"]):
        assert 0 < found.confidence <= 1


# --- a user's selection --------------------------------------------------------------------


@pytest.mark.parametrize(
    "selected, expected",
    [
        ("مقتل", "مقتل أربعة"),  # the word alone
        ("بمقتل", "مقتل أربعة"),  # with its proclitic
        ("تل أرب", "مقتل أربعة"),  # part of two words
        ("أربعة من قوات", "مقتل أربعة"),  # too far to the left (in reading order)
        ("وإصابة 18 في", "إصابة 18"),
        ("18", "إصابة 18"),
        (" لقوا ", "12 مسلحا من قوات حفتر لقوا مصرعهم"),  # (not the لقوا of لقوات)
        ("مسلحا", "12 مسلحا من قوات حفتر لقوا مصرعهم"),
    ],
)
def test_casualty_at_widens_an_imprecise_selection(selected: str, expected: str) -> None:
    text = CORPUS["001_6c20427af2e36eef"]
    start = text.index(selected) + (len(selected) - len(selected.lstrip()))
    found = casualty_at(text, start, start + len(selected.strip()))
    assert found is not None
    assert text[found.start : found.end] == expected
    assert found.label == LABEL and found.source == RULES_CASUALTY
    assert found in find_casualties(text)  # the same extent and values as in the whole text


def test_casualty_at_values_and_fallbacks() -> None:
    text = CORPUS["001_6c20427af2e36eef"]
    start = text.index("بمقتل أربعة")
    found = casualty_at(text, start + 3, start + 3)  # a caret inside the word
    assert found is not None and found.attributes["count"] == 4 and found.attributes["kind"] == "killed"
    # a selection of two expressions takes the one it covers most
    both = text.index("بمقتل أربعة من قوات حكومة الوفاق وإصابة 18")
    found = casualty_at(text, both + 20, both + 45)
    assert found is not None and text[found.start : found.end] == "إصابة 18"
    # no expression there, but a casualty word: its kind, no count
    generic = "ونقل الجرحى إلى المستشفى."
    found = casualty_at(generic, 5, 10)
    assert found is not None and generic[found.start : found.end] == "الجرحى"
    assert found.attributes == {"kind": "injured", "approximate": False, "denied": False}
    assert found.confidence < 0.5
    # no casualty word at all
    assert casualty_at(text, 0, 10) is None
    assert casualty_at("", 0, 0) is None
    assert casualty_at("نص", 5, 1) is None


# --- number words ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words_, value, size",
    [
        ("صفر", 0, 1),
        ("واحد", 1, 1),
        ("إحدى عشرة", 11, 2),
        ("اثنا عشر", 12, 2),
        ("اثني عشر", 12, 2),
        ("اثنتا عشرة", 12, 2),
        ("ثلاثة عشر", 13, 2),
        ("ثلاث عشرة", 13, 2),
        ("خمسة وعشرين", 25, 2),
        ("خمس وعشرون", 25, 2),
        ("ثمانية وتسعون", 98, 2),
        ("مائة", 100, 1),
        ("مئة وعشرون", 120, 2),
        ("مائتان", 200, 1),
        ("مئتين", 200, 1),
        ("ثلاثمائة", 300, 1),
        ("ثلاث مئة", 300, 2),
        ("ثمانمائة وخمسة", 805, 2),
        ("ألف", 1000, 1),
        ("ألفين", 2000, 1),
        ("ألفان وخمسمائة", 2500, 2),
        ("ثلاثة آلاف", 3000, 2),
        ("عشرة آلاف", 10_000, 2),
        ("أحد عشر ألفا", 11_000, 3),
        ("مائتا ألف", 200_000, 2),
        ("مائة وخمسة آلاف", 105_000, 3),
        ("مليون", 1_000_000, 1),
        ("مليونين", 2_000_000, 1),
        ("ثلاثة ملايين", 3_000_000, 2),
        ("مليون وخمسمائة ألف", 1_500_000, 3),
        ("خمسة وعشرين قتيلا", 25, 2),  # a word that does not continue it ends the number
        ("خمسة سبعة", 5, 1),  # two numbers side by side
        ("خمسة وسبعة", 5, 1),  # two units joined are two numbers (a range)
        ("عشرة وخمسة", 10, 1),
        # the article and proclitics on the first word
        ("الخمسة", 5, 1),
        ("والعشرين", 20, 1),
        ("بمائتين وخمسين", 250, 2),
        ("لخمسة", 5, 1),
        # harakat and tatweel
        ("ثَلاثَةُ عَشَرَ", 13, 2),
        ("خمــسة", 5, 1),
        # digits
        ("1,200", 1200, 1),
        ("١٬٢٠٠", 1200, 1),
        ("١٢٠٠", 1200, 1),
        ("۱۲۰۰", 1200, 1),
        ("و15", 15, 1),
        ("3 آلاف", 3000, 2),
        ("200 ألف", 200_000, 2),
        ("1.5 مليون", 1_500_000, 2),
    ],
)
def test_parse_number(words_: str, value: int, size: int) -> None:
    parsed = parse_number(words_.split())
    assert parsed is not None
    assert (parsed.value, parsed.size) == (value, size)


@pytest.mark.parametrize("words_", ["الأحد", "قتلى", "2014م", "1,20", "1.5", "آلاف", "في", "ألفين ثلاثة", "", "ثلث"])
def test_not_a_number(words_: str) -> None:
    parsed = parse_number(words_.split())
    assert parsed is None or parsed.size < len(words_.split())


def test_digits_ordinals_and_numbers_in_text() -> None:
    assert digits_value("١٢") == 12 and digits_value("12,345,678") == 12_345_678
    assert digits_value("12a") is None and digits_value("") is None and digits_value("1.5") is None
    assert parse_ordinal(["الثالث", "من", "أكتوبر"]).value == 3  # type: ignore[union-attr]
    assert parse_ordinal(["الحادي", "عشر"]).value == 11  # type: ignore[union-attr]
    assert parse_ordinal(["الخامس", "والعشرين"]).value == 25  # type: ignore[union-attr]
    assert parse_ordinal(["العشرين", "من", "فبراير"]).value == 20  # type: ignore[union-attr]
    assert parse_ordinal(["الجيش"]) is None and parse_ordinal([]) is None
    text = "قتل خمسة وعشرون وأصيب ١٢ و3 آلاف في بمائتين"
    assert [(text[n.start : n.end], n.value, n.in_words) for n in find_numbers(text)] == [
        ("خمسة وعشرون", 25, True),
        ("١٢", 12, False),
        ("3 آلاف", 3000, False),
        ("مائتين", 200, True),
    ]
    assert number_at(text, 6) == number_at(text, 4) == find_numbers(text)[0]
    assert number_at(text, 3) == find_numbers(text)[0]  # the space before it
    assert number_at(text, 0) is None and number_at("", 0) is None
    assert starts_number("وعشرين") and starts_number("12") and not starts_number("قتل")
    assert [w for _, _, w in words("قُتِلَ 1,200 شخصٍ، و١٨")] == ["قتل", "1,200", "شخص", "و18"]


_UNITS_M = ["", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"]
_UNITS_F = ["", "واحدة", "اثنتان", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثماني", "تسع"]
_TENS = ["", "عشرة", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"]
_HUNDREDS = ["", "مائة", "مائتان", "ثلاثمائة", "أربعمائة", "خمسمائة", "ستمائة", "سبعمائة", "ثمانمائة", "تسعمائة"]


def _oblique(word: str) -> str:
    """The genitive/accusative form: اثنين، عشرين، مائتين."""
    forms = {"اثنان": "اثنين", "اثنتان": "اثنتين", "اثنا": "اثني", "اثنتا": "اثنتي", "مائتان": "مائتين"}
    return forms.get(word, word.replace("ون", "ين"))


def _below_thousand(n: int, feminine: bool, oblique: bool, split_hundreds: bool) -> list[str]:
    """A small writer: 0 < n < 1000 in words, standard order (hundreds, units, tens)."""
    units = _UNITS_F if feminine else _UNITS_M
    parts: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        if split_hundreds and hundreds >= 3:
            parts.append(f"{_UNITS_F[hundreds]} مئة")
        else:
            parts.append(_HUNDREDS[hundreds])
    if rest:
        tens, unit = divmod(rest, 10)
        if rest == 10:
            words_ = ["عشر" if feminine else "عشرة"]
        elif rest < 10:
            words_ = [units[unit]]
        elif rest < 20:
            first = {1: "إحدى" if feminine else "أحد", 2: "اثنتا" if feminine else "اثنا"}.get(unit, units[unit])
            words_ = [f"{first} {'عشرة' if feminine else 'عشر'}"]
        else:
            words_ = ([units[unit]] if unit else []) + [_TENS[tens]]
        parts.extend(words_)
    if oblique:
        parts = [" ".join(_oblique(w) for w in part.split()) for part in parts]
    return [parts[0]] + ["و" + part for part in parts[1:]]


def write_number(n: int, feminine: bool = False, oblique: bool = False, split_hundreds: bool = False) -> str:
    """0 <= n < 1,000,000 in Arabic words, as the round-trip test writes them."""
    if n == 0:
        return "صفر"
    thousands, rest = divmod(n, 1000)
    parts: list[str] = []
    if thousands == 1:
        parts.append("ألف")
    elif thousands == 2:
        parts.append("ألفين" if oblique else "ألفان")
    elif thousands:
        group = " ".join(_below_thousand(thousands, False, oblique, split_hundreds))
        parts.append(f"{group} {'آلاف' if 3 <= thousands % 100 <= 10 else 'ألف'}")
    if rest:
        below = " ".join(_below_thousand(rest, feminine, oblique, split_hundreds))
        parts.append(below if not parts else "و" + below)
    return " ".join(parts)


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 999_999), st.booleans(), st.booleans(), st.booleans())
def test_number_words_round_trip(n: int, feminine: bool, oblique: bool, split_hundreds: bool) -> None:
    written = write_number(n, feminine, oblique, split_hundreds)
    tokens = written.split()
    parsed = parse_number(tokens + ["قتيلا"])
    assert parsed is not None, written
    assert (parsed.value, parsed.size) == (n, len(tokens)), written
    found = find_numbers(f"قتل {written} شخصا")
    assert [number.value for number in found] == [n], written


def test_writer_examples() -> None:
    assert write_number(123_456) == "مائة وثلاثة وعشرون ألف وأربعمائة وستة وخمسون"
    assert write_number(12, feminine=True) == "اثنتا عشرة"
    assert write_number(2_312, oblique=True, split_hundreds=True) == "ألفين وثلاث مئة واثني عشر"


# --- invariants ------------------------------------------------------------------------------


def _check(text: str, found: list[Found]) -> None:
    previous_end = 0
    for proposal in found:
        assert 0 <= proposal.start < proposal.end <= len(text)
        assert proposal.start >= previous_end, "sorted and not overlapping"
        previous_end = proposal.end
        assert fits(text, proposal.start, proposal.end)
        assert is_grapheme_boundary(text, proposal.start) and is_grapheme_boundary(text, proposal.end)
        assert text[proposal.start : proposal.end] == text[proposal.start : proposal.end].strip()
        assert proposal.label == LABEL and proposal.source == RULES_CASUALTY
        assert 0 < proposal.confidence <= 1
        assert validate_attributes(CASUALTY, proposal.attributes) == {
            k: (parse_count(v) if k == "count" else v) for k, v in proposal.attributes.items()
        }
        assert proposal.attributes["kind"] in ("killed", "injured", "captured", "missing", "unspecified")
        assert isinstance(proposal.attributes["approximate"], bool) and isinstance(proposal.attributes["denied"], bool)
        json.dumps(proposal.to_json(text), ensure_ascii=False)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_invariants_on_the_corpus(name: str) -> None:
    text = CORPUS[name]
    found = find_casualties(text)
    _check(text, found)
    # the same text with harakat on every letter: the same expressions, no letter cut from its marks
    voweled = "".join(c + "َ" if "\u0621" <= c <= "\u064a" else c for c in text)
    found_voweled = find_casualties(voweled)
    _check(voweled, found_voweled)
    assert [f.attributes for f in found_voweled] == [f.attributes for f in found]


_FRAGMENTS = [
    "مقتل",
    "بمقتل",
    "وقُتِلَ",
    "أربعة",
    "18",
    "١٨",
    "۱۸",
    "جنود",
    "قتيلين",
    "وإصابة",
    "عشرات",
    "نحو",
    "بين",
    "و15",
    "-",
    "عاما",
    "بوابة",
    "2019",
    "نفى",
    "لقوا",
    "مصرعهم",
    "من",
    "،",
    ".",
    "\n",
    "بـ",
    "ـ",
    "ً",
    "\u200f",
    "👍🏽",
    "(",
    ")",
    "“",
    "أسر",
    "ومدنيان",
    "مع",
    "اختطافه",
    "أسرة",
    "1,200",
    "١٬٢٠٠",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=25), st.lists(st.sampled_from(["", " ", "  "]), max_size=25))
def test_invariants_on_generated_text(fragments: list[str], spaces: list[str]) -> None:
    text = "".join(f + (spaces[i] if i < len(spaces) else " ") for i, f in enumerate(fragments))
    _check(text, find_casualties(text))
    if text:
        middle = len(text) // 2
        found = casualty_at(text, middle, middle + 3)
        if found is not None:
            _check(text, [found])


def test_engine_signature() -> None:
    import datetime

    text = "وأفادت مصادر بمقتل أربعة"
    assert find_casualties(text, datetime.date(2020, 1, 1)) == find_casualties(text, None)


# --- the evaluation set ------------------------------------------------------------------------


def _records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in EVALUATION.read_text(encoding="utf-8").splitlines() if line.strip()]


def _normal(count: Any) -> Any:
    if count is None:
        return None
    value = parse_count(count)
    return tuple(value) if isinstance(value, list) else value


def evaluate(records: list[dict[str, Any]]) -> dict[str, float]:
    """Span precision, recall and F1, strict (same offsets) and relaxed (overlapping, one to
    one), and the accuracy of count, kind, approximate and denied over relaxed matches."""
    gold_total = predicted_total = strict = relaxed = 0
    same: dict[str, int] = {"count": 0, "kind": 0, "approximate": 0, "denied": 0}
    for record in records:
        gold, predicted = record["spans"], find_casualties(record["text"])
        gold_total += len(gold)
        predicted_total += len(predicted)
        free = list(range(len(predicted)))
        for span in gold:
            overlaps = [(min(span["end"], predicted[i].end) - max(span["start"], predicted[i].start), i) for i in free]
            overlap, best = max(overlaps, default=(0, -1))
            if overlap <= 0:
                continue
            free.remove(best)
            proposal = predicted[best]
            relaxed += 1
            strict += (proposal.start, proposal.end) == (span["start"], span["end"])
            same["count"] += _normal(span.get("count")) == _normal(proposal.attributes.get("count"))
            same["kind"] += span["kind"] == proposal.attributes["kind"]
            same["approximate"] += bool(span.get("approximate")) == proposal.attributes["approximate"]
            same["denied"] += bool(span.get("denied")) == proposal.attributes["denied"]
    figures: dict[str, float] = {"gold": gold_total, "predicted": predicted_total, "matched": relaxed}
    for name, hits in (("strict", strict), ("relaxed", relaxed)):
        precision = hits / predicted_total if predicted_total else 1.0
        recall = hits / gold_total if gold_total else 1.0
        figures[f"{name}_precision"], figures[f"{name}_recall"] = precision, recall
        figures[f"{name}_f1"] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    for name, hits in same.items():
        figures[f"{name}_accuracy"] = hits / relaxed if relaxed else 0.0
    return figures


def test_evaluation_set_is_well_formed() -> None:
    records = _records()
    spans = [span for record in records for span in record["spans"]]
    assert len(spans) >= 120
    written = [r for r in records if r["source"] == "written"]
    holdout = [r for r in written if r.get("split") == "holdout"]
    assert 0.2 <= len(holdout) / len(written) <= 0.3
    assert all(r.get("split") != "holdout" for r in records if r["source"] != "written")
    assert sum(1 for r in records if not r["spans"]) >= 20  # negatives
    for record in records:
        text = record["text"]
        if record["source"] != "written":
            assert record["source"].startswith("corpus:")
            assert text in CORPUS[record["source"].removeprefix("corpus:").removesuffix(".txt")]
        for span in record["spans"]:
            assert fits(text, span["start"], span["end"])
            attributes = {k: v for k, v in span.items() if k not in ("start", "end")}
            validate_attributes(CASUALTY, attributes)
        starts = [s["start"] for s in record["spans"]]
        assert starts == sorted(starts)
    # every rule has examples
    kinds = {span["kind"] for span in spans}
    assert kinds == {"killed", "injured", "captured", "missing", "unspecified"}
    assert any(s.get("denied") for s in spans) and any(s.get("approximate") for s in spans)
    assert any("-" in str(s.get("count", "")) for s in spans) and any("count" not in s for s in spans)


def test_evaluation_floors() -> None:
    tuning = [r for r in _records() if r.get("split") != "holdout"]
    figures = evaluate(tuning)
    assert figures["relaxed_f1"] >= 0.85, figures
    assert figures["count_accuracy"] >= 0.90, figures
    assert figures["kind_accuracy"] >= 0.95, figures


def test_holdout_figures_are_computed() -> None:
    """The hold-out part is not tuned on: its figures are reported, not held to the floors."""
    holdout = [r for r in _records() if r.get("split") == "holdout"]
    figures = evaluate(holdout)
    assert figures["gold"] >= 30
    assert 0 <= figures["relaxed_f1"] <= 1
