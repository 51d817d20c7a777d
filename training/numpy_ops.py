"""`spacy train --code training/numpy_ops.py`: run thinc's CPU layers on numpy's BLAS.

thinc's NumpyOps multiplies with its bundled BLIS, which on CPUs it does not recognise
(virtualised "AMD EPYC" among them) falls back to a generic kernel about 3x slower than
numpy's OpenBLAS. The `[nlp] before_creation` callback below switches the ops to
`NumpyOps(use_blis=False)` before the pipeline's models are built; the weights are the same
either way, so the callback is dropped from the shipped config (the loader picks the ops).
"""

from __future__ import annotations

from collections.abc import Callable

import spacy
from spacy.language import Language
from thinc.api import NumpyOps, set_current_ops


@spacy.registry.callbacks("factcheck.numpy_blas_ops.v1")
def numpy_blas_ops() -> Callable[[type[Language]], type[Language]]:
    def before_creation(lang_cls: type[Language]) -> type[Language]:
        set_current_ops(NumpyOps(use_blis=False))
        return lang_cls

    return before_creation
