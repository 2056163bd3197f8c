"""What the context keeps by a part's identity or content, and copies: never another content."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.model import Plan, replace
from pipeline.profiles import load_agency, load_payer
from pipeline.writers import cut
from pipeline.writers.sections import service_lines, service_modalities
from pipeline.writers.signing import PLAIN_KEYS, signature_lines
from pipeline.writers.wording import human_date
from tests.support import DATA


def _full() -> Plan:
    return Plan.model_validate_json((DATA / "render" / "full.json").read_text(encoding="utf-8"))


def test_a_content_number_stands_for_one_content_only() -> None:
    goal = _full().goals[0]
    same, other = replace(goal), replace(goal, client_words="other words")
    assert cut.content_number(goal) == cut.content_number(goal)  # by identity
    assert cut.content_number(same) == cut.content_number(goal)  # by content
    assert cut.content_number(other) != cut.content_number(goal)
    before = cut.content_number(goal)
    cut._BY_ID.clear()  # the tables start anew: no number is given to another content
    cut._NUMBERS.clear()
    assert cut.content_number(other) not in (before, cut.content_number(goal))


def test_the_part_tables_are_bounded() -> None:
    goal = _full().goals[0]
    for n in range(cut.PART_IDS + 3):
        cut.content_number(replace(goal, client_words=f"words {n}"))
    assert len(cut._BY_ID) <= cut.PART_IDS and len(cut._NUMBERS) <= cut.PART_IDS


_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3))
_TREE = st.recursive(
    _LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner),
    max_leaves=12,
)


def _containers(tree: object) -> list[int]:
    if type(tree) is dict:
        return [id(tree), *(i for v in tree.values() for i in _containers(v))]
    if type(tree) is list:
        return [id(tree), *(i for v in tree for i in _containers(v))]
    return []


@given(st.dictionaries(st.text(max_size=2), _TREE, max_size=4))
def test_a_kept_tree_is_copied_whole_with_every_container_new(tree: dict) -> None:
    plan = cut._plan(tree)
    copy = cut._copy(tree, plan)
    assert copy == tree
    assert not set(_containers(copy)) & set(_containers(tree))


def test_service_lines_are_the_services_treatments_kept_by_what_they_read() -> None:
    plan = _full()
    assert service_lines(plan) == [", ".join(m) for m in service_modalities(plan)]
    goal = plan.goals[0]
    iv = replace(goal.interventions[0], modality="Group therapy")
    changed = replace(plan, goals=(replace(goal, interventions=(iv,)), *plan.goals[1:]))
    assert service_lines(changed) == [", ".join(m) for m in service_modalities(changed)]
    assert service_lines(plan) == [", ".join(m) for m in service_modalities(plan)]


def test_signature_lines_without_the_client_copy_words_are_the_same_lines() -> None:
    plan, payer, agency = _full(), load_payer("clinical"), load_agency("riverside")
    whole = signature_lines(plan, payer, agency, human_date)
    cut_lines = signature_lines(plan, payer, agency, human_date, plain=False)
    assert whole and all(set(PLAIN_KEYS) <= set(line) for line in whole)
    assert cut_lines == [{k: v for k, v in line.items() if k not in PLAIN_KEYS} for line in whole]
