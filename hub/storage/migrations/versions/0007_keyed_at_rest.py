"""keyed at rest: crosswalk fingerprints keyed, BPJS record keys (KPJ) sealed

The key is ``HUB_PSEUDONYM_KEY`` from the environment, exactly as at run time (the development
key only under ``HUB_ENV=test``). Without it:

* the fingerprints are cleared instead of recomputed: a fingerprint only lets the sync skip an
  unchanged record, so the next sync resolves every record once more and stores keyed ones;
* BPJS records keyed by a plain KPJ cannot be sealed, so the migration stops with a message
  naming the variable and changes nothing (a database with no such record needs no key).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 13:00:00
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

from hub.crosswalk.keys import Pseudonymizer, keyed_fingerprint
from hub.crosswalk.record_ids import PREFIX, RecordIdCipher
from hub.settings import SettingsError, pseudonym_key

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BPJS = "BPJS_KETENAGAKERJAAN"
# Every table keyed by an agency's (agency, local_id).
LOCAL_ID_TABLES = (
    "agency_record",
    "record_key",
    "identity_attribute",
    "match_candidate",
    "identity_decision",
    "search_record",
    "search_term",
)


def _key() -> bytes | None:
    try:
        return pseudonym_key(os.environ)
    except SettingsError:
        return None


def upgrade() -> None:
    conn = op.get_bind()
    key = _key()
    meta = sa.MetaData()
    record = sa.Table("agency_record", meta, autoload_with=conn)
    plain_kpj = conn.execute(
        sa.select(sa.func.count())
        .select_from(record)
        .where(record.c.agency == BPJS, sa.not_(record.c.local_id.startswith(PREFIX)))
    ).scalar()
    if plain_kpj and key is None:
        raise RuntimeError(
            "HUB_PSEUDONYM_KEY is required to migrate this database: it seals the KPJ numbers "
            f"that key {plain_kpj} BPJS records (migration 0007). Set it as the hub runs with."
        )
    if key is None:
        conn.execute(sa.update(record).values(fingerprint=""))
    else:
        _rekey_fingerprints(conn, record, Pseudonymizer(key))
        _seal_kpj(conn, meta, RecordIdCipher(key), Pseudonymizer(key))


def _rekey_fingerprints(conn: sa.Connection, record: sa.Table, pseudo: Pseudonymizer) -> None:
    rows = conn.execute(sa.select(record.c.agency, record.c.local_id, record.c.fingerprint))
    for agency, local_id, fingerprint in rows.all():
        conn.execute(
            sa.update(record)
            .where(record.c.agency == agency, record.c.local_id == local_id)
            .values(fingerprint=keyed_fingerprint(pseudo, fingerprint) if fingerprint else "")
        )


def _seal_kpj(
    conn: sa.Connection, meta: sa.MetaData, cipher: RecordIdCipher, pseudo: Pseudonymizer
) -> None:
    names = set(sa.inspect(conn).get_table_names())
    kind = f"{BPJS}:LOCAL_ID"
    for name in LOCAL_ID_TABLES:
        if name not in names:
            continue
        table = sa.Table(name, meta, autoload_with=conn)
        plain = conn.execute(
            sa.select(table.c.local_id)
            .where(table.c.agency == BPJS, sa.not_(table.c.local_id.startswith(PREFIX)))
            .distinct()
        ).scalars()
        for local_id in plain.all():
            token = cipher.seal(BPJS, local_id)
            where = (table.c.agency == BPJS, table.c.local_id == local_id)
            if name == "record_key":  # the record's own-key digest is of the local id
                conn.execute(
                    sa.update(table)
                    .where(*where, table.c.kind == kind)
                    .values(local_id=token, digest=pseudo.digest(kind, token))
                )
            conn.execute(sa.update(table).where(*where).values(local_id=token))


def downgrade() -> None:
    raise NotImplementedError("the plain values are not kept: restore a backup instead")
