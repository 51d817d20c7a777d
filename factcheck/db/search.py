"""Full-text search over claims, articles and sources, on SQLite and PostgreSQL alike.

The indexes are built by migration 0005_search: FTS5 tables kept in sync by triggers on
SQLite, GIN expression indexes on PostgreSQL (see the migration for why triggers rather
than the store path). This module turns what a reviewer typed into each backend's query
and returns the matching ids with a relevance score (higher is better), as a subquery
the list functions (factcheck.db.lists) join and sort by.

What a reviewer may type is the same on both backends, PostgreSQL's `websearch_to_tsquery`
grammar: words (all must match), "a quoted phrase", `or` between alternatives and `-word`
to exclude. Words are stemmed in claims and articles ("agreed" finds "agree"), not in
source names. SQLite never sees the raw text as FTS5 syntax: each word or phrase is
quoted, so `NEAR(`, `*` or a stray quote cannot make the query fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Float, Integer, Subquery, text
from sqlalchemy.orm import Session

from factcheck.errors import UsageError

Target = Literal["claims", "articles", "sources"]
TARGETS: tuple[Target, ...] = ("claims", "articles", "sources")

# The indexed expressions, exactly as migration 0005_search creates them: PostgreSQL uses
# an expression index only for the same expression (tests check the planner picks it).
PG_EXPRESSIONS: dict[str, tuple[str, str]] = {
    "claims": ("english", "text || ' ' || quote"),
    "articles": (
        "english",
        "coalesce(title, '') || ' ' || coalesce(outlet, '') || ' ' "
        "|| coalesce(author, '') || ' ' || left(text, 200000)",
    ),
    "sources": ("simple", "canonical_name || ' ' || coalesce(role, '')"),
    "source_aliases": ("simple", "alias"),
}
# Tables (and FTS5 shadow tables) that live outside the ORM: autogenerate and the schema
# drift test leave them alone.
SEARCH_TABLE_PREFIXES = ("claims_fts", "articles_fts", "sources_fts", "source_aliases_fts")
SEARCH_INDEXES = frozenset(
    {"ix_claims_search", "ix_articles_search", "ix_sources_search", "ix_source_aliases_search"}
)
MAX_QUERY_CHARS = 500


def is_search_object(name: str | None, type_: str) -> bool:
    """Whether a reflected table or index belongs to full-text search (not to the ORM)."""
    if not name:
        return False
    if type_ == "table":
        return name.startswith(SEARCH_TABLE_PREFIXES)
    return type_ == "index" and name in SEARCH_INDEXES


@dataclass(frozen=True)
class Term:
    text: str  # a word or a phrase, as typed
    negated: bool = False
    # True: this term is an alternative to the previous one ("a or b").
    alternative: bool = False


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse_query(query: str) -> list[Term]:
    """Words, "phrases", `or` and `-excluded` words; anything else is literal text."""
    terms: list[Term] = []
    pending_or = False
    # Control characters (a NUL ends an SQLite string, PostgreSQL refuses it) are spaces.
    cleaned = _CONTROL.sub(" ", query[:MAX_QUERY_CHARS])
    for m in _TOKEN.finditer(cleaned):
        neg, phrase, word = m.group(1), m.group(2), m.group(3)
        if word is not None and word.lower() == "or":
            pending_or = bool(terms)
            continue
        value = phrase if phrase is not None else word
        negated = bool(neg)
        if word is not None and word.startswith("-") and len(word) > 1:
            value, negated = word[1:], True
        if not re.search(r"\w", value or ""):
            continue
        terms.append(Term(value, negated=negated, alternative=pending_or and not negated))
        pending_or = False
    if not any(not t.negated for t in terms):
        raise UsageError("type at least one word to search for")
    # Exclusions last: FTS5 cannot start with NOT, and `-a b` means "b, without a".
    return [t for t in terms if not t.negated] + [t for t in terms if t.negated]


def fts5_query(terms: list[Term]) -> str:
    """The FTS5 MATCH expression for parsed terms: every word or phrase quoted.

    FTS5 binds NOT tighter than AND and AND tighter than OR, as websearch_to_tsquery
    does, so `a b or c -d` means the same on both backends.
    """
    out: list[str] = []
    for t in terms:
        quoted = '"' + t.text.replace('"', '""') + '"'
        if t.negated:
            out.append(f"NOT {quoted}")
        elif t.alternative and out:
            out.append(f"OR {quoted}")
        else:
            out.append(quoted)
    return " ".join(out)


def websearch_text(terms: list[Term]) -> str:
    """The same terms re-written for websearch_to_tsquery (quotes balanced, `or` kept)."""
    out: list[str] = []
    for t in terms:
        value = t.text.replace('"', " ")
        piece = f'"{value}"' if " " in value.strip() else value
        if t.negated:
            out.append(f"-{piece}")
        elif t.alternative and out:
            out.append(f"or {piece}")
        else:
            out.append(piece)
    return " ".join(out)


def _sqlite_sql(target: Target) -> str:
    if target == "sources":
        # A source matches by its name or role, or by any of its aliases.
        return (
            "SELECT id, max(score) AS score FROM ("
            " SELECT rowid AS id, -bm25(sources_fts) AS score FROM sources_fts"
            " WHERE sources_fts MATCH :q"
            " UNION ALL"
            " SELECT a.source_id AS id, -bm25(source_aliases_fts) AS score"
            " FROM source_aliases_fts JOIN source_aliases a ON a.id = source_aliases_fts.rowid"
            " WHERE source_aliases_fts MATCH :q"
            ") GROUP BY id"
        )
    fts = f"{target}_fts"
    # bm25() is lower for better matches: negated so that higher is better everywhere.
    return f"SELECT rowid AS id, -bm25({fts}) AS score FROM {fts} WHERE {fts} MATCH :q"


def _pg_vector(table: str) -> str:
    config, expression = PG_EXPRESSIONS[table]
    return f"to_tsvector('{config}', {expression})"


def _pg_sql(target: Target) -> str:
    if target == "sources":
        names, aliases = _pg_vector("sources"), _pg_vector("source_aliases")
        q = "websearch_to_tsquery('simple', :q)"
        return (
            "SELECT id, max(score) AS score FROM ("
            f" SELECT id, ts_rank({names}, {q}) AS score FROM sources WHERE {names} @@ {q}"
            " UNION ALL"
            f" SELECT source_id AS id, ts_rank({aliases}, {q}) AS score FROM source_aliases"
            f" WHERE {aliases} @@ {q}"
            ") AS hits GROUP BY id"
        )
    config, _ = PG_EXPRESSIONS[target]
    vector = _pg_vector(target)
    q = f"websearch_to_tsquery('{config}', :q)"
    return f"SELECT id, ts_rank({vector}, {q}) AS score FROM {target} WHERE {vector} @@ {q}"


def text_hits(*, session: Session, target: Target, query: str, name: str = "hits") -> Subquery:
    """The ids of `target` rows matching `query`, with a `score` column (higher = better).

    Raises UsageError for a query with nothing to look for (only `-excluded` words).
    """
    terms = parse_query(query)
    if session.get_bind().dialect.name == "postgresql":
        sql, bound = _pg_sql(target), websearch_text(terms)
    else:
        sql, bound = _sqlite_sql(target), fts5_query(terms)
    stmt = text(sql).bindparams(q=bound).columns(id=Integer, score=Float)
    return stmt.subquery(name)
