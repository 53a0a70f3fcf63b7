"""The place store: the open places' snapshot, vector index and embedding cache in
the state folder, brought up to date at the start of each run."""

from __future__ import annotations

import json
import logging
import os
import pickle
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from pydantic import ValidationError
from sqlalchemy import Text, cast, select

import matching.batch as batch
from matching.contract.models import STORED_IDS, Placement, describe_errors
from matching.index import VectorIndex, load_index, make_index
from matching.private import private_dir, private_opener
from matching.ranking import Ranker
from service.db import Database
from service.rematch.options import CHUNK
from service.tables import PlacementRow

# One logger for the whole package, named as the module was before the split, so
# log settings and filters for `service.rematch` still catch every message.
log = logging.getLogger("service.rematch")

# More changed places than this share of the index: build it anew (faster than
# that many removals and additions, and it leaves no holes).
REBUILD_FRACTION = 0.5
STORE_VERSION = 6


def _atomic_pickle(path: Path, obj: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb", opener=private_opener) as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class PlaceStore:
    """The open places as the last run saw them, kept in the state folder so the next
    run reads, validates and embeds only what changed.

    Holds no candidate data: place texts are the employers', and the embedding
    cache is keyed by a hash of each text.
    """

    def __init__(self, state_dir: Path, ranker: Ranker):
        self.dir = Path(state_dir) / "rematch"
        private_dir(self.dir)
        # The ranker embeds through its cache, the one the live service uses too, so
        # a place has the same vector in the live list and in the nightly run.
        self.ranker = ranker
        self.encoder = ranker.encoder

    def close(self) -> None:
        pass

    def _load(self) -> tuple[batch.PlaceSnapshot | None, VectorIndex | None]:
        meta_path = self.dir / "snapshot.meta.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("version") != STORE_VERSION or meta.get("ranker") != self.ranker.fingerprint_text:
                log.info("rematch: place store is for another model or version; building it anew")
                return None, None
            with open(self.dir / "snapshot.pkl", "rb") as fh:
                snap: batch.PlaceSnapshot = pickle.load(fh)
            index = load_index(self.dir / "index")
            if index.dim != self.encoder.dim or set(index.ids) != set(snap.ids.tolist()):
                log.warning("rematch: saved index and snapshot disagree; building them anew")
                return None, None
            return snap, index
        except FileNotFoundError:
            return None, None
        except Exception:
            log.warning("rematch: saved place store unreadable; building it anew", exc_info=True)
            return None, None

    def update(self, db: Database, embed=None) -> tuple[batch.PlaceSnapshot, dict[str, Any]]:
        """The current open places as a snapshot with vectors, and what it took.

        ``embed(encoder, texts)``: embeds the texts the cache has not seen (an
        executor's, spreading them over its workers); None embeds them here."""
        with db.read() as session:
            # The time stamp as the database writes it: a version to compare, never a
            # time to compute with, so 200,000 of them are not parsed into datetimes.
            current = dict(session.execute(select(PlacementRow.id, cast(PlacementRow.updated_at, Text))
                                           .where(PlacementRow.status == "open")).all())
        old, index = self._load()
        old_versions = {} if old is None else dict(zip(old.ids.tolist(), old.versions.tolist()))
        removed = [pid for pid in old_versions if pid not in current]
        changed = [pid for pid, v in current.items() if pid in old_versions and old_versions[pid] != v]
        added = [pid for pid in current if pid not in old_versions]
        wanted = changed + added
        placements, bad = self._read(db, wanted)
        stats: dict[str, Any] = {"open": len(current), "added": len(added), "changed": len(changed),
                                 "removed": len(removed), "invalid": len(bad)}
        cache = self.ranker.cache
        misses_before = cache.misses if cache is not None else 0
        started = time.perf_counter()
        vectors = self.ranker.embed_places(placements, embed)
        stats["embed_seconds"] = round(time.perf_counter() - started, 2)
        stats["embedded"] = (cache.misses - misses_before) if cache is not None else len(placements)
        versions = [current[p.id] for p in placements]

        # Places that failed validation leave the snapshot (and come back once fixed).
        gone = removed + [pid for pid in bad if pid in old_versions]
        touched = len(gone) + len(wanted)
        rebuild = old is None or index is None or touched > REBUILD_FRACTION * max(len(old_versions), 1)
        if rebuild:
            keep_ids = [] if old is None else [pid for pid in old.ids.tolist() if pid not in set(gone) | set(wanted)]
            keep_vectors = index.vectors(keep_ids) if (index is not None and keep_ids) else \
                np.zeros((0, self.encoder.dim), np.float32)
            if old is not None and keep_ids:
                kept = old.take(np.array([old.row_of[pid] for pid in keep_ids], dtype=np.int64))
                snap = kept.with_vectors(keep_vectors).replace([], placements, vectors, versions, self.ranker)
            else:
                snap = batch.PlaceSnapshot.build(placements, vectors, versions, ranker=self.ranker)
            index = make_index(self.encoder.dim, "flat", expected_size=len(snap))
            if len(snap):
                index.add(snap.ids.tolist(), snap.vectors)
            stats["index"] = "built" if old is None else "rebuilt"
        else:
            assert old is not None and index is not None
            if gone:
                index.remove([pid for pid in gone if pid in index])
            upd = [i for i, p in enumerate(placements) if p.id in index]
            new = [i for i, p in enumerate(placements) if p.id not in index]
            if upd:
                index.update([placements[i].id for i in upd], vectors[upd])
            if new:
                index.add([placements[i].id for i in new], vectors[new])
            light = old.replace(gone, placements, None, versions, self.ranker)
            snap = light.with_vectors(index.vectors(light.ids.tolist()))
            stats["index"] = f"updated ({touched:,} places)" if touched else "unchanged"
        if rebuild or touched:
            index.save(self.dir / "index")
            _atomic_pickle(self.dir / "snapshot.pkl", snap.without_vectors())
            (self.dir / "snapshot.meta.json").write_text(json.dumps(
                {"version": STORE_VERSION, "model_id": self.encoder.model_id, "ranker": self.ranker.fingerprint_text,
                 "places": len(snap)}), encoding="utf-8")
        return snap, stats

    @staticmethod
    def _read(db: Database, ids: Sequence[str]) -> tuple[list[Placement], list[str]]:
        placements: list[Placement] = []
        bad: list[str] = []
        with db.read() as session:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start:start + CHUNK]
                for pid, body in session.execute(select(PlacementRow.id, PlacementRow.body)
                                                 .where(PlacementRow.id.in_(chunk))):
                    try:
                        placements.append(Placement.model_validate(body, context=STORED_IDS))
                    except ValidationError as exc:
                        log.warning("rematch: place %s skipped: %s", pid, "; ".join(describe_errors(exc)))
                        bad.append(pid)
        return placements, bad
