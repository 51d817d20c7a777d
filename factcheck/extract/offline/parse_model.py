"""The spaCy pipeline shipped with factcheck: loaded from the package folder, never downloaded.

`model/` beside this file is a spaCy pipeline directory trained on UD English EWT (tagger,
morphologizer, edit-tree lemmatizer, dependency parser with sentence boundaries) by
`make model`; see `model/README.md` for the figures, the data and its CC BY-SA 4.0 licence.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from thinc.api import use_ops
from threadpoolctl import ThreadpoolController

from factcheck.errors import ExtractionError

MODEL_DIR = Path(__file__).resolve().parent / "model"


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The shipped English pipeline, loaded once per process.

    Raises ExtractionError if the folder is missing or cannot be loaded (a broken install,
    or a checkout where `make model` was interrupted).
    """
    if not (MODEL_DIR / "config.cfg").is_file() or not (MODEL_DIR / "meta.json").is_file():
        raise ExtractionError(
            f"the spaCy pipeline is missing from {MODEL_DIR} (reinstall factcheck, "
            "or rebuild it with `make model`)"
        )
    try:
        # thinc's bundled BLIS falls back to a generic kernel on CPUs it does not recognise
        # (virtualised AMD EPYC among them), about 3x slower than numpy's OpenBLAS; the
        # weights are the same, so build the layers on numpy's matmul.
        with use_ops("numpy", use_blis=False):
            return spacy.load(MODEL_DIR)
    except (OSError, ValueError, KeyError) as exc:
        raise ExtractionError(
            f"the spaCy pipeline in {MODEL_DIR} cannot be loaded ({type(exc).__name__}: {exc}); "
            "reinstall factcheck or rebuild it with `make model`"
        ) from exc


@cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager[Any]:
    """Run the network's matrix products on one BLAS thread. The layers are small (width
    48): OpenBLAS's worker threads gain nothing on them and, on a loaded machine, spin
    waiting for each other; one thread parses 3-4x faster under load (bench_extract.py)."""
    limited: AbstractContextManager[Any] = _blas().limit(limits=1, user_api="blas")
    return limited
