"""Peduli WNI's answers, validated into typed models at the edge.

The parsers read the elements they need and ignore the rest (a newer service version may add
some). A missing required element, an impossible date or a code outside the code lists raises
``SchemaViolation`` naming the element, never its content (it may be personal data).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar
from xml.etree.ElementTree import Element

from connectors.embassy.dialect import (
    CASE_CATEGORY,
    CASE_STATUS,
    PRIORITY,
    SEX,
    STAY_PURPOSE,
    CodeList,
    is_nik,
)
from connectors.embassy.soap import q
from schema.enums import CaseKind, CaseStatus, Severity, Sex, StayPurpose

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


class SchemaViolation(ValueError):
    """An answer that does not fit Peduli WNI's schema."""


@dataclass(frozen=True, slots=True)
class Mission:
    code: str
    name: str
    city: str
    country: str


@dataclass(frozen=True, slots=True)
class Passport:
    number: str
    issue_date: date | None
    expiry_date: date | None


@dataclass(frozen=True, slots=True)
class SelfReport:
    reported_on: date
    mission: Mission | None
    address_abroad: str | None
    last_contact_on: date | None
    purpose: StayPurpose | None = None


@dataclass(frozen=True, slots=True)
class SignedExtension:
    """A contract extension signed before the mission."""

    placement_id: str
    contract_end: date
    signed_on: date


@dataclass(frozen=True, slots=True)
class ConsularCase:
    case_number: str
    category: CaseKind
    status: CaseStatus
    priority: Severity
    opened_at: datetime
    summary: str
    mission: Mission | None


@dataclass(frozen=True, slots=True)
class CitizenRecord:
    record_id: str
    full_name: str
    nik: str | None
    birth_date: date | None
    sex: Sex | None
    phone: str | None
    passports: tuple[Passport, ...]
    self_reports: tuple[SelfReport, ...]
    endorsed_contracts: tuple[str, ...]
    consular_cases: tuple[ConsularCase, ...]
    extensions: tuple[SignedExtension, ...] = ()


@dataclass(frozen=True, slots=True)
class Changes:
    next_cursor: str
    has_more: bool
    records: tuple[CitizenRecord, ...]


class _Reader:
    """Typed access to the children of one element; ``where`` names it in errors."""

    def __init__(self, node: Element, where: str) -> None:
        self.node = node
        self.where = where

    def text(self, name: str) -> str | None:
        child = self.node.find(q(name))
        if child is None:
            return None
        value = (child.text or "").strip()
        return value or None

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise SchemaViolation(f"{self.where}.{name} is missing")
        return value

    def convert(self, name: str, parse: Callable[[str], T]) -> T | None:
        raw = self.text(name)
        return None if raw is None else self._parse(name, raw, parse)

    def must(self, name: str, parse: Callable[[str], T]) -> T:
        return self._parse(name, self.required(name), parse)

    def _parse(self, name: str, raw: str, parse: Callable[[str], T]) -> T:
        try:
            return parse(raw)
        except ValueError:
            raise SchemaViolation(f"{self.where}.{name} has an impossible value") from None

    def items(self, container: str, item: str) -> list[Element]:
        parent = self.node.find(q(container))
        return [] if parent is None else parent.findall(q(item))


def _code(codes: CodeList[E]) -> Callable[[str], E]:
    def parse(raw: str) -> E:
        value = codes.parse(raw)
        if value is None:
            raise ValueError(raw)
        return value

    return parse


def _date(raw: str) -> date:
    if len(raw) != 10:
        raise ValueError(raw)
    return date.fromisoformat(raw)


def _instant(raw: str) -> datetime:
    value = datetime.fromisoformat(raw)
    if value.tzinfo is None:
        raise ValueError(raw)  # an instant without its offset cannot be placed in time
    return value


def _nik(raw: str) -> str:
    if not is_nik(raw):
        raise ValueError(raw)
    return raw


def _mission(node: Element | None, where: str) -> Mission | None:
    if node is None:
        return None
    read = _Reader(node, where)
    return Mission(
        read.required("Code"),
        read.required("Name"),
        read.required("City"),
        read.required("Country"),
    )


def parse_record(node: Element) -> CitizenRecord:
    read = _Reader(node, "CitizenRecord")
    return CitizenRecord(
        record_id=read.required("RecordId"),
        full_name=read.required("FullName"),
        nik=read.convert("Nik", _nik),
        birth_date=read.convert("BirthDate", _date),
        sex=read.convert("Sex", _code(SEX)),
        phone=read.text("Phone"),
        passports=tuple(_passport(item) for item in read.items("Passports", "Passport")),
        self_reports=tuple(_report(item) for item in read.items("SelfReports", "SelfReport")),
        endorsed_contracts=tuple(
            value
            for item in read.items("EndorsedContracts", "PlacementId")
            if (value := (item.text or "").strip())
        ),
        consular_cases=tuple(_case(item) for item in read.items("ConsularCases", "ConsularCase")),
        extensions=tuple(
            _extension(item) for item in read.items("ContractExtensions", "ContractExtension")
        ),
    )


def _extension(node: Element) -> SignedExtension:
    read = _Reader(node, "ContractExtension")
    return SignedExtension(
        placement_id=read.required("PlacementId"),
        contract_end=read.must("ContractEnd", _date),
        signed_on=read.must("SignedOn", _date),
    )


def _passport(node: Element) -> Passport:
    read = _Reader(node, "Passport")
    return Passport(
        read.required("Number"), read.convert("IssueDate", _date), read.convert("ExpiryDate", _date)
    )


def _report(node: Element) -> SelfReport:
    read = _Reader(node, "SelfReport")
    return SelfReport(
        reported_on=read.must("ReportedOn", _date),
        mission=_mission(node.find(q("Mission")), "SelfReport.Mission"),
        address_abroad=read.text("AddressAbroad"),
        last_contact_on=read.convert("LastContactOn", _date),
        purpose=read.convert("Purpose", _code(STAY_PURPOSE)),
    )


def _case(node: Element) -> ConsularCase:
    read = _Reader(node, "ConsularCase")
    return ConsularCase(
        case_number=read.required("CaseNumber"),
        category=read.must("Category", _code(CASE_CATEGORY)),
        status=read.must("Status", _code(CASE_STATUS)),
        priority=read.must("Priority", _code(PRIORITY)),
        opened_at=read.must("OpenedAt", _instant),
        summary=read.required("Summary"),
        mission=_mission(node.find(q("Mission")), "ConsularCase.Mission"),
    )


def parse_records(answer: Element) -> list[CitizenRecord]:
    return [parse_record(node) for node in answer.findall(q("CitizenRecord"))]


def parse_matches(answer: Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for node in answer.findall(q("Match")):
        value = _Reader(node, "Match").required("Value")
        ids = [(item.text or "").strip() for item in node.findall(q("RecordId"))]
        if not all(ids):
            raise SchemaViolation("Match.RecordId is empty")
        found[value] = list(dict.fromkeys(ids))
    return found


def parse_changes(answer: Element) -> Changes:
    read = _Reader(answer, "GetChangesResponse")
    more = read.required("HasMore")
    if more not in ("true", "false", "1", "0"):
        raise SchemaViolation("GetChangesResponse.HasMore is not a boolean")
    return Changes(
        next_cursor=read.required("NextCursor"),
        has_more=more in ("true", "1"),
        records=tuple(parse_records(answer)),
    )


def parse_ping(answer: Element) -> str:
    return _Reader(answer, "PingResponse").required("Status")
