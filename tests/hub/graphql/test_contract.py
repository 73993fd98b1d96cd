"""The served schema keeps the contract's names and shapes, and docs/ holds its export."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLObjectType,
)
from graphql import (
    build_schema as build_sdl,
)

from hub.graphql.export import TARGET, sdl
from hub.graphql.schema import build_schema

CONTRACT = Path(__file__).resolve().parents[3].parent / "shared" / "SCHEMA.graphql"


def served():  # type: ignore[no-untyped-def]
    return build_schema()._schema


def contract():  # type: ignore[no-untyped-def]
    if not CONTRACT.exists():
        if os.environ.get("CI") == "true":  # CI checks the contract, never skips it
            pytest.fail(f"the shared contract must be beside the project in CI ({CONTRACT})")
        pytest.skip(f"the shared contract is not beside the project ({CONTRACT})")
    return build_sdl(CONTRACT.read_text())


def test_docs_export_is_current() -> None:
    assert TARGET.read_text() == sdl(), "run: python -m hub.graphql.export"


def test_every_served_contract_type_has_the_contract_fields_with_the_same_types() -> None:
    ours, theirs = served(), contract()
    checked = 0
    for name, their_type in theirs.type_map.items():
        our_type = ours.type_map.get(name)
        if name.startswith("__") or our_type is None:
            continue
        if isinstance(their_type, GraphQLObjectType) and name not in ("Query", "Mutation"):
            for field_name, field in their_type.fields.items():
                assert field_name in our_type.fields, f"{name}.{field_name} missing"
                assert str(our_type.fields[field_name].type) == str(field.type), (
                    f"{name}.{field_name}: {our_type.fields[field_name].type} != {field.type}"
                )
                checked += 1
        if isinstance(their_type, GraphQLEnumType):
            assert set(their_type.values) <= set(our_type.values), name
    assert checked > 80


@pytest.mark.parametrize("root", ["query_type", "mutation_type", "subscription_type"])
def test_served_roots_match_the_contract_signatures(root: str) -> None:
    ours, theirs = getattr(served(), root), getattr(contract(), root)
    if theirs is None:
        return
    assert ours is not None, f"the contract has a {theirs.name} type"
    compared = 0
    for name, theirs_field in theirs.fields.items():
        field = ours.fields.get(name)
        if field is None:  # a field of the contract's later capabilities, not served yet
            continue
        compared += 1
        assert str(field.type) == str(theirs_field.type), f"{theirs.name}.{name}"
        assert {a: str(t.type) for a, t in field.args.items()} == {
            a: str(t.type) for a, t in theirs_field.args.items()
        }, f"{theirs.name}.{name} arguments"
    assert compared, f"no {theirs.name} field of the contract is served"


def test_a_missing_contract_fails_in_ci_and_skips_only_locally(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import tests.hub.graphql.test_contract as module

    monkeypatch.setattr(module, "CONTRACT", tmp_path / "absent.graphql")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        module.contract()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        module.contract()
