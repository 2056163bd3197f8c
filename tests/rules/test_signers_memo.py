"""A signer filled from the agency's clinician list is worked out once a signer and agency."""

from __future__ import annotations

from pipeline.model import Signer
from pipeline.profiles import load_agency
from pipeline.rules.signers import with_agency


def test_filled_signer_is_remembered_for_the_same_signer_and_agency_only() -> None:
    agency = load_agency("riverside")
    known = agency.clinicians[0]
    signer = Signer(name=known.name)
    filled = with_agency(signer, agency)
    assert filled.credentials == known.credentials and filled.npi == known.npi
    assert with_agency(signer, agency) is filled  # the same plan's signer, asked again
    other = agency.model_copy(update={"clinicians": (known.model_copy(update={"npi": None}),)})
    again = with_agency(signer, other)
    assert again is not filled and again.npi is None
    stranger = Signer(name="Nobody Listed", credentials="LPC")
    assert with_agency(stranger, agency) is stranger
