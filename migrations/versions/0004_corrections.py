"""corrections: reviewers edit claims, sources and articles

Claims may be rejected ("not a claim") and remember who edited them; articles and
sources get an optimistic-lock version; articles a "done" mark;
sources a scope (an unnamed source belongs to one article); events may name an article.

Revision ID: 0004_corrections
Revises: 0003_llm_extraction_key
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_corrections"
down_revision = "0003_llm_extraction_key"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('new', 'in_review', 'needs_info', 'reviewed', 'skipped')"
NEW_STATUSES = "status IN ('new', 'in_review', 'needs_info', 'reviewed', 'skipped', 'rejected')"


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edited_by", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f("ck_claims_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_claims_status"), NEW_STATUSES)

    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("done_by", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("done_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.drop_constraint("uq_sources_key_type", type_="unique")
        batch_op.create_unique_constraint("uq_sources_key_type_scope", ["key", "type", "scope"])

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("article_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_events_article_id_articles"),
            "articles",
            ["article_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_events_article_id", ["article_id"], unique=False)

    # The server defaults only filled existing rows; the ORM supplies new values.
    for table in ("articles", "sources"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("version", server_default=None)
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.alter_column("scope", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_article_id")
        batch_op.drop_constraint(op.f("fk_events_article_id_articles"), type_="foreignkey")
        batch_op.drop_column("article_id")

    # Article-scoped sources stay, their keys made unique again without the scope.
    op.execute(
        "UPDATE sources SET key = key || ' #' || CAST(scope AS VARCHAR(16)) WHERE scope <> 0"
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_constraint("uq_sources_key_type_scope", type_="unique")
        batch_op.drop_column("version")
        batch_op.drop_column("scope")
        batch_op.create_unique_constraint("uq_sources_key_type", ["key", "type"])

    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("done_at")
        batch_op.drop_column("done_by")
        batch_op.drop_column("version")

    # Rejected claims go back to skipped: the old schema has no word for them, and
    # nothing is deleted.
    op.execute("UPDATE claims SET status = 'skipped' WHERE status = 'rejected'")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_claims_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_claims_status"), OLD_STATUSES)
        batch_op.drop_column("edited_at")
        batch_op.drop_column("edited_by")
