"""FHIR resources for the people: Patient, Coverage, Practitioner(Role), Organization."""

from __future__ import annotations

from typing import Any

from pipeline.clinical import fhir as f
from pipeline.model import Client, Signer
from pipeline.writers.fhir.refs import Refs, prune

_FEMALE = {"f", "female", "woman", "girl", "trans woman", "transgender woman"}
_MALE = {"m", "male", "man", "boy", "trans man", "transgender man"}
_BIRTH_SEX = {"male": "M", "female": "F"}


def _gender(value: str) -> str:
    word = " ".join(value.strip().casefold().replace("-", " ").split())
    return "female" if word in _FEMALE else "male" if word in _MALE else "other"


def administrative_gender(client: Client) -> str:
    """FHIR's administrative gender from what the plan records (unknown when it records none)."""
    for value in (client.gender_identity, client.sex_assigned_at_birth):
        if value and value.strip():
            return _gender(value)
    return "unknown"


def patient(client: Client, refs: Refs) -> dict[str, Any]:
    """The client as a US Core Patient: identifiers, name, birth date, gender, telecom."""
    identifiers = [
        {
            "use": "usual",
            "type": {"coding": [{"system": f.IDENTIFIER_TYPE, "code": "MR"}], "text": "Client ID"},
            "system": refs.client_system,
            "value": client.id,
        }
    ]
    if client.member_id:
        identifiers.append(
            _member_identifier(client, refs)
            | {"assigner": {"display": client.payer_name} if client.payer_name else None}
        )
    given = [p for p in (client.first_name, client.middle_name) if p]
    names = [{"use": "official", "family": client.last_name, "given": given or None}]
    if client.preferred_name:
        names.append({"use": "usual", "given": [client.preferred_name]})
    extensions = []
    sex = (client.sex_assigned_at_birth or "").strip().casefold()
    if sex:
        extensions.append({"url": f.BIRTH_SEX, "valueCode": _BIRTH_SEX.get(_gender(sex), "UNK")})
    if client.gender_identity:
        extensions.append(
            {"url": f.GENDER_IDENTITY, "valueCodeableConcept": {"text": client.gender_identity}}
        )
    if client.occupation:
        extensions.append({"url": f.EXT_OCCUPATION, "valueString": client.occupation})
    if client.pronouns:
        extensions.append(
            {
                "url": f.PRONOUNS,
                "extension": [{"url": "value", "valueCodeableConcept": {"text": client.pronouns}}],
            }
        )
    contact = client.contact
    telecom = [
        {"system": "phone", "value": contact.phone} if contact.phone else None,
        {"system": "email", "value": contact.email} if contact.email else None,
    ]
    return prune(
        {
            "resourceType": "Patient",
            "id": refs.id("Patient", client.id),
            "extension": extensions,
            "identifier": identifiers,
            "name": names,
            "telecom": telecom,
            "gender": administrative_gender(client),
            "birthDate": client.date_of_birth.isoformat() if client.date_of_birth else None,
            "address": [{"text": contact.address}] if contact.address else None,
            "maritalStatus": {"text": client.marital_status} if client.marital_status else None,
            "contact": [
                {
                    "relationship": [{"coding": [{"system": f.CONTACT_ROLE, "code": "C"}]}],
                    "name": {"text": contact.emergency_contact},
                }
            ]
            if contact.emergency_contact
            else None,
        }
    )


def _member_identifier(client: Client, refs: Refs) -> dict[str, Any]:
    return {
        "type": {"coding": [{"system": f.IDENTIFIER_TYPE, "code": "MB"}], "text": "Member ID"},
        "system": refs.member_system,
        "value": client.member_id,
    }


def coverage(client: Client, refs: Refs) -> dict[str, Any] | None:
    """The client's insurance as an R4 Coverage: the member id (``subscriberId`` and an
    ``MB`` identifier), the payer (``payor``, by name), the group number (``class`` of type
    ``group``). None when the plan names no payer, member id or group number. A payer not
    named is ``payor`` with a data-absent-reason (R4 requires one payor)."""
    if not (client.payer_name or client.member_id or client.group_number):
        return None
    unknown = {"extension": [{"url": f.DATA_ABSENT, "valueCode": "unknown"}]}
    group = {
        "type": {"coding": [{"system": f.COVERAGE_CLASS, "code": "group"}], "text": "Group"},
        "value": client.group_number,
    }
    return prune(
        {
            "resourceType": "Coverage",
            "id": refs.id("Coverage"),
            "identifier": [_member_identifier(client, refs)] if client.member_id else None,
            "status": "active",
            "subscriberId": client.member_id,
            "beneficiary": {"reference": refs.ref("Patient", client.id)},
            "payor": [{"display": client.payer_name} if client.payer_name else unknown],
            "class": [group] if client.group_number else None,
        }
    )


def practitioner(signer: Signer, refs: Refs) -> dict[str, Any]:
    """A clinician, supervisor or co-signer: name, NPI, credentials as qualifications."""
    credentials = [c.strip() for c in (signer.credentials or "").split(",") if c.strip()]
    return prune(
        {
            "resourceType": "Practitioner",
            "id": refs.shared_id("Practitioner", signer.name or signer.npi or ""),
            "identifier": [{"system": f.NPI, "value": signer.npi}] if signer.npi else None,
            "name": [{"text": signer.name}] if signer.name else None,
            "qualification": [{"code": {"text": c}} for c in credentials],
        }
    )


def practitioner_role(signer: Signer, refs: Refs, organization: str) -> dict[str, Any]:
    """The practitioner's role at the agency (therapist, clinical supervisor...)."""
    return prune(
        {
            "resourceType": "PractitionerRole",
            "id": refs.shared_id("PractitionerRole", signer.name or "", signer.role or ""),
            "practitioner": {
                "reference": refs.shared_ref("Practitioner", signer.name or signer.npi or "")
            },
            "organization": {"reference": organization},
            "code": [{"text": signer.role}] if signer.role else None,
        }
    )


def organization(agency: Any, refs: Refs) -> dict[str, Any]:
    """The agency: name, NPI, address, phone."""
    return prune(
        {
            "resourceType": "Organization",
            "id": refs.shared_id("Organization"),
            "identifier": [{"system": f.NPI, "value": agency.npi}],
            "active": True,
            "name": agency.name,
            "telecom": [{"system": "phone", "value": agency.phone}],
            "address": [{"text": agency.address}],
        }
    )
