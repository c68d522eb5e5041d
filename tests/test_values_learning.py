"""Suggestions that learn from the annotator (issue 14, engines 1 and 2): same-document
propagation (:mod:`workbench.core.values.propagation`) and project strings
(:mod:`workbench.core.values.strings`). Plain data in, :class:`Found` out: no project.

Speed (learning 1,000 done documents, ``find`` on a 20,000-character article) is printed, not
asserted: run with ``-s`` to see it.
"""

from __future__ import annotations

import random
import statistics
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.store.spans import Span
from workbench.core.text.boundaries import fits, is_grapheme_boundary
from workbench.core.text.fold import fold
from workbench.core.values.gazetteer import shipped_gazetteer
from workbench.core.values.propagation import SAME_DOCUMENT, same_document
from workbench.core.values.strings import STRINGS, StringMatcher, fast_fold
from workbench.resources import sample_corpus_files

CORPUS = {f.stem: f.read_text(encoding="utf-8") for f in sample_corpus_files()}
HAFTAR_ARTICLE = next(text for text in CORPUS.values() if text.count("حفتر") >= 10)  # 001


def tag(text: str, phrase: str, label: str = "ACTOR", nth: int = 0, **attributes) -> Span:
    """A span on the ``nth`` occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Span("doc", "ann", start, start + len(phrase), label, dict(attributes))


def texts_of(found, text):
    return [text[f.start : f.end] for f in found]


def is_word_edge(text: str, offset: int) -> bool:
    """No letter, digit or mark on both sides of ``offset`` (a proclitic split off aside)."""
    if offset in (0, len(text)):
        return True
    word = [c.isalnum() and c != "\u0640" for c in text[offset - 1 : offset + 1]]  # a tatweel is folded away
    return not all(word)


# --- same-document propagation ---------------------------------------------------------------------


def test_propagation_proposes_the_other_occurrences_in_a_real_article():
    text = HAFTAR_ARTICLE
    span = tag(text, "حفتر", canonical="Khalifa Haftar")
    found = same_document(text, [span])
    words = [text[f.start : f.end] for f in found]
    assert words and set(words) == {"حفتر"}
    # every other whole-word occurrence (with quotes or a comma after it, not inside another word)
    occurrences = [i for i in range(len(text)) if text.startswith("حفتر", i) and is_word_edge(text, i)]
    assert {f.start for f in found} == set(occurrences) - {span.start}
    assert all(f.label == "ACTOR" and f.source == SAME_DOCUMENT and f.confidence == 0.9 for f in found)
    assert all(f.attributes == {"canonical": "Khalifa Haftar"} for f in found)


def test_propagation_splits_a_leading_proclitic_and_folds_letter_forms():
    text = "قال المسماري إن قوات حفتر تقدمت، وحفتر لم يعلق. وأكد لحفتر أنصاره أن المسماري سيتحدث."
    found = same_document(text, [tag(text, "حفتر")])
    assert texts_of(found, text) == ["حفتر", "حفتر"]  # in وحفتر and لحفتر, without و and ل
    assert [text[f.start - 1] for f in found] == ["و", "ل"]
    # letter forms and harakat folded: "مصراتة" tagged finds "مصراته" and "مِصْرَاتَة"
    text = "وصلت القوات إلى مصراتة أمس، ثم غادرت مصراته، وعادت إلى مِصْرَاتَة."
    found = same_document(text, [tag(text, "مصراتة", "LOCATION", canonical="Misrata")])
    assert texts_of(found, text) == ["مصراته", "مِصْرَاتَة"]
    assert all(f.attributes == {"canonical": "Misrata"} and f.label == "LOCATION" for f in found)


def test_propagation_matches_whole_words_only():
    text = "قصفت القوات مدينة مصراتة قرب الحدود مع مصر، وقال مصدر مصري إن مصر تتابع."
    start = text.index("مصر،")
    found = same_document(text, [Span("doc", "ann", start, start + 3, "LOCATION")])
    assert texts_of(found, text) == ["مصر"]  # not in مصراتة, مصدر, مصري
    assert found[0].start == text.rindex("مصر ")
    assert found[0].confidence < 0.9  # a three-letter phrase is less sure


def test_propagation_takes_the_longest_tagged_phrase_first():
    text = (
        "قال الناطق باسم قوات الجيش الوطني الليبي إن الجيش تقدم. "
        "وأضاف الناطق باسم قوات الجيش الوطني الليبي أن الجيش الوطني الليبي سيرد."
    )
    spans = [tag(text, "الجيش الوطني الليبي"), tag(text, "الجيش", nth=1)]
    found = same_document(text, spans)
    assert texts_of(found, text) == ["الجيش الوطني الليبي", "الجيش الوطني الليبي"]


def test_propagation_never_overlaps_an_existing_span():
    text = "وقالت قوات حفتر إن حفتر أمر بالهجوم، وإن قوات حفتر ستتقدم نحو طرابلس."
    spans = [tag(text, "قوات حفتر"), tag(text, "حفتر", nth=1), tag(text, "طرابلس", "LOCATION")]
    found = same_document(text, spans)
    # the third حفتر is inside قوات حفتر (propagated whole); the first is inside a span
    assert [(text[f.start : f.end], f.start) for f in found] == [("قوات حفتر", text.rindex("قوات حفتر"))]
    for f in found:
        assert not any(f.start < s.end and s.start < f.end for s in spans)


def test_propagation_copies_the_canonical_name_and_the_majority_label():
    text = "زار حفتر طرابلس، ثم التقى حفتر بوفد، وعاد حفتر إلى بنغازي، وحفتر يرفض."
    spans = [
        tag(text, "حفتر", "ACTOR", 0, canonical="Khalifa Haftar"),
        tag(text, "حفتر", "ACTOR", 1, canonical="Khalifa Haftar"),
        tag(text, "حفتر", "LOCATION", 2),
    ]
    found = same_document(text, spans)
    assert len(found) == 1 and found[0].label == "ACTOR"
    assert found[0].attributes == {"canonical": "Khalifa Haftar"}
    assert found[0].confidence == round(0.9 * 2 / 3, 3)


def test_propagation_leaves_dates_casualties_and_short_phrases_alone():
    text = "قتل شخصان أمس في طرابلس، وقتل شخصان أمس في بنغازي. في في في."
    spans = [tag(text, "شخصان", "CASUALTY", count=2), tag(text, "أمس", "DATE"), tag(text, "في", "LOCATION")]
    assert same_document(text, spans) == []
    assert same_document(text, []) == []


# --- project strings -------------------------------------------------------------------------------


def docs_with(phrase: str, tagged: list[bool], label: str = "ACTOR") -> list[tuple[str, list[Span]]]:
    """One document per occurrence of ``phrase``, tagged or not."""
    documents = []
    for i, is_tagged in enumerate(tagged):
        text = f"قال مصدر عسكري إن {phrase} أعلن السيطرة على المنطقة رقم {i}."
        documents.append((text, [tag(text, phrase, label)] if is_tagged else []))
    return documents


def test_strings_keep_a_phrase_tagged_in_at_least_half_of_its_occurrences():
    new = "أكد بيان أن حفتر يرفض الهدنة."
    once_of_four = StringMatcher.learn(docs_with("حفتر", [True, False, False, False]))
    assert len(once_of_four) == 0 and once_of_four.find(new) == []
    two_of_three = StringMatcher.learn(docs_with("حفتر", [True, True, False]))
    found = two_of_three.find(new)
    assert texts_of(found, new) == ["حفتر"]
    assert found[0].label == "ACTOR" and found[0].source == STRINGS
    assert found[0].confidence == round(2 / 3, 3)
    # occurrences within one document count the same way: 1 of 2 is half, kept
    text = "قال حفتر إن قوات حفتر تتقدم."
    assert len(StringMatcher.learn([(text, [tag(text, "حفتر")])])) == 1
    text = "قال حفتر إن قوات حفتر تتقدم وإن حفتر يرفض."
    assert len(StringMatcher.learn([(text, [tag(text, "حفتر")])])) == 0  # 1 of 3


def test_strings_learn_from_real_articles_and_split_proclitics():
    text = HAFTAR_ARTICLE
    spans = [tag(text, "حفتر", nth=i, canonical="Khalifa Haftar") for i in range(text.count("حفتر") - 2)]
    matcher = StringMatcher.learn([(text, spans)])
    assert set(matcher.phrases) == {"حفتر"}
    new = "وقال مصدر إن لحفتر حلفاء، وحفتر يرفض، وإن الحفترية ليست حزبا."
    found = matcher.find(new)
    assert texts_of(found, new) == ["حفتر", "حفتر"]  # proclitics split; not inside الحفترية
    assert [new[f.start - 1] for f in found] == ["ل", "و"]
    assert all(f.attributes == {"canonical": "Khalifa Haftar"} for f in found)


def test_strings_take_the_longest_phrase_and_the_label_of_the_larger_share():
    text = "قال الجيش الوطني الليبي إن الجيش الوطني الليبي سيطر على سرت. وقال الجيش إن سرت آمنة."
    spans = [
        tag(text, "الجيش الوطني الليبي", nth=0),
        tag(text, "الجيش الوطني الليبي", nth=1),
        tag(text, "الجيش", nth=2),
        tag(text, "سرت", "LOCATION", nth=0),
        tag(text, "سرت", "ACTOR", nth=1),
    ]
    matcher = StringMatcher.learn([(text, spans)])
    # الجيش: its occurrences inside the longer phrase are the longer phrase's: 1 of 1
    assert {k: (p.label, p.tagged, p.seen) for k, p in matcher.phrases.items()} == {
        "الجيش الوطني الليبي": ("ACTOR", 2, 2),
        "الجيش": ("ACTOR", 1, 1),
        "سرت": ("ACTOR", 1, 2),  # half each: the first label in alphabetical order
    }
    new = "وأكد الجيش الوطني الليبي أن الجيش لن ينسحب."
    assert texts_of(matcher.find(new), new) == ["الجيش الوطني الليبي", "الجيش"]


def test_strings_learn_nothing_from_dates_casualties_or_short_phrases():
    text = "قتل شخصان أمس في طرابلس."
    spans = [tag(text, "شخصان", "CASUALTY"), tag(text, "أمس", "DATE"), tag(text, "في", "LOCATION")]
    assert len(StringMatcher.learn([(text, spans)])) == 0
    assert StringMatcher.learn([]).find(text) == []


def test_strings_count_untagged_documents_too():
    # a done document where the annotator left the phrase untagged counts against it
    docs = docs_with("حفتر", [True]) + [("قال حفتر إن الهدنة انتهت. وقال حفتر أيضا.", [])]
    assert len(StringMatcher.learn(docs)) == 0


def test_fast_fold_is_fold():
    for text in CORPUS.values():
        assert fast_fold(text) == fold(text)


_PIECES = [
    "حفتر", "وحفتر", "لحفتر", "حِفْتَر", "حفترـ", "مصراتة", "مصراته", "بمصراتة", "مصر", "مصري",
    "الجيش", "للجيش", "الوطني", "الليبي", "قوات", "ً", "ّ", "\u200d", "\u200c", "\u0301", "e\u0301",
    "👍🏽", "🇱🇾", " ", " ", "  ", "\n", "،", ".", '"', "«", "»", "ـ", "5", "٥", "Σ", "ﻻ",
]  # fmt: skip
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS, _TEXTS, st.data())
def test_offsets_are_on_grapheme_boundaries_and_word_edges(learned, text, data):
    assert fast_fold(text) == fold(text)
    phrases = ["حفتر", "مصراتة", "مصر", "الجيش", "الجيش الوطني الليبي", "قوات حفتر"]
    spans = []
    for phrase in phrases:
        start = text.find(phrase)
        if start >= 0 and data.draw(st.booleans()) and fits(text, start, start + len(phrase)):
            spans.append(Span("d", "a", start, start + len(phrase), "ACTOR"))
    spans = [s for i, s in enumerate(spans) if not any(s.start < o.end and o.start < s.end for o in spans[:i])]
    learned_spans = [
        Span("d", "a", s, s + len(p), "LOCATION")
        for p in phrases
        if (s := learned.find(p)) >= 0 and fits(learned, s, s + len(p))
    ]
    for found in (same_document(text, spans), StringMatcher.learn([(learned, learned_spans)]).find(text)):
        for f in found:
            assert fits(text, f.start, f.end)
            assert is_grapheme_boundary(text, f.start) and is_grapheme_boundary(text, f.end)
            assert is_word_edge(text, f.end)
            assert is_word_edge(text, f.start) or text[f.start - 1] in "وفبلك"
        assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
    for f in same_document(text, spans):
        assert not any(f.start < s.end and s.start < f.end for s in spans)


# --- speed (printed, not asserted) -----------------------------------------------------------------


def _median_ms(run, times: int) -> float:
    spent = []
    for _ in range(times):
        begin = time.perf_counter()
        run()
        spent.append(time.perf_counter() - begin)
    return statistics.median(spent) * 1000


def test_speed_is_printed():
    gazetteer = shipped_gazetteer()
    articles = sorted(CORPUS.values(), key=len)[:4]  # the four news articles (2,000 to 4,000 characters)
    documents = []
    for k in range(1000):
        text = articles[k % len(articles)]
        rng = random.Random(k)
        spans = [Span("d", "a", f.start, f.end, f.label, dict(f.attributes)) for f in gazetteer.find(text)]
        documents.append((text, [s for s in spans if rng.random() < 0.7]))  # 70% of the names tagged
    learn = _median_ms(lambda: StringMatcher.learn(documents), 5)
    matcher = StringMatcher.learn(documents)
    long = (max(CORPUS.values(), key=len) * 2)[:20000]
    find = _median_ms(lambda: matcher.find(long), 30)
    spans = [Span("d", "a", f.start, f.end, f.label, dict(f.attributes)) for f in gazetteer.find(long)][::3]
    propagate = _median_ms(lambda: same_document(long, spans), 30)
    characters = sum(len(text) for text, _ in documents)
    print(
        f"\nlearn 1,000 done documents ({characters:,} characters, "
        f"{sum(len(s) for _, s in documents):,} spans, {len(matcher)} phrases kept): {learn:.0f} ms median"
        f"\nstrings find, {len(long):,}-character article: {find:.1f} ms median ({len(matcher.find(long))} found)"
        f"\nsame_document, same article, {len(spans)} spans: {propagate:.1f} ms median"
    )
    assert matcher.find(long)
