"""Incremental nesting depths in the view always equal a full recomputation."""

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.store.spans import Span
from workbench.ui.annotation_view import AnnotationView
from workbench.ui.highlighter import nesting_depths
from workbench.ui.session import make_application

TEXT = "قال الناطق باسم قوات الجيش الوطني الليبي أحمد المسماري إن تركيا استغلت هدنة وقف إطلاق النار\n" * 3


@st.composite
def operations(draw):
    ops = []
    for n in range(draw(st.integers(1, 25))):
        start = draw(st.integers(0, len(TEXT) - 2))
        end = draw(st.integers(start + 1, min(len(TEXT), start + 60)))
        ops.append((draw(st.sampled_from(["put", "put", "move", "drop"])), n, start, end))
    return ops


@settings(max_examples=60, deadline=None)
@given(operations())
def test_incremental_depths_match_a_full_recount(ops):
    make_application()
    view = AnnotationView()
    view.set_document(TEXT, [], {"ACTOR": "#E69F00"})
    for kind, n, start, end in ops:
        ids = list(view.spans)
        if kind == "put" or not ids:
            view.put_span(Span("d", "a", start, end, "ACTOR", id=f"s{n}"))
        elif kind == "move":
            target = view.spans[ids[n % len(ids)]]
            view.put_span(Span("d", "a", start, end, "ACTOR", id=target.id))
        else:
            view.drop_span(ids[n % len(ids)])
        expected = nesting_depths([(v.id, v.start, v.end) for v in view._view.values()])
        assert {k: v.depth for k, v in view._view.items()} == expected
    view.deleteLater()
