"""The case register: lifecycle, history, ids, batch listing, and the outbox it writes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from auth.settings import DEV_KEY_SECRET
from hub.cases import Actor, CaseError, CaseService, WebhookStore
from hub.cases.missions import MissionCatalog
from hub.cases.tables import CaseEventRow, CaseRow, DeliveryRow
from hub.crosswalk.tables import WorkerRow
from schema.enums import CaseKind, CaseStatus, Severity
from tests.cases.conftest import WORKERS

EMBASSY = Actor("embassy-system", "embassy-system", "EMBASSY", "EMERGENCY")
P2MI = Actor("p2mi-system", "p2mi-system", "P2MI", "CASE_HANDLING")
HKG_OFFICER = Actor("console-frontend", "petugas.hkg", "EMBASSY", "CASE_HANDLING", "HKG")
SUPERVISOR = Actor("console-frontend", "pengawas", "P2MI", "CASE_HANDLING", admin=True)
HKG = MissionCatalog.default().resolve("HKG")


def counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(table)).one()
            for table in (CaseRow, CaseEventRow, DeliveryRow)
        )


def open_one(service: CaseService, worker: str = WORKERS[0], mission=HKG):  # type: ignore[no-untyped-def]
    return service.open(
        EMBASSY, worker, CaseKind.DETENTION, Severity.HIGH, "  Ditahan polisi  ", mission, ["P2MI"]
    )


def test_open_numbers_the_case_and_records_who_and_when(engine: Engine) -> None:
    service = CaseService(engine)
    first = open_one(service)
    second = open_one(service, WORKERS[1], None)
    year = first.at.year
    assert first.case.id == f"CASE-HUB-{year}-000001"
    assert second.case.id == f"CASE-HUB-{year}-000002"
    assert first.event == "OPENED" and first.id.startswith("evt_")
    assert first.case.status is CaseStatus.OPEN
    assert first.case.summary == "Ditahan polisi"
    assert first.case.agencies == ("EMBASSY", "P2MI")
    assert first.case.mission == HKG and second.case.mission is None
    stored = service.get(first.case.id)
    assert stored is not None and [h.event for h in stored.history] == ["OPENED"]
    assert stored.history[0].client_id == "embassy-system"


def test_status_changes_follow_the_lifecycle_with_a_note(engine: Engine) -> None:
    service = CaseService(engine)
    case_id = open_one(service).case.id
    before = counts(engine)
    with pytest.raises(CaseError) as refused:  # not the opener, not the case's mission
        service.update_status(P2MI, case_id, CaseStatus.CLOSED, "Ditutup saja")
    assert refused.value.code == "FORBIDDEN" and counts(engine) == before
    moved = service.update_status(HKG_OFFICER, case_id, CaseStatus.IN_PROGRESS, "Pendamping hukum")
    assert moved.event == "STATUS_CHANGED" and moved.case.status is CaseStatus.IN_PROGRESS
    assert moved.case.agencies == ("EMBASSY", "P2MI")
    service.update_status(SUPERVISOR, case_id, CaseStatus.CLOSED, "Dibebaskan")
    service.update_status(EMBASSY, case_id, CaseStatus.OPEN, "Ditahan lagi")
    history = service.get(case_id).history  # type: ignore[union-attr]
    assert [(h.previous_status, h.status) for h in history] == [
        (None, CaseStatus.OPEN),
        (CaseStatus.OPEN, CaseStatus.IN_PROGRESS),
        (CaseStatus.IN_PROGRESS, CaseStatus.CLOSED),
        (CaseStatus.CLOSED, CaseStatus.OPEN),
    ]
    assert [h.note for h in history][1:] == ["Pendamping hukum", "Dibebaskan", "Ditahan lagi"]
    assert history[1].agency == "EMBASSY" and history[2].agency == "P2MI"


@pytest.mark.parametrize(
    ("status", "note", "code"),
    [
        (CaseStatus.OPEN, "still open", "BAD_TRANSITION"),
        (CaseStatus.IN_PROGRESS, "   ", "BAD_USER_INPUT"),
        (CaseStatus.IN_PROGRESS, "x" * 2001, "BAD_USER_INPUT"),
        (CaseStatus.IN_PROGRESS, "bell\x07", "BAD_USER_INPUT"),
    ],
)
def test_a_refused_change_writes_nothing(
    engine: Engine, status: CaseStatus, note: str, code: str
) -> None:
    service = CaseService(engine)
    case_id = open_one(service).case.id
    before = counts(engine)
    with pytest.raises(CaseError) as refused:
        service.update_status(EMBASSY, case_id, status, note)
    assert refused.value.code == code
    assert counts(engine) == before
    assert service.get(case_id).status is CaseStatus.OPEN  # type: ignore[union-attr]


def test_closed_cannot_jump_to_in_progress_and_unknown_cases_are_not_found(engine: Engine) -> None:
    service = CaseService(engine)
    case_id = open_one(service).case.id
    service.update_status(EMBASSY, case_id, CaseStatus.CLOSED, "Selesai")
    with pytest.raises(CaseError) as bad:
        service.update_status(EMBASSY, case_id, CaseStatus.IN_PROGRESS, "again")
    assert bad.value.code == "BAD_TRANSITION"
    with pytest.raises(CaseError) as missing:
        service.update_status(EMBASSY, "CASE-HUB-2026-999999", CaseStatus.CLOSED, "x")
    assert missing.value.code == "NOT_FOUND"


@pytest.mark.parametrize("summary", ["", "  \n ", "y" * 2001])
def test_open_refuses_bad_summaries_and_unknown_workers(engine: Engine, summary: str) -> None:
    service = CaseService(engine)
    with pytest.raises(CaseError) as bad:
        service.open(EMBASSY, WORKERS[0], CaseKind.OTHER, Severity.LOW, summary, None)
    assert bad.value.code == "BAD_USER_INPUT" and bad.value.argument == "summary"
    with pytest.raises(CaseError) as unknown:
        service.open(EMBASSY, "wk_nobody", CaseKind.OTHER, Severity.LOW, "Sakit keras", None)
    assert unknown.value.code == "NOT_FOUND"
    assert counts(engine) == (0, 0, 0)


def test_unknown_missions_are_refused() -> None:
    with pytest.raises(CaseError) as bad:
        MissionCatalog.default().resolve("XXX")
    assert bad.value.code == "UNKNOWN_MISSION"
    assert MissionCatalog.default().resolve(" hkg ").name == "KJRI Hong Kong"


def test_for_workers_lists_a_batch_newest_first_including_merged_ids(engine: Engine) -> None:
    service = CaseService(engine)
    a = open_one(service, WORKERS[0]).case.id
    b = open_one(service, WORKERS[1]).case.id
    c = open_one(service, WORKERS[0]).case.id
    found = service.for_workers([WORKERS[0], WORKERS[1], "wk_none"])
    assert [x.id for x in found[WORKERS[0]]] == [c, a]
    assert [x.id for x in found[WORKERS[1]]] == [b]
    assert "wk_none" not in found
    # the second worker turns out to be the first: its case now shows under the first
    with Session(engine) as session:
        row = session.get(WorkerRow, WORKERS[1])
        row.merged_into = WORKERS[0]  # type: ignore[union-attr]
        session.add(row)
        session.commit()
    merged = service.for_workers([WORKERS[0]])
    assert sorted(x.id for x in merged[WORKERS[0]]) == sorted([a, b, c])


def test_each_event_is_owed_to_every_matching_webhook_in_the_same_transaction(
    engine: Engine,
) -> None:
    service = CaseService(engine)
    store = WebhookStore(engine, allow_http=False, key_secret=DEV_KEY_SECRET)
    all_missions, _ = store.add(P2MI, "https://p2mi.example/hooks", None)
    hongkong, _ = store.add(EMBASSY, "https://kjri.example/hk", "hkg")
    taipei, _ = store.add(EMBASSY, "https://kdei.example/tw", "TPE")
    event = open_one(service)
    service.update_status(EMBASSY, event.case.id, CaseStatus.CLOSED, "Selesai")
    open_one(service, WORKERS[1], None)
    with Session(engine) as session:
        rows = session.exec(select(DeliveryRow.webhook_id, DeliveryRow.event_id)).all()
    per_hook: dict[str, int] = {}
    for hook, _event in rows:
        per_hook[hook] = per_hook.get(hook, 0) + 1
    assert per_hook == {all_missions.id: 3, hongkong.id: 2}
    assert taipei.id not in per_hook
    assert store.remove(taipei.id, client_id="p2mi-system") is False  # not theirs
    assert store.remove(taipei.id) is True
    assert [h.id for h in store.list()] == [all_missions.id, hongkong.id]


@pytest.mark.parametrize(
    "url",
    [
        "http://p2mi.example/x",
        "ftp://x.example/",
        "https://user:pw@x.example/",
        "https:///x",
        "https://x.example/" + "a" * 500,
    ],
)
def test_webhook_urls_must_be_https_without_credentials(engine: Engine, url: str) -> None:
    with pytest.raises(CaseError) as bad:
        WebhookStore(engine).add(P2MI, url, None)
    assert bad.value.argument == "url"


def test_the_event_reads_back_as_it_was(engine: Engine) -> None:
    service = CaseService(engine)
    opened = open_one(service)
    service.update_status(EMBASSY, opened.case.id, CaseStatus.CLOSED, "Selesai")
    again = service.event(opened.id)
    assert again is not None and again.case.status is CaseStatus.OPEN
    assert again.at == opened.at and again.at.tzinfo is not None
    assert service.event("evt_missing") is None
    assert opened.at <= datetime.now(UTC).replace(year=opened.at.year + 1)
