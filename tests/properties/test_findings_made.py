"""A finding made by error/warning/info without the validator is the validated finding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pipeline.findings import Finding, Severity, error, info, warning

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
MAKERS = ((error, Severity.ERROR), (warning, Severity.WARNING), (info, Severity.INFO))


class Named(str):
    """A subclass of str: validation turns it into a plain str."""


def _same(made: Finding, validated: Finding) -> None:
    assert made == validated
    assert hash(made) == hash(validated)
    assert made.__dict__ == validated.__dict__
    assert list(made.__dict__) == list(validated.__dict__)  # the same order of members
    assert [type(v) for v in made.__dict__.values()] == [
        type(v) for v in validated.__dict__.values()
    ]
    assert made.model_fields_set == validated.model_fields_set
    assert made.__pydantic_extra__ == validated.__pydantic_extra__
    assert made.__pydantic_private__ == validated.__pydantic_private__
    assert made.model_dump_json() == validated.model_dump_json()
    assert str(made) == str(validated)
    with pytest.raises(ValidationError):  # frozen like a validated one
        made.code = "X"  # type: ignore[misc]


@settings(max_examples=200, deadline=None)
@given(code=TEXT, where=TEXT, message=TEXT, maker=st.sampled_from(MAKERS),
       wrapped=st.sets(st.sampled_from(("code", "where", "message"))))  # fmt: skip
def test_a_finding_made_is_the_validated_finding(
    code: str, where: str, message: str, maker: tuple, wrapped: set[str]
) -> None:
    values = {"code": code, "where": where, "message": message}
    values = {k: Named(v) if k in wrapped else v for k, v in values.items()}
    make, severity = maker
    _same(make(**values), Finding(severity=severity, **values))


def test_a_value_that_is_not_text_is_refused_as_validation_refuses_it() -> None:
    for make, _severity in MAKERS:
        with pytest.raises(ValidationError):
            make(None, "where", "message")  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            make("X001", 3, "message")  # type: ignore[arg-type]
