"""document versions, crawl health, registry records

Documents and attachments become versioned (a changed page or file is a new row, the old
one superseded), crawl runs record health and incremental-crawl counters, and registry rows
get their own table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 00:09:23.202326
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=100), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_records_attachment_id_attachments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_records_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_records_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_records")),
    )
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_records_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_records_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_records_source_id"), ["source_id"], unique=False)

    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_attachments_document_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_attachments_document_id"), ["document_id", "url", "raw_sha256"]
        )

    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("since", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("list_pages", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("bytes_fetched", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("details_skipped", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("not_modified", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("records_stored", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("healthy", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column("health_notes", sa.JSON(), nullable=False, server_default="[]")
        )

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("listing_fingerprint", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("etag", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("last_modified", sa.String(length=100), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_documents_source_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_documents_source_id"), ["source_id", "url", "version"]
        )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_documents_source_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_documents_source_id"), ["source_id", "url"]
        )
        batch_op.drop_column("last_modified")
        batch_op.drop_column("etag")
        batch_op.drop_column("listing_fingerprint")
        batch_op.drop_column("superseded_at")
        batch_op.drop_column("version")

    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("health_notes")
        batch_op.drop_column("healthy")
        batch_op.drop_column("records_stored")
        batch_op.drop_column("not_modified")
        batch_op.drop_column("details_skipped")
        batch_op.drop_column("bytes_fetched")
        batch_op.drop_column("list_pages")
        batch_op.drop_column("since")

    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_attachments_document_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_attachments_document_id"), ["document_id", "url"]
        )
        batch_op.drop_column("superseded_at")

    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_records_source_id"))
        batch_op.drop_index(batch_op.f("ix_records_key"))
        batch_op.drop_index(batch_op.f("ix_records_document_id"))

    op.drop_table("records")
