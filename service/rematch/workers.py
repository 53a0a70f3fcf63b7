"""The worker side of a run: a partition as read from the database, turned into
tasks, matched and returned as rows ready to write.

Every executor (:mod:`service.rematch.executors`) runs :func:`_process` where
it runs the work: this module holds no state, so a forked child and a cluster
worker run the same code on the same inputs.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
from pydantic import ValidationError

import matching.batch as batch
from matching.contract.models import STORED_IDS, Candidate, describe_errors
from matching.ranking import candidate_text, experience_texts, wanted_text
from service.db import load_json

# One logger for the whole package, named as the module was before the split, so
# log settings and filters for `service.rematch` still catch every message.
log = logging.getLogger("service.rematch")
# How a failure reads when the candidate's record itself was refused; the commit
# finds the refused homes by it, for the digest.
REFUSED_PREFIX = "record refused: "

@dataclass
class _RawPartition:
    """A partition as read from the database, still JSON text: parsing and validating
    is the bulk of the work per unchanged candidate, so it happens in the workers."""

    rows: list[tuple]  # (pk, id, body JSON text), by pk
    previous: dict[int, tuple]  # pk -> (row id, fingerprint, checked run, known JSON, floor, n_primary, ranking JSON)
    vectors: dict[int, tuple]  # pk -> (text hash, rows, dim, float32 bytes)
    fingerprint_params: str
    model_id: str
    last_run_id: str | None


def _fingerprint(body_text: str, fingerprint_params: str) -> str:
    return hashlib.sha256(f"{body_text}\x1f{fingerprint_params}".encode("utf-8")).hexdigest()


def _sha(*parts: Any) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(json.dumps(part, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def _text_hash(model_id: str, candidate: Candidate) -> str:
    return _sha(model_id, candidate_text(candidate), experience_texts(candidate), wanted_text(candidate))


def _prepare(raw: _RawPartition) -> tuple[list[batch.CandidateTask], dict[int, str], dict[int, tuple]]:
    """Tasks from a raw partition: (tasks, refused records by pk, per pk (fingerprint, text hash, previous row))."""
    tasks: list[batch.CandidateTask] = []
    skipped: dict[int, str] = {}
    meta: dict[int, tuple] = {}
    for pk, cid, body_text in raw.rows:
        try:
            candidate = Candidate.model_validate_json(body_text, context=STORED_IDS)
        except ValidationError as exc:
            reason = "; ".join(describe_errors(exc))
            log.warning("rematch: candidate %s (pk %s) skipped, record refused: %s", cid, pk, reason)
            skipped[pk] = f"{REFUSED_PREFIX}{reason}"
            continue
        except Exception as exc:
            log.warning("rematch: candidate %s (pk %s) skipped, record unreadable: %s", cid, pk, exc)
            skipped[pk] = f"record unreadable: {exc}"
            continue
        fingerprint = _fingerprint(body_text, raw.fingerprint_params)
        text_hash = _text_hash(raw.model_id, candidate)
        vectors = None
        stored = raw.vectors.get(pk)
        if stored is not None and stored[0] == text_hash:
            _, n, dim, data = stored
            matrix = np.frombuffer(data, dtype=np.float32).reshape(n, dim)
            # Rows: the profile, each experience, then the wish text when there is one.
            n_exp = len(candidate.experience)
            vectors = batch.CandidateVectors(query=matrix[0], experiences=matrix[1:1 + n_exp],
                                             wish=matrix[1 + n_exp] if n > 1 + n_exp else None)
        prev = None
        p = raw.previous.get(pk)
        if p is not None and p[1] == fingerprint and p[2] == raw.last_run_id:
            row_id, _, _, known, floor, n_primary, ranking = p
            prev = batch.CandidatePool(candidate_id=candidate.id, entries=[], n_primary=n_primary,
                                       known=tuple((pid, score) for pid, score in load_json(known)), floor=floor,
                                       picked=tuple(pid for pid, _ in load_json(ranking)))
        tasks.append(batch.CandidateTask(key=pk, candidate=candidate, vectors=vectors, previous=prev))
        meta[pk] = (fingerprint, text_hash, p[0] if prev is not None else None)
    return tasks, skipped, meta


def _json(value: Any) -> str:
    # Compact UTF-8 like json.dumps(ensure_ascii=False, separators=(",", ":")), in a
    # tenth of the time: every served list passes through here each night.
    return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY).decode("utf-8")


@dataclass
class _Written:
    """A partition's results as the database takes them: JSON already text, made in
    the worker, so the driver (one process for all workers) only writes."""

    new: list[dict[str, Any]]  # rows of rematch_results; "carried" set when entries are to be completed
    refreshed: list[dict[str, Any]]  # {"pk", "floor", "known"}
    reused: list[int]
    failures: dict[int, str]
    embedded: dict[int, tuple[int, int, bytes]]  # pk -> (rows, dim, float32 bytes)
    counts: dict[str, int]
    seconds: float


def _written(result: batch.PartitionResult, meta: dict[int, tuple]) -> _Written:
    new = []
    for pk, pool in result.pools.items():
        row = {"pk": pk, "fingerprint": meta[pk][0], "n_primary": pool.n_primary, "floor": pool.floor,
               "known": _json([list(k) for k in pool.known]), "carried": None}
        entries = [e.model_dump(mode="json") for e in pool.entries]
        if pool.carried:
            row["carried"] = (list(pool.picked), entries)
        else:
            row["entries"] = _json(entries)
            row["ranking"] = _json([[e["placement_id"], e["score"]] for e in entries])
        new.append(row)
    refreshed = [{"pk": pk, "floor": pool.floor, "known": _json([list(k) for k in pool.known])}
                 for pk, pool in result.refreshed.items()]
    embedded = {}
    for pk, vec in result.embedded.items():
        parts = [vec.query[None, :], vec.experiences] + ([vec.wish[None, :]] if vec.wish is not None else [])
        matrix = np.vstack(parts).astype(np.float32)
        embedded[pk] = (matrix.shape[0], matrix.shape[1], matrix.tobytes())
    return _Written(new=new, refreshed=refreshed, reused=list(result.reused), failures=dict(result.failures),
                    embedded=embedded, counts=result.counts, seconds=result.seconds)


def _process(raw: _RawPartition, snapshot, params, settings, ranker, changes):
    tasks, skipped, meta = _prepare(raw)
    result = batch.process_partition(snapshot, tasks, params, settings, ranker, changes)
    return _written(result, meta), skipped, meta
