"""Every shipped payer and agency profile loads; broken profiles fail with a located message."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import rules
from pipeline.batch.names import output_stem
from pipeline.clinical.npi import npi_valid
from pipeline.errors import ConfigError
from pipeline.profiles import PAYERS, list_agencies, list_payers, load_agency, load_payer
from pipeline.rules import kinds

PAYER_IDS = ["bluepeak-pdf", "clinical", "managed-care-otr", "medicaid-isp", "medicare-poc"]


def test_shipped_payers_and_agencies_are_listed() -> None:
    assert list_payers() == PAYER_IDS
    assert list_agencies() == ["northstar", "riverside"]


@pytest.mark.parametrize("payer_id", PAYER_IDS)
def test_every_shipped_profile_loads_and_names_known_rules(payer_id: str) -> None:
    payer = load_payer(payer_id)
    assert payer.id == payer_id and payer.name
    assert payer.template.parent == PAYERS / payer_id
    assert payer.rules, "a payer without rules checks nothing"
    known = kinds()
    for spec in payer.rules:
        assert spec.rule in known
    stem, _ = output_stem(payer.output_name, "C-001", payer.id, "2026-01-20")
    assert "C-001" in stem and "2026-01-20" in stem and "/" not in stem


def test_profiles_differ_genuinely() -> None:
    rules = {p: {s.rule for s in load_payer(p).rules} for p in PAYER_IDS}
    assert "plan_within_days_of_intake" in rules["medicaid-isp"]
    assert {"measures_scored", "requested_sessions"} <= rules["managed-care-otr"]
    assert {"formulation", "goals_in_client_words"} <= rules["clinical"]
    assert load_payer("bluepeak-pdf").kind == "pdf_form"
    assert load_payer("bluepeak-pdf").template.name == "form.pdf"
    assert load_payer("medicaid-isp").plan_due_days == 30
    assert len({frozenset(r) for r in rules.values()}) == len(PAYER_IDS)


@pytest.mark.parametrize("agency_id", ["northstar", "riverside"])
def test_agencies_have_valid_npis_and_credentialed_clinicians(agency_id: str) -> None:
    agency = load_agency(agency_id)
    assert npi_valid(agency.npi)
    assert agency.logo is not None and agency.logo.name == "logo.png"
    assert len(agency.clinicians) >= 3
    for person in agency.clinicians:
        assert person.credentials and person.npi and npi_valid(person.npi)
        if person.supervisor:
            assert agency.clinician(person.supervisor) is not None


def test_npi_check_digit() -> None:
    assert npi_valid("1234567893")  # the example in the CMS NPI check-digit paper
    assert not npi_valid("1234567890")
    assert not npi_valid("123456789")
    assert not npi_valid("12345678AB")


def _payer(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "profile.yaml").write_text(
        "name: Acme\nkind: docx\ntemplate: template.docx\nreview_interval_days: 90\n" + body,
        encoding="utf-8",
    )
    return folder / "profile.yaml"


def _error(tmp_path: Path, body: str) -> str:
    path = _payer(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        rules.load_payer("acme", tmp_path)
    assert str(path) in str(caught.value)
    return str(caught.value)


def test_a_minimal_profile_loads(tmp_path: Path) -> None:
    _payer(tmp_path, "rules:\n  - {rule: min_goals, count: 2, severity: warning}\n")
    payer = load_payer("acme", tmp_path)
    assert payer.rules[0].params == {"count": 2}
    assert payer.rules[0].severity == "warning"


def test_unknown_rule_kind_names_file_and_index(tmp_path: Path) -> None:
    message = _error(tmp_path, "rules:\n  - {rule: min_goals}\n  - {rule: telepathy}\n")
    assert "rules item 2" in message and "telepathy" in message and "min_goals" in message


@pytest.mark.parametrize(
    "item",
    [
        "{rule: min_goals, count: 0}",
        "{rule: min_goals, cuont: 2}",
        "{rule: session_minutes_in, values: [forty]}",
        "{rule: required_fields, fields: [client.shoe_size]}",
        "{rule: required_fields, fields: [goals.client_words]}",
        "{rule: intervention_details, require: [colour]}",
        "{rule: min_goals, severity: fatal}",
        "min_goals",
    ],
)
def test_bad_rule_parameters_name_file_and_index(tmp_path: Path, item: str) -> None:
    assert "rules item 1" in _error(tmp_path, f"rules:\n  - {item}\n")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("output_name: '{client_id}_{surname}'\n", "surname"),
        ("output_name: 'out/{client_id}'\n", "without folders"),
        ("required_signatures: [client, notary]\n", "notary"),
        ("review_interval_days_typo: 3\n", "review_interval_days_typo"),
        ("rules: {rule: min_goals}\n", "list"),
        ("rules: [\n", "YAML"),
    ],
)
def test_bad_profile_fields_are_config_errors(tmp_path: Path, body: str, words: str) -> None:
    assert words in _error(tmp_path, body)


def test_unknown_payer_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="known: bluepeak-pdf, clinical"):
        load_payer("nope")


def test_bad_agency_npi_is_a_config_error(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "agency.yaml").write_text(
        "name: X\naddress: 1 Main St\nphone: '555-0100'\nnpi: '1234567890'\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"agency.yaml.*npi"):
        load_agency("x", tmp_path)
