"""Findings that never carry another section's data (docs/auth.md, "Nothing crosses scopes").

A ``protection:read`` token keeps each finding's code and severity and the verdict's level;
but a finding about a section it may not read (social security, consular, cases…) loses its
evidence (a BPJS record id is the KPJ, a case's is the case id) and says only that it exists
and which scope shows it. A ``self`` token's case findings become "an officer of <mission>
is handling your case" with the mission's public contact: never its kind nor the officers'
words (the phone may be in an employer's hands). What a self token's notices ask of the worker
is also the WORKER's action, so the worker's own page shows the actions addressed to the
worker and nothing else (``Finding.actionsFor(party: WORKER)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from auth.access import Access
from hub.cases.records import SYSTEM as HUB_CASES
from hub.graphql.enforce import allowed
from hub.graphql.policy import POLICY
from hub.protection import Finding, labels
from hub.protection.rules import NOTICES, RULES
from hub.protection.text import Text
from hub.protection.verdict import Action, Party
from schema.enums import Agency
from schema.records import MissionRecord, Provenance

# The Worker section each rule's findings are about, by the rule's module.
MODULE_SECTIONS: dict[str, str] = {
    "procedure": "Worker.placements",
    "licence": "Worker.placements",
    "contract": "Worker.placements",
    "social_security": "Worker.socialSecurity",
    "consular": "Worker.consular",
    "cases": "Worker.cases",
    # issue #17's modules
    "bpjs_due": "Worker.socialSecurity",
    "benefits": "Worker.socialSecurity",
    "card": "Worker.placements",
    "case_benefits": "Worker.cases",  # names the case's kind
    "return_home": "Worker.placements",
    "seafarer": "Worker.placements",
}


UNPLACED = "unplaced"  # a rule module not in MODULE_SECTIONS: shown only to who reads them all


def finding_sections() -> dict[str, str]:
    """Finding code -> Worker section; the engine's notices (SOURCE_*) have none. A rule of a
    module not placed above is UNPLACED (test_policy.py fails until it is placed)."""
    out = {}
    for rule in RULES:
        module = rule.check.__module__.rsplit(".", 1)[-1] if rule.check else ""
        out[rule.code] = MODULE_SECTIONS.get(module, UNPLACED)
    return out


def _scopes_of(section: str) -> str:
    sections = set(MODULE_SECTIONS.values()) if section == UNPLACED else {section}
    return ", ".join(sorted(POLICY[s].scope or "" for s in sections))


def _reads(access: Access, section: str) -> bool:
    if section == UNPLACED:
        return all(_reads(access, s) for s in set(MODULE_SECTIONS.values()))
    return allowed(access, POLICY[section])


FINDING_SECTIONS = finding_sections()
# Record ids that are another section's data whatever finding carries them.
_AGENCY_SECTIONS = {Agency.BPJS_KETENAGAKERJAAN.value: "Worker.socialSecurity"}

PUBLIC_CONTACT = "Portal Peduli WNI (https://peduliwni.kemlu.go.id)"

_HIDDEN = Text(
    "Ada temuan tentang data yang tidak dapat dibaca token ini (perlu scope {scope}).",
    "There is a finding about data this token may not read (needs scope {scope}).",
)
_ASK_AN_OFFICER = Text(  # for the worker: no scope names, no officers' data
    "Ada hal yang perlu diperiksa bersama petugas perwakilan RI atau KP2MI.",
    "Something needs checking with an officer of an Indonesian mission or KP2MI.",
)
_HANDLED = Text(
    "Petugas {mission} sedang menangani kasus Anda.",
    "An officer of {mission} is handling your case.",
)
_CONTACT = Text(
    "Hubungi {mission} ({city}) melalui {contact}.",
    "Contact {mission} ({city}) through {contact}.",
)
_SOMEONE = Text("KP2MI atau perwakilan RI", "KP2MI or an Indonesian mission")  # no mission yet
_SOME_SOURCE = Text(
    "Sebagian data tidak dapat dibaca; penilaian ini belum lengkap.",
    "Some data could not be read; this verdict is incomplete.",
)
_NOTICES = {notice.code for notice in NOTICES}


def redact(
    findings: Iterable[Finding],
    access: Access,
    missions: Mapping[str, MissionRecord],
    hidden_agencies: Iterable[str] = (),
) -> list[Finding]:
    """``findings`` as ``access`` may see them; ``missions``: a case record id -> its mission
    (for a self token's notice); ``hidden_agencies``: the agencies whose section the token does
    not read (a notice that BPJS could not be read says the worker is a member)."""
    hidden = [labels.agency(code) for code in hidden_agencies]
    out = []
    for finding in findings:
        section = FINDING_SECTIONS.get(finding.code)
        if finding.code in _NOTICES and any(h.en in finding.message.en for h in hidden):
            out.append(Finding(finding.code, finding.severity, _SOME_SOURCE, None))
        elif section == "Worker.cases" and access.own_record:
            out.append(_self_notice(finding, missions))
        elif section is not None and not _reads(access, section):
            scope = _scopes_of(section)
            if access.own_record:
                out.append(_ask_an_officer(finding))
            else:
                text = _HIDDEN.format({"scope": scope})
                out.append(Finding(finding.code, finding.severity, text, None))
        else:
            evidence = tuple(p for p in finding.evidence if _evidence_visible(p, access))
            out.append(
                Finding(
                    finding.code,
                    finding.severity,
                    finding.message,
                    finding.action,
                    evidence,
                    finding.actions,  # the parties' own actions, shown as the message is
                )
            )
    return out


def _evidence_visible(provenance: Provenance, access: Access) -> bool:
    section = _AGENCY_SECTIONS.get(provenance.agency)
    if provenance.system == HUB_CASES:  # a CASE-HUB-… id
        section = "Worker.cases"
    return section is None or allowed(access, POLICY[section])


def _ask_an_officer(finding: Finding) -> Finding:
    """A self token's finding about a section it does not read: check with an officer."""
    ask = (Action(Party.WORKER, _ASK_AN_OFFICER),)
    return Finding(finding.code, finding.severity, _ASK_AN_OFFICER, None, (), ask)


def _self_notice(finding: Finding, missions: Mapping[str, MissionRecord]) -> Finding:
    """A case for its worker: who handles it and how to reach them (also the WORKER's action:
    the notice and the contact in one line)."""
    mission = next(
        (missions[p.record_id] for p in finding.evidence if p.record_id in missions), None
    )
    if mission is None:
        handled = _HANDLED.format({"mission": _SOMEONE})
        worker = (Action(Party.WORKER, handled),)
        return Finding(finding.code, finding.severity, handled, None, (), worker)
    params = {"mission": mission.name, "city": mission.city, "contact": PUBLIC_CONTACT}
    handled, contact = _HANDLED.format(params), _CONTACT.format(params)
    both = Text(f"{handled.id} {contact.id}", f"{handled.en} {contact.en}")
    worker = (Action(Party.WORKER, both),)
    return Finding(finding.code, finding.severity, handled, contact, (), worker)


__all__ = ["FINDING_SECTIONS", "MODULE_SECTIONS", "PUBLIC_CONTACT", "UNPLACED", "redact"]
