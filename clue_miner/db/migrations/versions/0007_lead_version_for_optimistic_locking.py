"""lead version for optimistic locking

Every update of a lead checks and raises its version, so concurrent decisions (and the
nightly run) can never silently overwrite one another.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 03:21:56.190525
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_column("version")
