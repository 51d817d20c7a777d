"""full-text search over claims, articles and sources

SQLite: FTS5 external-content tables (`claims_fts`, `articles_fts`, `sources_fts`,
`source_aliases_fts`) kept in sync by triggers, backfilled with 'rebuild'.
PostgreSQL: GIN expression indexes over to_tsvector(...) of the same columns; an index
is maintained by PostgreSQL itself on every write, so it needs no trigger.

Triggers (not the store path) because claims, articles and sources are written by many
paths (the batch, ClaimReview import, source merges, edit forms, tests' factories) and
an index that one path forgets to update silently hides rows; a trigger runs in the
writing statement's own transaction on every path. The UPDATE triggers fire only when
an indexed column changes, so status changes and leases never touch the index.

The expressions here are repeated in factcheck/db/search.py (SEARCH_EXPRESSIONS), which
queries them; tests/test_search.py checks PostgreSQL's planner picks these indexes.

Revision ID: 0005_search
Revises: 0004_corrections
Create Date: 2026-12-03 13:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0005_search"
down_revision = "0004_corrections"
branch_labels = None
depends_on = None

# (fts table, content table, indexed columns, tokenizer)
_STEMMED = "porter unicode61 remove_diacritics 2"
_NAMES = "unicode61 remove_diacritics 2"
SQLITE_TABLES = (
    ("claims_fts", "claims", ("text", "quote"), _STEMMED),
    ("articles_fts", "articles", ("title", "outlet", "author", "text"), _STEMMED),
    ("sources_fts", "sources", ("canonical_name", "role"), _NAMES),
    ("source_aliases_fts", "source_aliases", ("alias",), _NAMES),
)

PG_INDEXES = (
    ("ix_claims_search", "claims", "to_tsvector('english', text || ' ' || quote)"),
    (
        "ix_articles_search",
        "articles",
        "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(outlet, '') || ' ' "
        "|| coalesce(author, '') || ' ' || left(text, 200000))",
    ),
    (
        "ix_sources_search",
        "sources",
        "to_tsvector('simple', canonical_name || ' ' || coalesce(role, ''))",
    ),
    ("ix_source_aliases_search", "source_aliases", "to_tsvector('simple', alias)"),
)


def _sqlite_upgrade() -> None:
    for fts, table, cols, tokenizer in SQLITE_TABLES:
        names = ", ".join(cols)
        new = ", ".join(f"new.{c}" for c in cols)
        old = ", ".join(f"old.{c}" for c in cols)
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', "
            f"content_rowid='id', tokenize='{tokenizer}')"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {names} ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END"
        )
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
        return
    for name, table, expression in PG_INDEXES:
        op.execute(f"CREATE INDEX {name} ON {table} USING gin (({expression}))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for fts, _table, _cols, _tok in SQLITE_TABLES:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
        return
    for name, _table, _expression in PG_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
