"""nightly runs

One row per run of the nightly flow, for `clues runs`.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 03:25:33.272070
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nightly_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nightly_runs")),
        sa.UniqueConstraint("batch_id", name=op.f("uq_nightly_runs_batch_id")),
    )


def downgrade() -> None:
    op.drop_table("nightly_runs")
