"""Decoding input files: the same content in any supported encoding gives the same text and hash."""

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.errors import RefusedInput
from workbench.core.sources import InputFile, ReadOptions, read
from workbench.core.text.decoding import decode
from workbench.core.text.normalise import content_hash, normalize
from workbench.resources import sample_corpus_files

CORPUS = [p.read_text(encoding="utf-8") for p in sample_corpus_files()]


def _encodable_everywhere(char: str) -> bool:
    for codec in ("cp1256", "iso8859_6"):
        try:
            char.encode(codec)
        except UnicodeEncodeError:
            return False
    return True


# The sample articles reduced to what every supported encoding can carry
# (ISO-8859-6 has no curly quotes, for example).
PORTABLE = ["".join(c for c in text if _encodable_everywhere(c)) for text in CORPUS]

ENCODERS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-sig": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16-le": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-16-le-no-bom": lambda t: t.encode("utf-16-le"),
    "windows-1256": lambda t: t.encode("cp1256"),
    "iso-8859-6": lambda t: t.encode("iso8859_6"),
}


def read_one(path: Path) -> tuple[str, str, str]:
    [(origin, doc)] = list(read(InputFile(path, "txt", path.name), ReadOptions()))
    return doc.text, doc.sha256, doc.encoding


@pytest.mark.parametrize("name", sorted(ENCODERS))
def test_each_encoding_of_a_sample_article_reads_back_the_same(tmp_path, name):
    text = PORTABLE[2]
    path = tmp_path / f"{name}.txt"
    path.write_bytes(ENCODERS[name](text))
    got, sha, encoding = read_one(path)
    assert got == normalize(text)
    assert sha == content_hash(normalize(text))
    assert encoding.replace("_", "-").startswith(name.replace("-no-bom", ""))


@st.composite
def article_slices(draw):
    text = draw(st.sampled_from(PORTABLE))
    start = draw(st.integers(0, len(text) - 400))
    length = draw(st.integers(300, 3000))
    piece = text[start : start + length].strip()
    if draw(st.booleans()):
        piece = piece.replace("\n", "\r\n")
    return piece


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(piece=article_slices(), names=st.lists(st.sampled_from(sorted(ENCODERS)), min_size=2, max_size=4, unique=True))
def test_same_content_in_any_supported_encoding_gives_the_same_text_and_hash(tmp_path, piece, names):
    results = set()
    for name in names:
        path = tmp_path / f"{name}.txt"
        path.write_bytes(ENCODERS[name](piece))
        text, sha, _ = read_one(path)
        results.add((text, sha))
    assert results == {(normalize(piece), content_hash(normalize(piece)))}


def test_full_article_with_curly_quotes_in_windows_1256(tmp_path):
    text = "".join(c for c in CORPUS[0] if c.encode("cp1256", errors="ignore"))
    assert "“" in text
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("cp1256"))
    got, _, encoding = read_one(path)
    assert got == normalize(text)
    assert encoding == "windows-1256"


def test_invalid_utf8_after_a_bom_is_refused():
    with pytest.raises(RefusedInput, match="UTF-8 mark"):
        decode(codecs.BOM_UTF8 + b"\xff\xfe\xfd abc")


def test_nul_bytes_that_are_not_utf16_mean_binary():
    with pytest.raises(RefusedInput, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4)
