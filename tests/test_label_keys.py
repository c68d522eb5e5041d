"""A label's key is one digit or Latin letter that the window does not already bind: a schema (from
`labels add` or a project bundle) cannot take Ctrl+Q, or the key that accepts the majority."""

from __future__ import annotations

import pytest

from workbench.core.errors import InvalidInput
from workbench.core.store.labels import DEFAULT_LABELS, RESERVED_KEYS, Label, check_label
from workbench.ui.commands import COMMANDS


def test_the_reserved_keys_are_the_windows_single_keys():
    single = {s.upper() for command in COMMANDS for s in command.shortcuts if len(s) == 1}
    assert single == set(RESERVED_KEYS)


@pytest.mark.parametrize("key", ["Ctrl+Q", "Alt+1", "<", " ", "A", "a", "P", "]", "١", "ق", "12", "\n"])
def test_a_key_the_window_cannot_give_a_label_is_refused(key):
    with pytest.raises(InvalidInput, match="must be one digit or Latin letter"):
        check_label(Label("WEAPON", "#112233", key), list(DEFAULT_LABELS))


@pytest.mark.parametrize("key", ["", "5", "9", "0", "w", "Z"])
def test_digits_and_free_letters_are_keys(key):
    check_label(Label("WEAPON", "#112233", key), list(DEFAULT_LABELS))


def test_a_letter_key_clashes_whatever_its_case():
    with pytest.raises(InvalidInput, match="already used"):
        check_label(Label("WEAPON", "#112233", "w"), [*DEFAULT_LABELS, Label("VEHICLE", "#445566", "W")])
