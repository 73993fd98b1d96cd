"""``categories_from_result``: the categories each worker's returned data fell into."""

from __future__ import annotations

from hub.audit.categories import categories_from_result

A, B = "wk_" + "a" * 20, "wk_" + "b" * 20


def test_sections_map_to_categories() -> None:
    data = {
        "worker": {
            "id": A,
            "identity": {"nik": "3201********0007", "fullName": "x", "nextOfKin": None},
            "placements": [],
            "socialSecurity": {"active": True},
            "consular": None,
            "cases": [{"id": "c1"}],
            "protection": {"level": "AT_RISK"},
        }
    }
    assert categories_from_result(data) == {
        A: {"identity", "placement", "social_security", "case", "protection"}
    }


def test_an_unmasked_nik_and_next_of_kin_add_nik_and_contact() -> None:
    data = {"worker": {"id": A, "identity": {"nik": "3201234567890007", "nextOfKin": {}}}}
    assert categories_from_result(data) == {A: {"identity", "nik", "contact"}}


def test_workers_are_found_anywhere_and_merged() -> None:
    # given a batch with the same worker twice, another nested, and nulls
    data = {
        "workers": [
            {"id": A, "cases": [{"id": "c1"}]},
            None,
            {"id": A, "consular": {"mission": "HK"}},
        ],
        "searchWorkers": {"items": [{"id": B, "identity": {"nik": None}}]},
    }
    assert categories_from_result(data) == {A: {"case", "consular"}, B: {"identity"}}


def test_objects_without_personal_sections_are_not_workers() -> None:
    data = {
        "worker": {"id": A, "sources": [{"agency": "P2MI"}], "identity": None},
        "case": {"id": "cs_1", "cases": [{"id": "x"}]},
        "me": {"clientId": "cl"},
    }
    assert categories_from_result(data) == {}
    assert categories_from_result(None) == {}
