"""The scenario's ``embassy`` blocks as Portal Peduli WNI holds and serves them.

``EmbassyIndex`` is rebuilt whenever the sandbox data changes (``SandboxData.version``), so
lookups by record id, NIK and passport stay dictionary reads on a large population.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from connectors.embassy.dialect import CASE_CATEGORY, CASE_STATUS, PRIORITY, SEX, STAY_PURPOSE
from connectors.embassy.soap import element, sub
from connectors.sandbox.data import SandboxData
from schema.identifiers import normalize_passport
from schema.scenario.models import ConsularCase, EmbassyRecord, Mission, Passport, Person, Report


def held_passports(person: Person, record: EmbassyRecord) -> list[Passport]:
    """The person's passports, or only ``passportKnown`` (with its dates when we have them)."""
    if record.passportKnown is None:
        return list(person.passports)
    wanted = normalize_passport(record.passportKnown)
    for passport in person.passports:
        if normalize_passport(passport.number) == wanted:
            return [passport]
    return [Passport(number=record.passportKnown)]


def latest_report(record: EmbassyRecord) -> Report | None:
    """The most recent lapor diri (the later one in the list on a tie)."""
    if not record.reports:
        return None
    return max(enumerate(record.reports), key=lambda item: (item[1].reportedOn, item[0]))[1]


@dataclass
class EmbassyIndex:
    records: dict[str, tuple[Person, EmbassyRecord]] = field(default_factory=dict)
    entries: list[tuple[Person, EmbassyRecord]] = field(default_factory=list)  # listing order
    by_nik: dict[str, list[str]] = field(default_factory=dict)
    by_passport: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, data: SandboxData) -> EmbassyIndex:
        index = cls()
        for person in data.people():
            for record in person.embassy:
                index.records[record.recordId] = (person, record)
                index.entries.append((person, record))
                if record.nikKnown:
                    index.by_nik.setdefault(person.nik, []).append(record.recordId)
                for passport in held_passports(person, record):
                    number = normalize_passport(passport.number)
                    index.by_passport.setdefault(number, []).append(record.recordId)
        return index


class EmbassyView:
    """Renders records from the current data, rebuilding the index when the data changes."""

    def __init__(self, data: SandboxData) -> None:
        self.data = data
        self._index = EmbassyIndex()
        self._version = -1

    @property
    def index(self) -> EmbassyIndex:
        if self._version != self.data.version:
            self._index = EmbassyIndex.build(self.data)
            self._version = self.data.version
        return self._index

    def render(self, record_id: str) -> Element | None:
        found = self.index.records.get(record_id)
        return None if found is None else render_record(*found, self.data.missions)


def render_record(
    person: Person, record: EmbassyRecord, missions: Mapping[str, Mission]
) -> Element:
    node = element("CitizenRecord")
    sub(node, "RecordId", record.recordId)
    sub(node, "FullName", record.nameAs or person.name)
    if record.nikKnown:
        sub(node, "Nik", person.nik)
    sub(node, "BirthDate", (record.birthDateAs or person.birthDate).isoformat())
    sub(node, "Sex", SEX.wire(person.sex))
    if person.phone:
        sub(node, "Phone", person.phone)
    passports = sub(node, "Passports")
    for passport in held_passports(person, record):
        item = sub(passports, "Passport")
        sub(item, "Number", passport.number)
        if passport.issuedOn:
            sub(item, "IssueDate", passport.issuedOn.isoformat())
        if passport.expiresOn:
            sub(item, "ExpiryDate", passport.expiresOn.isoformat())
    reports = sub(node, "SelfReports")
    for report in record.reports:
        item = sub(reports, "SelfReport")
        _mission(item, missions.get(report.mission))
        sub(item, "ReportedOn", report.reportedOn.isoformat())
        if report.address:
            sub(item, "AddressAbroad", report.address)
        if report.lastContactOn:
            sub(item, "LastContactOn", report.lastContactOn.isoformat())
        if report.purpose:
            sub(item, "Purpose", STAY_PURPOSE.wire(report.purpose))
    contracts = sub(node, "EndorsedContracts")
    for placement_id in record.endorsedContracts:
        sub(contracts, "PlacementId", placement_id)
    if record.extensions:
        extensions = sub(node, "ContractExtensions")
        for extension in record.extensions:
            item = sub(extensions, "ContractExtension")
            sub(item, "PlacementId", extension.placementId)
            sub(item, "ContractEnd", extension.contractEnd.isoformat())
            sub(item, "SignedOn", extension.signedOn.isoformat())
    latest = latest_report(record)
    handling = missions.get(latest.mission) if latest else None
    cases = sub(node, "ConsularCases")
    for case in record.cases:
        _case(sub(cases, "ConsularCase"), case, handling)
    return node


def _mission(parent: Element, mission: Mission | None) -> None:
    if mission is None:
        return  # a code the scenario does not list: the mission is left out, not invented
    node = sub(parent, "Mission")
    sub(node, "Code", mission.code)
    sub(node, "Name", mission.name)
    sub(node, "City", mission.city)
    sub(node, "Country", mission.country)


def _case(node: Element, case: ConsularCase, mission: Mission | None) -> None:
    sub(node, "CaseNumber", case.id)
    sub(node, "Category", CASE_CATEGORY.wire(case.kind))
    sub(node, "Status", CASE_STATUS.wire(case.status))
    sub(node, "Priority", PRIORITY.wire(case.severity))
    sub(node, "OpenedAt", case.openedAt.isoformat())
    sub(node, "Summary", case.summary)
    _mission(node, mission)
