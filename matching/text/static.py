"""The static Dutch encoder trained here: a vector per word piece, averaged.

The model is a sentence-transformers folder (one ``StaticEmbedding`` module:
``tokenizer.json`` and ``model.safetensors``), distilled from the multilingual
USE by ``spoormatch train-encoder`` (:mod:`matching.training.distill`; card in
``models/static-nl.md``). ``SentenceTransformer(folder)`` loads it as it is.

Here it is read without sentence-transformers: importing that library and torch
takes 4-12 s and some 300 MB per process, for what is a table lookup and a mean.
The Rust tokenizer and numpy give the same vectors (a test compares them with
``SentenceTransformer(folder).encode``) at tens of thousands of texts a second.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from matching.portable import Portable
from matching.text.base import as_text_list, l2_normalise
from matching.text.calibration import Calibration, measured

#: Folder name of the packaged model under the settings' ``models_dir``.
PACKAGED_NAME = "static-nl"


def packaged_static_path() -> Path:
    from matching.settings import get_settings

    return get_settings().models_dir / PACKAGED_NAME


def _weights_digest(folder: Path) -> str:
    """Digest of what decides a vector: the pieces and their weights.

    ``training.json`` is left out: it records how long training took, which
    differs between two runs that give the same weights.
    """
    h = hashlib.sha256()
    for name in ("tokenizer.json", "model.safetensors"):
        h.update(name.encode() + b"\0")
        h.update((folder / name).read_bytes())
    return h.hexdigest()[:12]


class StaticEncoder(Portable):
    """Mean of per-piece vectors from a sentence-transformers ``StaticEmbedding`` folder."""

    # Loaded again by each worker process from the folder.
    _reloaded = ("_tokenizer", "_weights")

    def __init__(self, model_path: Path | str | None = None) -> None:
        folder = Path(model_path).expanduser() if model_path else packaged_static_path()
        missing = [name for name in ("tokenizer.json", "model.safetensors") if not (folder / name).is_file()]
        if missing:
            raise RuntimeError(f"encoder 'static': {folder} lacks {', '.join(missing)}; build the model "
                               "with `make model` (spoormatch train-encoder)")
        self.path = folder.resolve()
        self.model_id = f"static:{self.path.name}:{_weights_digest(self.path)}"
        # Retraining changes the vectors and so what a cosine means: the key follows the files.
        self.calibration_key = self.model_id
        # A text's vector is the mean of its own pieces' rows: no batch effects.
        self.batch_invariant = True
        self._tokenizer = None
        self._weights: np.ndarray | None = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[object, np.ndarray]:
        if self._weights is None:
            with self._lock:
                if self._weights is None:
                    from safetensors.numpy import load_file
                    from tokenizers import Tokenizer

                    tensors = load_file(str(self.path / "model.safetensors"))
                    weights = np.ascontiguousarray(tensors["embedding.weight"], dtype=np.float32)
                    tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
                    tokenizer.no_padding()
                    tokenizer.no_truncation()
                    if tokenizer.get_vocab_size() != weights.shape[0]:
                        raise ValueError(f"{self.path}: {tokenizer.get_vocab_size()} pieces but "
                                         f"{weights.shape[0]} vectors")
                    self._tokenizer = tokenizer
                    self._weights = weights
        return self._tokenizer, self._weights

    @property
    def dim(self) -> int:
        return int(self._load()[1].shape[1])

    @property
    def calibration(self) -> Calibration:
        """What this encoder's cosines mean, as measured on ESCO (matching.text.calibration)."""
        return measured(self.calibration_key) or Calibration.identity()

    def encode(self, texts: Sequence[str], batch_size: int = 4096) -> np.ndarray:
        import scipy.sparse as sp

        texts = as_text_list(texts)
        tokenizer, weights = self._load()
        out = np.zeros((len(texts), weights.shape[1]), dtype=np.float32)
        # A blank text means nothing: a zero row, as every encoder gives it.
        todo = np.fromiter((i for i, t in enumerate(texts) if t.strip()), dtype=np.int64)
        step = max(int(batch_size), 1)
        for start in range(0, len(todo), step):
            index = todo[start:start + step]
            encodings = tokenizer.encode_batch([texts[i] for i in index], add_special_tokens=False)
            lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(index))
            flat = np.fromiter((t for e in encodings for t in e.ids), dtype=np.int32, count=int(lengths.sum()))
            indptr = np.concatenate(([0], np.cumsum(lengths)))
            # One row of piece counts per text (repeats kept in text order, not summed
            # first), times the table: each row's sum runs over its own pieces in the
            # same order whatever else is in the batch, so a text gets the same bits.
            counts = sp.csr_matrix((np.ones(flat.size, dtype=np.float32), flat, indptr),
                                   shape=(len(index), weights.shape[0]))
            filled = lengths > 0
            sums = np.asarray(counts @ weights)
            out[index[filled]] = sums[filled] / lengths[filled, None]
        return l2_normalise(out)
