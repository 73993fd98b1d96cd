"""Logs carry no personal data: an end-to-end run's records hold none of the NIKs, names or
phone numbers the hub served (UU 27/2022; DESIGN.md principles)."""

from __future__ import annotations

import logging

import pytest

from schema.scenario import Scenario
from tests.e2e.queries import BY_NIK
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e


def test_logs_of_a_full_run_hold_no_personal_data(
    stack: Stack, small_scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for person in small_scenario.people:
        stack.graphql(BY_NIK, {"nik": person.nik})
    stack.graphql(BY_NIK, {"nik": "3506124508900003"}, purpose=None)  # refused
    stack.graphql(BY_NIK, {"nik": "35061245089000"})  # malformed
    with stack.sandbox("bpjs") as client:
        client.post("/_sandbox/faults", json={"garbage": True})
    try:
        stack.graphql(BY_NIK, {"nik": "3506124508900003"})
    finally:
        with stack.sandbox("bpjs") as client:
            client.post("/_sandbox/faults", json={"garbage": False})
    text = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in caplog.records
    )
    assert caplog.records, "the run logged nothing: the check would be empty"
    secrets = set()
    for person in small_scenario.people:
        secrets |= {person.nik, person.name, *(p.number for p in person.passports)}
        secrets |= {x for x in (person.phone, person.nextOfKin and person.nextOfKin.phone) if x}
        for block in person.bpjs:
            secrets.add(block.nameAs or person.name)
    leaked = sorted(s for s in secrets if s and s in text)
    assert not leaked, f"personal data in logs: {len(leaked)} value(s)"
