"""The label schema: span types, their colours and keys, and the attributes each one carries."""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from workbench.core.errors import InvalidInput
from workbench.core.store.database import Database

# Attribute types a label can declare.
COUNT = "count"  # an integer, or a range "10-15"
CHOICE = "choice"  # one of ``choices``
FLAG = "flag"  # true / false
DATE = "date"  # an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD
TEXT = "text"  # free text (a canonical name)
ATTRIBUTE_TYPES = (COUNT, CHOICE, FLAG, DATE, TEXT)


@dataclass(frozen=True)
class Attribute:
    name: str
    type: str
    description: str = ""
    choices: tuple[str, ...] = ()
    default: Any = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.choices:
            data["choices"] = list(self.choices)
        if self.default is not None:
            data["default"] = self.default
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attribute:
        return cls(
            name=data["name"],
            type=data["type"],
            description=data.get("description", ""),
            choices=tuple(data.get("choices", ())),
            default=data.get("default"),
        )


@dataclass(frozen=True)
class Label:
    name: str
    color: str
    key: str = ""
    description: str = ""
    attributes: tuple[Attribute, ...] = field(default_factory=tuple)

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)

    def to_json(self) -> dict[str, Any]:
        """The label as schemas, bundles and data cards write it."""
        return {
            "name": self.name,
            "color": self.color,
            "key": self.key,
            "description": self.description,
            "attributes": [a.to_json() for a in self.attributes],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Label:
        """The label from :meth:`to_json`'s form (``key``, ``description``, ``attributes`` optional)."""
        return cls(
            data["name"],
            data["color"],
            data.get("key", ""),
            data.get("description", ""),
            tuple(Attribute.from_json(a) for a in data.get("attributes", [])),
        )


PRECISIONS = ("day", "week", "month", "quarter", "year", "century")

# Okabe-Ito colours: distinguishable with the common forms of colour blindness.
DEFAULT_LABELS: tuple[Label, ...] = (
    Label(
        "ACTOR",
        "#E69F00",
        "1",
        "A party to the event: an armed group, a force, a government, a named person acting for one.",
        (Attribute("canonical", TEXT, "The actor's canonical name, as in the actor list."),),
    ),
    Label(
        "LOCATION",
        "#56B4E9",
        "2",
        "A place where the event happened: a city, a district, a road, a facility.",
        (Attribute("canonical", TEXT, "The place's canonical name (gazetteer form)."),),
    ),
    Label(
        "CASUALTY",
        "#CC79A7",
        "3",
        "A count of people killed, injured, captured or missing, with the words that give it.",
        (
            Attribute("count", COUNT, "How many: an integer, or a range such as 10-15."),
            Attribute(
                "kind",
                CHOICE,
                "What happened to them.",
                ("killed", "injured", "captured", "missing", "unspecified"),
                "unspecified",
            ),
            Attribute("approximate", FLAG, "The report gives an estimate (نحو، حوالي، أكثر من).", default=False),
            Attribute(
                "denied", FLAG, "The text reports a denial (نفى مقتل …): not a reported casualty.", default=False
            ),
        ),
    ),
    Label(
        "DATE",
        "#009E73",
        "4",
        "When the event happened, in any calendar or form (19 يناير 2019، أمس الأربعاء).",
        (
            Attribute(
                "value",
                DATE,
                "The date in ISO 8601: 2019-01-19, 2019-01, 2019, 2019-W14, 2019-Q1, 20 (a century), "
                "--04-05 (no year known), or an interval 2020/2024.",
            ),
            Attribute("precision", CHOICE, "How precise the text is.", PRECISIONS, "day"),
            Attribute("calendar", CHOICE, "The calendar the text uses.", ("gregorian", "hijri"), "gregorian"),
        ),
    ),
)

_NAME = re.compile(r"^[A-Z][A-Z0-9_-]{0,31}$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_RANGE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")


# Keys the annotation window binds alone (Delete aside): a label may not take them. The window's
# command table is checked against this set by tests/test_label_keys.py.
RESERVED_KEYS = frozenset("AEPU[]")


def _valid_key(key: str) -> bool:
    """One digit or Latin letter, not one the window uses (``Ctrl+Q``, ``<``, a space are refused)."""
    return len(key) == 1 and key.isascii() and key.isalnum() and key.upper() not in RESERVED_KEYS


def check_label(label: Label, existing: list[Label]) -> None:
    """Raise :class:`InvalidInput` (a ``ValueError``) with a user-facing message if ``label`` cannot join ``existing``."""
    if not _NAME.fullmatch(label.name):  # (fullmatch: '$' would let a final newline in)
        raise InvalidInput(f"label name {label.name!r} must be upper-case Latin letters, digits, - or _ (at most 32)")
    if any(other.name == label.name for other in existing):
        raise InvalidInput(f"the project already has a label {label.name}")
    if not _COLOR.fullmatch(label.color):
        raise InvalidInput(f"colour {label.color!r} must look like #RRGGBB")
    if label.key and not _valid_key(label.key):
        raise InvalidInput(
            f"key {label.key!r} must be one digit or Latin letter that the window does not already use alone"
            f" ({', '.join(sorted(RESERVED_KEYS))} are taken)"
        )
    if label.key and any(other.key.upper() == label.key.upper() for other in existing):
        raise InvalidInput(f"key {label.key} is already used by another label")
    for number, attribute in enumerate(label.attributes):
        check_attribute(replace(label, attributes=label.attributes[:number]), attribute)


# --- attribute definitions ------------------------------------------------------------------

# An attribute's name is a key in span attributes, a brat attribute name and a column of
# exports: Latin letters, digits, - and _, starting with a letter (brat's own are "Negated",
# "role"); no spaces (brat splits on them) and no dots ("ACTOR.role" names one in messages).
_ATTRIBUTE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
MAX_ATTRIBUTE_NAME = 32
MAX_VALUE = 64  # characters of one value of a choice
DEFAULT_ATTRIBUTE_TYPE = TEXT  # an attribute added without a type nor values
_VALUE_SEPARATORS = re.compile("[,\u060c]")  # a comma, Latin or Arabic (،)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def takes_values(kind: str) -> bool:
    """Whether an attribute of type ``kind`` lists its values (only a choice does)."""
    return kind == CHOICE


def parse_values(text: str | Iterable[str]) -> tuple[str, ...]:
    """A choice's values as a user types them: ``"killed, injured ، captured"`` (commas, Latin or
    Arabic, between them) -> ``("killed", "injured", "captured")``; a list is taken as it is."""
    pieces = _VALUE_SEPARATORS.split(text) if isinstance(text, str) else [str(value) for value in text]
    return tuple(piece.strip() for piece in pieces if piece.strip())


def new_attribute(
    name: str, kind: str | None = None, values: str | Iterable[str] = "", description: str = ""
) -> Attribute:
    """The attribute a user describes: without a type it is a choice when values are given, else
    :data:`DEFAULT_ATTRIBUTE_TYPE`. Check it with :func:`check_attribute`."""
    choices = parse_values(values)
    if kind is None:
        kind = CHOICE if choices else DEFAULT_ATTRIBUTE_TYPE
    return Attribute(str(name).strip(), str(kind).strip(), str(description).strip(), choices)


def check_attribute(label: Label, attribute: Attribute) -> None:
    """Raise :class:`InvalidInput` with a user-facing message if ``attribute`` cannot join
    ``label``'s attributes: its name, type, values and default, and a name the label has."""
    name = attribute.name
    if not _ATTRIBUTE_NAME.fullmatch(name) or len(name) > MAX_ATTRIBUTE_NAME:
        raise InvalidInput(
            f"attribute name {name!r} must be Latin letters, digits, - or _, starting with a letter "
            f"(at most {MAX_ATTRIBUTE_NAME}), such as role or Negated"
        )
    if label.attribute(name) is not None:
        raise InvalidInput(f"{label.name} already has an attribute {name}")
    if attribute.type not in ATTRIBUTE_TYPES:
        raise InvalidInput(
            f"attribute {name!r} has unknown type {attribute.type!r} (one of {', '.join(ATTRIBUTE_TYPES)})"
        )
    if not takes_values(attribute.type):
        if attribute.choices:
            raise InvalidInput(
                f"only a choice attribute has values; {name} is of type {attribute.type} "
                f"(make it a choice, or give no values)"
            )
    elif not attribute.choices:
        raise InvalidInput(f"attribute {name} is a choice but lists no values")
    seen: set[str] = set()
    for value in attribute.choices:
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(f"attribute {name} has an empty value")
        if _CONTROL.search(value):
            raise InvalidInput(f"value {value!r} of attribute {name} holds a control character")
        if len(value) > MAX_VALUE:
            raise InvalidInput(f"value {value[:20]!r}… of attribute {name} is longer than {MAX_VALUE} characters")
        if value in seen:
            raise InvalidInput(f"attribute {name} lists {value!r} twice")
        seen.add(value)
    if attribute.default is not None:
        try:
            validate_attributes(Label(label.name, label.color, attributes=(attribute,)), {name: attribute.default})
        except InvalidInput as exc:
            raise InvalidInput(f"the default of attribute {name} does not fit it: {exc}") from None


def suggest_attribute(name: str, values: Iterable[Any]) -> Attribute:
    """The attribute that would hold ``values`` as a file gives them: a flag for brat's binary
    attributes (``True``), a count or a date when every value reads as one, a choice of the
    values when they are few and short, free text otherwise."""
    given = list(values)
    if given and all(isinstance(v, bool) for v in given):
        return Attribute(name, FLAG)
    for kind, parse in ((COUNT, parse_count), (DATE, parse_iso_date)):
        try:
            if given and all(parse(v) is not None for v in given):
                return Attribute(name, kind)
        except InvalidInput:
            pass
    distinct = list(dict.fromkeys(str(v).strip() for v in given))
    if (
        0 < len(distinct) <= 12
        and all(v and len(v) <= MAX_VALUE for v in distinct)
        and not any(_VALUE_SEPARATORS.search(v) or _CONTROL.search(v) for v in distinct)
    ):
        return Attribute(name, CHOICE, choices=tuple(distinct))
    return Attribute(name, TEXT)


def parse_count(value: Any) -> int | list[int]:
    """A casualty count: a non-negative integer, or ``[low, high]`` for a range."""
    if isinstance(value, bool):
        raise InvalidInput("a count must be a number or a range such as 10-15")
    if isinstance(value, int):
        if value < 0:
            raise InvalidInput("a count cannot be negative")
        return value
    if isinstance(value, (list, tuple)) and len(value) == 2:
        low, high = (parse_count(v) for v in value)
    else:
        text = str(value).strip().translate(_ARABIC_INDIC_DIGITS)
        if text.isdigit():
            return int(text)
        match = _RANGE.match(text)
        if not match:
            raise InvalidInput(f"{value!r} is not a count: give a number or a range such as 10-15")
        low, high = int(match.group(1)), int(match.group(2))
    if not (isinstance(low, int) and isinstance(high, int)) or low > high:
        raise InvalidInput(f"{value!r} is not a range from low to high")
    return [low, high] if low != high else low


_ARABIC_INDIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


_DATE_FORMS = (
    (re.compile(r"\d{4}"), None),  # a year
    (re.compile(r"\d{2}"), None),  # a century (ISO 8601: "20" is 2000-2099)
    (re.compile(r"(\d{4})-(\d{2})"), lambda m: _dt.date(int(m[1]), int(m[2]), 1)),
    (re.compile(r"\d{4}-\d{2}-\d{2}"), lambda m: _dt.date.fromisoformat(m[0])),
    (re.compile(r"--(\d{2})-(\d{2})"), lambda m: _dt.date(2000, int(m[1]), int(m[2]))),  # no year known
    (re.compile(r"--(\d{2})"), lambda m: _dt.date(2000, int(m[1]), 1)),
    (re.compile(r"(\d{4})-W(\d{2})"), lambda m: _dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)),
    (re.compile(r"(\d{4})-Q([1-4])"), None),  # a quarter (not ISO 8601, but what coders write)
)


def _one_date(text: str) -> str:
    for pattern, check in _DATE_FORMS:
        match = pattern.fullmatch(text)
        if match:
            if check is not None:
                check(match)  # raises ValueError for a day or week that does not exist
            return text
    raise ValueError(text)


def parse_iso_date(value: Any) -> str:
    """An ISO 8601 date of any precision (day, week, month, quarter, year, century, a day or
    month without its year) or an interval of two (``2020/2024``), checked for real."""
    text = str(value).strip()
    try:
        parts = text.split("/")
        if len(parts) > 2 or not all(parts):
            raise ValueError(text)
        clean = [_one_date(part) if len(part) != 10 else _dt.date.fromisoformat(part).isoformat() for part in parts]
        return "/".join(clean)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not an ISO 8601 date (YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Www, YYYY-Qn, CC, --MM-DD, "
            "or START/END)"
        ) from None


_TRUE = {"true", "yes", "1", "y", "on"}
_FALSE = {"false", "no", "0", "n", "off", ""}


def validate_attributes(label: Label, attributes: dict[str, Any]) -> dict[str, Any]:
    """Check and canonicalise a span's attributes against its label; raise :class:`InvalidInput`."""
    clean: dict[str, Any] = {}
    for name, value in attributes.items():
        attribute = label.attribute(name)
        if attribute is None:
            known = ", ".join(a.name for a in label.attributes) or "none"
            raise InvalidInput(f"{label.name} has no attribute {name!r} (it has: {known})")
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if attribute.type == COUNT:
            clean[name] = parse_count(value)
        elif attribute.type == CHOICE:
            if str(value) not in attribute.choices:
                raise InvalidInput(f"{name} must be one of {', '.join(attribute.choices)}, not {value!r}")
            clean[name] = str(value)
        elif attribute.type == FLAG:
            if isinstance(value, bool):
                clean[name] = value
            elif str(value).strip().lower() in _TRUE | _FALSE:
                clean[name] = str(value).strip().lower() in _TRUE
            else:
                raise InvalidInput(f"{name} must be true or false, not {value!r}")
        elif attribute.type == DATE:
            clean[name] = parse_iso_date(value)
        else:
            clean[name] = str(value).strip()
    return clean


# --- the schema in the project file ---------------------------------------------------------


def _attributes_json(label: Label) -> str:
    return json.dumps([a.to_json() for a in label.attributes], ensure_ascii=False)


def read_all(db: Database) -> list[Label]:
    """The project's labels, in schema order."""
    rows = db.execute("SELECT name, color, key, description, attributes FROM labels ORDER BY position").fetchall()
    return [
        Label(name, color, key, description, tuple(Attribute.from_json(a) for a in json.loads(attributes)))
        for name, color, key, description, attributes in rows
    ]


def insert(db: Database, label: Label) -> None:
    """Append ``label`` to the schema (checked by the caller with :func:`check_label`)."""
    db.execute(
        "INSERT INTO labels (name, color, key, description, attributes, position) "
        "VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM labels))",
        [label.name, label.color.upper(), label.key, label.description, _attributes_json(label)],
    )


def _stored(db: Database, name: str) -> Label:
    label = next((label for label in read_all(db) if label.name == name), None)
    if label is None:
        names = ", ".join(label.name for label in read_all(db))
        raise InvalidInput(f"unknown label {name!r}; the project's labels are {names}")
    return label


def _write_attributes(db: Database, label: Label) -> None:
    db.execute("UPDATE labels SET attributes = ? WHERE name = ?", [_attributes_json(label), label.name])


def add_attribute(db: Database, label_name: str, attribute: Attribute) -> Label:
    """Append ``attribute`` to the definitions of the label ``label_name``, checked by
    :func:`check_attribute` against the label as stored; return the label as it is now. Call
    inside the transaction of the change (checked there, two writers cannot both add it)."""
    label = _stored(db, label_name)
    check_attribute(label, attribute)
    label = replace(label, attributes=(*label.attributes, attribute))
    _write_attributes(db, label)
    return label


def remove_attribute(db: Database, label_name: str, name: str) -> Label:
    """Take the attribute ``name`` out of the label's definitions (undoing :func:`add_attribute`;
    the caller makes sure no span holds a value of it); return the label as it is now."""
    label = _stored(db, label_name)
    if label.attribute(name) is None:
        raise InvalidInput(f"{label.name} has no attribute {name!r} any more")
    label = replace(label, attributes=tuple(a for a in label.attributes if a.name != name))
    _write_attributes(db, label)
    return label


def delete_all(db: Database) -> None:
    """Empty the schema (a new annotator's copy, before it takes the lead's labels)."""
    db.execute("DELETE FROM labels")


def merge(db: Database, labels: Iterable[Label]) -> None:
    """Take another schema's labels in its order: new ones are added, existing ones updated
    (none removed)."""
    for position, label in enumerate(labels, start=1):
        db.execute(
            "INSERT INTO labels (name, color, key, description, attributes, position) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(name) DO UPDATE SET color = excluded.color, key = excluded.key,"
            " description = excluded.description, attributes = excluded.attributes, position = excluded.position",
            [label.name, label.color, label.key, label.description, _attributes_json(label), position],
        )
