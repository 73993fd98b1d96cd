"""The access policy enforced: the resolvers of ROOT and SECTION entries, wrapped once.

``enforce(schema, dev=...)`` replaces the resolver of every Query and Mutation field and of
every Worker section with one that first checks what ``hub.graphql.policy`` declares for it,
so the table is the check and no resolver can forget it. The check is made once per root
field and once per section and worker (never per leaf); ``FIELD`` entries are asked by the
builders through ``field_allowed``.

A refusal is typed (PURPOSE_REQUIRED, PURPOSE_NOT_ALLOWED, FORBIDDEN naming the scope) and
recorded in the audit trail with the category the entry declares.

A partner token passes a ROOT entry only where the entry names ``partner``, and a SECTION or
FIELD entry only where the worker's consent in force (for the purpose the token declares)
opens the entry's consent category.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import replace
from inspect import isawaitable
from typing import TYPE_CHECKING, Any

from graphql import GraphQLObjectType, GraphQLSchema

from auth.access import Access
from auth.errors import AuthError, Forbidden, PurposeError
from auth.principal import Principal
from hub.graphql.eager import OneByOne, eager
from hub.graphql.guard import auth_error, refuse, why
from hub.graphql.policy import KIND_SCOPES, POLICY, SCOPE_SECTIONS, Gate, Rule

if TYPE_CHECKING:
    from hub.graphql.context import HubContext

Resolver = Callable[..., Any]


def enforce(schema: GraphQLSchema, *, dev: bool) -> None:
    """Wrap the resolvers the policy gates (Subscription.caseEvents is checked at
    connection_init, before any subscription starts: hub/graphql/live.py)."""
    for coordinate, rule in POLICY.items():
        type_name, name = coordinate.split(".")
        if type_name == "Subscription" or rule.gate not in (Gate.ROOT, Gate.SECTION):
            continue
        graphql_type = schema.type_map.get(type_name)
        if not isinstance(graphql_type, GraphQLObjectType) or name not in graphql_type.fields:
            continue  # the policy test reports a stale entry
        field = graphql_type.fields[name]
        original = field.resolve
        if original is None:
            continue
        if rule.gate is Gate.ROOT:
            field.resolve = _root(original, rule, dev)
        else:
            field.resolve = _section(original, rule)


def _root(original: Resolver, rule: Rule, dev: bool) -> Resolver:
    async def resolve(source: Any, info: Any, **kwargs: Any) -> Any:
        ctx = info.context
        await follow_merges(ctx)
        admit(ctx, rule, dev=dev)
        result = original(source, info, **kwargs)
        if isawaitable(result):
            result = await result
        if rule.category is not None:
            for worker in _workers(result):
                ctx.audit_returned(str(worker.id), rule.category)
        return result

    return resolve


def _section(original: Resolver, rule: Rule) -> Resolver:
    """The check, then the section: run at once (hub.graphql.eager), so a section whose
    records are already here completes without a task of its own."""

    def resolve(source: Any, info: Any, **kwargs: Any) -> Any:
        return eager(checked(source, info, **kwargs))

    async def checked(source: Any, info: Any, **kwargs: Any) -> Any:
        ctx: HubContext = info.context
        worker_id = str(source.id)
        access = await ctx.access(worker_id)
        if not allowed(access, rule):
            raise refuse(
                ctx, Forbidden(rule.scope or "self"), worker_id, rule.category or "identity"
            )
        result = original(source, info, **kwargs)
        return await result if isawaitable(result) else result

    return resolve


def admit(ctx: Any, rule: Rule, *, dev: bool) -> None:
    """The root check, before any data is read: a purpose is declared, every scope is held,
    and the purpose is one the field accepts."""
    principal = ctx.principal
    try:
        purpose = principal.require_purpose() if rule.purposes is not None else None
        if principal.is_partner:
            if rule.scopes and rule.partner is None:
                raise Forbidden(rule.scopes[0])
        elif not (principal.is_self and rule.self_reads):
            for scope in rule.scopes:
                if dev and scope in rule.dev_open:
                    continue
                if not principal.has(scope):
                    raise Forbidden(scope)
        if purpose is not None and rule.purposes is not None and purpose not in rule.purposes:
            raise PurposeError(
                "PURPOSE_NOT_ALLOWED",
                f"Tujuan {purpose.value} tidak diizinkan untuk bagian ini",
                f"Purpose {purpose.value} is not allowed for this field",
                status=403,
            )
    except AuthError as exc:
        record = getattr(ctx, "audit_refused", None)
        if record is not None:
            record(None, *((rule.category,) if rule.category else ()), reason=why(exc))
        raise auth_error(exc) from None


def allowed(access: Access, rule: Rule) -> bool:
    """Whether ``access`` reads a SECTION or FIELD entry (purpose, self, grant, scopes)."""
    decisions = access.decisions
    if decisions is None:
        return _allowed(access, rule)
    key = (id(rule), access.grant is not None)
    decided = decisions.get(key)
    if decided is None:  # the rule is kept with the answer: its id stays its own
        decided = decisions[key] = (rule, _allowed(access, rule))
    return decided[1]  # type: ignore[no-any-return]


def _allowed(access: Access, rule: Rule) -> bool:
    purpose = access.principal.purpose
    if purpose is None or (rule.purposes is not None and purpose not in rule.purposes):
        return False
    if access.principal.is_partner:
        consent = access.consent
        return (
            rule.partner is not None
            and consent is not None
            and consent.purpose == purpose
            and consent.opens(rule.partner)
        )
    return all(access.allows(s, self_reads=rule.self_reads) for s in rule.scopes or (None,))


def field_allowed(access: Access, coordinate: str) -> bool:
    return allowed(access, POLICY[coordinate])


def agency_visible(access: Access, kinds: Iterable[str]) -> bool:
    """Whether the token reads one of an agency's sections, given the record kinds it holds.
    Beside other kinds, a person record never counts (that BPJS holds one is membership); an
    agency holding person records only (an immigration registry) is an identity source."""
    decisions = access.decisions
    if decisions is None or not isinstance(kinds, frozenset | tuple):
        return _agency_visible(access, kinds)
    key = ("kinds", id(kinds), access.grant is not None)
    decided = decisions.get(key)
    if decided is None:  # the kinds are kept with the answer: their id stays their own
        decided = decisions[key] = (kinds, _agency_visible(access, kinds))
    return decided[1]  # type: ignore[no-any-return]


def _agency_visible(access: Access, kinds: Iterable[str]) -> bool:
    scopes = {KIND_SCOPES[str(k)] for k in kinds if str(k) in KIND_SCOPES}
    sections = {SCOPE_SECTIONS[s] for s in scopes} if scopes else {"Worker.identity"}
    return any(allowed(access, POLICY[section]) for section in sections)


def lookup_scope(ctx: HubContext, key_kind: str) -> str | None:
    """None when the principal may look workers up by ``key_kind`` (a crosswalk key kind:
    ``NIK``, ``PASSPORT``, ``<AGENCY>:LOCAL_ID``), else the scope it lacks: a match on an
    agency's own number (a KPJ, an ID PMI, a mission's record id) tells that the agency holds
    the worker, which is that agency's section."""
    agency, _, local = key_kind.partition(":")
    connector = ctx.hub.connectors.get(agency) if local else None
    if connector is None or agency_visible(Access(ctx.principal, ""), connector.record_kinds):
        return None
    scopes = sorted(KIND_SCOPES[str(k)] for k in connector.record_kinds if str(k) in KIND_SCOPES)
    return scopes[0] if scopes else None


async def follow_merges(ctx: Any) -> None:
    """A self token follows its worker through merges and splits: its ``worker_id`` becomes
    the canonical id, once per request, before any root field compares it (review M4). The
    root fields of one document resolve concurrently: all of them wait for the same lookup."""
    principal = getattr(ctx, "principal", None)
    if principal is None or not principal.is_self or not hasattr(ctx, "self_followed"):
        return
    if ctx.self_followed is None:
        ctx.self_followed = asyncio.ensure_future(_canonical_self(ctx, principal))
    await ctx.self_followed


async def _canonical_self(ctx: Any, principal: Principal) -> None:
    found = await ctx.workers.load(principal.worker_id)
    if found is not None and found[0] != principal.worker_id:
        ctx.principal = replace(principal, worker_id=found[0])


def _workers(result: Any) -> list[Any]:
    from hub.graphql.worker import Worker

    if isinstance(result, Worker):
        return [result]
    if isinstance(result, OneByOne):
        result = result.items
    if isinstance(result, list):
        return [w for w in result if isinstance(w, Worker)]
    return []


__all__ = [
    "admit",
    "agency_visible",
    "allowed",
    "enforce",
    "field_allowed",
    "follow_merges",
    "lookup_scope",
]
