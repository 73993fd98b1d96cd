"""The access policy covers the live schema: every field has a decision, and the resolvers
that the policy gates are the ones that run."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from graphql import GraphQLObjectType

from auth.access import Access
from auth.principal import Principal
from auth.purpose import Purpose
from hub.graphql import redact as redact_module
from hub.graphql.policy import KIND_SCOPES, POLICY, SCOPE_SECTIONS, Gate
from hub.graphql.redact import FINDING_SECTIONS, MODULE_SECTIONS, UNPLACED, redact
from hub.graphql.schema import build_schema
from hub.protection import Finding
from hub.protection.rules import RULES
from hub.protection.text import Text
from hub.protection.verdict import Party
from schema.enums import Severity
from schema.records import MissionRecord, Provenance, RecordKind


def live_fields(dev: bool = False) -> set[str]:
    schema = build_schema(dev=dev)._schema
    return {
        f"{name}.{field}"
        for name, graphql_type in schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType) and not name.startswith("__")
        for field in graphql_type.fields
    }


def test_every_field_of_the_live_schema_has_a_declared_decision() -> None:
    fields = live_fields() | live_fields(dev=True)
    undeclared = sorted(fields - set(POLICY))
    assert not undeclared, f"declare these in hub/graphql/policy.py: {undeclared}"
    stale = sorted(set(POLICY) - fields)
    assert not stale, f"no longer in the schema: {stale}"


def test_every_root_field_and_worker_section_is_gated_before_it_resolves() -> None:
    for coordinate, rule in POLICY.items():
        type_name = coordinate.split(".")[0]
        if type_name in ("Query", "Mutation", "Subscription"):
            assert rule.gate is Gate.ROOT, coordinate
        if rule.gate is Gate.WITHIN:
            assert rule.within, coordinate
    schema = build_schema()._schema
    for coordinate, rule in POLICY.items():
        type_name, name = coordinate.split(".")
        if rule.gate in (Gate.ROOT, Gate.SECTION) and type_name != "Subscription":
            resolve = schema.type_map[type_name].fields[name].resolve  # type: ignore[union-attr]
            assert resolve is not None and resolve.__qualname__.startswith(
                ("_root.", "_section.")
            ), coordinate


def test_identifier_lookups_need_the_identity_scope_and_federation_its_own() -> None:
    for name in ("worker", "workerBy", "workers", "workersByNik", "_entities"):
        assert "worker.identity:read" in POLICY[f"Query.{name}"].scopes
    assert "federation:gateway" in POLICY["Query._entities"].scopes
    assert "federation:gateway" in POLICY["Query._service"].scopes


def test_a_self_token_never_reads_case_notes_nor_next_of_kin() -> None:
    assert not POLICY["Worker.cases"].self_reads
    assert not POLICY["Identity.nextOfKin"].self_reads
    for section in ("identity", "placements", "socialSecurity", "protection"):
        assert POLICY[f"Worker.{section}"].self_reads


def test_every_protection_rule_belongs_to_a_section() -> None:
    assert {r.code for r in RULES} == set(FINDING_SECTIONS)
    unplaced = sorted(c for c, s in FINDING_SECTIONS.items() if s == UNPLACED)
    assert not unplaced, f"place their rule module in hub/graphql/redact.py: {unplaced}"
    assert set(FINDING_SECTIONS.values()) <= set(SCOPE_SECTIONS.values())


def principal(*scopes: str, purpose: Purpose | None = None) -> Principal:
    return Principal("c", "s", frozenset(scopes), "j", "i", 0, purpose=purpose)


async def ask(query: str, who: Principal, *, dev: bool) -> list[dict[str, object]]:
    result = await build_schema(dev=dev).execute(
        query, context_value=SimpleNamespace(principal=who)
    )
    return [e.extensions or {} for e in result.errors or []]


@pytest.mark.anyio
async def test_service_is_for_the_gateway_outside_dev_and_for_any_token_in_dev() -> None:
    query = "{ _service { sdl } }"
    refused = await ask(query, principal("worker.identity:read"), dev=False)
    assert refused[0]["code"] == "FORBIDDEN" and refused[0]["scope"] == "federation:gateway"
    assert await ask(query, principal("federation:gateway"), dev=False) == []
    assert await ask(query, principal(), dev=True) == []


@pytest.mark.anyio
async def test_entities_need_the_identity_scope_in_dev_too() -> None:
    worker = '{__typename: "Worker", id: "wk_' + "e" * 20 + '"}'
    query = "{ _entities(representations: [" + worker + "]) { __typename } }"
    errors = await ask(query, principal(purpose=Purpose.CASE_HANDLING), dev=True)
    assert errors[0]["code"] == "FORBIDDEN" and errors[0]["scope"] == "worker.identity:read"
    errors = await ask(
        query, principal("worker.identity:read", purpose=Purpose.CASE_HANDLING), dev=False
    )
    assert errors[0]["scope"] == "federation:gateway"


def test_a_finding_of_an_unplaced_rule_module_is_shown_only_to_who_reads_every_section() -> None:
    finding = Finding("NEW_RULE", Severity.HIGH, Text("rahasia", "secret"), None, ())
    narrow = Access(principal("protection:read", purpose=Purpose.CASE_HANDLING), "W")
    every = {POLICY[s].scope or "" for s in MODULE_SECTIONS.values()}
    wide = Access(principal(*every, purpose=Purpose.CASE_HANDLING), "W")
    sections = dict(redact_module.FINDING_SECTIONS)
    redact_module.FINDING_SECTIONS["NEW_RULE"] = UNPLACED
    try:
        (hidden,) = redact([finding], narrow, {})
        (shown,) = redact([finding], wide, {})
    finally:
        redact_module.FINDING_SECTIONS.clear()
        redact_module.FINDING_SECTIONS.update(sections)
    assert hidden.code == "NEW_RULE" and "secret" not in hidden.message.en
    assert shown.message.en == "secret"


def test_every_record_kind_but_person_belongs_to_a_section() -> None:
    kinds = {str(k) for k in RecordKind} - {"PERSON"}
    assert kinds == set(KIND_SCOPES), "place new record kinds in KIND_SCOPES (policy.py)"
    assert set(KIND_SCOPES.values()) <= set(SCOPE_SECTIONS)


def test_what_a_self_token_is_asked_to_do_is_the_workers_action_and_never_the_officers() -> None:
    # given a worker's own token and, about her, a case and a finding of an unread section
    own = Access(Principal("c", "wk_w", frozenset({"self"}), "j", "i", 0, worker_id="W"), "W")
    at = datetime(2026, 11, 24, tzinfo=UTC)
    seen = Provenance("EMBASSY", "PEDULI_WNI", "HKG-2026-0001", at)
    officer = Text("Tindak lanjuti kasus.", "Follow the case up.")
    case = Finding("OPEN_CASE", Severity.MEDIUM, Text("kasus", "a case"), officer, (seen,))
    other = Finding("NEW_RULE", Severity.HIGH, Text("rahasia", "secret"), officer)
    hkg = MissionRecord("HKG", "KJRI Hong Kong", "Hong Kong", "HK")
    sections = dict(redact_module.FINDING_SECTIONS)
    redact_module.FINDING_SECTIONS["NEW_RULE"] = UNPLACED
    try:
        notice, hidden = redact([case, other], own, {"HKG-2026-0001": hkg})
    finally:
        redact_module.FINDING_SECTIONS.clear()
        redact_module.FINDING_SECTIONS.update(sections)
    # then the case is the hub's notice, and its contact is what she is asked to do
    (mine,) = notice.actions_for(Party.WORKER, "EN")
    assert mine.startswith("An officer of KJRI Hong Kong is handling your case. Contact")
    assert "Follow the case up." not in (mine, *notice.actions_for(Party.OFFICER, "EN"))
    # and the unread finding asks her to check with an officer, with no officer's words
    assert hidden.actions_for(Party.WORKER, "EN") == (hidden.message_in("EN"),)
    assert hidden.action is None and "secret" not in hidden.message_in("EN")


def test_a_case_with_no_mission_yet_does_not_tell_the_worker_a_mission_has_it() -> None:
    # given her own token and a hub case no mission holds (she has not departed yet)
    own = Access(Principal("c", "wk_w", frozenset({"self"}), "j", "i", 0, worker_id="W"), "W")
    at = datetime(2026, 11, 24, tzinfo=UTC)
    seen = Provenance("EMBASSY", "PMIHUB", "CASE-HUB-2026-000001", at)
    officer = Text("Tindak lanjuti kasus.", "Follow the case up.")
    case = Finding("OPEN_CASE", Severity.MEDIUM, Text("kasus", "a case"), officer, (seen,))
    # when
    (notice,) = redact([case], own, {})
    # then: KP2MI, which sees every hub case of a worker it placed, or a mission
    assert (
        notice.message_in("ID") == "Petugas KP2MI atau perwakilan RI sedang menangani kasus Anda."
    )
    assert (
        notice.message_in("EN")
        == "An officer of KP2MI or an Indonesian mission is handling your case."
    )
