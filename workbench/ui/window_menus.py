"""The window's menus and ``QAction``s, built from the command table (:mod:`workbench.ui.commands`)
plus one action per label key (1-9) and per version to accept (Alt+1 … Alt+9)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStyleOptionMenuItem, QWidget

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


def build_menus(
    window: QMainWindow,
    handlers: dict[str, Callable[..., object]],
    labels: list[Label],
    apply_label: Callable[[str], None],
    accept_version: Callable[[int], object],
    article: QWidget | None = None,
) -> tuple[dict[str, QAction], dict[str, QMenu]]:
    """Add the menus to ``window``; return its actions by command id (``label_NAME``,
    ``accept_N`` for the others) and the menus by name. The keys of an article command
    (Enter) work while ``article`` has the focus, not in the window's other fields."""
    menus: dict[str, QMenu] = {}
    for name, text in MENUS:
        menus[name] = ShortcutMenu(_tr(text), window)
        window.menuBar().addMenu(menus[name])
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
