"""Progress charts: the same PNG bytes on every rebuild, embedded with alt text, else words."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib

import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Measure, Plan
from pipeline.profiles import load_agency
from pipeline.readers import read
from pipeline.rules import load_payer
from pipeline.versions.diff import diff_plans
from pipeline.writers import WriterOptions, render
from pipeline.writers.charts import chart_png, clear_cache
from pipeline.writers.client_copy import CLIENT_COPY
from pipeline.writers.progress import Target, client_text, clinician_text, progress_of, target_of
from pipeline.writers.wording import human_date
from tests.support import ROOT, TEST_DATA
from tests.writers.docx.test_goldens import canonical

AGENCY = load_agency("riverside")
CLINICAL = load_payer("clinical")


def _sample(name: str, client: str) -> Plan:
    for result in read(ROOT / "inputs" / name):
        if result.plan is not None and result.plan.client.id == client:
            return merge(result.plan, load_bank())[0]
    raise AssertionError(f"{client} not in {name}")


def _reviewed(plan: Plan) -> Plan:
    """The plan as of a review on its latest score's day: a plan shows only the scores known
    at its date (plan date, or its last review), so later ones come with a review."""
    last = max((m.date for m in plan.measures if m.date), default=None)
    if last is None or (plan.as_of and last <= plan.as_of):
        return plan
    review = plan.review.model_copy(update={"last_review_date": last})
    return plan.model_copy(update={"review": review})


#: A client with PHQ-9 twice (17, 13) and GAD-7 once, as the sample export has them, as of
#: a review on the second PHQ-9's day.
TWICE = _reviewed(_sample("practiceflow_workbook.xlsx", "30021"))
FULL = Plan.model_validate(json.loads((TEST_DATA / "render" / "full.json").read_text("utf-8")))


def _with_scores(plan: Plan, *scores: tuple[str, int]) -> Plan:
    extra = tuple(Measure(instrument="PHQ-9", date=dt.date.fromisoformat(d), total=s)
                  for d, s in scores)  # fmt: skip
    return _reviewed(plan.model_copy(update={"measures": (*plan.measures, *extra)}))


def _chunks(png: bytes) -> list[bytes]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, kinds = 8, []
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kinds.append(png[pos + 4 : pos + 8])
        pos += 12 + length
    return kinds


def test_the_png_is_byte_identical_on_rebuild_and_carries_no_date_or_software() -> None:
    (phq,) = [p for p in progress_of(TWICE) if p.charted]
    clear_cache()
    first = chart_png(phq)
    clear_cache()
    assert chart_png(phq) == first
    kinds = _chunks(first)
    assert b"tIME" not in kinds
    assert b"Software" not in first and b"matplotlib" not in first.lower()
    width, height = struct.unpack(">II", first[16:24])
    assert (width, height) == (945, 378)


def test_the_png_is_the_same_in_another_process_whatever_its_matplotlib_settings(
    tmp_path,
) -> None:
    """A user's matplotlibrc (fonts, line widths, style) and backend change nothing."""
    (phq,) = [p for p in progress_of(TWICE) if p.charted]
    rc = tmp_path / "matplotlibrc"
    rc.write_text("lines.linewidth: 6\nfont.size: 22\nfont.family: serif\n"
                  "axes.facecolor: black\nsavefig.dpi: 40\nfigure.figsize: 2, 2\n")  # fmt: skip
    script = (
        "import sys\nfrom tests.writers.test_charts import TWICE\n"
        "from pipeline.writers.charts import chart_png\nfrom pipeline.writers.progress import "
        "progress_of\nsys.stdout.buffer.write(chart_png([p for p in progress_of(TWICE) "
        "if p.charted][0]))\n"
    )
    env = {**os.environ, "MATPLOTLIBRC": str(rc), "MPLBACKEND": "svg", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env,
                          cwd=ROOT, check=True, timeout=120)  # fmt: skip
    assert done.stdout == chart_png(phq)


def _package(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_clinical_plan_shows_a_chart_with_alt_text_for_two_administrations() -> None:
    texts = {}
    for renderer in ("fast", "docxtpl"):
        (document,) = render(TWICE, CLINICAL, AGENCY, WriterOptions(renderer=renderer))
        texts[renderer] = canonical(document.data)
        parts = _package(document.data)
        charts = [n for n in parts if re.fullmatch(r"word/media/chart-[0-9a-f]{16}\.png", n)]
        assert len(charts) == 1, "PHQ-9 was given twice; GAD-7 once (no chart)"
        (phq,) = [p for p in progress_of(TWICE) if p.charted]
        assert parts[charts[0]] == chart_png(phq)
        rels = parts["word/_rels/document.xml.rels"].decode()
        rid = re.search(rf'Id="(\w+)" Type="[^"]+/image" Target="{charts[0][5:]}"', rels)
        assert rid, rels
        body = parts["word/document.xml"].decode()
        assert f'r:embed="{rid.group(1)}"' in body
        assert "TXPLAN-CHART" not in body
        assert 'Extension="png"' in parts["[Content_Types].xml"].decode()
        (alt,) = set(re.findall(r'<wp:docPr id="\d+" name="PHQ-9 progress chart" descr="([^"]*)"',
                                body))  # fmt: skip
        for words in ("PHQ-9", "17 on February 9, 2026", "13 on February 23, 2026",
                      "Target: below 10", "baseline 17: 12 to 22"):  # fmt: skip
            assert words in alt, alt
        assert "GAD-7: one administration so far, 8 (mild) on February 9, 2026" in body
        ids = re.findall(r'docPr id="(\d+)"', body)
        assert len(ids) == len(set(ids))
    assert texts["fast"] == texts["docxtpl"], "the two renderers differ"


def test_one_administration_gets_a_sentence_and_no_chart() -> None:
    (document,) = render(FULL, CLINICAL, AGENCY, WriterOptions())
    parts = _package(document.data)
    assert not [n for n in parts if "chart-" in n]
    body = parts["word/document.xml"].decode()
    assert "PHQ-9: one administration so far, 10 (moderate) on March 4, 2025." in body
    assert "<w:drawing>" not in body.split("Progress", 1)[1]


def test_each_instrument_charted_and_payers_without_charts_unchanged() -> None:
    plan = _with_scores(FULL, ("2025-04-01", 8), ("2025-05-06", 4))
    (document,) = render(plan, CLINICAL, AGENCY, WriterOptions())
    body = _package(document.data)["word/document.xml"].decode()
    assert body.count("<wp:docPr") == 1
    assert "PHQ-9: 3 administrations, 10 on March 4, 2025 to 4 on May 6, 2025" in body
    assert "(−6, reliable improvement; threshold ±5)" in body
    (isp,) = render(plan, load_payer("medicaid-isp"), AGENCY, WriterOptions())
    assert not [n for n in _package(isp.data) if "chart-" in n]


def test_a_marker_in_free_text_is_not_a_chart() -> None:
    (phq,) = [p for p in progress_of(TWICE) if p.charted]
    forged = "TXPLAN-CHART-0123456789abcdef and " + phq.marker
    problem = TWICE.presenting_problem.model_copy(update={"functional_impact": forged})
    plan = TWICE.model_copy(update={"presenting_problem": problem})
    (document,) = render(plan, CLINICAL, AGENCY, WriterOptions())
    body = _package(document.data)["word/document.xml"].decode()
    assert "TXPLAN-CHART-0123456789abcdef" in body  # unknown: left as the text it is
    assert body.count('r:embed="rIdChart1"') == 2  # a real one is the client's own chart


def test_the_client_copy_says_it_in_plain_words() -> None:
    plan = _sample("mindledger_long.csv", "2042")
    (document,) = render(plan, CLIENT_COPY, AGENCY, WriterOptions())
    # the January plan's copy leaves out the February score: it was not known on its date
    assert "February" not in _package(document.data)["word/document.xml"].decode()
    plan = _reviewed(plan)  # a review in February brings it in
    (document,) = render(plan, CLIENT_COPY, AGENCY, WriterOptions())
    parts = _package(document.data)
    body = parts["word/document.xml"].decode()
    assert "How you are doing" in body
    assert "Your mood questionnaire score went from 10 in January to 7 in February." in body
    assert not [n for n in parts if "chart-" in n]
    (phq,) = progress_of(_with_scores(FULL, ("2025-06-01", 4)))[1:]
    assert client_text(phq).startswith(
        "Your mood questionnaire score went from 10 in March to 4 in June. That is a real change"
    )


def test_reliable_change_is_the_histories_threshold() -> None:
    """The chart's band and the history's "reliable improvement" use one threshold."""
    after = _with_scores(FULL, ("2025-06-01", 4))
    (phq,) = [p for p in progress_of(after) if p.instrument == "PHQ-9"]
    assert phq.change() == (-6, "reliable improvement")
    notes = {c.note for c in diff_plans(FULL, after).changes if "PHQ-9" in c.target}
    assert "reliable improvement" in notes


@pytest.mark.parametrize(("text", "expected"), [
    ("<= 9", Target("≤", 9)), ("PHQ-9 < 10", Target("<", 10)), ("9 or below", Target("≤", 9)),
    ("≤ 4", Target("≤", 4)), ("10", Target("≤", 10)), ("", None), ("remission", None),
    ("below 10", Target("<", 10)), ("4 or lower", Target("≤", 4)), ("under 5", Target("<", 5)),
])  # fmt: skip
def test_targets_as_objectives_write_them(text: str, expected: Target | None) -> None:
    found = target_of(text, "PHQ-9")
    assert found == expected
    if found is not None:  # in words as the objective says it, or from the sign
        assert found.words in (text, {"≤": f"{found.value} or less", "<": f"below {found.value}"}
                               .get(found.sign)), found.words  # fmt: skip


def test_undated_administrations_are_not_charted() -> None:
    plan = FULL.model_copy(update={"measures": (
        Measure(instrument="PHQ-9", total=12), Measure(instrument="PHQ-9", total=9))})  # fmt: skip
    (phq,) = progress_of(plan)
    assert not phq.charted
    assert client_text(phq) == ""
    assert human_date(dt.date(2025, 1, 2)) == "January 2, 2025"


def test_png_chunks_are_valid() -> None:
    (phq,) = [p for p in progress_of(TWICE) if p.charted]
    png = chart_png(phq)
    pos = 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        body = png[pos + 4 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(body) == crc
        pos += 12 + length


def test_the_redline_shows_the_new_versions_charts() -> None:
    from pipeline.writers.docx.redline import render_redline

    new = _with_scores(FULL, ("2025-06-01", 4))
    data = render_redline(FULL, new, diff_plans(FULL, new))
    parts = _package(data)
    body = parts["word/document.xml"].decode()
    (media,) = [n for n in parts if n.startswith("word/media/")]
    (phq,) = [p for p in progress_of(new) if p.charted]
    assert parts[media] == chart_png(phq)
    assert re.search(r'<wp:docPr id="\d+" name="PHQ-9 progress chart" descr="Line chart of '
                     r'PHQ-9[^"]*10 on March 4, 2025, 4 on June 1, 2025', body)  # fmt: skip
    assert "GAD-7: one administration so far" in body
    assert render_redline(FULL, new, diff_plans(FULL, new)) == data


def test_a_package_read_as_entries_is_written_back_byte_for_byte() -> None:
    """Embedding copies the members it does not change still compressed (fixed_zip.entries)."""
    from pipeline.writers.fixed_zip import entries, write_zip

    for renderer in ("fast", "docxtpl"):
        (document,) = render(FULL, CLINICAL, AGENCY, WriterOptions(renderer=renderer))
        assert write_zip(entries(document.data)) == document.data


def test_the_caption_and_the_client_copy_say_whether_the_target_is_met() -> None:
    (phq,) = [p for p in progress_of(TWICE) if p.charted]
    assert clinician_text(phq, human_date).endswith("; target < 10, not met yet.")
    assert client_text(phq).endswith("Your goal is below 10.")
    (met,) = [p for p in progress_of(_with_scores(TWICE, ("2026-03-23", 8))) if p.charted]
    assert clinician_text(met, human_date).endswith("; target < 10, met by the latest score.")
    assert client_text(met) == (
        "Your mood questionnaire score went from 17 in February to 8 in March. That is a real "
        "change for the better. Your goal was below 10, and you reached it."
    )


def test_many_and_out_of_range_administrations_still_draw_a_readable_chart() -> None:
    """A plan JSON may hold a long history or a total outside the scale: drawn, not refused."""
    start = dt.date(2024, 1, 1)
    scores = [("PHQ-9", start + dt.timedelta(days=7 * i), (i * 7) % 28) for i in range(60)]
    scores.append(("PHQ-9", start + dt.timedelta(days=7 * 60), 40))
    given = tuple(Measure(instrument=n, date=d, total=t) for n, d, t in scores)
    plan = FULL.model_copy(update={"measures": given})
    (phq,) = progress_of(plan)
    png = chart_png(phq)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (945, 378)
    clear_cache()
    assert chart_png(phq) == png
    (document,) = render(plan, CLINICAL, AGENCY, WriterOptions())
    body = _package(document.data)["word/document.xml"].decode()
    last = human_date(start + dt.timedelta(days=7 * 60))
    assert f"40 on {last}" in body  # in the alt text: every value with its date


def test_charts_drawn_from_several_threads_are_the_ones_drawn_alone() -> None:
    from concurrent.futures import ThreadPoolExecutor

    plans = [_with_scores(FULL, ("2025-04-01", 5 + k), ("2025-05-01", 12 - k)) for k in range(4)]
    series = [p for plan in plans for p in progress_of(plan) if p.charted]
    clear_cache()
    alone = [chart_png(p) for p in series]
    clear_cache()
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(chart_png, series)) == alone
