"""The lexical index: TF-IDF over word n-grams and character n-grams, in pure Python.

Built for a newsroom's whole claim history (100,000 claims and more) without numpy:
candidates come from an inverted index over each query's rarest words, and only those
few candidates are scored exactly. A claim is added once and the index grows with the
database, so a batch never rebuilds it per article.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter

from factcheck.matching.text import Features, Verdict, features, guard

# Word n-grams carry the meaning, character n-grams forgive inflection and spelling
# ("Tehran"/"Teheran", "killed"/"kills"). bench/bench_matching.py measures the effect.
WORD_WEIGHT = 0.6
CHAR_WEIGHT = 0.4
BIGRAM_WEIGHT = 0.5
CANDIDATES = 40  # scored exactly per query
QUERY_TERMS = 8  # rarest words of a query used to find candidates
MAX_POSTINGS = 20_000  # a word in more claims than this cannot find a duplicate


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored claim similar to the query, with the guard's view of their facts."""

    claim_id: int
    score: float
    verdict: Verdict
    reason: str | None


@dataclass(slots=True)
class _Entry:
    claim_id: int
    article_id: int | None
    origin: str
    feats: Features
    # The word vector and its norm, built when the index held `built_at` claims: a claim
    # is a candidate for many queries, and rebuilding its vector each time was most of
    # the batch's matching cost. Rebuilt once the index has grown by a quarter, when the
    # IDF weights have moved enough to matter.
    vec: dict[str, float] | None = None
    norm: float = 0.0
    built_at: int = 0


@dataclass
class LexicalIndex:
    """Every stored claim's features plus an inverted index over their words."""

    method: str = "lexical"
    _entries: list[_Entry | None] = field(default_factory=list)
    _pos: dict[int, int] = field(default_factory=dict)
    _postings: dict[str, list[int]] = field(default_factory=dict)
    _df: Counter[str] = field(default_factory=Counter)
    _size: int = 0
    _idf_cache: dict[str, float] = field(default_factory=dict)
    _idf_size: int = 0

    def __len__(self) -> int:
        return self._size

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._pos

    @property
    def max_id(self) -> int:
        return max(self._pos, default=0)

    def idf(self, term: str) -> float:
        self._sync_idf()
        return self._cached_idf(term)

    def _cached_idf(self, term: str) -> float:
        # Smoothed as in scikit-learn: unseen terms get the highest weight, never zero.
        value = self._idf_cache.get(term)
        if value is None:
            value = math.log((1 + self._size) / (1 + self._df.get(term, 0))) + 1.0
            self._idf_cache[term] = value
        return value

    def _sync_idf(self) -> None:
        # The cache holds while the index grows by under 5%: the weights barely move.
        if abs(self._size - self._idf_size) > self._idf_size // 20:
            self._idf_cache = {}
            self._idf_size = self._size

    def add(
        self,
        claim_id: int,
        text: str,
        *,
        article_id: int | None = None,
        origin: str = "extracted",
        feats: Features | None = None,
    ) -> None:
        if claim_id in self._pos:
            return
        feats = feats or features(text)
        terms = set(feats.tokens)
        self._size += 1
        for term in terms:
            self._df[term] += 1
        pos = len(self._entries)
        self._entries.append(_Entry(claim_id, article_id, origin, feats))
        self._pos[claim_id] = pos
        for term in terms:
            self._postings.setdefault(term, []).append(pos)

    def add_many(self, rows: Iterable[tuple[int, str, int | None, str]]) -> None:
        for claim_id, text, article_id, origin in rows:
            self.add(claim_id, text, article_id=article_id, origin=origin)

    def remove(self, claim_id: int) -> None:
        pos = self._pos.pop(claim_id, None)
        if pos is None:
            return
        entry = self._entries[pos]
        self._entries[pos] = None
        if entry is not None:
            self._size -= 1
            for term in set(entry.feats.tokens):
                self._df[term] -= 1

    def query(
        self,
        text: str,
        *,
        limit: int = 5,
        min_score: float = 0.0,
        exclude_ids: frozenset[int] = frozenset(),
        exclude_article: int | None = None,
        feats: Features | None = None,
    ) -> list[Candidate]:
        """Stored claims scoring at least `min_score`, best first; conflicting facts dropped."""
        q = feats or features(text)
        pool = self._candidates(q)
        q_word = self._word_vector(q)
        q_norm = _norm(q_word)
        q_char: dict[str, int] | None = None  # only built when a candidate gets that far
        found: list[Candidate] = []
        for pos in pool:
            entry = self._entries[pos]
            if entry is None or entry.claim_id in exclude_ids:
                continue
            if exclude_article is not None and entry.article_id == exclude_article:
                continue
            vec, norm = self._entry_vector(entry)
            word = _cosine(q_word, vec, q_norm, norm)
            if WORD_WEIGHT * word + CHAR_WEIGHT < min_score:
                continue  # even identical spelling could not lift it over the bar
            if q_char is None:
                q_char = _char_vector(q)
            char = _cosine(q_char, _char_vector(entry.feats))
            score = round(WORD_WEIGHT * word + CHAR_WEIGHT * char, 4)
            if score < min_score:
                continue
            verdict, reason = guard(q, entry.feats)
            if verdict is not Verdict.CONFLICT:
                found.append(Candidate(entry.claim_id, score, verdict, reason))
        found.sort(key=lambda c: (-c.score, c.claim_id))
        return found[:limit]

    def similarity(self, a: str | Features, b: str | Features) -> float:
        """The matcher's score for two texts, with this index's word weights."""
        fa = features(a) if isinstance(a, str) else a
        fb = features(b) if isinstance(b, str) else b
        return self._score(self._word_vector(fa), _char_vector(fa), fb)

    def _candidates(self, q: Features) -> list[int]:
        terms = [t for t in set(q.tokens) if 0 < self._df.get(t, 0) <= MAX_POSTINGS]
        terms.sort(key=lambda t: self._df[t])
        # Claims sharing the most of the query's rarest words; Counter counts in C.
        shared = Counter(chain.from_iterable(self._postings[t] for t in terms[:QUERY_TERMS]))
        if len(shared) <= CANDIDATES:
            return list(shared)
        return [pos for pos, _ in heapq.nlargest(CANDIDATES, shared.items(), key=itemgetter(1))]

    def _entry_vector(self, entry: _Entry) -> tuple[dict[str, float], float]:
        if entry.vec is not None and self._size * 4 <= entry.built_at * 5:
            return entry.vec, entry.norm
        vec = self._word_vector(entry.feats)
        entry.vec, entry.norm, entry.built_at = vec, _norm(vec), self._size
        return vec, entry.norm

    def _word_vector(self, f: Features) -> dict[str, float]:
        vec: dict[str, float] = {}
        self._sync_idf()
        idf = {t: self._cached_idf(t) for t in set(f.tokens)}
        for term, count in Counter(f.tokens).items():
            vec[term] = count * idf[term]
        for a, b in zip(f.tokens, f.tokens[1:], strict=False):
            key = a + " " + b
            vec[key] = vec.get(key, 0.0) + BIGRAM_WEIGHT * (idf[a] + idf[b]) / 2
        return vec

    def _score(self, q_word: dict[str, float], q_char: dict[str, int], other: Features) -> float:
        word = _cosine(q_word, self._word_vector(other))
        char = _cosine(q_char, _char_vector(other))
        return round(WORD_WEIGHT * word + CHAR_WEIGHT * char, 4)


def _char_vector(f: Features) -> dict[str, int]:
    grams: Counter[str] = Counter()
    for token in f.tokens:
        padded = f" {token} "
        for n in (3, 4):
            for i in range(len(padded) - n + 1):
                grams[padded[i : i + n]] += 1
    return grams


def _norm(v: dict[str, float] | dict[str, int]) -> float:
    return math.sqrt(sum(x * x for x in v.values()))


def _cosine(
    a: dict[str, float] | dict[str, int],
    b: dict[str, float] | dict[str, int],
    na: float | None = None,
    nb: float | None = None,
) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    dot = sum(v * large.get(k, 0) for k, v in small.items())
    if not dot:
        return 0.0
    return float(dot / ((na or _norm(a)) * (nb or _norm(b))))
