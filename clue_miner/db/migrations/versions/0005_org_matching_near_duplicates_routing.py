"""org matching, near duplicates, routing

Review candidates for organization matches, merged organizations and leads, simhash
fingerprints of documents, the receiving procuratorate on leads, permits' storage sites, and an index for looking
mentions up by value. Organizations' core names are filled in by the next link step.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 02:24:49.561037
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_fingerprints",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("simhash", sa.BigInteger(), nullable=False),
        sa.Column("band0", sa.Integer(), nullable=False),
        sa.Column("band1", sa.Integer(), nullable=False),
        sa.Column("band2", sa.Integer(), nullable=False),
        sa.Column("band3", sa.Integer(), nullable=False),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("distance", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_fingerprints_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["documents.id"],
            name=op.f("fk_document_fingerprints_duplicate_of_id_documents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_fingerprints")),
    )
    with op.batch_alter_table("document_fingerprints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_fingerprints_band0"), ["band0"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_fingerprints_band1"), ["band1"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_fingerprints_band2"), ["band2"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_fingerprints_band3"), ["band3"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_document_fingerprints_duplicate_of_id"),
            ["duplicate_of_id"],
            unique=False,
        )

    op.create_table(
        "organization_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("context_adcode", sa.String(length=6), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("kept_apart_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["organizations.id"],
            name=op.f("fk_organization_matches_candidate_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_organization_matches_document_id_documents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["kept_apart_id"],
            ["organizations.id"],
            name=op.f("fk_organization_matches_kept_apart_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_matches")),
        sa.UniqueConstraint(
            "name_key",
            "context_adcode",
            "candidate_id",
            name=op.f("uq_organization_matches_name_key"),
        ),
    )
    with op.batch_alter_table("organization_matches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organization_matches_name_key"), ["name_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_organization_matches_status"), ["status"], unique=False
        )

    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("procuratorate", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_leads_merged_into_id_leads"), "leads", ["merged_into_id"], ["id"]
        )

    with op.batch_alter_table("permits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("storage_site", sa.String(length=300), nullable=True))

    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.create_index("ix_mentions_type_value", ["type", "value"], unique=False)

    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("core_name", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_organizations_core_name"), ["core_name"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_organizations_merged_into_id_organizations"),
            "organizations",
            ["merged_into_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_organizations_merged_into_id_organizations"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_organizations_core_name"))
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("core_name")

    with op.batch_alter_table("permits", schema=None) as batch_op:
        batch_op.drop_column("storage_site")

    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_index("ix_mentions_type_value")

    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_leads_merged_into_id_leads"), type_="foreignkey")
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("procuratorate")

    with op.batch_alter_table("organization_matches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_matches_status"))
        batch_op.drop_index(batch_op.f("ix_organization_matches_name_key"))

    op.drop_table("organization_matches")
    with op.batch_alter_table("document_fingerprints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_fingerprints_duplicate_of_id"))
        batch_op.drop_index(batch_op.f("ix_document_fingerprints_band3"))
        batch_op.drop_index(batch_op.f("ix_document_fingerprints_band2"))
        batch_op.drop_index(batch_op.f("ix_document_fingerprints_band1"))
        batch_op.drop_index(batch_op.f("ix_document_fingerprints_band0"))

    op.drop_table("document_fingerprints")
