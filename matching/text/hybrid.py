"""The hybrid encoder: a weighted concatenation of other encoders."""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np

from matching.text.calibration import Calibration, calibration_of, measured

from matching.text.base import Encoder, as_text_list, l2_normalise


class HybridEncoder:
    """Concatenation of sub-encoders, each scaled by the square root of its weight.

    With weights ``w_i`` normalised to sum to one, the inner product of two hybrid
    rows is ``sum_i w_i * cos_i``, and a row whose parts are all non-zero keeps
    unit length. A part that yields a zero row for a text (an empty text) adds
    nothing; the row is renormalised so the other parts carry it.
    """

    def __init__(self, parts: Iterable[tuple[Encoder, float]]) -> None:
        parts = [(enc, float(w)) for enc, w in parts]
        if any(not math.isfinite(w) or w < 0 for _, w in parts):
            raise ValueError("hybrid: weights must be finite and >= 0")
        parts = [(enc, w) for enc, w in parts if w > 0]
        if not parts:
            raise ValueError("hybrid: at least one part with a positive weight is required")
        total = sum(w for _, w in parts)
        self.parts = [(enc, w / total) for enc, w in parts]
        self.model_id = "hybrid(" + ",".join(f"{w:.4g}*{enc.model_id}" for enc, w in self.parts) + ")"
        self.calibration_key = "hybrid(" + ",".join(
            f"{w:.4g}*{getattr(enc, 'calibration_key', enc.model_id)}" for enc, w in self.parts) + ")"
        self._dim: int | None = None

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = sum(enc.dim for enc, _ in self.parts)
        return self._dim

    @property
    def batch_invariant(self) -> bool:
        """Whether a text gets the same bits whatever else is in its batch: only when every part does."""
        return all(getattr(enc, "batch_invariant", False) for enc, _ in self.parts)

    @property
    def calibration(self) -> Calibration:
        """Measured for this mix when it was; else derived from the parts' calibrations."""
        return measured(self.calibration_key) or Calibration.mix(
            [(calibration_of(enc), w) for enc, w in self.parts])

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        texts = as_text_list(texts)
        return self.combine([enc.encode(texts, batch_size=batch_size) for enc, _ in self.parts])

    def combine(self, blocks: Sequence[np.ndarray]) -> np.ndarray:
        """Join the parts' embeddings (one block per part, in order) into hybrid rows."""
        if len(blocks) != len(self.parts):
            raise ValueError(f"hybrid: {len(blocks)} blocks for {len(self.parts)} parts")
        scaled = [math.sqrt(w) * np.asarray(b, dtype=np.float32) for b, (_, w) in zip(blocks, self.parts)]
        return l2_normalise(np.hstack(scaled))
