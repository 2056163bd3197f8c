"""Writes goalbank.xlsx at the repository root from the authored content in goalbank_content/.

Run: .venv/bin/python scripts/make_goalbank.py [OUT.xlsx]. The output is deterministic: the
same content gives the same cell values (tests/test_goalbank_workbook.py checks the committed
workbook against this script).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.goalbank.sheets import COLUMNS, OPTIONAL_COLUMNS

sys.path.insert(0, str(Path(__file__).resolve().parent))
import goalbank_content as content  # noqa: E402
from fixed_zip import fixed_zip  # noqa: E402
from goalbank_content.schema import PRACTICE, Count, Problem  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[object, ...]

#: The workbook's columns are the loader's: one definition, in pipeline/goalbank/sheets.py.
HEADERS = {sheet: columns + OPTIONAL_COLUMNS.get(sheet, ()) for sheet, columns in COLUMNS.items()}

WIDTHS: dict[str, tuple[int, ...]] = {
    "README": (22, 110),
    "Families": (16, 44, 11, 28, 40, 40),
    "Problems": (24, 28, 34, 70, 40, 16),
    "Goals": (28, 24, 50, 70),
    "Objectives": (32, 28, 80, 36, 11, 10, 26, 24, 9, 24),
    "Interventions": (28, 24, 30, 60, 24, 50, 18, 24, 10),
    "Instruments": (12, 50, 10, 10, 30),
    "MeasureRules": (12, 24, 10, 10, 18, 8, 40),
    "SafetyPlan": (20, 100),
}

VALIDATION: dict[str, dict[str, str]] = {
    "Families": {"kind": '"diagnosis,domain,safety"'},
    "Objectives": {"kind": '"instrument,count"', "direction": '"up,down"'},
    "MeasureRules": {"rule": '"none,at_or_below,percent_reduction,points_reduction"'},
}


def _join(values: tuple[str, ...]) -> str:
    return "; ".join(values)


def _sentence(count: Count) -> str:
    if count.text:
        return count.text
    verb = "Increase" if count.direction == "up" else "Reduce"
    phrase = count.phrase or f"the number of {count.measure}"
    return (
        f"{verb} {phrase} from {{baseline}} to {{target}} by {{target_date}}, "
        f"as recorded in {count.log}."
    )


def _count_row(oid: str, gid: str, count: Count) -> Row:
    return (
        oid,
        gid,
        _sentence(count),
        count.measure,
        "count",
        count.direction,
        count.baseline,
        count.target,
        count.due_days,
        _join(count.keywords),
    )


def _homework(problem: Problem) -> list[Count]:
    """One objective per intervention with a between-session practice (PRACTICE table)."""
    found: list[Count] = []
    for tx in problem.interventions:
        practice = tx.practice if tx.practice is not None else PRACTICE.get(tx.modality)
        if practice is None:
            continue
        if isinstance(practice, Count):
            found.append(practice)
            continue
        verb, target = practice
        found.append(
            Count(
                f"days per week with between-session practice ({tx.modality})",
                "up",
                target,
                "a homework log",
                text=f"{verb[0].upper()}{verb[1:]} on {{target}} days per week by {{target_date}}, "
                "as recorded in a homework log reviewed at each session.",
            )
        )
    return found


def _attendance() -> Count:
    """Every problem's first goal can use session attendance (uses {frequency})."""
    return Count(
        "scheduled sessions attended",
        "up",
        "90% or more",
        "the attendance record",
        text="Attend {target} of the scheduled sessions ({frequency}) through {target_date}, "
        "as shown in the attendance record (baseline: {baseline}).",
        baseline="new to treatment",
    )


def _article(instrument: str) -> str:
    """ "an AUDIT-C score", "an ISI score", "a PHQ-9 score": the article an instrument's
    name takes as it is said (a name starting with a vowel is said with a vowel sound)."""
    return "an" if instrument[:1].upper() in "AEIOU" else "a"


def _impairment(problem: Problem) -> str:
    """The functional-impairment objective every diagnosis goal gets (WSAS)."""
    return (
        f"Reduce the impact of {problem.name[0].lower()}{problem.name[1:]} on work, home and "
        "social life from a {measure} score of {baseline} to {target} by {target_date}, with "
        "the {measure} repeated every 4 weeks."
    )


DIAGNOSIS_FAMILIES = {f.id for f in content.FAMILIES if f.kind == "diagnosis"}


def problem_rows(problems: tuple[Problem, ...]) -> dict[str, list[Row]]:
    """Problems, Goals, Objectives and Interventions rows; ids derive from the problem id."""
    rows: dict[str, list[Row]] = {
        "Problems": [],
        "Goals": [],
        "Objectives": [],
        "Interventions": [],
    }
    for problem in problems:
        rows["Problems"].append(
            (
                problem.id,
                _join(problem.families),
                problem.name,
                problem.definition,
                _join(problem.keywords),
                _join(problem.presumes),
            )
        )
        for g_index, goal in enumerate(problem.goals, start=1):
            gid = f"{problem.id}.G{g_index}"
            rows["Goals"].append((gid, problem.id, goal.client_words, goal.clinical))
            number = 0
            for scale in goal.scales:
                number += 1
                text = (
                    f"Reduce {scale.symptoms} from {_article(scale.instrument)} {{measure}} score "
                    "of {baseline} to "
                    "{target} by {target_date}, with the {measure} repeated every 4 weeks."
                )
                rows["Objectives"].append(
                    (
                        f"{gid}.O{number}",
                        gid,
                        text,
                        scale.instrument,
                        "instrument",
                        "down",
                        None,
                        None,
                        None,
                        "",
                    )
                )
            if set(problem.families) & DIAGNOSIS_FAMILIES and not any(
                scale.instrument == "WSAS" for scale in goal.scales
            ):
                number += 1
                rows["Objectives"].append(
                    (
                        f"{gid}.O{number}",
                        gid,
                        _impairment(problem),
                        "WSAS",
                        "instrument",
                        "down",
                        None,
                        None,
                        None,
                        "",
                    )
                )
            extra = [*_homework(problem), _attendance()] if g_index == 1 else []
            for count in (*goal.counts, *extra):
                number += 1
                rows["Objectives"].append(_count_row(f"{gid}.O{number}", gid, count))
        for i_index, tx in enumerate(problem.interventions, start=1):
            rows["Interventions"].append(
                (
                    f"{problem.id}.I{i_index}",
                    problem.id,
                    tx.modality,
                    tx.description,
                    tx.frequency,
                    tx.evidence,
                    _join(tx.requires),
                    tx.group,
                    tx.ages,
                )
            )
    return rows


def sheets() -> dict[str, tuple[tuple[str, ...], list[Row]]]:
    """Every sheet as (headers, rows): the workbook's content, before styling."""
    readme: list[Row] = [(topic, text) for topic, text in content.TEXT]
    readme += [(name, meaning) for name, meaning in content.PLACEHOLDERS]
    built = problem_rows(content.PROBLEMS)
    families = [
        (f.id, f.name, f.kind, f.icd10, _join(f.keywords), f.notes) for f in content.FAMILIES
    ]
    return {
        "README": (("topic", "text"), readme),
        "Families": (HEADERS["Families"], families),
        "Problems": (HEADERS["Problems"], built["Problems"]),
        "Goals": (HEADERS["Goals"], built["Goals"]),
        "Objectives": (HEADERS["Objectives"], built["Objectives"]),
        "Interventions": (HEADERS["Interventions"], built["Interventions"]),
        "Instruments": (HEADERS["Instruments"], list(content.INSTRUMENTS)),
        "MeasureRules": (HEADERS["MeasureRules"], list(content.MEASURE_RULES)),
        "SafetyPlan": (HEADERS["SafetyPlan"], list(content.SAFETY_PLAN)),
    }


def build_workbook() -> Workbook:
    """The styled workbook: bold frozen headers, widths, wrapped text, drop-down lists."""
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for name, (headers, rows) in sheets().items():
        ws = wb.create_sheet(name)
        ws.append(list(headers))
        for row in rows:
            ws.append([None if v == "" else v for v in row])
        for cell in ws[1]:
            cell.font = bold
            cell.fill = fill
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
        for index, width in enumerate(WIDTHS[name], start=1):
            ws.column_dimensions[ws.cell(1, index).column_letter].width = width
        ws.freeze_panes = "B2"
        for column, formula in VALIDATION.get(name, {}).items():
            letter = ws.cell(1, headers.index(column) + 1).column_letter
            dv = DataValidation(type="list", formula1=formula, allow_blank=True)
            dv.add(f"{letter}2:{letter}{max(len(rows) + 200, 500)}")
            ws.add_data_validation(dv)
    fixed = dt.datetime(2025, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "txplan scripts/make_goalbank.py"
    return wb


def workbook_bytes() -> bytes:
    """The workbook as bytes, identical on every run (zip entry times fixed)."""
    raw = io.BytesIO()
    build_workbook().save(raw)
    return fixed_zip(raw.getvalue(), dt.datetime(2025, 1, 1))


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "goalbank.xlsx"
    out.write_bytes(workbook_bytes())
    counts = {name: len(rows) for name, (_, rows) in sheets().items()}
    print(f"wrote {out}: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
