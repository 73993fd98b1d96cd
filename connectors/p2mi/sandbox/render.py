"""The scenario's ``p2mi`` blocks as SISKOP2MI holds and serves them.

``P2miIndex`` is rebuilt whenever the sandbox data changes (``SandboxData.version``), so that
lookups by ID PMI, NIK, passport and placement id stay dictionary reads on 10 million people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from connectors.p2mi.dialect import (
    COMPLAINT_KIND,
    COMPLAINT_STATUS,
    EMPLOYER_KIND,
    PLACEMENT_STATUS,
    SCHEME,
    SECTOR,
    SEVERITY,
    SEX,
    format_date,
)
from connectors.sandbox.data import SandboxData
from schema.identifiers import normalize_passport
from schema.scenario.models import (
    Complaint,
    Contact,
    P2miRecord,
    Passport,
    Person,
    Placement,
    PlacementAgency,
)

Json = dict[str, Any]


def _date(day: date | None) -> str | None:
    return format_date(day) if day is not None else None


def held_passports(person: Person, record: P2miRecord) -> list[Passport]:
    """The person's passports, or only ``passportKnown`` (with its dates when we have them)."""
    if record.passportKnown is None:
        return list(person.passports)
    wanted = normalize_passport(record.passportKnown)
    for passport in person.passports:
        if normalize_passport(passport.number) == wanted:
            return [passport]
    return [Passport(number=record.passportKnown)]


def render_person(
    person: Person, record: P2miRecord, agencies: Mapping[str, PlacementAgency]
) -> Json:
    return {
        "idPmi": record.pmiId,
        "nik": person.nik if record.nikKnown else None,
        "nama": record.nameAs or person.name,
        "tanggalLahir": format_date(record.birthDateAs or person.birthDate),
        "jenisKelamin": SEX.wire(person.sex),
        "paspor": [_passport(p) for p in held_passports(person, record)],
        "noHp": person.phone,
        "alamat": person.address,
        "kontakKeluarga": _contact(person.nextOfKin) if person.nextOfKin else None,
        "idSiapkerja": [k.jobSeekerId for k in person.kemnaker],
        "penempatan": [_placement(p, agencies) for p in record.placements],
        "pengaduan": [_complaint(c) for c in record.complaints],
    }


def _passport(passport: Passport) -> Json:
    return {
        "nomor": passport.number,
        "tanggalTerbit": _date(passport.issuedOn),
        "tanggalBerakhir": _date(passport.expiresOn),
    }


def _contact(contact: Contact) -> Json:
    return {
        "nama": contact.name,
        "hubungan": contact.relation,
        "noHp": contact.phone,
        "alamat": contact.address,
    }


def _placement(placement: Placement, agencies: Mapping[str, PlacementAgency]) -> Json:
    employer = placement.employer
    licence = placement.agencyLicense
    agency = agencies.get(licence) if licence else None
    return {
        "idPenempatan": placement.placementId,
        "nomorKartu": placement.cardNumber,
        "status": PLACEMENT_STATUS.wire(placement.status),
        "skema": SCHEME.wire(placement.scheme),
        "negaraTujuan": placement.country,
        "jabatan": placement.occupation,
        "sektor": SECTOR.wire(placement.sector),
        "pemberiKerja": None
        if employer is None
        else {
            "nama": employer.name,
            "negara": employer.country,
            "kota": employer.city,
            "telepon": employer.phone,
            **({"jenis": EMPLOYER_KIND.wire(employer.kind)} if employer.kind else {}),
        },
        "p3mi": None
        if licence is None
        else {"nomorIzin": licence, "nama": agency.name if agency else None},
        "tanggalMulaiKontrak": _date(placement.contractStart),
        "tanggalAkhirKontrak": _date(placement.contractEnd),
        "oppSelesai": placement.orientationCompleted,
        "tanggalBerangkat": _date(placement.departedOn),
        "tanggalKembali": _date(placement.returnedOn),
        **_since_2023(placement),
    }


def _since_2023(placement: Placement) -> Json:
    """The fields SISKOP2MI added for the law of 2023-2025, present only when recorded."""
    added: Json = {
        "tanggalPerjanjianPenempatan": _date(placement.agreementSignedOn),
        "sip2mi": None
        if placement.sip2mi is None
        else {"nomor": placement.sip2mi, "negara": placement.sip2miCountry},
        "kartuBerlakuSampai": _date(placement.cardExpiresOn),
        "perpanjangan": [
            {"tanggalAkhirKontrak": _date(e.contractEnd), "tanggalTandaTangan": _date(e.signedOn)}
            for e in placement.extensions
        ]
        or None,
        "tanggalBatal": _date(placement.cancelledOn),
        "bukuPelaut": None
        if (book := placement.seafarerBook) is None
        else {"nomor": book.number, "berlakuSampai": _date(book.expiresOn)},
        "pkl": None
        if (pkl := placement.seaServiceAgreement) is None
        else {
            "tanggalTandaTangan": _date(pkl.signedOn),
            "tanggalPengesahan": _date(pkl.endorsedOn),
        },
    }
    return {key: value for key, value in added.items() if value is not None}


def _complaint(complaint: Complaint) -> Json:
    return {
        "idPengaduan": complaint.id,
        "jenis": COMPLAINT_KIND.wire(complaint.kind),
        "status": COMPLAINT_STATUS.wire(complaint.status),
        "tingkat": SEVERITY.wire(complaint.severity),
        "tanggalPengaduan": format_date(complaint.filedOn),
        "ringkasan": complaint.summary,
    }


@dataclass
class P2miIndex:
    """SISKOP2MI's records (one per ``p2mi`` block item) and its search keys."""

    version: int
    records: dict[str, tuple[Person, P2miRecord]] = field(default_factory=dict)
    keys: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # field -> value -> ids

    @classmethod
    def build(cls, data: SandboxData) -> P2miIndex:
        index = cls(version=data.version)
        keys: dict[str, dict[str, list[str]]] = {
            "idPmi": {},
            "nik": {},
            "nomorPaspor": {},
            "idPenempatan": {},
        }
        for person in data.people():
            for record in person.p2mi:
                pmi_id = record.pmiId
                index.records[pmi_id] = (person, record)
                keys["idPmi"].setdefault(pmi_id, []).append(pmi_id)
                if record.nikKnown:
                    keys["nik"].setdefault(person.nik, []).append(pmi_id)
                for passport in held_passports(person, record):
                    number = normalize_passport(passport.number)
                    keys["nomorPaspor"].setdefault(number, []).append(pmi_id)
                for placement in record.placements:
                    keys["idPenempatan"].setdefault(placement.placementId, []).append(pmi_id)
        index.keys = keys
        return index


class P2miView:
    """The sandbox's read side: the current index, rebuilt when the data changes."""

    def __init__(self, data: SandboxData) -> None:
        self.data = data
        self._index = P2miIndex.build(data)
        self._agencies = data.placement_agencies

    @property
    def index(self) -> P2miIndex:
        if self._index.version != self.data.version:
            self._index = P2miIndex.build(self.data)
        return self._index

    def render(self, pmi_id: str) -> Json | None:
        found = self.index.records.get(pmi_id)
        return None if found is None else self.render_record(*found)

    def render_record(self, person: Person, record: P2miRecord) -> Json:
        return render_person(person, record, self._agencies)

    def render_all(self, pmi_ids: list[str]) -> list[Json]:
        return [r for r in (self.render(i) for i in pmi_ids) if r is not None]
