"""Every command of the window with its shortcut, in one table.

The window builds its menus and ``QAction``s from this table, and the user
guide's shortcut list is generated from it, so the two cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

ARTICLE = "article"  # a command whose keys work while the article has the focus (Enter)


@dataclass(frozen=True)
class Command:
    id: str
    text: str  # menu text (translated through the "Commands" context)
    shortcuts: tuple[str, ...]  # QKeySequence strings, portable form
    help: str  # one line for the guide and the status tip
    menu: str
    scope: str = "window"  # or ARTICLE: the keys are the article's (Enter stays the search field's)


COMMANDS: tuple[Command, ...] = (
    # Annotate (label keys 1-9 come from the project's schema, see label_shortcut())
    Command(
        "delete_span",
        QT_TRANSLATE_NOOP("Commands", "Delete span"),
        ("Del",),
        QT_TRANSLATE_NOOP(
            "Commands", "Delete the selected span, or reject the selected suggestion (not offered again here)."
        ),
        "Annotate",
    ),
    Command(
        "accept_suggestion",
        QT_TRANSLATE_NOOP("Commands", "Accept suggestion"),
        ("Return", "Enter"),
        QT_TRANSLATE_NOOP(
            "Commands",
            "Accept the selected suggestion (drawn dashed) as a span with its values; a label key accepts it "
            "with that label, the edge keys and P adjust it and accept it.",
        ),
        "Annotate",
        ARTICLE,
    ),
    Command(
        "accept_suggestions",
        QT_TRANSLATE_NOOP("Commands", "Accept suggestions above a confidence…"),
        ("Ctrl+Shift+A",),
        QT_TRANSLATE_NOOP(
            "Commands", "Accept every suggestion of the document whose confidence is at least the one you give (0.9)."
        ),
        "Annotate",
    ),
    Command(
        "suggestions_on",
        QT_TRANSLATE_NOOP("Commands", "Offer suggestions"),
        (),
        QT_TRANSLATE_NOOP(
            "Commands",
            "Show the dates, casualty counts and names the value engines find as dashed suggestions "
            "(a project setting: the lead may switch it off to measure unassisted agreement).",
        ),
        "Annotate",
    ),
    Command(
        "retrain_model",
        QT_TRANSLATE_NOOP("Commands", "Retrain the model now"),
        (),
        QT_TRANSLATE_NOOP(
            "Commands",
            "Train the model of your layer on your done documents again, in the background (it is trained "
            "after each document marked done; the new model is used from the next document opened).",
        ),
        "Annotate",
    ),
    Command(
        "strip_proclitic",
        QT_TRANSLATE_NOOP("Commands", "Remove leading proclitic"),
        ("P",),
        QT_TRANSLATE_NOOP("Commands", "Drop a leading و ف ب ل ك from the selected span (or selection)."),
        "Annotate",
    ),
    Command(
        "end_right",
        QT_TRANSLATE_NOOP("Commands", "Move end edge one character right"),
        ("Alt+Right",),
        QT_TRANSLATE_NOOP(
            "Commands", "Move the selected span's end edge one character to the right (as the text is drawn)."
        ),
        "Annotate",
    ),
    Command(
        "end_left",
        QT_TRANSLATE_NOOP("Commands", "Move end edge one character left"),
        ("Alt+Left",),
        QT_TRANSLATE_NOOP(
            "Commands", "Move the selected span's end edge one character to the left (as the text is drawn)."
        ),
        "Annotate",
    ),
    Command(
        "end_word_right",
        QT_TRANSLATE_NOOP("Commands", "Move end edge one word right"),
        ("Ctrl+Alt+Right",),
        QT_TRANSLATE_NOOP(
            "Commands", "Move the selected span's end edge one word to the right (as the text is drawn)."
        ),
        "Annotate",
    ),
    Command(
        "end_word_left",
        QT_TRANSLATE_NOOP("Commands", "Move end edge one word left"),
        ("Ctrl+Alt+Left",),
        QT_TRANSLATE_NOOP("Commands", "Move the selected span's end edge one word to the left (as the text is drawn)."),
        "Annotate",
    ),
    Command(
        "start_right",
        QT_TRANSLATE_NOOP("Commands", "Move start edge one character right"),
        ("Alt+Shift+Right",),
        QT_TRANSLATE_NOOP(
            "Commands", "Move the selected span's start edge one character to the right (as the text is drawn)."
        ),
        "Annotate",
    ),
    Command(
        "start_left",
        QT_TRANSLATE_NOOP("Commands", "Move start edge one character left"),
        ("Alt+Shift+Left",),
        QT_TRANSLATE_NOOP(
            "Commands", "Move the selected span's start edge one character to the left (as the text is drawn)."
        ),
        "Annotate",
    ),
    Command(
        "start_word_right",
        QT_TRANSLATE_NOOP("Commands", "Move start edge one word right"),
        ("Ctrl+Alt+Shift+Right",),
        QT_TRANSLATE_NOOP(
            "Commands", "Move the selected span's start edge one word to the right (as the text is drawn)."
        ),
        "Annotate",
    ),
    Command(
        "start_word_left",
        QT_TRANSLATE_NOOP("Commands", "Move start edge one word left"),
        ("Ctrl+Alt+Shift+Left",),
        QT_TRANSLATE_NOOP(
            "Commands", "Move the selected span's start edge one word to the left (as the text is drawn)."
        ),
        "Annotate",
    ),
    Command(
        "toggle_unsure",
        QT_TRANSLATE_NOOP("Commands", "Toggle unsure"),
        ("U",),
        QT_TRANSLATE_NOOP("Commands", "Flag or unflag the selected span as unsure."),
        "Annotate",
    ),
    Command(
        "edit_attributes",
        QT_TRANSLATE_NOOP("Commands", "Edit attributes"),
        ("E",),
        QT_TRANSLATE_NOOP(
            "Commands",
            "Go into the selected span's attributes: Tab and Shift+Tab between fields, type the first letters "
            "of a choice, Space ticks a box, Enter keeps the value and goes back to the text, Esc goes back.",
        ),
        "Annotate",
    ),
    Command(
        "next_span",
        QT_TRANSLATE_NOOP("Commands", "Next span"),
        ("Tab",),
        QT_TRANSLATE_NOOP("Commands", "Select the next span or suggestion in reading order."),
        "Annotate",
    ),
    Command(
        "previous_span",
        QT_TRANSLATE_NOOP("Commands", "Previous span"),
        ("Shift+Tab",),
        QT_TRANSLATE_NOOP("Commands", "Select the previous span or suggestion."),
        "Annotate",
    ),
    Command(
        "clear_selection",
        QT_TRANSLATE_NOOP("Commands", "Clear selection"),
        ("Esc",),
        QT_TRANSLATE_NOOP("Commands", "Deselect the text and the span."),
        "Annotate",
    ),
    Command(
        "snap_words",
        QT_TRANSLATE_NOOP("Commands", "Snap to word edges"),
        (),
        QT_TRANSLATE_NOOP("Commands", "New spans grow to whole words (on by default)."),
        "Annotate",
    ),
    Command(
        "add_attribute",
        QT_TRANSLATE_NOOP("Commands", "Add attribute to a label…"),
        (),
        QT_TRANSLATE_NOOP(
            "Commands", "Add an attribute (a field of the attribute form) to a label of the project's schema."
        ),
        "Annotate",
    ),
    Command(
        "import_gazetteer",
        QT_TRANSLATE_NOOP("Commands", "Import gazetteer…"),
        (),
        QT_TRANSLATE_NOOP(
            "Commands",
            "Import the project's own canonical names of actors and places from a CSV file "
            "(name, label, canonical, aliases): they are suggested and filled before the shipped ones.",
        ),
        "Annotate",
    ),
    # Edit
    Command(
        "undo",
        QT_TRANSLATE_NOOP("Commands", "Undo"),
        ("Ctrl+Z",),
        QT_TRANSLATE_NOOP("Commands", "Undo the last action."),
        "Edit",
    ),
    Command(
        "redo",
        QT_TRANSLATE_NOOP("Commands", "Redo"),
        ("Ctrl+Shift+Z", "Ctrl+Y"),
        QT_TRANSLATE_NOOP("Commands", "Redo the last undone action."),
        "Edit",
    ),
    Command(
        "find",
        QT_TRANSLATE_NOOP("Commands", "Find in document"),
        ("Ctrl+F",),
        QT_TRANSLATE_NOOP(
            "Commands", "Search the open document (ignores harakat and tatweel; أ إ آ = ا, ى = ي, ة = ه)."
        ),
        "Edit",
    ),
    Command(
        "find_corpus",
        QT_TRANSLATE_NOOP("Commands", "Find in all documents"),
        ("Ctrl+Shift+F",),
        QT_TRANSLATE_NOOP("Commands", "Search the whole corpus."),
        "Edit",
    ),
    Command(
        "find_next",
        QT_TRANSLATE_NOOP("Commands", "Find next"),
        ("F3",),
        QT_TRANSLATE_NOOP("Commands", "Go to the next search result."),
        "Edit",
    ),
    # Document
    Command(
        "mark_done",
        QT_TRANSLATE_NOOP("Commands", "Mark done and go to next"),
        ("Ctrl+Return", "Ctrl+Enter"),
        QT_TRANSLATE_NOOP("Commands", "Mark the document done and open the next unfinished one."),
        "Document",
    ),
    Command(
        "mark_in_progress",
        QT_TRANSLATE_NOOP("Commands", "Mark in progress"),
        ("Ctrl+Shift+Return",),
        QT_TRANSLATE_NOOP("Commands", "Set the document back to in progress."),
        "Document",
    ),
    Command(
        "next_document",
        QT_TRANSLATE_NOOP("Commands", "Next document"),
        ("Ctrl+PgDown",),
        QT_TRANSLATE_NOOP("Commands", "Open the next document in the list."),
        "Document",
    ),
    Command(
        "previous_document",
        QT_TRANSLATE_NOOP("Commands", "Previous document"),
        ("Ctrl+PgUp",),
        QT_TRANSLATE_NOOP("Commands", "Open the previous document."),
        "Document",
    ),
    Command(
        "publication_date",
        QT_TRANSLATE_NOOP("Commands", "Publication date…"),
        (),
        QT_TRANSLATE_NOOP(
            "Commands", "Set the date the article was published: its relative dates (أمس، يوم الخميس) count from it."
        ),
        "Document",
    ),
    # View
    Command(
        "zoom_in",
        QT_TRANSLATE_NOOP("Commands", "Zoom in"),
        ("Ctrl++", "Ctrl+="),
        QT_TRANSLATE_NOOP("Commands", "Larger text (remembered)."),
        "View",
    ),
    Command(
        "zoom_out",
        QT_TRANSLATE_NOOP("Commands", "Zoom out"),
        ("Ctrl+-",),
        QT_TRANSLATE_NOOP("Commands", "Smaller text (remembered)."),
        "View",
    ),
    Command(
        "zoom_reset",
        QT_TRANSLATE_NOOP("Commands", "Actual size"),
        ("Ctrl+0",),
        QT_TRANSLATE_NOOP("Commands", "Default text size."),
        "View",
    ),
    Command(
        "guidelines",
        QT_TRANSLATE_NOOP("Commands", "Guidelines"),
        ("F1",),
        QT_TRANSLATE_NOOP("Commands", "Show or hide the project's guidelines."),
        "View",
    ),
    Command(
        "edit_guidelines",
        QT_TRANSLATE_NOOP("Commands", "Edit guidelines…"),
        ("Shift+F1",),
        QT_TRANSLATE_NOOP(
            "Commands",
            "(Lead) Write the project's guidelines in Markdown, with a preview; the annotators get them "
            "with their next project bundle.",
        ),
        "Edit",
    ),
    Command(
        "language_en",
        QT_TRANSLATE_NOOP("Commands", "English"),
        (),
        QT_TRANSLATE_NOOP("Commands", "Show the interface in English."),
        "View",
    ),
    Command(
        "language_ar",
        QT_TRANSLATE_NOOP("Commands", "العربية"),
        (),
        QT_TRANSLATE_NOOP("Commands", "Show the interface in Arabic (mirrored layout)."),
        "View",
    ),
    Command(
        "open",
        QT_TRANSLATE_NOOP("Commands", "Open project or bundle…"),
        ("Ctrl+O",),
        QT_TRANSLATE_NOOP(
            "Commands",
            "Open a project file, a project bundle from your team lead, or (lead) import an annotator's work bundle.",
        ),
        "File",
    ),
    Command(
        "export_work",
        QT_TRANSLATE_NOOP("Commands", "Export work bundle…"),
        ("Ctrl+Shift+E",),
        QT_TRANSLATE_NOOP("Commands", "Write your work to one signed file for your team lead."),
        "File",
    ),
    Command(
        "export_training",
        QT_TRANSLATE_NOOP("Commands", "Export training set…"),
        ("Ctrl+Shift+X",),
        QT_TRANSLATE_NOOP(
            "Commands",
            "Write the gold standard (or a layer) as JSONL, CoNLL, spaCy, datasets or brat, with a data card.",
        ),
        "File",
    ),
    Command(
        "team",
        QT_TRANSLATE_NOOP("Commands", "Team"),
        ("F2",),
        QT_TRANSLATE_NOOP("Commands", "Show the team panel: assignments, progress, bundles."),
        "View",
    ),
    Command(
        "agreement",
        QT_TRANSLATE_NOOP("Commands", "Agreement"),
        ("F4",),
        QT_TRANSLATE_NOOP("Commands", "Show how far the annotators agree: by pair, label and document."),
        "Adjudicate",
    ),
    Command(
        "adjudicate",
        QT_TRANSLATE_NOOP("Commands", "Adjudicate this document"),
        ("F6",),
        QT_TRANSLATE_NOOP("Commands", "Resolve disagreements into the gold layer (the window then edits gold)."),
        "Adjudicate",
    ),
    Command(
        "accept_majority",
        QT_TRANSLATE_NOOP("Commands", "Accept the majority"),
        ("A",),
        QT_TRANSLATE_NOOP("Commands", "Accept into gold the version more than half of the annotators chose."),
        "Adjudicate",
    ),
    Command(
        "accept_unanimous",
        QT_TRANSLATE_NOOP("Commands", "Accept all unanimous spans"),
        ("Ctrl+Shift+U",),
        QT_TRANSLATE_NOOP("Commands", "Accept every span all annotators agree on in this document."),
        "Adjudicate",
    ),
    Command(
        "next_cluster",
        QT_TRANSLATE_NOOP("Commands", "Next disagreement"),
        ("]",),
        QT_TRANSLATE_NOOP("Commands", "Go to the next cluster without gold."),
        "Adjudicate",
    ),
    Command(
        "previous_cluster",
        QT_TRANSLATE_NOOP("Commands", "Previous disagreement"),
        ("[",),
        QT_TRANSLATE_NOOP("Commands", "Go to the previous cluster without gold."),
        "Adjudicate",
    ),
    Command(
        "quit",
        QT_TRANSLATE_NOOP("Commands", "Quit"),
        ("Ctrl+Q",),
        QT_TRANSLATE_NOOP("Commands", "Close the app (everything is already saved)."),
        "File",
    ),
)

BY_ID = {command.id: command for command in COMMANDS}


def translated(text: str) -> str:
    """A command's text or help in the interface language."""
    return QCoreApplication.translate("Commands", text)


def label_shortcut(key: str) -> str:
    """The shortcut that applies a label whose schema key is ``key`` (1-9)."""
    return key


def shortcuts_markdown() -> str:
    """The shortcut table of the user guide, from the commands themselves."""
    rows = ["| keys | command | what it does |", "| --- | --- | --- |"]
    rows.append("| 1-4 (the label's key) | Label as ... | Tag the selected text, or relabel the selected span. |")
    rows.append(
        "| Alt+1 ... Alt+9 | Accept version n | While adjudicating: accept the n-th annotator's version of the cluster. |"
    )
    for command in COMMANDS:
        if command.shortcuts:
            keys = ", ".join(f"`{s}`" for s in command.shortcuts)
            rows.append(f"| {keys} | {command.text} | {command.help} |")
    return "\n".join(rows)
