"""What ``pmihub demo`` prints: addresses, credentials, and a query to paste."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from hub.crosswalk import AgencyRecordRow

EXAMPLE_QUERY = """query OneWorker($id: ID!) {
  worker(id: $id) {
    id
    identity { nik fullName otherNames birthDate originProvince
               passports { number expiresOn } links { agency localId matchMethod } }
    placements { placementId status destinationCountry occupation contractEnd
                 contractEndorsed employer { name city }
                 agency { name licenseStatus } provenance { agency system recordId } }
    socialSecurity { kpj coverages { program phase start end active } }
    consular { reported mission { name } lastContactOn }
    cases { id kind status severity summary agencies }
    sources { agency state fetchedAt }
  }
}"""


BLOCK_IDS = {"kemnaker": "jobSeekerId", "p2mi": "pmiId", "embassy": "recordId"}
SHOWCASE_IDS = {**BLOCK_IDS, "bpjs": "kpj"}


def misspelt(name: str) -> str:
    """The name as an officer might type it in a hurry: lower case, the longest word's last two
    letters swapped ("Siti Aminah" -> "siti aminha")."""
    words = name.lower().split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) >= 4 and word[-1] != word[-2]:
        words[longest] = word[:-2] + word[-1] + word[-2]
    return " ".join(words)


def local_ids_agreeing(scenario: Path) -> dict[str, bool]:
    """Each agency local id of a person with a NIK, and whether every record of that person
    carries the true birth date (a record with ``birthDateAs`` shows a day/month swap, which
    the identity view may show instead of the banner's ``DEMO_BIRTH_DATE``)."""
    agreeing: dict[str, bool] = {}
    for person in json.loads(scenario.read_bytes()).get("people", []):
        if not person.get("nik"):
            continue
        ids: list[str] = []
        swapped = False
        for block, key in SHOWCASE_IDS.items():
            records = person.get(block) or []
            for record in records if isinstance(records, list) else [records]:
                swapped = swapped or bool(record.get("birthDateAs"))
                if record.get(key):
                    ids.append(record[key])
        agreeing.update(dict.fromkeys(ids, not swapped))
    return agreeing


def showcase_worker(engine: Engine, agencies: list[str], scenario: Path) -> str | None:
    """A worker known to every agency, to show all four at once: the first whose records all
    tell the scenario's birth date, else the first of them."""
    agreeing = local_ids_agreeing(scenario)
    everywhere = (
        select(AgencyRecordRow.worker_id)
        .group_by(col(AgencyRecordRow.worker_id))
        .having(func.count(func.distinct(col(AgencyRecordRow.agency))) == len(agencies))
    )
    with Session(engine) as session:
        rows = session.exec(
            select(AgencyRecordRow.worker_id, AgencyRecordRow.local_id)
            .where(col(AgencyRecordRow.worker_id).in_(everywhere))
            .order_by(col(AgencyRecordRow.worker_id))
        ).all()
    by_worker: dict[str, list[str]] = {}
    for worker_id, local_id in rows:
        by_worker.setdefault(worker_id, []).append(local_id)
    for worker_id, local_ids in by_worker.items():
        known = [agreeing[i] for i in local_ids if i in agreeing]
        if known and all(known):
            return worker_id
    return next(iter(by_worker), None)


def person_to_try(engine: Engine, scenario: Path, worker_id: str | None) -> dict[str, str]:
    """``DEMO_*`` values the README's examples use: the showcase worker's id, NIK, birth date,
    and its name misspelt, read from the scenario the sandboxes serve."""
    if worker_id is None:
        return {}
    with Session(engine) as session:
        local_ids = set(
            session.exec(
                select(AgencyRecordRow.local_id).where(AgencyRecordRow.worker_id == worker_id)
            ).all()
        )
    for person in json.loads(scenario.read_bytes()).get("people", []):
        for block, key in BLOCK_IDS.items():
            records = person.get(block) or []
            for record in records if isinstance(records, list) else [records]:
                if record.get(key) in local_ids and person.get("nik"):
                    return {
                        "DEMO_WORKER": worker_id,
                        "DEMO_NIK": person["nik"],
                        "DEMO_NAME": misspelt(person["name"]),
                        "DEMO_BIRTH_DATE": person["birthDate"],
                    }
    return {"DEMO_WORKER": worker_id}


def banner(
    endpoints: dict[str, str],
    directory: Path,
    worker_id: str | None,
    auth: dict[str, Any],
    to_try: dict[str, str] | None = None,
) -> str:
    hub = endpoints["hub"]
    to_try = to_try or {}
    lines = [
        "",
        "PMI Hub demo",
        f"  GraphiQL      {hub}/graphql   (add the headers below in its Headers tab)",
        f"  console       {hub}/console/   (sign in as petugas.kbri, the officer, "
        "pekerja.demo, a worker, or pendamping.sbmi, a partner's case worker; passwords below)",
        f"  health        {hub}/healthz   {hub}/readyz",
        f"  OAuth         {hub}/.well-known/oauth-authorization-server",
    ]
    lines += [f"  sandbox {name:9} {url}" for name, url in endpoints.items() if name != "hub"]
    lines += [
        f"  endpoints     {directory / 'endpoints.json'}",
        f"  credentials   {directory / 'credentials.json'}",
        f"  settings      {directory / 'env'}   (pmihub in this directory reads it; "
        "`. .demo/env` sets them and the DEMO_* values in your shell)",
        "",
        "Demo credentials (also in credentials.json):",
    ]
    for name, client in auth.get("clients", {}).items():
        secret = client.get("client_secret", "(public client, PKCE S256)")
        lines.append(f"  {name:17} {secret}   scopes: {' '.join(client['scopes'])}")
    for role, user in auth.get("users", {}).items():
        lines.append(f"  user {user['username']:12} password {user['password']}   ({role})")
        if user.get("totp_secret"):
            lines += [
                f"       second step (TOTP) key {user['totp_secret']}: add it to an "
                "authenticator app, or print the current code with",
                "       .venv/bin/python -c 'import pyotp; "
                f'print(pyotp.TOTP("{user["totp_secret"]}").now())\'',
            ]
    lines += [
        "",
        "A token for scripts (client credentials), and the headers every query needs:",
        f"  TOKEN=$(curl -s {hub}/oauth/token -u embassy-system:<secret above> \\",
        "          -d grant_type=client_credentials | python3 -c 'import json,sys; "
        'print(json.load(sys.stdin)["access_token"])\')',
        "  Authorization: Bearer $TOKEN      X-Purpose: EMERGENCY",
        "",
        "Example query (paste into GraphiQL, variables below):",
        EXAMPLE_QUERY,
        f'{{"id": "{worker_id}"}}' if worker_id else "(no worker is known to all agencies)",
        "",
        "With curl:",
        f"  curl -s {hub}/graphql -H 'content-type: application/json' \\",
        "    -H \"Authorization: Bearer $TOKEN\" -H 'X-Purpose: EMERGENCY' \\",
        '    -d \'{"query": "{ worker(id: \\"' + (worker_id or "wk_...") + '\\") '
        "{ identity { fullName } sources { agency state } } }\"}'",
        "",
        "A partner organisation (SBMI) with the worker's consent (README: Partner organisations):",
        "  1. sign in as pekerja.demo, open Persetujuan / Consents, allow SBMI (CASE_ASSISTANCE)",
        "  2. sign in as pendamping.sbmi (the case worker), or take a token as above with",
        "     -u partner-sbmi:<secret above> and send X-Purpose: CASE_ASSISTANCE",
        "  3. revoke it on the worker's page: the next read answers CONSENT_REVOKED",
        "",
        "Someone to try (README examples use these; also in .demo/env):",
        *(f"  {name:16} {value}" for name, value in to_try.items()),
        "",
        "Ctrl-C stops everything.",
    ]
    return "\n".join(lines)
