"""The window's menus and ``QAction``s, built from the command table (:mod:`workbench.ui.commands`)
plus one action per label key (1-9) and per version to accept (Alt+1 … Alt+9), and the File
menu's Open Recent list (kept in the user's settings, never in a project)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStyleOptionMenuItem, QWidget

from workbench.core import recent
from workbench.core.recent import Recent
from workbench.core.store.labels import Label
from workbench.ui.commands import ARTICLE, COMMANDS, translated

MENUS = (
    ("File", QT_TRANSLATE_NOOP("MainWindow", "&File")),
    ("Edit", QT_TRANSLATE_NOOP("MainWindow", "&Edit")),
    ("Annotate", QT_TRANSLATE_NOOP("MainWindow", "&Annotate")),
    ("Document", QT_TRANSLATE_NOOP("MainWindow", "&Document")),
    ("Adjudicate", QT_TRANSLATE_NOOP("MainWindow", "Ad&judicate")),
    ("View", QT_TRANSLATE_NOOP("MainWindow", "&View")),
)


LRI, PDI = "\u2066", "\u2069"  # left-to-right isolate


class ShortcutMenu(QMenu):
    """A menu whose shortcut texts read left to right in a right-to-left menu too: "Ctrl++"
    drawn in an Arabic menu, without isolation, comes out as "++Ctrl" (the trailing "+" signs
    take the menu's direction)."""

    def initStyleOption(self, option: QStyleOptionMenuItem, action: QAction) -> None:
        super().initStyleOption(option, action)
        label, tab, shortcut = option.text.partition("\t")
        if tab and shortcut and not shortcut.startswith(LRI):
            option.text = f"{label}\t{LRI}{shortcut}{PDI}"


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)  # (the strings' context before the split)


def add_menus(window: QMainWindow) -> dict[str, QMenu]:
    """Add the menus, empty, to ``window``'s menu bar; return them by name."""
    menus: dict[str, QMenu] = {}
    for name, text in MENUS:
        menus[name] = ShortcutMenu(_tr(text), window)
        window.menuBar().addMenu(menus[name])
    return menus


def build_menus(
    window: QMainWindow,
    handlers: dict[str, Callable[..., object]],
    labels: list[Label],
    apply_label: Callable[[str], None],
    accept_version: Callable[[int], object],
    article: QWidget | None = None,
    menus: dict[str, QMenu] | None = None,
) -> tuple[dict[str, QAction], dict[str, QMenu]]:
    """Fill ``menus`` (:func:`add_menus`; added to ``window`` when not given); return the
    actions by command id (``label_NAME``, ``accept_N`` for the others) and the menus by name.
    The keys of an article command (Enter) work while ``article`` has the focus, not in the
    window's other fields."""
    if menus is None:
        menus = add_menus(window)
    actions: dict[str, QAction] = {}
    for command in COMMANDS:
        action = QAction(translated(command.text), window)
        action.setObjectName(f"action_{command.id}")
        if command.shortcuts:
            action.setShortcuts([QKeySequence(s) for s in command.shortcuts])
        action.setStatusTip(translated(command.help))
        if command.scope == ARTICLE and article is not None:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            article.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(handlers[command.id])
        menus[command.menu].addAction(action)
        actions[command.id] = action
    for label in labels:
        action = QAction(QCoreApplication.translate("MainWindow", "Label as %1").replace("%1", label.name), window)
        action.setObjectName(f"action_label_{label.name}")
        if label.key:
            action.setShortcut(QKeySequence(label.key))
        action.triggered.connect(lambda _=False, n=label.name: apply_label(n))
        menus["Annotate"].insertAction(menus["Annotate"].actions()[0], action)
        actions[f"label_{label.name}"] = action
    for number in range(1, 10):
        action = QAction(
            QCoreApplication.translate("MainWindow", "Accept version %1").replace("%1", str(number)), window
        )
        action.setObjectName(f"action_accept_{number}")
        action.setShortcut(QKeySequence(f"Alt+{number}"))
        action.triggered.connect(lambda _=False, n=number: accept_version(n - 1))
        menus["Adjudicate"].addAction(action)
        actions[f"accept_{number}"] = action
    return actions, menus


# --- File → Open Recent: the list's rules are the core's (core/recent.py); it is kept in the user's settings

RECENT_KEY = "recentProjects"


def recent_projects(settings: QSettings) -> list[Recent]:
    return recent.from_json(settings.value(RECENT_KEY, ""))


def remember_project(settings: QSettings, path: str | Path) -> list[Recent]:
    """``path`` was opened now: first in the list (which the File menu and the next start read)."""
    entries = recent.remember(recent_projects(settings), path, time.time)
    settings.setValue(RECENT_KEY, recent.to_json(entries))
    settings.sync()
    return entries


def clear_recent(settings: QSettings) -> None:
    settings.setValue(RECENT_KEY, recent.to_json([]))


def add_recent_menu(
    window: QMainWindow, file_menu: QMenu, settings: QSettings, open_path: Callable[[str], object]
) -> QMenu:
    """The "Open Recent" submenu of the File menu, after "Open…"; filled each time it opens."""
    menu = ShortcutMenu(QCoreApplication.translate("MainWindow", "Open &Recent"), window)
    menu.setObjectName("recentMenu")
    menu.setToolTipsVisible(True)
    menu.aboutToShow.connect(lambda: fill_recent_menu(menu, settings, open_path))
    actions = file_menu.actions()
    index = next((i for i, action in enumerate(actions) if action.objectName() == "action_open"), len(actions))
    following = actions[index + 1] if index + 1 < len(actions) else None
    if following is not None:
        file_menu.insertMenu(following, menu)
    else:
        file_menu.addMenu(menu)
    fill_recent_menu(menu, settings, open_path)
    return menu


def fill_recent_menu(menu: QMenu, settings: QSettings, open_path: Callable[[str], object]) -> None:
    menu.clear()
    shown = recent.shown(recent_projects(settings))
    for number, item in enumerate(shown, start=1):
        name = item.name.replace("&", "&&")  # (a "&" in a file name is not a mnemonic)
        text = f"&{number} {name}" if number < 10 else name
        if item.missing:
            text += " " + QCoreApplication.translate("MainWindow", "(not found)")
        action = QAction(text, menu)
        action.setObjectName(f"recent_{number}")
        where = f"{LRI}{item.path}{PDI}"
        action.setToolTip(
            QCoreApplication.translate("MainWindow", "%1 is no longer there (moved or deleted).").replace("%1", where)
            if item.missing
            else where
        )
        action.setStatusTip(action.toolTip())
        action.setEnabled(not item.missing)
        action.triggered.connect(lambda _=False, p=str(item.path): open_path(p))
        menu.addAction(action)
    if not shown:
        empty = menu.addAction(QCoreApplication.translate("MainWindow", "No recent projects"))
        empty.setEnabled(False)
    menu.addSeparator()
    clear = menu.addAction(QCoreApplication.translate("MainWindow", "Clear the list"))
    clear.setObjectName("recent_clear")
    clear.setEnabled(bool(shown))
    clear.triggered.connect(lambda: clear_recent(settings))  # (the menu is filled again as it opens)
