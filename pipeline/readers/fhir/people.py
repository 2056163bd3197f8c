"""FHIR Patient, Coverage, Practitioner and Provenance -> the plan's client and signatures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.clinical import fhir as f
from pipeline.model import Client, Contact, Signer
from pipeline.readers.fhir.index import Export, Located

_SEX = {"F": "female", "M": "male"}
_ROLES = {
    "author": "clinician",
    "verifier": "supervisor",
    "attester": "client",
    "legal": "guardian",
}


def _ext(resource: dict[str, Any], url: str) -> dict[str, Any] | None:
    for ext in resource.get("extension") or ():
        if isinstance(ext, dict) and ext.get("url") == url:
            return ext
    return None


def text_of(concept: Any) -> str | None:
    """A CodeableConcept's words: its text, else its first coding's display, else code."""
    if not isinstance(concept, dict):
        return None
    if concept.get("text"):
        return str(concept["text"])
    for coding in concept.get("coding") or ():
        if isinstance(coding, dict) and (coding.get("display") or coding.get("code")):
            return str(coding.get("display") or coding.get("code"))
    return None


def _client_id(patient: Located) -> str:
    """The practice's id: an MR identifier (or one whose system says client id / MRN)."""
    identifiers = [i for i in patient.resource.get("identifier") or () if i.get("value")]
    for ident in identifiers:
        codes = {c.get("code") for c in (ident.get("type") or {}).get("coding") or ()}
        if "MR" in codes or "client-id" in str(ident.get("system", "")):
            return str(ident["value"])
    for ident in identifiers:
        codes = {c.get("code") for c in (ident.get("type") or {}).get("coding") or ()}
        if not codes & {"MB", "SS", "DL", "PPN"}:
            return str(ident["value"])
    return patient.id


def _member(patient: Located) -> tuple[str | None, str | None]:
    for ident in patient.resource.get("identifier") or ():
        codes = {c.get("code") for c in (ident.get("type") or {}).get("coding") or ()}
        if "MB" in codes and ident.get("value"):
            return str(ident["value"]), (ident.get("assigner") or {}).get("display")
    return None, None


def _address(patient: dict[str, Any]) -> str | None:
    for address in patient.get("address") or ():
        if address.get("text"):
            return str(address["text"])
        parts = [*address.get("line", ()), address.get("city"), address.get("state")]
        joined = ", ".join(str(p) for p in parts if p)
        code = address.get("postalCode")
        return f"{joined} {code}".strip() if code else joined or None
    return None


def client(patient: Located) -> Client:
    """The client: id, name, birth date, sex and gender identity, pronouns, contact, member id."""
    resource = patient.resource
    names = resource.get("name") or []
    official = next(
        (n for n in names if n.get("use") in (None, "official")), names[0] if names else {}
    )
    usual = next((n for n in names if n.get("use") == "usual" and n is not official), None)
    given = list(official.get("given") or [])
    if not given and not official.get("family") and official.get("text"):
        *given, family = str(official["text"]).split()
    else:
        family = official.get("family")
    birth_sex = _ext(resource, f.BIRTH_SEX)
    identity = _ext(resource, f.GENDER_IDENTITY)
    pronouns = _ext(resource, f.PRONOUNS)
    sex = _SEX.get(str(birth_sex.get("valueCode"))) if birth_sex else None
    if birth_sex is None and identity is None and resource.get("gender") in ("male", "female"):
        sex = resource["gender"]  # administrative gender is all this export records
    telecom = {t.get("system"): t.get("value") for t in reversed(resource.get("telecom") or [])}
    member, payer = _member(patient)
    birth = resource.get("birthDate")
    return Client(
        id=_client_id(patient),
        first_name=given[0] if given else None,
        middle_name=" ".join(given[1:]) or None,
        last_name=family,
        preferred_name=(usual.get("given") or [None])[0] if usual else None,
        date_of_birth=dt.date.fromisoformat(birth[:10]) if birth and len(birth) >= 10 else None,
        sex_assigned_at_birth=sex,
        gender_identity=text_of(identity.get("valueCodeableConcept")) if identity else None,
        pronouns=_pronouns(pronouns),
        marital_status=text_of(resource.get("maritalStatus")),
        occupation=(_ext(resource, f.EXT_OCCUPATION) or {}).get("valueString"),
        contact=Contact(
            phone=telecom.get("phone"),
            email=telecom.get("email"),
            address=_address(resource),
            emergency_contact=_emergency(resource),
        ),
        member_id=member,
        payer_name=payer,
    )


#: Coverage statuses that are not the client's insurance (R4 FinancialResourceStatusCodes)
_NOT_IN_FORCE = {"cancelled", "entered-in-error"}


def _group(resource: dict[str, Any]) -> str | None:
    for item in resource.get("class") or ():
        codes = {c.get("code") for c in (item.get("type") or {}).get("coding") or ()}
        if "group" in codes and item.get("value"):
            return str(item["value"])
    return None


def _subscriber(resource: dict[str, Any]) -> str | None:
    if resource.get("subscriberId"):
        return str(resource["subscriberId"])
    for ident in resource.get("identifier") or ():
        codes = {c.get("code") for c in (ident.get("type") or {}).get("coding") or ()}
        if "MB" in codes and ident.get("value"):
            return str(ident["value"])
    return None


def with_coverage(person: Client, coverages: list[Located]) -> Client:
    """The client with their Coverage: the group number (``class`` of type ``group``), and
    the member id and payer name where the Patient carries none. The Coverage read is the
    one whose subscriber id is the Patient's member id, else the first in force by
    ``order``; cancelled and entered-in-error ones are not the client's insurance."""
    in_force = [c.resource for c in coverages if c.resource.get("status") not in _NOT_IN_FORCE]
    if not in_force:
        return person
    ranked = sorted(in_force, key=lambda r: r.get("order") if isinstance(r.get("order"), int)
                    else 1 << 30)  # fmt: skip
    chosen = next((r for r in ranked if _subscriber(r) == person.member_id), ranked[0])
    if person.member_id and _subscriber(chosen) not in (None, person.member_id):
        return person  # the Patient's member id is another plan's: no group is known for it
    payor = next((p.get("display") for p in chosen.get("payor") or () if p.get("display")), None)
    return person.model_copy(
        update={
            "member_id": person.member_id or _subscriber(chosen),
            "payer_name": person.payer_name or payor,
            "group_number": person.group_number or _group(chosen),
        }
    )


def _emergency(resource: dict[str, Any]) -> str | None:
    for contact in resource.get("contact") or ():
        roles = [
            c.get("code") for r in contact.get("relationship") or () for c in r.get("coding") or ()
        ]
        if "C" in roles or "EP" in roles:
            name = contact.get("name") or {}
            given = " ".join(name.get("given") or ())
            return name.get("text") or " ".join(p for p in (given, name.get("family")) if p) or None
    return None


def _pronouns(ext: dict[str, Any] | None) -> str | None:
    if ext is None:
        return None
    for sub in ext.get("extension") or ():
        if sub.get("url") == "value":
            return text_of(sub.get("valueCodeableConcept"))
    return None


def _signer(who: Located | None, display: str | None, export: Export, role: str) -> Signer:
    if who is None or who.type != "Practitioner":
        return Signer(name=display, role=role if role != "client" else None)
    resource = who.resource
    name = text_of({"text": (resource.get("name") or [{}])[0].get("text")}) or display
    if name is None and resource.get("name"):
        first = resource["name"][0]
        name = " ".join([*first.get("given", ()), first.get("family", "")]).strip() or None
    npi = next(
        (i.get("value") for i in resource.get("identifier") or () if i.get("system") == f.NPI), None
    )
    credentials = ", ".join(
        t for t in (text_of(q.get("code")) for q in resource.get("qualification") or ()) if t
    )
    job = None
    for item in export.of_type("PractitionerRole"):
        if export.resolve(item.resource.get("practitioner")) is who:
            job = text_of((item.resource.get("code") or [None])[0]) or job
    return Signer(name=name, credentials=credentials or None, npi=npi, role=job)


def signatures(careplan: Located | None, export: Export) -> dict[str, Signer]:
    """The plan's signers by role, from the Provenance resources that target its CarePlan."""
    found: dict[str, Signer] = {}
    if careplan is None:
        return found
    for prov in export.of_type("Provenance"):
        targets = [export.resolve(t) for t in prov.resource.get("target") or ()]
        if careplan not in targets:
            continue
        for agent in prov.resource.get("agent") or ():
            codes = [c.get("code") for c in (agent.get("type") or {}).get("coding") or ()]
            role = next((_ROLES[c] for c in codes if c in _ROLES), None)
            if role is None:
                continue
            who = export.resolve(agent.get("who"))
            signer = _signer(who, (agent.get("who") or {}).get("display"), export, role)
            if role == "guardian":  # the agent's role text is the relationship ("Mother")
                relation = next((r.get("text") for r in agent.get("role") or ()), None)
                signer = Signer(name=signer.name, relationship=relation)
            when = next((s.get("when") for s in prov.resource.get("signature") or ()), None)
            if when:
                signer = signer.model_copy(update={"signed_date": dt.date.fromisoformat(when[:10])})
            found[role] = signer
    return found
