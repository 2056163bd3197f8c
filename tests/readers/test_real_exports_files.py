"""Real exports that come as several files or as NDJSON (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import TxplanError
from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths


def _write(path: Path, rows: list[list[str]], sep: str = "\t") -> Path:
    path.write_text("".join(sep.join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _plans(paths: list[Path]):
    found = []
    for _name, results in read_paths(paths, ReadOptions()):
        try:
            found.extend(r.plan for r in results if r.plan)
        except TxplanError:  # a file unusable alone (a look-up table): the others go on
            continue
    return found


def _epic(folder: Path) -> list[Path]:
    folder.mkdir()
    return [
        _write(
            folder / "PATIENT.tsv",
            [
                ["PAT_ID", "PAT_MRN_ID", "PAT_NAME", "BIRTH_DATE", "SEX_C_NAME"],
                ["Z1", "APL1", "RIVERA,ANA M", "10/26/1982 12:00:00 AM", "Female"],
            ],
        ),
        _write(
            folder / "PAT_ENC_DX.tsv",
            [
                ["PAT_ID", "LINE", "DX_ID", "PRIMARY_DX_YN"],
                ["Z1", "1", "301", "N"],
                ["Z1", "2", "302", "Y"],
            ],
        ),
        _write(
            folder / "CLARITY_EDG.tsv",
            [
                ["DX_ID", "DX_NAME", "CURRENT_ICD10_LIST"],
                ["301", "GAD", "F41.1"],
                ["302", "MDD", "F32.1"],
            ],
        ),
    ]


def test_tables_of_one_export_are_joined_with_their_look_up(tmp_path: Path) -> None:
    (plan,) = _plans(_epic(tmp_path / "ehi"))
    assert (plan.client.id, plan.client.last_name, plan.client.middle_name) == ("Z1", "RIVERA", "M")
    assert plan.client.sex_assigned_at_birth == "Female"
    assert [(d.code, d.description, d.primary) for d in plan.diagnoses] == [
        ("F41.1", "GAD", False),
        ("F32.1", "MDD", True),
    ]


def test_two_parent_tables_in_one_folder_are_never_joined(tmp_path: Path) -> None:
    paths = _epic(tmp_path / "ehi")
    other = _write(
        paths[0].parent / "clients.tsv", [["Client ID", "First Name"], ["Z1", "Someone"]]
    )
    plans = _plans([*paths, other])
    assert not any(p.diagnoses for p in plans)  # no guessing which parent the rows belong to


def test_ndjson_records_with_nested_arrays(tmp_path: Path) -> None:
    record = {
        "client_id": 9001,
        "first_name": "Maya",
        "dob": "1991-04-12",
        "insurance": {"id": "MCD-1", "name": "State Medicaid"},
        "diagnoses": [{"id": 7, "icd10_code": "F43.10", "is_primary": True}],
        "assessments": [{"assessment": "PCL-5", "score": 41, "date_completed": "2026-01-08"}],
    }
    path = tmp_path / "clients.ndjson"
    path.write_text(json.dumps(record) + "\n" + json.dumps({**record, "client_id": 9002}) + "\n")
    plans = _plans([path])
    assert [p.client.id for p in plans] == ["9001", "9002"]
    plan = plans[0]
    assert plan.client.member_id == "MCD-1" and plan.client.payer_name == "State Medicaid"
    assert [d.code for d in plan.diagnoses] == ["F43.10"]
    assert [(m.instrument, m.total, str(m.date)) for m in plan.measures] == [
        ("PCL-5", 41, "2026-01-08")
    ]


def test_jsonl_of_records_is_not_taken_for_plans(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(
        '{"client_id": 1, "diagnosis": "F41.1"}\n{"client_id": 2, "diagnosis": "F32.1"}\n'
    )
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.count('"schema_version"') == 2


def test_observation_rows_with_loinc_codes(tmp_path: Path) -> None:
    rows = [
        [
            "DATE",
            "PATIENT",
            "ENCOUNTER",
            "CATEGORY",
            "CODE",
            "DESCRIPTION",
            "VALUE",
            "UNITS",
            "TYPE",
        ],
        [
            "2026-01-05T10:00:00Z",
            "p-1",
            "e-1",
            "survey",
            "44261-6",
            "PHQ-9 total",
            "12",
            "{score}",
            "numeric",
        ],
        [
            "2026-01-05T10:00:00Z",
            "p-1",
            "e-1",
            "vital-signs",
            "29463-7",
            "Body Weight",
            "70",
            "kg",
            "numeric",
        ],
        [
            "2026-02-05T10:00:00Z",
            "p-1",
            "e-2",
            "survey",
            "70274-6",
            "GAD-7 total",
            "9",
            "{score}",
            "numeric",
        ],
    ]
    (plan,) = _plans([_write(tmp_path / "observations.csv", rows, ",")])
    assert [(m.instrument, m.total, str(m.date)) for m in plan.measures] == [
        ("PHQ-9", 12, "2026-01-05"),
        ("GAD-7", 9, "2026-02-05"),
    ]


def test_observation_rows_of_item_codes_make_one_administration(tmp_path: Path) -> None:
    codes = [
        "44250-9",
        "44255-8",
        "44259-0",
        "44254-1",
        "44251-7",
        "44258-2",
        "44252-5",
        "44253-3",
        "44260-8",
    ]
    rows = [["patient_id", "effectiveDateTime", "code", "value"]]
    rows += [["p-1", "2026-01-05", code, "2"] for code in codes]
    (plan,) = _plans([_write(tmp_path / "obs.csv", rows, ",")])
    (phq,) = plan.measures
    assert phq.items == (2,) * 9 and phq.total == 18 and plan.risk.suicidal_ideation


def test_a_profile_scopes_columns_to_one_file_and_maps_coded_values(tmp_path: Path) -> None:
    from pipeline.readers.mapping.profile import profile_from_data

    folder = tmp_path / "study"
    folder.mkdir()
    people = _write(
        folder / "participants.csv", [["record_id", "last", "sex"], ["1", "Li", "2"]], ","
    )
    visits = _write(
        folder / "visits.csv", [["record_id", "when", "score"], ["1", "2026-01-05", "14"]], ","
    )
    profile = profile_from_data(
        {
            "values": {"sex": {1: "Female", 2: "Male"}},
            "tables": {
                "visits.csv": {"when": "measures[PHQ-9].date", "score": "measures[PHQ-9].total"}
            },
        },
        "p.yaml",
    )
    found = []
    for _name, results in read_paths([people, visits], ReadOptions(profile=profile)):
        found.extend(r.plan for r in results if r.plan)
    (plan,) = found
    assert plan.client.sex_assigned_at_birth == "Male"
    assert [(m.instrument, str(m.date), m.total) for m in plan.measures] == [
        ("PHQ-9", "2026-01-05", 14)
    ]
