"""Output names: one function, sanitised and length-limited ids, no two ids sharing a file."""

from __future__ import annotations

from pathlib import Path

from pipeline.batch.build import BuildOptions, build
from pipeline.batch.names import MAX_STEM, Namer, output_stem, safe_id
from pipeline.profiles import load_agency
from pipeline.rules import load_payer
from tests.batch.test_resume import plans

PATTERN = "{client_id}_{payer}_{plan_date}"


def test_clean_ids_are_kept_and_others_hashed() -> None:
    assert safe_id("SYN-000001") == ("SYN-000001", False)
    assert safe_id("José.Núñez_2") == ("José.Núñez_2", False)
    for raw in ("../../escape", "/etc/passwd", "./SYN-000001", "a\nb", "", ".hidden", "x" * 65,
                "C\u202e1", "a~b"):  # fmt: skip
        ident, changed = safe_id(raw)
        assert changed and "~" in ident and "/" not in ident and not ident.startswith(".")
        assert len(ident) <= 64 + 11
    assert safe_id("SYN/1")[0] != safe_id("SYN:1")[0]  # clean alike, never one file
    assert safe_id("SYN/1")[0] != "SYN_1"  # nor the file of the id that needed no change


def test_stems_are_bounded_and_never_paths() -> None:
    stem, changed = output_stem(PATTERN, "../" * 200, "clinical", "2026-01-20")
    assert changed and "/" not in stem and len(stem.encode()) <= MAX_STEM
    stem, _ = output_stem(PATTERN + "x" * 300, "C-1", "clinical", "2026-01-20")
    assert len(stem.encode()) <= MAX_STEM + 11


def test_a_name_used_twice_gets_a_suffix_no_id_can_have() -> None:
    name = Namer()
    assert [name("C-1_p_d"), name("C-1_p_d"), name("C-1_p_d-2")] == [
        "C-1_p_d", "C-1_p_d~2", "C-1_p_d-2"]  # fmt: skip


def test_hostile_ids_write_inside_the_folder_with_a_finding(tmp_path: Path) -> None:
    ids = ["../../escape", "/abs/olute", "SYN-000001", "./SYN-000001", "SYN\n000001"]
    items = []
    for ident, plan in zip(ids, plans(len(ids)), strict=True):
        items.append(
            plan.model_copy(update={"client": plan.client.model_copy(update={"id": ident})})
        )
    out = tmp_path / "deep" / "out"
    options = BuildOptions(out_dir=out, merge=False, client_copy=True, draft=True)
    result = build(items, [load_payer("clinical")], load_agency("riverside"), options)
    written = [o.path for row in result.rows for o in row.outputs]
    assert len(written) == 10 and len(set(written)) == 10
    assert all("/" not in p for p in written)
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} >= set(written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep"]  # nothing escaped
    for row in result.rows:
        renamed = [f for f in row.findings if f.code == "BLD005"]
        assert bool(renamed) == (row.client_id != "SYN-000001"), row.client_id
