"""The encoder interface and the helpers every encoder shares.

Every encoder turns texts into float32 rows of unit length, so an inner product is
a cosine. Heavy engines (sentence-transformers, torch) are imported lazily: the
constraint engine and the CLI's cheap commands must not pay their start-up.
"""

from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    #: Stable id of the model and its version; keys the embedding cache.
    model_id: str
    dim: int
    # Optional: ``calibration`` (matching.text.calibration), what a cosine means; and
    # ``batch_invariant``, True when a text's vector does not depend on what else is in
    # its batch (dense engines differ in the last bits with the batch's shape); and
    # ``cache_vectors``, False for an encoder that computes a vector faster than the
    # embedding cache stores and reads one (it is then computed on every call).

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised (zero rows stay zero)."""
        ...


def l2_normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.divide(matrix, norms, out=matrix, where=norms > 0)
    return matrix


def as_text_list(texts: Sequence[str]) -> list[str]:
    """The texts as a list of ``str`` (``None`` becomes ``""``)."""
    # A bare string is a sequence of characters; encoding it letter by letter is
    # never what a caller meant.
    if isinstance(texts, str):
        raise TypeError("encode() takes a sequence of texts, not a single string")
    return ["" if t is None else str(t) for t in texts]


def _package_version(distribution: str) -> str:
    # importlib.metadata costs ~50 ms to import; only encoders that are built need it.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "0"
