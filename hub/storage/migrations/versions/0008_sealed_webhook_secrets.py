"""sealed webhook secrets: hub_webhook.secret (clear) becomes secret_sealed (AES-256-GCM)

The key is ``HUB_AUTH_KEY_SECRET`` from the environment, as at run time (the development
secret only under ``HUB_ENV=test``). Without it, a database holding webhooks is not migrated:
the migration stops naming the variable and changes nothing. A database with no webhook
needs no key.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 13:30:00
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

from auth.settings import AuthSettingsError, key_secret
from hub.cases.webhook_secrets import seal_secret

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("hub_webhook", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret_sealed", sa.Text(), nullable=True))
    hooks = sa.table(
        "hub_webhook",
        sa.column("id", sa.String),
        sa.column("secret", sa.String),
        sa.column("secret_sealed", sa.Text),
    )
    rows = conn.execute(sa.select(hooks.c.id, hooks.c.secret)).all()
    if rows:
        try:
            secret = key_secret(os.environ)
        except AuthSettingsError as exc:
            raise RuntimeError(
                f"{exc} (migration 0008 seals the secrets of {len(rows)} webhooks)"
            ) from None
        for webhook_id, plain in rows:
            conn.execute(
                sa.update(hooks)
                .where(hooks.c.id == webhook_id)
                .values(secret_sealed=seal_secret(secret, webhook_id, plain))
            )
    with op.batch_alter_table("hub_webhook", schema=None) as batch_op:
        batch_op.alter_column("secret_sealed", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("secret")


def downgrade() -> None:
    raise NotImplementedError("the secrets are not kept in clear: restore a backup instead")
