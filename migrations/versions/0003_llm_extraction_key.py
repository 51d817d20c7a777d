"""extractions keyed by extractor, version, model and prompt version

A rerun with another model or prompt version skipped every article already extracted
("1 already extracted"): the unique key was (article, extractor, version). Extractions
now carry `key` = name|version|model|prompt version, unique per article, filled in for
the existing rows from their own columns.

Revision ID: 0003_llm_extraction_key
Revises: 0002_hardening
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_llm_extraction_key"
down_revision = "0002_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("article_extractions") as batch:
        batch.add_column(sa.Column("key", sa.String(length=512), nullable=False, server_default=""))
    op.execute(
        "UPDATE article_extractions SET key = extractor_name || '|' || extractor_version"
        " || '|' || COALESCE(model, '') || '|' || COALESCE(prompt_version, '')"
    )
    with op.batch_alter_table("article_extractions") as batch:
        batch.alter_column("key", server_default=None)
        batch.drop_constraint("uq_article_extractor", type_="unique")
        batch.create_unique_constraint("uq_article_extraction_key", ["article_id", "key"])


def downgrade() -> None:
    # Keep the newest extraction per (article, extractor, version): the old key allows one.
    op.execute(
        "DELETE FROM article_extractions WHERE id NOT IN (SELECT MAX(id) FROM "
        "article_extractions GROUP BY article_id, extractor_name, extractor_version)"
    )
    with op.batch_alter_table("article_extractions") as batch:
        batch.drop_constraint("uq_article_extraction_key", type_="unique")
        batch.create_unique_constraint(
            "uq_article_extractor", ["article_id", "extractor_name", "extractor_version"]
        )
        batch.drop_column("key")
