"""Equal frozen forms print alike: types, order and signs are kept; anything else refuses."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from markupsafe import Markup

from pipeline.profiles import load_agency, load_payer
from pipeline.writers.docx import fast
from pipeline.writers.docx.frozen import Unfrozen, frozen
from tests.writers.docx.clinical import full_clinical


@pytest.mark.parametrize(("a", "b"), [
    (1, True), (1, 1.0), (0.0, -0.0), ("1", 1), ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
    ([1, 2], (1, 2)), ({1: "x"}, {1.0: "x"}), ([None], [""]), (dt.date(2026, 1, 5), "2026-01-05"),
])  # fmt: skip
def test_values_that_print_differently_freeze_differently(a: object, b: object) -> None:
    assert frozen(a) != frozen(b)


def test_equal_plain_values_freeze_alike_and_others_refuse() -> None:
    value = {"name": "Dev", "ids": [1, 2.5, None, True], "on": dt.date(2026, 1, 5)}
    assert frozen(value) == frozen(json.loads(json.dumps(value, default=str)) | {
        "on": dt.date(2026, 1, 5)})  # fmt: skip
    for odd in (dt.datetime(2026, 1, 5), Markup("<b>"), object(), {"a": {1, 2}}):
        with pytest.raises(Unfrozen):
            frozen(odd)


def _counted(monkeypatch) -> list[str]:  # noqa: ANN001
    """The names of the parts rendered from now on (as a whole, or as pieces: .stitch)."""
    calls: list[str] = []
    real, pieces = fast.Compiled._bytes, fast.pieces_of
    counted = staticmethod(lambda part, c: calls.append(part.name) or real(part, c))
    monkeypatch.setattr(fast.Compiled, "_bytes", counted)
    monkeypatch.setattr(
        fast, "pieces_of", lambda part, c: calls.append(part.name) or pieces(part, c)
    )
    return calls


def test_a_header_or_footer_is_rendered_again_only_when_its_values_change(monkeypatch) -> None:
    compiled, context, properties = full_clinical()
    first = compiled.render(context, properties)
    calls = _counted(monkeypatch)
    assert compiled.render(context, properties) == first
    assert "word/footer1.xml" not in calls and "word/header1.xml" not in calls
    renamed = {**context, "client": {**context["client"], "name": "Someone Else"}}
    calls.clear()
    header = zipfile.ZipFile(io.BytesIO(compiled.render(renamed, properties)))
    assert b"Someone Else" in header.read("word/header1.xml")
    assert "word/header1.xml" in calls and "word/footer1.xml" not in calls
    assert compiled.render(context, properties) == first


def test_a_part_whose_values_keep_changing_is_compared_again_now_and_then(monkeypatch) -> None:
    compiled, context, properties = full_clinical()
    compiled.missed.clear()
    calls = _counted(monkeypatch)
    named = [{**context, "client": {**context["client"], "name": f"Client {i}"}}
             for i in range(fast.MISSES + 3)]  # fmt: skip
    for one in named:  # a header naming the client: its values differ every plan
        compiled.render(one, properties)
    assert compiled.missed["word/header1.xml"] == fast.MISSES + 3
    assert compiled.missed["word/footer1.xml"] == 0  # (the same values: kept)
    calls.clear()
    same = [compiled.render(named[0], properties) for _ in range(fast.RETRY + 2)]
    assert len(set(same)) == 1  # rendered again or kept, the same bytes
    assert calls.count("word/header1.xml") < fast.RETRY  # compared again, then kept
    assert compiled.missed["word/header1.xml"] == 0
    fast.clear_cache()  # a new compile renders it alike
    fresh = fast.compiled_for(Path(load_payer("clinical").template), load_agency("riverside"),
                              draft=False)  # fmt: skip
    assert fresh.render(named[0], properties) == same[0]
