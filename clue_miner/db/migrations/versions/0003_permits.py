"""permits

Licences parsed from registry and announcement records, for cross-record rules.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 01:15:08.183245
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "permits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("holder_name", sa.String(length=300), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("permit_no", sa.String(length=100), nullable=True),
        sa.Column("permit_type", sa.String(length=100), nullable=False),
        sa.Column("scope_text", sa.Text(), nullable=False),
        sa.Column("chemicals", sa.JSON(), nullable=False),
        sa.Column("mode", sa.String(length=100), nullable=True),
        sa.Column("change_type", sa.String(length=40), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_permits_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_permits_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_permits_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permits")),
        sa.UniqueConstraint("record_id", name=op.f("uq_permits_record_id")),
    )
    with op.batch_alter_table("permits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_permits_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_permits_permit_no"), ["permit_no"], unique=False)
        batch_op.create_index(batch_op.f("ix_permits_uscc"), ["uscc"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("permits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_permits_uscc"))
        batch_op.drop_index(batch_op.f("ix_permits_permit_no"))
        batch_op.drop_index(batch_op.f("ix_permits_organization_id"))

    op.drop_table("permits")
