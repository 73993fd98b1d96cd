"""docs/auth.md's policy and scope tables and README's scope table are the declarations'."""

from __future__ import annotations

from auth.scopes import Scope
from hub.graphql.policy_docs import (
    AUTH_DOC,
    README,
    holders,
    render_auth_doc,
    render_readme,
    scope_table,
)


def test_docs_auth_md_is_current() -> None:
    text = AUTH_DOC.read_text()
    assert text == render_auth_doc(text), "run: python -m hub.graphql.policy_docs"


def test_the_readme_scope_table_is_current() -> None:
    text = README.read_text()
    assert text == render_readme(text), "run: python -m hub.graphql.policy_docs"


def test_the_scope_table_names_every_scope_and_what_it_unlocks() -> None:
    rows = [line for line in scope_table().splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [str(s) for s in Scope]
    identity = next(row for row in rows if row.startswith("| `worker.identity:read`"))
    for field in ("Query.workersByNik", "Query._entities", "Worker.identity"):
        assert field in identity
    contact = next(row for row in rows if row.startswith("| `worker.contact:read`"))
    assert "Identity.phone" in contact and "Identity.nextOfKin" in contact


def test_the_demo_worker_holds_self_only_and_the_gateway_its_scope() -> None:
    who = holders()
    assert who["pekerja.demo"] == {"self"}
    assert "federation:gateway" in who["federation-gateway"]
    assert not any("federation:gateway" in s for c, s in who.items() if c != "federation-gateway")
