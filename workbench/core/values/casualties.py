"""CASUALTY spans and their values: how many, what happened to them, estimated or denied.

:func:`find_casualties` reads a document's text and proposes one :class:`Found` per
casualty expression: the smallest stretch holding the casualty word and its number
("مقتل أربعة", "إصابة 18", "أسر 30", "12 مسلحا من قوات حفتر لقوا مصرعهم"), without a
leading proclitic (بمقتل -> مقتل). :func:`casualty_at` gives the expression a user's
selection overlaps best, with its full extent.

Attributes (the CASUALTY label of :mod:`workbench.core.store.labels`):

- ``kind``: killed, injured, captured, missing or unspecified (ضحايا; "مقتل وإصابة 20").
- ``count``: an integer, or a range ``"10-15"``; left out when the text gives none ("مقتل
  مدنيين"). Digits of three scripts, number words, duals (قتيلين، جنديين = 2), one victim
  ("مقتل جندي", "قتيل", "اختطافه" = 1), sums written out ("ثلاثة جنود ومدنيان" = 5), vague
  quantities by ACLED's conservative rule (عشرات = 10, dozens = 12, مئات = 100, آلاف = 1000,
  عدة / عدد من / العديد من = 10, بضعة = 3). Years, gates, unit numbers, ages, durations,
  distances and percentages next to a casualty word are not counts.
- ``approximate``: a vague quantity, or a number with نحو، حوالي، أكثر من، قرابة، ما لا يقل عن،
  على الأقل …
- ``denied``: the expression is the object of a denial (نفى، نفت، كذّبت، لم …).

The engine is rules over words folded once (:func:`.numbers.fold_word`); it uses no
model, no database and no Qt.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

import regex

from workbench.core.text.boundaries import grapheme_ceil, snap
from workbench.core.values import RULES_CASUALTY, Found
from workbench.core.values.numbers import WORD, continues_number, fold_word, parse_number, skip_prefix, starts_number

LABEL = "CASUALTY"


def _set(words: str) -> frozenset[str]:
    """A set of folded words written as one string, separated by spaces."""
    return frozenset(words.split())


KILLED, INJURED, CAPTURED, MISSING, UNSPECIFIED = "killed", "injured", "captured", "missing", "unspecified"

# --- the lexicon (folded forms) ---------------------------------------------------------------

NOUN, VERB, VERB_PL, VICTIM = "noun", "verb", "verb_pl", "victim"
LUQYA, DEATH, QADA, QABD = "luqya", "death", "qada", "qabd"  # لقي … حتفه, قضى على, القبض على
ODA = "oda"  # أودى بحياة …

# The event nouns (masdar): a count follows them ("مقتل أربعة").
_NOUNS = {
    KILLED: "مقتل قتل مصرع استشهاد اغتيال ذبح اعدام تصفيه وفاه هلاك",
    INJURED: "اصابه جرح",
    CAPTURED: "اسر اعتقال احتجاز خطف اختطاف توقيف ايقاف",
    MISSING: "فقدان اختفاء",
}
# Verbs whose subject follows them, or agrees with one before them in the singular.
_VERBS = {
    KILLED: "قتل قتلت اغتيل اغتيلت استشهد استشهدت ذبح ذبحت اعدم اعدمت توفي توفيت هلك",
    INJURED: "اصيب اصيبت جرح جرحت",
    CAPTURED: "اسر اسرت اعتقل اعتقلت احتجز احتجزت خطف خطفت اختطف اختطفت",
    MISSING: "فقد فقدت اختفي اختفت",
}
# Verbs in the plural or dual: their subject (and its count) may come before them.
_VERBS_PLURAL = {
    KILLED: "قتلوا قتلا قتلتا استشهدوا استشهدا اغتيلوا توفوا توفيا ذبحوا اعدموا هلكوا",
    INJURED: "اصيبوا اصيبا اصيبتا جرحوا",
    CAPTURED: "اسروا اعتقلوا اعتقلا احتجزوا خطفوا اختطفوا",
    MISSING: "فقدوا اختفوا",
}
# Nouns for the victims themselves: singular (one), plural, and whether their sound plural
# in -ين is spelt like the dual (مصابين: plural or dual, so no count is read from it).
_VICTIMS_SINGULAR = {
    KILLED: "قتيل قتيله جثه جثمان شهيد شهيده",
    INJURED: "جريح جريحه مصاب مصابه",
    CAPTURED: "اسير اسيره مختطف مختطفه مخطوف رهينه محتجز",
    MISSING: "مفقود مفقوده",
    UNSPECIFIED: "ضحيه",
}
_VICTIMS_PLURAL = {
    KILLED: "قتلي جثث جثامين شهداء",
    INJURED: "جرحي مصابين مصابون اصابات",
    CAPTURED: "اسري رهائن مختطفين مختطفون مخطوفين محتجزين معتقلين معتقلون",
    MISSING: "مفقودين مفقودون",
    UNSPECIFIED: "ضحايا",
}
_SOUND_VICTIMS = frozenset(("مصاب", "مختطف", "مخطوف", "محتجز", "مفقود"))

# People: singular -> broken plural(s) ("" when the plural is the sound -ين/-ون one).
_PEOPLE = {
    "جندي": "جنود",
    "عنصر": "عناصر",
    "شخص": "اشخاص",
    "طفل": "اطفال",
    "طفله": "",
    "رجل": "رجال",
    "امراه": "نساء نسوه",
    "سيده": "سيدات",
    "فتاه": "فتيات",
    "شاب": "شبان شباب",
    "ضابط": "ضباط",
    "قائد": "قاده",
    "طبيب": "اطباء",
    "فرد": "افراد",
    "عضو": "اعضاء",
    "حارس": "حراس",
    "طالب": "طلاب",
    "تلميذ": "تلاميذ",
    "زعيم": "زعماء",
    "امير": "امراء",
    "ابن": "ابناء",
    "شقيق": "اشقاء",
    "مرتزق": "مرتزقه",
    "عامل": "عمال",
    "راكب": "ركاب",
    "صبي": "صبيه",
    "مشتبه": "",
    "سجين": "سجناء",
    "مهاجم": "",
}
_SOUND_PEOPLE = _set(
    "مدني مسلح مقاتل ارهابي شرطي عسكري صحفي ممرض مسعف موظف مهاجر لاجئ متظاهر ناشط قيادي سائق صياد "
    "معلم مدرس مسؤول مواطن قاصر مجند متطوع مزارع مسافر مصور اعلامي مراسل دبلوماسي مهندس مرافق متشدد "
    "مهاجم مدنيه عامل"
)
_PEOPLE_PLURAL_ONLY = ("سكان", "اهالي", "ركاب")  # plurals without a singular here: no count
_WEAK_PEOPLE = frozenset({"قوات"})  # a people word only right after a capture word ("أسر قوات")
_OTHER_ONE = frozenset({"اخر", "اخرا", "اخري", "ثالث", "ثالثا", "رابع", "رابعا"})  # "وإصابة آخر" = one more

# Where proclitics go: on nouns a preposition and the article may come too.
_PROCLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك")
_ARTICLED = (("ال", 0), ("وال", 1), ("فال", 1), ("بال", 1), ("كال", 1), ("لل", 0), ("ولل", 1), ("فلل", 1), ("وبال", 2))
_VERB_PROCLITICS = ("", "و", "ف")


@dataclass(frozen=True, slots=True)
class _Trigger:
    kind: str
    cls: str
    implied: int | None  # a count the word itself gives: 1 (قتيل، اختطافه), 2 (قتيلين); None
    plural: bool  # a plural word or suffix: no count of its own, may take one from before it
    definite: bool
    prefix: int  # proclitic letters to leave out of a span that starts with this word
    suffix: str  # a pronoun suffix ("ه", "هم", ...), or ""


@dataclass(frozen=True, slots=True)
class _Person:
    implied: int | None  # 1, 2 or None (plural)
    definite: bool
    weak: bool
    prefix: int


def _dual(stem: str) -> tuple[str, str]:
    base = stem[:-1] + "ت" if stem.endswith("ه") else stem
    return base + "ان", base + "ين"


def _suffixed(stem: str) -> dict[str, tuple[int | None, str]]:
    """A masdar or verb with an object pronoun: ه -> one victim, هما -> two, هم/ها/هن -> some."""
    base = stem[:-1] + "ت" if stem.endswith("ه") else stem
    if base.endswith("وا"):
        base = base[:-1]  # اعتقلوا + ه -> اعتقلوه
    return {base + "ه": (1, "ه"), base + "هما": (2, "هما"), base + "هم": (None, "هم"), base + "ها": (None, "ها")}


def _build_triggers() -> dict[str, list[_Trigger]]:
    table: dict[str, list[_Trigger]] = {}

    def add(form: str, kind: str, cls: str, implied: int | None = None, plural: bool = False, suffix: str = "") -> None:
        table.setdefault(form, []).append(_Trigger(kind, cls, implied, plural, False, 0, suffix))

    for kind, forms in _NOUNS.items():
        for form in forms.split():
            add(form, kind, NOUN)
            for suffixed, (implied, suffix) in _suffixed(form).items():
                add(suffixed, kind, NOUN, implied, implied is None, suffix)
    for kind, forms in _VERBS.items():
        for form in forms.split():
            add(form, kind, VERB)
            if kind == CAPTURED or form in ("قتل", "قتلت", "ذبح", "اعدم", "اغتال"):
                for suffixed, (implied, suffix) in _suffixed(form).items():
                    add(suffixed, kind, VERB, implied, implied is None, suffix)
    for kind, forms in _VERBS_PLURAL.items():
        for form in forms.split():
            add(form, kind, VERB_PL, None, True)
            if form.endswith("وا") and kind == CAPTURED:
                for suffixed, (implied, suffix) in _suffixed(form).items():
                    add(suffixed, kind, VERB, implied, implied is None, suffix)
    for kind, forms in _VICTIMS_SINGULAR.items():
        for form in forms.split():
            add(form, kind, VICTIM, 1)
            if not form.endswith("ه"):
                add(form + "ا", kind, VICTIM, 1)
            nominative, oblique = _dual(form)
            add(nominative, kind, VICTIM, 2)
            if form not in _SOUND_VICTIMS:
                add(oblique, kind, VICTIM, 2)
    for kind, forms in _VICTIMS_PLURAL.items():
        for form in forms.split():
            add(form, kind, VICTIM, None, True)
            if not form.endswith(("ين", "ون", "ه", "ي", "ء", "ا")) and form != "رهائن":
                add(form + "ا", kind, VICTIM, None, True)
            if form.endswith("ي"):  # قتلاهم، جرحاهم
                for pronoun in ("هم", "ها", "نا", "هما"):
                    add(form[:-1] + "ا" + pronoun, kind, VICTIM, None, True, pronoun)
    for form in ("لقي", "لقيت", "لقوا", "لقيا"):
        add(form, KILLED, LUQYA, None, form in ("لقوا", "لقيا"))
    for stem in ("حتف", "مصرع", "نحب"):
        for pronoun, implied in (("ه", 1), ("ها", 1), ("هما", 2), ("هم", None), ("هن", None)):
            add(stem + pronoun, KILLED, DEATH, implied, implied is None, pronoun)
    for form in ("قضي", "قضت"):
        add(form, KILLED, QADA)
    for form in ("قضوا", "قضيا"):
        add(form, KILLED, QADA, None, True)
    for form in ("اودي", "اودت", "يودي", "تودي"):
        add(form, KILLED, ODA)
    for form in ("قبض", "قبضت", "قبضوا"):
        add(form, CAPTURED, QABD)
    return table


def _build_people() -> dict[str, tuple[int | None, bool]]:
    table: dict[str, tuple[int | None, bool]] = {}
    for singular, plurals in _PEOPLE.items():
        table[singular] = (1, False)
        if not singular.endswith("ه"):
            table.setdefault(singular + "ا", (1, False))
        nominative, oblique = _dual(singular)
        table[nominative] = (2, False)
        if plurals:
            table[oblique] = (2, False)
            base = singular[:-1] + "ت" if singular.endswith("ه") else singular
            for pronoun in ("اه", "اها", "يه", "يها"):  # طفلاها, طفليه: her / his two children
                table[base + pronoun] = (2, False)
        else:
            table[oblique] = (None, False)
            table.setdefault(singular + "ون", (None, False))
        for plural in plurals.split():
            table[plural] = (None, False)
            if not plural.endswith(("ه", "ي", "ء", "ا")):
                table.setdefault(plural + "ا", (None, False))
    for singular in _SOUND_PEOPLE:
        table.setdefault(singular, (1, False))
        if not singular.endswith("ه"):
            table.setdefault(singular + "ا", (1, False))
        nominative, oblique = _dual(singular)
        table.setdefault(nominative, (2, False))
        table[oblique] = (None, False)  # -ين: dual or plural, no count from it
        table.setdefault(singular + "ون", (None, False))
        if not singular.endswith("ه"):
            table.setdefault(singular + "ه", (1, False))
    for plural in _PEOPLE_PLURAL_ONLY:
        table.setdefault(plural, (None, False))
    for weak in _WEAK_PEOPLE:
        table[weak] = (None, True)
    for other in _OTHER_ONE:
        table[other] = (1, True)
    table["اخرين"] = (None, True)
    table["اخرون"] = (None, True)
    return table


_TRIGGERS = _build_triggers()
_PEOPLE_FORMS = _build_people()

_TRIGGER_CACHE: dict[str, tuple[_Trigger, ...]] = {}
_PERSON_CACHE: dict[str, _Person | None] = {}


def _triggers(word: str) -> tuple[_Trigger, ...]:
    """The casualty readings of a folded word, its proclitic and article taken off."""
    cached = _TRIGGER_CACHE.get(word)
    if cached is not None:
        return cached
    found: list[_Trigger] = []
    for prefix in _PROCLITICS:
        if word.startswith(prefix) and word[len(prefix) :] in _TRIGGERS:
            for t in _TRIGGERS[word[len(prefix) :]]:
                if prefix and t.cls in (VERB, VERB_PL, LUQYA, QADA, QABD, ODA) and prefix not in _VERB_PROCLITICS:
                    continue
                found.append(_Trigger(t.kind, t.cls, t.implied, t.plural, False, len(prefix), t.suffix))
            if found:
                break
    if not found:
        for prefix, strip in _ARTICLED:
            stem = word[len(prefix) :]
            if word.startswith(prefix) and stem in _TRIGGERS:
                for t in _TRIGGERS[stem]:
                    if t.cls in (NOUN, VICTIM, QABD) and not t.suffix:
                        found.append(_Trigger(t.kind, t.cls, t.implied, t.plural, True, strip, ""))
                if found:
                    break
    result = tuple(found)
    if len(_TRIGGER_CACHE) < 100_000:
        _TRIGGER_CACHE[word] = result
    return result


def _person(word: str) -> _Person | None:
    """The reading of a folded word as people (جندي، جنديين، جنود، الصحفي، وطفلة)."""
    if word in _PERSON_CACHE:
        return _PERSON_CACHE[word]
    result = None
    for prefix in _PROCLITICS:
        entry = _PEOPLE_FORMS.get(word[len(prefix) :]) if word.startswith(prefix) else None
        if entry is not None:
            result = _Person(entry[0], False, entry[1], len(prefix))
            break
    else:
        for prefix, strip in _ARTICLED:
            entry = _PEOPLE_FORMS.get(word[len(prefix) :]) if word.startswith(prefix) else None
            if entry is not None and not entry[1]:
                result = _Person(entry[0], True, False, strip)
                break
    if len(_PERSON_CACHE) < 100_000:
        _PERSON_CACHE[word] = result
    return result


def _nisba_plural(word: str) -> bool:
    """A people word not in the lexicon: a nisba (مصريا، مصريين، أتراك are left out)."""
    return len(word) > 4 and word.endswith(("يين", "يون", "يا"))


# --- what is not a count ------------------------------------------------------------------

_MONTHS = _set(
    "يناير فبراير مارس ابريل مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر يونيه يوليه جانفي فيفري "
    "افريل ماي جوان جويليه اوت كانون شباط اذار نيسان ايار حزيران تموز اب ايلول تشرين"
)
_UNITS_AFTER = (
    _set(
        "عام عاما اعوام عامين سنه سنوات سنين سنتين شهر شهرا اشهر شهور شهرين يوم يوما ايام يومين اسبوع اسبوعا "
        "اسابيع اسبوعين ساعه ساعات ساعتين دقيقه دقائق دقيقتين ثانيه ثوان عقود عقد كم كلم كيلومتر كيلومترا "
        "كيلومترات ميل ميلا متر مترا امتار هكتار دولار دولارا دينار دينارا يورو جنيه ريال طن اطنان لتر برميل "
        "مره مرات مرتين بالمائه بالمئه درجه درجات"
    )
    | _MONTHS
)
_CONTEXT_BEFORE = _set(
    "عام العام عامي سنه السنه بوابه البوابه لبوابه رقم الرقم الكتيبه اللواء لواء كتيبه الفرقه فرقه السريه "
    "سريه الوحده المجحفل منذ لمده مده طيله طوال عمر العمر عمره عمرها البالغ البالغه يبلغ تبلغ الساعه طريق "
    "الطريق شارع الماده ماده القرار قرار ثوره الدوره الطابق المبني صفحه الفصل خلال بعمر"
)
_SUBSET = frozenset({"بينهم", "منهم", "بينها", "منها", "بينهن"})  # "بينهم 2 في حالة حرجة": part of a count

_APPROXIMATORS = tuple(
    tuple(a.split())
    for a in (
        "ما لا يقل عن",
        "ما لا يقل علي",
        "لا يقل عن",
        "ما يزيد عن",
        "ما يزيد علي",
        "ما يربو علي",
        "ما يقرب من",
        "ما يقارب",
        "ما يناهز",
        "ما يفوق",
        "اكثر من",
        "ازيد من",
        "اقل من",
        "يربو علي",
        "يزيد عن",
        "يزيد علي",
        "يقارب",
        "يناهز",
        "نحو",
        "حوالي",
        "قرابه",
        "زهاء",
    )
)
_APPROX_AFTER = (("علي", "الاقل"), ("علي", "اقل", "تقدير"), ("تقريبا",), ("او", "اكثر"))

_VAGUE = {
    "عشرات": 10,
    "مئات": 100,
    "الاف": 1000,
    "عده": 10,
    "عدد": 10,
    "عددا": 10,
    "العديد": 10,
    "بضعه": 3,
    "بضع": 3,
    "dozens": 12,
    "tens": 10,
    "hundreds": 100,
    "thousands": 1000,
    "several": 10,
}
_VAGUE_ARTICLED = {"العشرات": 10, "المئات": 100, "الالاف": 1000}
_VAGUE_NEEDS_PEOPLE = frozenset({"عده", "عدد", "عددا", "العديد", "بضعه", "بضع", "several"})
_SCALE_AFTER_VAGUE = {"الالاف": 1000, "الاف": 1000, "الملايين": 1_000_000, "ملايين": 1_000_000}

_DENIALS = _set("نفي نفت نفوا ينفي تنفي نافيا نافيه كذب كذبت يكذب تكذب مكذبا انكر انكرت ينكر تنكر دحض دحضت")
_NEGATIONS = frozenset({"لم", "لن"})
_AFFIRM = _set("اكد اكدت مؤكدا مؤكده اعلن اعلنت افاد افادت قال قالت اضاف اضافت مضيفا مشيرا")
_INTRO = frozenset(
    {"الي", "بلغ", "بلغت", "بلغوا", "يبلغ", "تبلغ", "وصل", "وصلت", "وصلوا", "ب", "هو", "عند", "ليصل", "لتصل"}
)
_NAME_CONTEXT = _set(
    "كتيبه الكتيبه لواء اللواء سريه السريه مليشيا ميليشيا مليشيات ميليشيات تجمع ساحه ميدان مقبره مجلس يسمي"
)
_FAMILY_NEXT = frozenset(["الضحايا", "الشهداء", "القتلي", "المفقودين", "الجرحي", "الاسري", "المعتقلين", "المختطفين"])
_RISE = ("ارتفع", "ارتفعت", "ارتفاع", "وارتفع", "وارتفعت", "لترتفع", "ليرتفع")

# --- tokens ---------------------------------------------------------------------------------

_BREAK, _COMMA = 2, 1
_SENTENCE_END = regex.compile(r"[.!?\u061f\u061b\n\u2026]")
_COMMA_MARK = regex.compile(r"[,\u060c;]")
_DASH = regex.compile(r"^\s*[-\u2013\u2010\u2011]\s*$")


class _Tokens:
    """The words of a text as parallel lists: where each starts and ends, its folded form,
    and what separates it from the word before (0 a space, 1 a comma, 2 a sentence end;
    ``dash``: a dash alone, as in 10-15)."""

    __slots__ = ("dash", "end", "gap", "start", "word")

    def __init__(self, text: str) -> None:
        self.start: list[int] = []
        self.end: list[int] = []
        self.word: list[str] = []
        self.gap: list[int] = []
        self.dash: list[bool] = []
        starts, ends, words, gaps, dashes = self.start, self.end, self.word, self.gap, self.dash
        previous = 0
        for match in WORD.finditer(text):
            start, end = match.span()
            gap = 0
            dash = False
            if start - previous != 1 or text[previous] != " ":
                gap_text = text[previous:start]
                if gap_text.strip():
                    if _SENTENCE_END.search(gap_text):
                        gap = _BREAK
                    elif _COMMA_MARK.search(gap_text):
                        gap = _COMMA
                    dash = _DASH.match(gap_text) is not None
                elif "\n" in gap_text:
                    gap = _BREAK
            word = fold_word(match.group())
            starts.append(start)
            ends.append(end)
            words.append(word)
            gaps.append(gap)
            dashes.append(dash)
            previous = end

    def __len__(self) -> int:
        return len(self.word)


# --- quantities -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Quantity:
    first: int  # token index where the quantity starts (its approximator, if any)
    last: int  # token index of its last word
    low: int
    high: int
    approximate: bool
    vague: bool
    prefix: int  # proclitic letters on its first word
    excluded: bool = False  # a year, an age, a duration ...


def _starts_with(tokens: _Tokens, index: int, words: tuple[str, ...]) -> bool:
    if index + len(words) > len(tokens):
        return False
    for offset, word in enumerate(words):
        if offset and tokens.gap[index + offset]:
            return False
        have = tokens.word[index + offset]
        if offset == 0 and have != word and have[1:] == word and have[0] in "وب":
            continue
        if have != word:
            return False
    return True


def _read_number(tokens: _Tokens, index: int) -> tuple[int, int, int] | None:
    """``(value, last index, prefix letters)`` of a number starting at ``index``."""
    first = tokens.word[index]
    if not starts_number(first):
        return None
    run = [first]
    for j in range(index + 1, min(len(tokens), index + 12)):
        if tokens.gap[j] or not continues_number(tokens.word[j]):
            break
        run.append(tokens.word[j])
    parsed = parse_number(run)
    if parsed is None:
        return None
    prefix = len(parsed.prefix)
    if parsed.prefix.endswith(("ال", "لل")):
        if run[0].endswith(("مائه", "مئه")):
            return None  # في المائة
        prefix = 0 if parsed.prefix in ("ال", "لل") else len(parsed.prefix) - 2
    return parsed.value, index + parsed.size - 1, prefix


def _read_vague(tokens: _Tokens, index: int) -> tuple[int, int, int] | None:
    word = tokens.word[index]
    value = None
    prefix = 0
    for strip in ("", "و", "ب"):
        if word.startswith(strip):
            stem = word[len(strip) :]
            value = _VAGUE.get(stem) or _VAGUE_ARTICLED.get(stem)
            if value is not None:
                prefix = len(strip)
                break
    if value is None:
        return None
    last = index
    stem = word[prefix:]
    following = tokens.word[index + 1] if index + 1 < len(tokens) and not tokens.gap[index + 1] else None
    if following is not None and following in _SCALE_AFTER_VAGUE and value in (10, 100):
        value *= _SCALE_AFTER_VAGUE[following]
        last = index + 1
        following = tokens.word[index + 2] if index + 2 < len(tokens) and not tokens.gap[index + 2] else None
    if stem in _VAGUE_NEEDS_PEOPLE:
        noun = following
        partitive = noun == "من"
        if partitive and last + 2 < len(tokens) and not tokens.gap[last + 2]:
            noun = tokens.word[last + 2]
        if noun is None:
            return None
        person, victim = _person(noun), _victim(noun)
        if not (person or victim or _nisba_plural(noun)):
            return None
        if not partitive and ((person and person.definite) or (victim and victim.definite)):
            return None  # عدد القتلى: the number of the dead, said next
    return value, last, prefix


def _victim(word: str) -> _Trigger | None:
    return next((t for t in _triggers(word) if t.cls == VICTIM), None)


def _quantities(tokens: _Tokens) -> list[_Quantity | None]:
    """For each token, the quantity that starts there (``None`` elsewhere)."""
    at: list[_Quantity | None] = [None] * len(tokens)
    index = 0
    count = len(tokens)
    words = tokens.word
    while index < count:
        if not _may_start(words[index]):
            index += 1
            continue
        quantity = _quantity_at(tokens, index)
        if quantity is None:
            index += 1
            continue
        at[quantity.first] = quantity
        index = quantity.last + 1
    return at


_NUMBERISH = regex.compile(
    r"[0-9]|^[وفبلك]?(?:ال)?(?:واحد|احد|اثن|ثن|ثلاث|اربع|خمس|ست|سبع|ثمان|تسع|عشر|مائ|مئ|ميه|الف|الاف|مليون|ملايين"
    r"|مليار|بليون|عد|العديد|بضع|dozens|tens|hundreds|thousands|several)"
)
_APPROX_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _approximator in _APPROXIMATORS:
    _APPROX_BY_FIRST.setdefault(_approximator[0], []).append(_approximator)
_MAY_START: dict[str, bool] = {}


def _may_start(word: str) -> bool:
    """Whether a quantity may start with this word (a quick test before the real reading)."""
    known = _MAY_START.get(word)
    if known is None:
        known = (
            word in _APPROX_BY_FIRST
            or (word[:1] in "وب" and word[1:] in _APPROX_BY_FIRST)
            or word in ("بين", "وبين", "من")
            or bool(_NUMBERISH.search(word))
        )
        if len(_MAY_START) < 100_000:
            _MAY_START[word] = known
    return known


def _quantity_at(tokens: _Tokens, index: int) -> _Quantity | None:
    word = tokens.word[index]
    if not _may_start(word):
        return None
    first = index
    approximate = False
    start = index
    approximators = _APPROX_BY_FIRST.get(word) or (_APPROX_BY_FIRST.get(word[1:], []) if word[:1] in "وب" else [])
    for approximator in approximators:
        if _starts_with(tokens, index, approximator):
            approximate = True
            start = index + len(approximator)
            break
    between = span_from = False
    if start == index and word in ("بين", "وبين"):
        between, start = True, index + 1
    elif start == index and word == "من":
        span_from, start = True, index + 1
    if start >= len(tokens) or (start > index and tokens.gap[start]):
        return None
    prefix = 0
    vague = False
    number = _read_number(tokens, start)
    if number is None:
        number = _read_vague(tokens, start)
        vague = number is not None
    if number is None:
        return None
    value, last, number_prefix = number
    if start == index:
        prefix = number_prefix
    else:
        prefix = 0 if word in _APPROX_BY_FIRST or word in ("بين", "من") else 1
    low = high = value
    # a range: بين 10 و15، من 20 إلى 30، 40-50، 10 أو 12
    nxt = last + 1
    if not vague and nxt < len(tokens) and not tokens.gap[nxt]:
        second: tuple[int, int, int] | None = None
        if tokens.dash[nxt] or between and tokens.word[nxt].startswith("و"):
            second = _read_number(tokens, nxt)
        elif (
            tokens.word[nxt] in ("الي", "حتي", "او")
            and nxt + 1 < len(tokens)
            and not tokens.gap[nxt + 1]
            and (span_from or tokens.word[nxt] == "او" or not approximate)
        ):
            second = _read_number(tokens, nxt + 1)
        if second is not None and second[0] > value:
            if span_from and _rising(tokens, index):
                low = high = second[0]
            else:
                high = second[0]
            last = second[1]
        elif between or span_from:
            return None
    elif between or span_from:
        return None
    quantity = _Quantity(first, last, low, high, approximate or vague, vague, prefix)
    quantity.excluded = _not_a_count(tokens, quantity, start)
    for after in _APPROX_AFTER:
        if _starts_with(tokens, last + 1, after) or (
            last + 2 < len(tokens) and _person(tokens.word[last + 1]) and _starts_with(tokens, last + 2, after)
        ):
            quantity.approximate = True
    return quantity


def _rising(tokens: _Tokens, index: int) -> bool:
    for back in range(index - 1, max(-1, index - 6), -1):
        if tokens.word[back].startswith(_RISE):
            return True
        if tokens.gap[back + 1]:
            break
    return False


def _not_a_count(tokens: _Tokens, quantity: _Quantity, number_start: int) -> bool:
    """A year, gate, unit number, age, duration, distance, percentage or date: not a count."""
    after = quantity.last + 1
    if after < len(tokens) and not tokens.gap[after]:
        following = tokens.word[after]
        if following in _UNITS_AFTER or (
            following[:1] in "وب" and following[1:] in _UNITS_AFTER and len(following) > 3
        ):
            return True
        if following in ("في", "من") and after + 1 < len(tokens):
            nxt = tokens.word[after + 1]
            if nxt in ("المائه", "المئه") or (following == "من" and nxt.startswith(("عمر", "العمر"))):
                return True
    if quantity.first > 0 and not tokens.gap[quantity.first]:
        before = tokens.word[quantity.first - 1]
        if before in _CONTEXT_BEFORE or before in _SUBSET or before in _MONTHS:
            return True
        if before[:1] in "ولب" and before[1:] in _CONTEXT_BEFORE:
            return True
    word = tokens.word[number_start]
    if quantity.low == quantity.high and 1900 <= quantity.low <= 2100 and word[-4:].isdigit() and len(word) <= 5:
        following = tokens.word[after] if after < len(tokens) and not tokens.gap[after] else ""
        if not (following == "من" or _person(following) or _victim(following) or _nisba_plural(following)):
            return True  # a year
    return False


# --- finding -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    first: int  # token indexes, inclusive
    last: int
    kind: str
    count: int | tuple[int, int] | None
    approximate: bool
    confidence: float
    start_prefix: int  # proclitic letters to leave out at the start
    denied: bool = False


def _blocks(tokens: _Tokens, index: int) -> bool:
    """A word that ends a forward search: another casualty word, a subset (بينهم)."""
    word = tokens.word[index]
    if word in _SUBSET:
        return True
    return any(t.cls != DEATH for t in _triggers(word))


def _about_people(tokens: _Tokens, index: int, anchor: int) -> bool:
    """Whether the word at ``index`` (after a quantity) tells that the quantity counts people."""
    if index >= len(tokens) or index == anchor:
        return True
    word = tokens.word[index]
    return word == "من" or bool(_person(word)) or bool(_victim(word)) or _nisba_plural(word)


class _Finder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _Tokens(text)
        self.at = _quantities(self.tokens)
        self.ends: dict[int, _Quantity] = {q.last: q for q in self.at if q is not None}

    # -- helpers --

    def quantity(self, index: int) -> _Quantity | None:
        if 0 <= index < len(self.tokens):
            q = self.at[index]
            if q is not None and not q.excluded:
                return q
        return None

    def gap(self, index: int) -> int:
        return self.tokens.gap[index] if index < len(self.tokens) else _BREAK

    def count_of(self, q: _Quantity) -> int | tuple[int, int]:
        return q.low if q.low == q.high else (q.low, q.high)

    def adjective_number(self, index: int) -> tuple[int, int] | None:
        """A number of one or two after its noun: "شخص واحد", "موظفين اثنين"."""
        if index < len(self.tokens) and not self.gap(index):
            number = _read_number(self.tokens, index)
            if number is not None and number[0] in (1, 2) and number[1] == index and number[2] == 0:
                return number[0], index
        return None

    def extend_sum(self, total: int, last: int, cursor: int, with_ok: bool) -> tuple[int, int]:
        """Add the counts joined with و (or مع) after a first count: "ثلاثة جنود ومدنيان" = 5."""
        tokens = self.tokens
        while True:
            index = cursor
            if index < len(tokens) and not self.gap(index):
                person = _person(tokens.word[index])
                if person is not None and not tokens.word[index].startswith("و"):
                    index += 1
            if index < len(tokens) and not self.gap(index) and tokens.word[index] == "من":
                for skip in (1, 2):
                    nxt = index + 1 + skip
                    if (
                        nxt < len(tokens)
                        and tokens.word[nxt].startswith("و")
                        and not any(self.gap(k) for k in range(index + 1, nxt + 1))
                    ):
                        index = nxt
                        break
                else:
                    return total, last
            if index >= len(tokens) or self.gap(index):
                return total, last
            word = tokens.word[index]
            if with_ok and word == "مع" and index + 1 < len(tokens):
                q = self.quantity(index + 1)
                if q is not None and not q.vague and q.low == q.high:
                    total, last, cursor, with_ok = total + q.low, q.last, q.last + 1, False
                    continue
                return total, last
            if not word.startswith("و") or len(word) < 2:
                return total, last
            q = self.at[index]
            if q is not None and not q.excluded and not q.vague and q.low == q.high and q.prefix == 1:
                after = q.last + 1
                if after < len(tokens) and not self.gap(after):
                    victim = _victim(tokens.word[after])
                    if victim is not None or _blocks(tokens, after):
                        return total, last
                total, last, cursor = total + q.low, q.last, q.last + 1
                continue
            person = _person(word)
            if person is not None and person.prefix == 1 and person.implied and not person.weak:
                total, last, cursor = total + person.implied, index, index + 1
                continue
            return total, last

    def denied(self, first: int) -> bool:
        tokens = self.tokens
        for distance, index in enumerate(range(first - 1, max(-1, first - 11), -1), start=1):
            if self.gap(index + 1):
                return False
            word = tokens.word[index]
            stem = word[1:] if word[:1] in "وف" and len(word) > 3 else word
            if word in _DENIALS or stem in _DENIALS:
                return True
            if (word in _NEGATIONS and distance <= 4) or (word == "دون" and distance <= 2):
                return True
            if word in _AFFIRM or stem in _AFFIRM:
                return False
        return False

    # -- the search from one casualty word --

    def forward(
        self, index: int, window: int, people: bool, strict: bool, verb: bool = False
    ) -> tuple[str, Any, int] | None:
        """What follows a casualty word: ("q", quantity, distance), ("p", (count, last), distance).
        After a verb, an indefinite plural may be its subject, the victims coming next ("خطف
        مسلحون رجل أعمال", "قتل مسلحون 5 جنود"): it is kept as a fallback."""
        tokens = self.tokens
        fallback: tuple[str, Any, int] | None = None
        agent = False
        for distance, j in enumerate(range(index + 1, min(len(tokens), index + 1 + window + 4))):
            if self.gap(j):
                break
            q = self.quantity(j)
            if q is not None:
                if agent and not _about_people(tokens, q.last + 1, -1):
                    return fallback
                return "q", q, distance
            if distance >= window:
                break
            word = tokens.word[j]
            if j > index + 1 and _blocks(tokens, j):
                break
            if strict:
                if word in ("علي",) and distance == 0:
                    continue
                break
            if not people:
                continue
            if word == "اي" and j + 1 < len(tokens) and not self.gap(j + 1):
                return "p", (None, j + 1), distance
            person = _person(word)
            if person is None:
                if _victim(word) is not None:
                    break
                continue
            if person.weak and (distance > 0 or word in ("اخرين", "اخرون")):
                continue
            adjective = self.adjective_number(j + 1)
            if adjective is not None:
                return "p", (adjective[0], adjective[1]), distance
            if (person.definite and person.implied is None) or word in _WEAK_PEOPLE:
                if fallback is None:
                    fallback = ("p", (None, j), distance)  # the agent, perhaps ("قتل المسلحون 5")
                continue
            if verb and person.implied is None and fallback is None and distance == 0:
                fallback, agent = ("p", (None, j), distance), True
                continue
            return "p", (person.implied, j), distance
        return fallback

    def backward(self, anchor: int, limit: int = 6, through_victims: bool = True) -> _Quantity | None:
        """A quantity before a plural verb or victim: "12 مسلحا من قوات حفتر لقوا مصرعهم". A
        verb's search goes past a victim noun with the article ("اثنين من الأسرى توفيا"); a
        victim's does not ("مئات القتلى والجرحى" counts the dead and the wounded together)."""
        tokens = self.tokens
        for j in range(anchor - 1, max(-1, anchor - 1 - limit), -1):
            if self.gap(j + 1):
                return None
            q = self.ends.get(j)
            if q is not None:
                if q.excluded or not _about_people(tokens, q.last + 1, anchor):
                    return None
                return q
            reading = _triggers(tokens.word[j])
            if reading and not (through_victims and all(t.definite and t.cls == VICTIM for t in reading)):
                return None
        return None

    def candidates(self) -> list[_Candidate]:
        found: list[_Candidate] = []
        tokens = self.tokens
        for index, word in enumerate(tokens.word):
            readings = _triggers(word)
            if not readings:
                continue
            for reading in readings:
                candidate = self.from_trigger(index, reading)
                if candidate is not None:
                    found.append(candidate)
                    break
        return found

    def from_trigger(self, index: int, t: _Trigger) -> _Candidate | None:
        tokens = self.tokens
        word = tokens.word[index]
        if t.suffix == "ه" and self.text[tokens.end[index] - 1] == "\u0629":
            return None  # أسرة (a family), not أسره
        if (
            t.kind == CAPTURED
            and word.endswith("اسر")
            and index + 1 < len(tokens)
            and not self.gap(index + 1)
            and tokens.word[index + 1] in _FAMILY_NEXT
        ):
            return None  # أسر الضحايا: the victims' families
        if t.cls == DEATH:
            return None  # read with its لقي
        if t.cls == VICTIM:
            return self.from_victim(index, t)
        if t.cls == LUQYA:
            return self.from_luqya(index, t)
        if t.cls == ODA:  # أودى (القصف) بحياة سبعة: took the lives of seven
            life = next((j for j in range(index + 1, min(len(tokens), index + 4)) if tokens.word[j] == "بحياه"), None)
            if life is None or any(self.gap(j) for j in range(index + 1, life + 1)):
                return None
            return self.with_found(index, life, t, self.forward(life, 3, True, False), t.prefix)
        if t.cls == QABD:
            if index + 1 >= len(tokens) or self.gap(index + 1) or tokens.word[index + 1] != "علي":
                return None
            first = index - 1 if index > 0 and tokens.word[index - 1].endswith("القاء") and not t.prefix else index
            if first != index and not self.gap(index):
                prefix = len(tokens.word[first]) - len("القاء")
            else:
                first, prefix = index, t.prefix
            found = self.forward(index + 1, 3, people=True, strict=False)
            return self.with_found(first, index + 1, t, found, prefix)
        if t.kind == CAPTURED and t.cls == NOUN and not t.suffix and index > 1 and word.endswith("اسر"):
            fell = tokens.word[index - 2]
            clitic = 1 if fell[:1] in "وف" and fell[1:].startswith("وقع") else 0
            if tokens.word[index - 1] == "في" and fell[clitic:].startswith("وقع") and not self.gap(index):
                # "30 من قواته وقعوا في أسر": fell into captivity, counted before
                q = self.backward(index - 2)
                if q is not None:
                    return self.candidate(q.first, index, CAPTURED, self.count_of(q), q.approximate, 0.8, q.prefix)
                if not fell.endswith(("وا", "ت")):
                    return self.candidate(index - 2, index, CAPTURED, 1, False, 0.6, clitic)
                return None
        if t.definite and t.cls == NOUN:
            q = self.quantity(index + 1)
            if q is None or self.gap(index + 1):
                return None
            return self.with_found(index, index, t, ("q", q, 0), t.prefix)
        # "مقتل وإصابة 20": two kinds joined, one count
        kind = t.kind
        start = index
        combinable = not t.suffix and t.implied is None
        if (
            combinable
            and index + 1 < len(tokens)
            and not self.gap(index + 1)
            and tokens.word[index + 1].startswith("و")
        ):
            other = next((o for o in _triggers(tokens.word[index + 1]) if o.cls in (NOUN, VERB) and o.prefix), None)
            if other is not None and other.kind != t.kind:
                found = self.forward(index + 1, 3, people=True, strict=False)
                if found is not None and found[0] == "q":
                    candidate = self.with_found(start, index + 1, t, found, t.prefix)
                    if candidate is not None:
                        candidate.kind = UNSPECIFIED
                    return candidate
        if t.implied is not None or t.plural and t.suffix:
            # اختطافه (one), مقتلهما (two), اختطافهم (some: perhaps counted before)
            if t.plural:
                q = self.backward(index)
                if q is not None:
                    return self.candidate(q.first, index, kind, self.count_of(q), q.approximate, 0.75, q.prefix)
                return self.candidate(index, index, kind, None, False, 0.45, t.prefix)
            total, last = self.extend_sum(t.implied or 0, index, index + 1, with_ok=True)
            return self.candidate(index, last, kind, total, False, 0.7, t.prefix)
        strict = t.cls == QADA
        verb = any(r.cls in (VERB, VERB_PL) for r in _triggers(word))  # قتل: a noun or a verb
        found = self.forward(index, 3 if not strict else 2, not strict, strict, verb=verb)
        if found is None and (t.cls == VERB_PL or (t.cls == QADA and t.plural)):
            q = self.backward(index)
            if q is not None:
                return self.candidate(q.first, index, kind, self.count_of(q), q.approximate, 0.75, q.prefix)
            return None
        if (
            found is None
            and t.cls == VERB
            and index > 0
            and not self.gap(index)
            and tokens.word[index - 1] in ("انه", "بانه", "وانه", "لانه")
        ):
            return self.candidate(index, index, kind, 1, False, 0.55, t.prefix)  # "أنه قتل": he was killed
        if found is None:
            return None
        return self.with_found(start, index, t, found, t.prefix)

    def with_found(
        self, first: int, anchor: int, t: _Trigger, found: tuple[str, Any, int] | None, prefix: int
    ) -> _Candidate | None:
        if found is None:
            return None
        what, value, distance = found
        if what == "q":
            q: _Quantity = value
            confidence = (0.9, 0.85, 0.75, 0.7)[min(distance, 3)]
            if q.vague:
                confidence = min(confidence, 0.65)
            count: int | tuple[int, int] = self.count_of(q)
            last = q.last
            if isinstance(count, int) and not q.vague:
                count, last = self.extend_sum(count, q.last, q.last + 1, with_ok=False)
            return self.candidate(first, last, t.kind, count, q.approximate, confidence, prefix)
        implied, last = value
        if implied is None:
            return self.candidate(first, last, t.kind, None, False, 0.5 - 0.05 * distance, prefix)
        total, last = self.extend_sum(implied, last, last + 1, with_ok=True)
        return self.candidate(first, last, t.kind, total, False, 0.8 - 0.05 * distance, prefix)

    def from_luqya(self, index: int, t: _Trigger) -> _Candidate | None:
        tokens = self.tokens
        for j in range(index + 1, min(len(tokens), index + 7)):
            if self.gap(j):
                return None
            death = next((d for d in _triggers(tokens.word[j]) if d.cls == DEATH), None)
            if death is None:
                continue
            q = next((self.quantity(k) for k in range(index + 1, j) if self.quantity(k)), None)
            if q is not None:
                return self.candidate(index, j, KILLED, self.count_of(q), q.approximate, 0.9, t.prefix)
            people = [p for k in range(index + 1, j) if (p := _person(tokens.word[k])) is not None and not p.weak]
            if people and people[0].implied is not None:
                total = sum(p.implied or 0 for p in people)
                return self.candidate(index, j, KILLED, total, False, 0.8, t.prefix)
            if j == index + 1:
                if death.implied is not None:
                    return self.candidate(index, j, KILLED, death.implied, False, 0.7, t.prefix)
                q = self.backward(index)
                if q is not None:
                    return self.candidate(q.first, j, KILLED, self.count_of(q), q.approximate, 0.8, q.prefix)
            return self.candidate(index, j, KILLED, death.implied, False, 0.5, t.prefix)
        return None

    def from_victim(self, index: int, t: _Trigger) -> _Candidate | None:
        tokens = self.tokens
        if index > 0 and not self.gap(index):
            context = [tokens.word[k] for k in range(max(0, index - 2), index)]
            if any(w in _NAME_CONTEXT for w in context):
                return None  # كتيبة شهداء …: a name
        kind = t.kind
        last = index
        # victims of two kinds: "القتلى والجرحى", "بين قتيل وجريح"
        if index + 1 < len(tokens) and not self.gap(index + 1) and tokens.word[index + 1].startswith("و"):
            other = _victim(tokens.word[index + 1])
            if other is not None and other.prefix and other.kind != kind:
                kind, last = UNSPECIFIED, index + 1
        if index + 1 < len(tokens) and not self.gap(index + 1) and last == index:
            other = _victim(tokens.word[index + 1])
            if other is not None and other.kind == kind and not other.prefix:
                last = index + 1  # جثث قتلاهم
        if index > 0 and tokens.word[index - 1] == "بين" and not self.gap(index):
            if last == index:
                return None
            q = self.backward(index - 1, limit=3)
            if q is None:
                return None
            return self.candidate(q.first, last, kind, self.count_of(q), q.approximate, 0.8, q.prefix)
        # a quantity right before it ("7 قتلى", "عشرات القتلى", "عدد من الجرحى")
        before = self.ends.get(index - 1) if not self.gap(index) else None
        if before is None and index > 1 and tokens.word[index - 1] == "من" and not self.gap(index - 1):
            before = self.ends.get(index - 2)
            if before is not None and not before.vague:
                before = None
        if before is not None and not before.excluded:
            confidence = 0.65 if before.vague else 0.9
            return self.candidate(
                before.first, last, kind, self.count_of(before), before.approximate, confidence, before.prefix
            )
        # a quantity after it: "جثث 75", "الضحايا 27", "القتلى إلى 30", "قتلى الهجوم إلى 35"
        if t.plural or t.definite:
            j = last + 1
            skipped = 0
            while j < len(tokens) and not self.gap(j) and skipped <= 2:
                q = self.quantity(j)
                if q is not None:
                    if skipped == 0 or tokens.word[j - 1] in _INTRO:
                        count = self.count_of(q)
                        return self.candidate(
                            index, q.last, kind, count, q.approximate, 0.85 - 0.05 * skipped, t.prefix
                        )
                    break
                if _blocks(tokens, j) or (skipped and tokens.word[j - 1] in _INTRO):
                    break
                skipped += 1
                j += 1
        if t.plural:
            q = self.backward(index, through_victims=False)
            if q is not None:
                return self.candidate(q.first, last, kind, self.count_of(q), q.approximate, 0.75, q.prefix)
        if t.definite:
            return None  # القتلى، الأسرى: the known ones, not a new count
        if t.implied is not None:
            total, last = (
                self.extend_sum(t.implied, last, last + 1, with_ok=True) if last == index else (t.implied, last)
            )
            adjective = self.adjective_number(index + 1)
            if adjective is not None and last == index:
                total, last = adjective
            return self.candidate(index, last, kind, total, False, 0.8, t.prefix)
        return self.candidate(index, last, kind, None, False, 0.45, t.prefix)

    def candidate(
        self,
        first: int,
        last: int,
        kind: str,
        count: int | tuple[int, int] | None,
        approximate: bool,
        confidence: float,
        prefix: int,
    ) -> _Candidate:
        return _Candidate(first, last, kind, count, approximate, confidence, prefix, self.denied(first))

    def found(self, candidate: _Candidate) -> Found:
        tokens = self.tokens
        first_start, first_end = tokens.start[candidate.first], tokens.end[candidate.first]
        start = skip_prefix(self.text, first_start, candidate.start_prefix) if candidate.start_prefix else first_start
        if start >= first_end:  # "بـ" alone: the next word
            start = first_start
        if self.text[start : start + 1] == "\u0640":
            start += 1
        # whole graphemes: a joiner or mark after the last letter stays with it
        start, end = grapheme_ceil(self.text, start), grapheme_ceil(self.text, tokens.end[candidate.last])
        attributes: dict[str, Any] = {"kind": candidate.kind}
        count = candidate.count
        if isinstance(count, tuple):
            attributes["count"] = f"{count[0]}-{count[1]}"
        elif count is not None:
            attributes["count"] = count
        attributes["approximate"] = candidate.approximate
        attributes["denied"] = candidate.denied
        confidence = max(0.05, min(0.99, candidate.confidence))
        return Found(start, end, LABEL, attributes, RULES_CASUALTY, round(confidence, 3))


def _select(candidates: list[Found]) -> list[Found]:
    """The best candidates that do not overlap, in reading order."""
    chosen: list[Found] = []
    for found in sorted(candidates, key=lambda f: (-f.confidence, -(f.end - f.start), f.start)):
        if all(found.end <= other.start or other.end <= found.start for other in chosen):
            chosen.append(found)
    return sorted(chosen, key=lambda f: f.start)


def find_casualties(text: str, anchor: _dt.date | None = None) -> list[Found]:
    """The CASUALTY expressions of ``text``: sorted by start, not overlapping, code-point
    offsets. ``anchor`` (the publication date) is accepted for the engine signature and
    not used: a casualty count does not depend on the date."""
    del anchor
    finder = _Finder(text)
    return _select([finder.found(c) for c in finder.candidates()])


_WINDOW = 400


def casualty_at(text: str, start: int, end: int) -> Found | None:
    """The casualty expression that the selection ``[start, end)`` overlaps best, with its
    full extent and values (a selection of "مقتل" in "بمقتل أربعة من" gives "مقتل أربعة",
    count 4). When the engine finds none there but the selection holds a casualty word
    ("الأسرى", "مقتل مدنيين" written otherwise), the selection (trimmed to its words) with
    that word's kind and no count; ``None`` when it holds none."""
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    lo = max(0, start - _WINDOW)
    hi = min(len(text), end + _WINDOW)
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    window = text[lo:hi]
    best: Found | None = None
    best_overlap = 0
    for found in find_casualties(window):
        s, e = found.start + lo, found.end + lo
        overlap = min(e, max(end, start + 1)) - max(s, start)
        if overlap > best_overlap or (
            overlap == best_overlap and overlap > 0 and best and found.confidence > best.confidence
        ):
            best_overlap = overlap
            best = Found(s, e, found.label, dict(found.attributes), found.source, found.confidence)
    if best is not None:
        return best
    edges = snap(text, start, end)
    if edges is None:
        return None
    for match in WORD.finditer(text, edges[0], edges[1]):
        readings = _triggers(fold_word(match.group()))
        if readings:
            attributes = {"kind": readings[0].kind, "approximate": False, "denied": False}
            return Found(edges[0], edges[1], LABEL, attributes, RULES_CASUALTY, 0.3)
    return None
