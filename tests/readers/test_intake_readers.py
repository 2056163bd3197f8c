"""Spreadsheet and CSV readers: table shapes, joins, encodings, profiles, unusable files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.errors import ConfigError, InputError
from pipeline.findings import Severity, has_errors
from pipeline.model import Source
from pipeline.readers import ReadOptions, read
from pipeline.readers.mapping.collect import map_record
from pipeline.readers.mapping.profile import load_profile, profile_from_data
from pipeline.readers.raw import RawField, RawRecord
from tests.support import ROOT

INPUTS = ROOT / "inputs"
DATA = ROOT / "tests" / "data" / "intake"


def plans(path: Path, **options):
    return {r.plan.client.id: r.plan for r in read(path, ReadOptions(**options)) if r.plan}


def test_wide_workbook_with_title_rows() -> None:
    found = plans(INPUTS / "counseltrack_wide.xlsx")
    assert len(found) == 8
    zoe = found["CT-1001"]
    assert (zoe.client.first_name, zoe.client.last_name) == ("Zoë", "O'Connor-Núñez")
    assert zoe.provenance.fields["client.date_of_birth"].row == 5
    assert zoe.provenance.fields["client.date_of_birth"].column == "DOB"
    assert zoe.risk.suicidal_ideation and zoe.risk.safety_plan_required
    assert [g.id for g in zoe.goals] == ["G1", "G2"]
    assert zoe.goals[0].objectives[0].id == "G1.O1"
    assert zoe.goals[0].objectives[0].target_date == dt.date(2026, 4, 6)
    assert zoe.goals[0].interventions[0].id == "G1.I1"
    assert zoe.formulation.predisposing
    sam = found["CT-1006"]
    assert sam.signatures.client.signed_date is None and sam.signatures.client_unsigned_reason
    assert sam.risk.level == "high"
    marcus = found["CT-1002"]
    assert marcus.signatures.supervisor.name == "Maya Okafor"
    assert marcus.diagnoses[0].description == "Post-traumatic stress disorder, unspecified"
    assert {m.instrument for m in marcus.measures} == {"PHQ-9", "PCL-5", "AUDIT-C"}
    ana = found["CT-1005"]
    assert [(d.code, d.provisional) for d in ana.diagnoses] == [("F41.0", False), ("F40.00", True)]


def test_long_csv_groups_rows_by_client() -> None:
    found = plans(INPUTS / "mindledger_long.csv")
    assert len(found) == 7
    layla = found["2041"]
    assert [(m.instrument, m.total) for m in layla.measures] == [
        ("GAD-7", 15),
        ("PHQ-9", 10),
        ("GAD-7", 12),
    ]
    assert [d.code for d in layla.diagnoses] == ["F41.1", "F51.01"]
    assert layla.intake_date == dt.date(2026, 1, 7)  # "January 7, 2026"
    chinonso = found["2047"]
    assert chinonso.diagnoses[1].provisional and not chinonso.diagnoses[1].primary
    assert found["2043"].signatures.supervisor.credentials == "PsyD"


def test_unsorted_long_export_is_still_one_plan_per_client(tmp_path: Path) -> None:
    path = tmp_path / "unsorted.csv"
    path.write_text(
        "Client ID,First Name,Dx Code,Instrument,Score\n"
        "7,Ana,F41.1,,\n8,Ben,F43.10,,\n7,Ana,,GAD-7,12\n8,Ben,,PCL-5,40\n7,Ana,F51.01,,\n",
        encoding="utf-8",
    )
    found = [r for r in read(path) if r.plan]
    assert [r.plan.client.id for r in found] == ["8", "7"]
    ana = found[1].plan
    assert [d.code for d in ana.diagnoses] == ["F41.1", "F51.01"]
    assert ana.measures[0].total == 12
    assert "rows 2, 4, 6" in found[1].where


def test_multi_sheet_workbook_joins_by_client_id() -> None:
    found = plans(INPUTS / "practiceflow_workbook.xlsx")
    assert len(found) == 6
    siobhan = found["30021"]
    assert siobhan.client.date_of_birth == dt.date(1999, 4, 25)  # Excel serial number
    assert [m.date for m in siobhan.measures] == [dt.date(2026, 2, 9)] * 2 + [dt.date(2026, 2, 23)]
    assert {s.sheet for s in siobhan.provenance.sources} == {
        "Clients",
        "Diagnoses",
        "Measures",
        "Goals",
    }
    assert siobhan.goals[0].objectives[0].baseline == "17"
    assert found["30022"].services[0].type == "family"
    only_clients = plans(INPUTS / "practiceflow_workbook.xlsx", sheet="Clients")
    assert only_clients["30021"].diagnoses == ()


def test_missing_sheet_is_unusable() -> None:
    with pytest.raises(InputError, match='no sheet "Nope"; the sheets are Read Me, Clients'):
        list(read(INPUTS / "practiceflow_workbook.xlsx", ReadOptions(sheet="Nope")))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "the file is empty"),
        ("corrupt.xlsx", "not an .xlsx workbook"),
        ("encrypted.xlsx", "password-protected"),
        ("not_a_workbook.xlsx", "not an .xlsx workbook"),
        ("no_header.csv", "no header row with a client id column"),
    ],
)
def test_unusable_files_raise_input_error(name: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        list(read(DATA / name))
    assert message in info.value.message
    assert name in info.value.where


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1252", "\t"), ("utf-8-sig", "\t")],
)
def test_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = [["Client ID", "Last Name", "First Name", "Notes"], ["1", "Muñoz", "José", "a, b; c"]]
    text = (
        "\r\n".join(delimiter.join(r) for r in rows)
        if delimiter != ","
        else ('Client ID,Last Name,First Name,Notes\r\n1,Muñoz,José,"a, b; c"')
    )
    path = tmp_path / "export.txt"
    path.write_bytes(text.encode(encoding))
    plan = next(r.plan for r in read(path) if r.plan)
    assert (plan.client.first_name, plan.client.last_name) == ("José", "Muñoz")


def test_windows_1252_semicolon_sample() -> None:
    found = plans(DATA / "win1252_semicolon.csv")
    assert found["W-3"].client.last_name == "D\u2019Angelo"
    assert found["W-2"].diagnoses[0].description == "Trouble d\u2019adaptation"


def test_formula_like_cells_stay_text() -> None:
    results = list(read(DATA / "formula_cells.xlsx"))
    plan = next(r.plan for r in results if r.plan)
    assert plan.presenting_problem.description == '=HYPERLINK("http://example.com","see chart")'
    assert plan.assessment.strengths == ("@SUM(A1:A9)", "-sings in a choir", "+runs")
    codes = [f.code for r in results for f in r.findings]
    assert codes.count("IN007") == 2


def test_rejected_rows_carry_no_plan_and_a_located_message() -> None:
    results = list(read(DATA / "bad_rows.csv"))
    rejected = [r for r in results if has_errors(r.findings)]
    assert len(rejected) == 5
    assert all(r.plan is None for r in rejected)
    messages = [str(f) for r in rejected for f in r.findings if f.severity is Severity.ERROR]
    assert any(
        'bad_rows.csv, row 4, column "DOB": error IN002: "31/02/1990" is not a date; '
        "use YYYY-MM-DD or MM/DD/YYYY" in m
        for m in messages
    )
    assert any(
        'row 5, column "Diagnosis"' in m and '"F41.7" is not an ICD-10-CM' in m for m in messages
    )
    assert any('column "PHQ-9 Item 9"' in m and '"4" is out of range' in m for m in messages)
    assert any('row 8, column "Client ID"' in m for m in messages)
    good = [r.plan for r in results if r.plan]
    assert [p.client.id for p in good] == ["B-01", "B-05"]
    assert good[1].diagnoses[0].billable is False  # F32: a warning, not a rejection


def test_profile_maps_odd_columns() -> None:
    profile = load_profile(INPUTS / "profiles" / "carepoint.yaml")
    found = plans(DATA / "carepoint_roster.xlsx", profile=profile)
    rohan = found["CP-78"]
    assert rohan.client.date_of_birth == dt.date(1979, 11, 28)  # date_order: DMY
    assert rohan.intake_date == dt.date(2026, 1, 20)
    assert rohan.client.last_name == "D'Souza"
    with pytest.raises(InputError):  # without the profile nothing names the client id
        list(read(DATA / "carepoint_roster.xlsx"))


def test_profile_errors_name_the_column(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'Born': 'client.birthday' is not a model path"):
        profile_from_data({"columns": {"Born": "client.birthday"}}, "p.yaml")
    with pytest.raises(ConfigError, match="date_order must be MDY or DMY"):
        profile_from_data({"date_order": "YMD"}, "p.yaml")
    with pytest.raises(ConfigError, match="unknown key 'colums'"):
        profile_from_data({"colums": {}}, "p.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_profile(bad)
    strict = profile_from_data({"use_aliases": False, "columns": {"Acct": "client.id"}}, "p")
    record = _record(("Acct", "9"), ("First Name", "Ann"))
    assert map_record(record, strict).plan.client.first_name is None


def _record(*pairs: tuple[str, object]) -> RawRecord:
    fields = tuple(
        RawField(label, value, Source(file="form.pdf", page=1, field=label))
        for label, value in pairs
    )
    return RawRecord("form.pdf", fields)


def test_map_record_for_a_form_explains_and_keeps_provenance() -> None:
    record = _record(
        ("Client Name", "Zoë O'Connor-Núñez"),
        ("Client ID", "F-9"),
        ("Date of Birth (MM/DD/YYYY)", "03/05/1994"),
        ("Diagnosis", "F41.1; R/O F33.1"),
        ("Favourite colour", "teal"),
    )
    result = map_record(record, explain=True)
    plan = result.plan
    assert plan.client.last_name == "O'Connor-Núñez"
    assert plan.provenance.fields["client.date_of_birth"].field == "Date of Birth (MM/DD/YYYY)"
    assert [d.provisional for d in plan.diagnoses] == [False, True]
    messages = [f.message for f in result.findings]
    assert '"Client ID" -> client.id' in messages
    assert '"Favourite colour" ignored (no alias or profile entry)' in messages


def test_conflicting_values_keep_the_first_with_a_warning() -> None:
    record = _record(("Client ID", "1"), ("DOB", "1990-01-01"), ("Birth Date", "1991-01-01"))
    result = map_record(record)
    assert result.plan.client.date_of_birth == dt.date(1990, 1, 1)
    assert [f.code for f in result.findings] == ["IN006"]


def test_risk_level_sets_safety_plan_required() -> None:
    result = map_record(_record(("Client ID", "1"), ("Risk Level", "Moderate risk")))
    assert result.plan.risk.safety_plan_required
    result = map_record(_record(("Client ID", "1"), ("Risk Level", "Low")))
    assert not result.plan.risk.safety_plan_required
    result = map_record(_record(("Client ID", "1"), ("Risk Level", "purple")))
    assert result.plan is None and "not a risk level" in result.findings[0].message


def test_rows_without_id_below_a_client_continue_it(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text(
        "Client ID,First Name,Dx Code,Dx Description\n"
        "7,Ana,F41.1,\n,,F51.01,Primary insomnia\n"
        "8,Ben,F43.10,\n,Benjamin,,\n",
        encoding="utf-8",
    )
    results = list(read(path))
    ana = results[0].plan
    assert [d.code for d in ana.diagnoses] == ["F41.1", "F51.01"]
    assert "rows 2-3" in results[0].where
    # a row with a client-level value and no id is not a continuation: it is rejected
    assert [f.code for r in results for f in r.findings] == ["IN001"]


def test_xlsx_formula_cells_give_the_saved_value_never_evaluated(tmp_path: Path) -> None:
    import io
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Client ID", "First Name", "Presenting Problem", "Onset"])
    sheet.append(["X-1", "Hana", '=HYPERLINK("http://example.com","see chart")', "=TODAY()"])
    raw = io.BytesIO()
    book.save(raw)
    path = tmp_path / "formulas.xlsx"
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":  # Excel saves a cached value
                data = data.replace(b'<c r="C2">', b'<c r="C2" t="str">')
                data = data.replace(b"</f><v></v>", b"</f><v>see chart</v>", 1)
            dst.writestr(info, data)
    plan = next(r.plan for r in read(path) if r.plan)
    assert plan.presenting_problem.description == "see chart"
    assert plan.presenting_problem.onset is None  # no saved value: nothing is computed
