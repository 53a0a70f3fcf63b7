"""A persisted store of text embeddings, so an unchanged text is embedded once.

Rows are keyed by ``(model_id, sha256(text))``: a new model version (a new
``model_id``) never reuses another model's vectors, and a changed text gets a new
key. Vectors are stored as raw float32 bytes in one SQLite table (stdlib only),
which stays fast at hundreds of thousands of rows because look-ups go in batches.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from matching.private import create_private_file
from matching.text.base import Encoder, as_text_list

# A rowid table with the key as its index: SQLite writes 1 KB vectors into it three
# to four times faster than into the WITHOUT ROWID table of earlier versions, which
# keeps whole rows in the key's B-tree (176,000 vectors: 27 s against 8 s).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model_id TEXT NOT NULL,
    text_sha256 BLOB NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model_id, text_sha256)
)
"""
_OLD_TABLE = "embeddings"


# Below SQLite's old 999-parameter limit (one parameter is the model id).
_LOOKUP_BATCH = 900


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class EmbeddingCache:
    """Embeddings by (model id, text hash) in a SQLite file.

    ``hits`` and ``misses`` count distinct texts per call, summed over the
    instance's life: a hit was answered from the store, a miss was embedded.
    A :class:`~matching.text.hybrid.HybridEncoder` is cached part by part, so
    changing its weights re-embeds nothing.
    """

    def __init__(self, path: Path | str = ":memory:", *, write_batch: int = 2048) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            # 0600 before SQLite opens it (its -wal and -shm follow that mode).
            create_private_file(self.path)
        self.write_batch = max(1, write_batch)
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30.0)
        if self.path != ":memory:":
            # WAL lets other processes read while this one writes new vectors.
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        with self._conn:
            self._conn.execute(_SCHEMA)
            if self._conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                  (_OLD_TABLE,)).fetchone():
                # Once, in one transaction: a cache of an earlier version keeps its vectors.
                self._conn.execute(f"INSERT OR REPLACE INTO vectors SELECT model_id, text_sha256, vector "
                                   f"FROM {_OLD_TABLE}")
                self._conn.execute(f"DROP TABLE {_OLD_TABLE}")

    # -- public API ----------------------------------------------------------------

    def encode(self, encoder: Encoder, texts: Sequence[str], batch_size: int = 64,
               embed: Callable[[Encoder, list[str]], Iterable[np.ndarray]] | None = None) -> np.ndarray:
        """Embeddings of ``texts`` (rows in input order); only unseen texts are embedded.

        ``embed(encoder, texts)`` embeds the unseen ones, yielding consecutive
        blocks of rows in order (default: ``encoder.encode`` here, in slices); the
        nightly run passes one that spreads them over its workers.
        """
        texts = as_text_list(texts)
        parts = getattr(encoder, "parts", None)
        if parts and hasattr(encoder, "combine"):
            # A text counts as one miss however many of the parts had to embed it.
            before, most, blocks = self.misses, 0, []
            for part, _ in parts:
                self.misses = before
                blocks.append(self.encode(part, texts, batch_size, embed))
                most = max(most, self.misses - before)
            self.misses = before + most
            return encoder.combine(blocks)
        if not getattr(encoder, "cache_vectors", True):
            # Computed faster than stored and read back (see CharTfidfEncoder), and
            # here, on this machine, as the live service computes it: never on a
            # worker elsewhere, whose vector nothing would store for the service.
            self.misses += len(set(texts))
            return np.asarray(encoder.encode(texts, batch_size=max(batch_size, 1024)), dtype=np.float32)
        return self._encode_plain(encoder, texts, batch_size, embed)

    def reset_counters(self) -> None:
        self.hits = 0
        self.misses = 0

    def count(self, model_id: str | None = None) -> int:
        """Number of stored vectors, for one model or all."""
        with self._lock:
            if model_id is None:
                row = self._conn.execute("SELECT COUNT(*) FROM vectors").fetchone()
            else:
                row = self._conn.execute("SELECT COUNT(*) FROM vectors WHERE model_id = ?",
                                         (model_id,)).fetchone()
        return int(row[0])

    def drop_model(self, model_id: str) -> int:
        """Forget every vector of one model; returns how many were removed."""
        with self._lock:
            cur = self._conn.execute("DELETE FROM vectors WHERE model_id = ?", (model_id,))
            self._conn.commit()
        return cur.rowcount

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "EmbeddingCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- internals -----------------------------------------------------------------

    def _lookup(self, model_id: str, keys: list[bytes]) -> dict[bytes, bytes]:
        found: dict[bytes, bytes] = {}
        with self._lock:
            for start in range(0, len(keys), _LOOKUP_BATCH):
                chunk = keys[start:start + _LOOKUP_BATCH]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT text_sha256, vector FROM vectors "
                    f"WHERE model_id = ? AND text_sha256 IN ({marks})",
                    (model_id, *chunk)).fetchall()
                found.update(rows)
        return found

    def _store(self, model_id: str, keys: list[bytes], vectors: np.ndarray) -> None:
        rows = [(model_id, k, np.ascontiguousarray(v, dtype=np.float32).tobytes())
                for k, v in zip(keys, vectors)]
        with self._lock:
            with self._conn:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO vectors (model_id, text_sha256, vector) "
                    "VALUES (?, ?, ?)", rows)

    def _encode_plain(self, encoder: Encoder, texts: list[str], batch_size: int,
                      embed: Callable[[Encoder, list[str]], Iterable[np.ndarray]] | None) -> np.ndarray:
        model_id = encoder.model_id
        # Each distinct text once: duplicates in one call are embedded once too.
        first_index: dict[str, int] = {}
        for text in texts:
            first_index.setdefault(text, len(first_index))
        unique = list(first_index)
        keys = [text_key(t) for t in unique]
        stored = self._lookup(model_id, keys)

        dim = None
        if stored:
            dim = len(next(iter(stored.values()))) // 4
        missing = [i for i, k in enumerate(keys) if k not in stored]
        if missing or dim is None:
            # Only now ask for the dimension: for a lazily loaded model this is
            # what loads it, and a call answered wholly from the store must not.
            dim = encoder.dim
        unique_vectors = np.zeros((len(unique), dim), dtype=np.float32)
        hit_count = 0
        for i, k in enumerate(keys):
            blob = stored.get(k)
            if blob is None:
                continue
            if len(blob) != 4 * dim:
                # A vector of another size under the same model id: written by a
                # broken earlier version; embed the text again and overwrite it.
                missing.append(i)
                continue
            unique_vectors[i] = np.frombuffer(blob, dtype=np.float32)
            hit_count += 1
        missing.sort()

        # Embed and commit in slices: memory stays bounded and an interrupted run
        # keeps what it already paid for. With ``embed`` the slices come from the
        # workers as they finish, in order, and are stored while the next are embedded.
        texts_missing = [unique[i] for i in missing]
        if embed is None:
            slices = (encoder.encode(texts_missing[start:start + self.write_batch], batch_size=batch_size)
                      for start in range(0, len(missing), self.write_batch))
        else:
            slices = embed(encoder, texts_missing)
        done = 0
        for vectors in slices:
            vectors = np.asarray(vectors, dtype=np.float32)
            idx = missing[done:done + len(vectors)]
            if vectors.ndim != 2 or vectors.shape != (len(idx), dim):
                raise ValueError(f"encoder {model_id!r} returned shape {vectors.shape}, "
                                 f"expected {(len(idx), dim)}")
            unique_vectors[idx] = vectors
            self._store(model_id, [keys[i] for i in idx], vectors)
            done += len(vectors)
        if done != len(missing):
            raise ValueError(f"encoder {model_id!r} returned {done} vectors for {len(missing)} texts")

        self.hits += hit_count
        self.misses += len(missing)
        order = np.fromiter((first_index[t] for t in texts), dtype=np.int64, count=len(texts))
        return unique_vectors[order]
