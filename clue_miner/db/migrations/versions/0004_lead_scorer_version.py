"""lead scorer version

The version of the scoring that computed a lead's score, so old scores stay explainable.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 01:22:55.333932
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scorer_version", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_column("scorer_version")
