"""``pmihub partners`` and ``pmihub consents``: operators accredit partner organisations and
their case workers, suspend them, record a consent given at a mission, and print receipts.

Refusals are one line on stderr, exit code 2, and change nothing. Secrets and passwords are
printed once, on stdout.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from auth.clients import ClientError
from auth.errors import PurposeError
from auth.passwords import generate_password
from auth.purpose import OFFICER_PURPOSES, PARTNER_PURPOSES, Purpose, parse_purpose
from auth.users import add_user
from hub.audit.signing import AuditSigner, SigningKeyError
from hub.audit.trail import AuditTrail
from hub.partners.ledger import ASSISTED, Capture, Consent, ConsentError, ConsentLedger
from hub.partners.registry import PartnerRegistry
from hub.partners.text import MAX_DAYS, consent_text

partners_cli = typer.Typer(
    name="partners",
    help="Partner organisations (unions, NGOs): add, list, suspend, add case workers.",
    no_args_is_help=True,
    add_completion=False,
)
consents_cli = typer.Typer(
    name="consents",
    help="Workers' consents to partner organisations: list, record at a mission, revoke, "
    "print a receipt.",
    no_args_is_help=True,
    add_completion=False,
)
PURPOSES = ", ".join(sorted(p.value for p in PARTNER_PURPOSES))


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


@contextmanager
def _engine() -> Iterator[Engine]:
    from auth.cli import open_engine

    try:
        engine = open_engine()
    except ValueError as exc:
        raise _fail(f"configuration error: {str(exc).splitlines()[0]}") from None
    try:
        yield engine
    except SQLAlchemyError as exc:
        raise _fail(f"database error ({type(exc).__name__}): is it migrated?") from None
    finally:
        engine.dispose()


def _ledger(engine: Engine) -> ConsentLedger:
    try:
        return ConsentLedger(AuditTrail(engine, AuditSigner.from_environ(os.environ)))
    except SigningKeyError as exc:
        raise _fail(f"configuration error: {exc}") from None


def _audited(
    ledger: ConsentLedger,
    operation: str,
    officer: str,
    change: Callable[[Session], Consent],
    reason: str,
) -> Consent:
    """A consent change and its CHANGE audit entry in one transaction, or neither (as the
    GraphQL mutations do); a refusal is one line and exit 2."""
    from hub.audit import AccessEntry, AuditUnavailable, Outcome

    try:
        with ledger.trail.unit() as unit:
            done = change(unit.session)
            unit.record(
                AccessEntry(
                    client_id="pmihub",
                    subject=officer[:120],
                    operation=operation,
                    request_id=f"cli_{secrets.token_hex(8)}",
                    worker_id=done.worker_id,
                    outcome=Outcome.CHANGE,
                    reason=reason.format(c=done),
                )
            )
    except ConsentError as exc:
        raise _fail(f"refused: {exc}") from None
    except AuditUnavailable as exc:
        raise _fail(f"refused: the audit trail is unavailable ({exc.detail})") from None
    return done


@partners_cli.command("add")
def partners_add(
    org: Annotated[str, typer.Argument(help="The organisation's code, e.g. SBMI.")],
    name: Annotated[str, typer.Option(help="Its registered name.")],
    contact: Annotated[str, typer.Option(help="Its data protection officer or desk.")],
) -> None:
    """Accredit an organisation; registers its client partner-<org> and prints its secret."""
    with _engine() as engine:
        try:
            found, secret = PartnerRegistry(engine).add(org, name=name, contact=contact)
        except ClientError as exc:
            raise _fail(f"refused: {exc}") from None
    typer.echo(f"organisation: {found.code} ({found.name})")
    typer.echo(f"client_id: {found.client_id}")
    typer.echo(f"client_secret: {secret}")
    typer.echo("(the secret is shown only now; the client holds the scope partner alone)", err=True)


@partners_cli.command("list")
def partners_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """List the organisations (code, name, contact, status, client)."""
    with _engine() as engine:
        orgs = PartnerRegistry(engine).list()
    rows = [
        {
            "code": o.code,
            "name": o.name,
            "contact": o.contact,
            "status": o.status,
            "client_id": o.client_id,
        }
        for o in orgs
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        typer.echo(f"{r['code']:<14} {r['status']:<10} {r['client_id']:<24} {r['name']}")


@partners_cli.command("suspend")
def partners_suspend(org: Annotated[str, typer.Argument()]) -> None:
    """Suspend an organisation: client and case workers disabled, consents SUSPENDED and the
    organisation's webhooks told."""
    with _engine() as engine:
        found = PartnerRegistry(engine).suspend(org)
        if found is None:
            raise _fail(f"refused: no organisation {org[:20]!r}")
        ended = _ledger(engine).suspend_organisation(found.code)
    typer.echo(f"suspended {found.code}: {len(ended)} consent(s) suspended")


@partners_cli.command("add-worker")
def partners_add_worker(
    org: Annotated[str, typer.Argument(help="The organisation's code.")],
    username: Annotated[str, typer.Argument(help="The case worker's user name.")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
) -> None:
    """Add a case worker of an accredited organisation (role case-worker, TOTP second factor
    at the first sign-in); prints the password once."""
    with _engine() as engine:
        found = PartnerRegistry(engine).get(org)
        if found is None or not found.active:
            raise _fail(f"refused: {org[:20]!r} is not an accredited, active organisation")
        password = generate_password()
        try:
            user = add_user(
                engine,
                username=username,
                password=password,
                role="case-worker",
                display_name=name or "",
                agency=found.code,
            )
        except ClientError as exc:
            raise _fail(f"refused: {exc}") from None
    typer.echo(f"user: {user.username} (case-worker, {found.code})")
    typer.echo(f"password: {password}")
    typer.echo("(shown only now; second factor: TOTP, set up at the first sign-in)", err=True)


def _row(c: Consent) -> dict[str, object]:
    return {
        "id": c.id,
        "version": c.version,
        "worker_id": c.worker_id,
        "organisation": c.organisation,
        "purpose": c.purpose.value,
        "categories": list(c.categories),
        "include_next_of_kin": c.include_next_of_kin,
        "case_id": c.case_id,
        "valid_until": c.valid_until.isoformat(),
        "status": c.status,
        "channel": c.channel,
        "officer": c.officer,
    }


def _read_purpose(raw: str | None) -> Purpose:
    """An officer's purpose of use (never a partner's, the worker's own or STATISTICS)."""
    try:
        chosen = parse_purpose(raw)
    except PurposeError as exc:
        raise _fail(f"refused: {exc.message} (--purpose)") from None
    if chosen not in OFFICER_PURPOSES:
        raise _fail(f"refused: --purpose must be one of {', '.join(OFFICER_PURPOSES)}")
    return chosen


def _audit_read(ledger: ConsentLedger, workers: Iterable[str], purpose: Purpose) -> None:
    """The operator's read of these workers' consents, one entry each (as ``Query.consents``
    records it: category case), written before anything is printed (fail closed)."""
    from hub.runtime import operator_reads

    request = f"cli_{secrets.token_hex(8)}"
    entries = operator_reads("pmihub consents list", workers, purpose.value, "case", request)
    ledger.trail.record(entries)


@consents_cli.command("list")
def consents_list(
    worker: Annotated[str | None, typer.Option(help="One worker's consents.")] = None,
    org: Annotated[str | None, typer.Option(help="One organisation's consents.")] = None,
    purpose: Annotated[
        str | None, typer.Option(help=f"Purpose of use (required): {', '.join(OFFICER_PURPOSES)}.")
    ] = None,
) -> None:
    """The consents as they stand now (a lapse found here is ended, told and audited). Each
    worker read is in the audit trail with the operator and the purpose; refused without it."""
    from hub.audit import AuditUnavailable
    from hub.crosswalk.keys import Pseudonymizer
    from hub.crosswalk.lookup import CrosswalkReader

    chosen = _read_purpose(purpose)  # refused before anything is read
    if (worker is None) == (org is None):
        raise _fail("refused: give exactly one of --worker or --org")
    with _engine() as engine:
        ledger = _ledger(engine)
        if worker is not None:  # a merged id answers for the worker it was merged into
            reader = CrosswalkReader(engine, Pseudonymizer(b""))  # canonical ids need no key
            current = reader.canonical([worker]).get(worker)
            if current is None:
                raise _fail(f"refused: no worker {worker[:40]!r}")
            worker = current
        try:
            found = (
                ledger.for_worker(worker)
                if worker is not None
                else ledger.for_organisation(str(org).upper())
            )
            read = [worker] if worker is not None else sorted(c.worker_id for c in found)
            _audit_read(ledger, read, chosen)
        except AuditUnavailable as exc:
            raise _fail(f"refused: the audit trail is unavailable ({exc.detail})") from None
    typer.echo(json.dumps([_row(c) for c in found], indent=2))


@consents_cli.command("record")
def consents_record(
    worker: Annotated[str, typer.Argument(help="The hub worker id.")],
    org: Annotated[str, typer.Option("--org", help="The organisation's code.")],
    purpose: Annotated[str, typer.Option(help=f"One of: {PURPOSES}.")],
    category: Annotated[list[str], typer.Option(help="A category it opens (repeat).")],
    officer: Annotated[str, typer.Option(help="The witnessing officer's user name.")],
    mission: Annotated[str, typer.Option(help="The mission's code.")],
    days: Annotated[int, typer.Option(min=1, max=MAX_DAYS)] = MAX_DAYS,
    next_of_kin: Annotated[bool, typer.Option(help="The worker included next of kin.")] = False,
    language: Annotated[str, typer.Option(help="id or en: the text read aloud.")] = "id",
) -> None:
    """Record a consent given at a mission, the officer witnessing (assisted capture)."""
    try:
        chosen = Purpose(purpose.strip().upper())
    except ValueError:
        raise _fail(f"refused: --purpose must be one of {PURPOSES}") from None
    with _engine() as engine:
        ledger = _ledger(engine)
        given = _audited(
            ledger,
            "pmihub consents record",
            officer,
            lambda session: ledger.grant(
                worker,
                org,
                chosen,
                category,
                Capture(ASSISTED, officer, mission=mission.strip().upper()[:10], language=language),
                days=days,
                include_next_of_kin=next_of_kin,
                session=session,
            ),
            "consent granted {c.id} to {c.organisation}",
        )
    typer.echo(json.dumps(_row(given), indent=2))


@consents_cli.command("revoke")
def consents_revoke(
    consent_id: Annotated[str, typer.Argument()],
    officer: Annotated[str, typer.Option(help="Who records it (the officer at the mission).")],
) -> None:
    """Revoke a consent at the worker's request (at a mission, or the hotline)."""
    with _engine() as engine:
        ledger = _ledger(engine)
        revoked = _audited(
            ledger,
            "pmihub consents revoke",
            officer,
            lambda session: ledger.revoke(consent_id, f"officer:{officer[:100]}", session=session),
            "consent revoked {c.id} of {c.organisation}",
        )
    typer.echo(f"revoked {revoked.id} (version {revoked.version}); the organisation is told")


@consents_cli.command("expire")
def consents_expire() -> None:
    """End every consent that lapsed (time, closed case, suspended organisation), tell the
    organisations and audit it (the hub does it every HUB_CONSENT_EXPIRY_SECONDS)."""
    from hub.audit import AuditUnavailable
    from hub.partners.expiry import expire_consents

    with _engine() as engine:
        ledger = _ledger(engine)
        try:
            ended = expire_consents(ledger, ledger.trail)
        except AuditUnavailable as exc:
            raise _fail(f"refused: the audit trail is unavailable ({exc.detail})") from None
    for c in ended:
        typer.echo(f"{c.id}\t{c.organisation}\t{c.status}")
    typer.echo(f"{len(ended)} consent(s) ended", err=True)


@consents_cli.command("receipt")
def consents_receipt(consent_id: Annotated[str, typer.Argument()]) -> None:
    """Print a consent's receipt in Indonesian and English, with its signature checked."""
    with _engine() as engine:
        ledger = _ledger(engine)
        found = ledger.get(consent_id)
        if found is None:
            raise _fail(f"refused: no consent {consent_id[:40]!r}")
        org = PartnerRegistry(engine).get(found.organisation)
        text = consent_text(
            org.name if org else found.organisation,
            found.purpose,
            list(found.categories),
            found.valid_until,
            next_of_kin=found.include_next_of_kin,
            case_id=found.case_id,
        )
        signed = ledger.verify(found)
    typer.echo(
        f"Tanda terima persetujuan / Consent receipt {found.id} (versi/version "
        f"{found.version}, {found.status})"
    )
    typer.echo("")
    typer.echo(text.shown)
    typer.echo("")
    typer.echo(
        f"text hash: {found.text_hash} ({'matches' if text.hash == found.text_hash else 'DIFFERS'})"
    )
    typer.echo(f"signature: {found.key_id} ({'valid' if signed else 'INVALID'})")
    typer.echo(
        "Cabut kapan saja / Revoke at any time: konsol PMI Hub, perwakilan RI, Halo TKI 0800-1000"
    )


__all__ = ["consents_cli", "partners_cli"]
