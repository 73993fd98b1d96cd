"""The scenario's canonical people rendered as BPJS Ketenagakerjaan ``peserta`` (participants).

One ``peserta`` per KPJ number; a person registered twice has two. The index is rebuilt
whenever the sandbox data changes (``POST /_sandbox/people``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from connectors.bpjs.dialect import (
    BENEFITS,
    CLAIM_STATUSES,
    MEMBER_ACTIVE,
    MEMBER_INACTIVE,
    PHASES,
    PROGRAM_NAMES,
    SEX_CODES,
)
from connectors.sandbox.data import SandboxData
from schema.scenario.models import BpjsRecord, Claim, Person

SEGMENT = {"kode": "PMI", "keterangan": "PEKERJA MIGRAN INDONESIA"}


def _coded(pair: tuple[str, str]) -> dict[str, str]:
    return {"kode": pair[0], "keterangan": pair[1]}


def peserta(person: Person, record: BpjsRecord, today: date) -> dict[str, Any]:
    """One participant as the API serves it (before encryption)."""
    active = any(c.start <= today <= c.end for c in record.coverages)
    birth = record.birthDateAs or person.birthDate
    return {
        "noKpj": record.kpj,
        "nik": person.nik if record.nikKnown else None,
        "noPaspor": record.passportKnown,
        "nama": record.nameAs or person.name,
        "tglLahir": birth.isoformat(),
        "sex": SEX_CODES[person.sex],
        # enrolment of a PMI goes through SISKOP2MI, so BPJS holds the person's ID PMI
        "idPmi": [p2mi.pmiId for p2mi in person.p2mi],
        "kepesertaan": {
            "segmen": SEGMENT,
            "statusPeserta": _coded(MEMBER_ACTIVE if active else MEMBER_INACTIVE),
            "program": [
                {
                    "kode": c.program.value,
                    "keterangan": PROGRAM_NAMES[c.program.value],
                    "fase": _coded(PHASES[c.phase]),
                    "tglAwal": c.start.isoformat(),
                    "tglAkhir": c.end.isoformat(),
                }
                for c in record.coverages
            ],
            "iuran": [
                {
                    "periode": c.period.replace("-", ""),
                    "nominal": c.amount,
                    "tglBayar": c.paidOn.isoformat() if c.paidOn else None,
                }
                for c in record.contributions
            ],
            "klaim": [_claim(c) for c in record.claims],
        },
    }


def _claim(claim: Claim) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "kodeProgram": claim.program.value,
        "status": _coded(CLAIM_STATUSES[claim.status]),
        "tglPengajuan": claim.submittedOn.isoformat(),
        "nominal": claim.amount,
    }
    if claim.benefit is not None:  # a field added in 2023; older answers name no benefit
        rendered["kodeManfaat"] = BENEFITS[claim.benefit]
    if claim.paidOn is not None:  # the payment day, for a paid claim when recorded
        rendered["tglBayar"] = claim.paidOn.isoformat()
    return rendered


@dataclass
class ParticipantIndex:
    """KPJ -> (person, record) and NIK -> KPJs, over the current sandbox data."""

    data: SandboxData
    _version: int = -1
    _by_kpj: dict[str, tuple[Person, BpjsRecord]] = field(default_factory=dict)
    _by_nik: dict[str, list[str]] = field(default_factory=dict)
    _all: list[tuple[Person, BpjsRecord]] = field(default_factory=list)

    def _fresh(self) -> None:
        if self._version == self.data.version:
            return
        by_kpj: dict[str, tuple[Person, BpjsRecord]] = {}
        by_nik: dict[str, list[str]] = {}
        for person in self.data.people():
            for record in person.bpjs:
                by_kpj[record.kpj] = (person, record)
                if record.nikKnown:
                    by_nik.setdefault(person.nik, []).append(record.kpj)
        self._by_kpj, self._by_nik = by_kpj, by_nik
        self._all = list(by_kpj.values())
        self._version = self.data.version

    def by_kpj(self, kpj: str) -> tuple[Person, BpjsRecord] | None:
        self._fresh()
        return self._by_kpj.get(kpj)

    def kpjs_by_nik(self, nik: str) -> list[str]:
        self._fresh()
        return self._by_nik.get(nik, [])

    def all(self) -> list[tuple[Person, BpjsRecord]]:
        self._fresh()
        return self._all
