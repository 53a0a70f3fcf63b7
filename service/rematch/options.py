"""What a run is asked to do and what it reports: the options, the summary, the
error when another run holds the lock, and the query size every part shares."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from matching.settings import Settings
from service.rematch.executors.base import EXECUTORS, MISSING_EXTRA

# Ids per IN (...) query: below SQLite's old 999-parameter limit.
CHUNK = 900


class RematchBusy(RuntimeError):
    """Another run holds the lock."""


@dataclass
class RematchOptions:
    top: int = 10
    reserve: int = 10
    exposure_factor: float = 3.0
    partition_size: int = 500
    workers: int = 1
    # Compute every candidate, even those whose pool nothing changed.
    full: bool = False
    progress: bool = False
    # Where the work is done (service.rematch.executors): "local" or "dask".
    executor: str = "local"
    dask_address: str = ""

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> "RematchOptions":
        workers = settings.rematch_workers or (os.cpu_count() or 1)
        base = cls(top=settings.rematch_top, reserve=settings.rematch_reserve,
                   exposure_factor=settings.rematch_exposure_factor,
                   partition_size=settings.rematch_partition_size, workers=workers,
                   executor=settings.rematch_executor, dask_address=settings.dask_address)
        for key, value in overrides.items():
            if value is not None:
                setattr(base, key, value)
        return base

    def check(self) -> None:
        problems = []
        if self.top < 1:
            problems.append(f"top: must be at least 1, got {self.top}")
        if self.reserve < 0:
            problems.append(f"reserve: must be 0 or more, got {self.reserve}")
        if not self.exposure_factor > 0:
            problems.append(f"exposure_factor: must be more than 0, got {self.exposure_factor}")
        if self.partition_size < 1:
            problems.append(f"partition_size: must be at least 1, got {self.partition_size}")
        if self.workers < 1:
            problems.append(f"workers: must be at least 1, got {self.workers}")
        if self.executor not in EXECUTORS:
            problems.append(f"executor: must be one of {', '.join(EXECUTORS)}, got {self.executor!r}")
        elif self.executor == "dask":
            try:
                import distributed  # noqa: F401
            except ImportError:
                problems.append(MISSING_EXTRA)
        if problems:
            raise ValueError("; ".join(problems))


@dataclass
class RunSummary:
    run_id: str
    status: str
    resumed: bool = False
    candidates: int = 0
    computed: int = 0
    merged: int = 0
    reused: int = 0
    skipped: int = 0
    partitions: int = 0
    partitions_resumed: int = 0
    places: dict[str, Any] = field(default_factory=dict)
    embedded_candidates: int = 0
    allocation: dict[str, Any] = field(default_factory=dict)
    digest: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    digest_files: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def format(self) -> str:
        a, p, d, t = self.allocation, self.places, self.digest, self.timings
        lines = [
            f"rematch {self.run_id}: {self.status}" + (" (resumed)" if self.resumed else ""),
            f"  candidates: {self.candidates:,} ({self.computed:,} computed, {self.merged:,} merged, "
            f"{self.reused:,} unchanged, "
            f"{self.skipped:,} skipped)",
            f"  partitions: {self.partitions:,} ({self.partitions_resumed:,} already done before this start)",
            f"  places: {p.get('open', 0):,} open; {p.get('added', 0):,} new, {p.get('changed', 0):,} changed, "
            f"{p.get('removed', 0):,} gone since the store's last update; {p.get('embedded', 0):,} texts embedded; "
            f"index {p.get('index', '?')}",
            f"  candidate texts embedded: {self.embedded_candidates:,}",
        ]
        if a:
            lines.append(
                f"  allocation ({a.get('method')}): most lists per place {a.get('max_exposure_before')} -> "
                f"{a.get('max_exposure_after')} (one-position places {a.get('max_exposure_one_position_before')} -> "
                f"{a.get('max_exposure_one_position_after')}); total score {a.get('total_score_before')} -> "
                f"{a.get('total_score_after')} (-{a.get('total_score_drop_pct')}%); "
                f"{a.get('lists_changed', 0):,} lists changed")
        if d:
            lines.append(f"  digest: {d.get('candidates', 0):,} candidates of {d.get('coaches', 0):,} coaches with "
                         f"changes ({d.get('new', 0):,} new, {d.get('dropped', 0):,} dropped, "
                         f"{d.get('signals_changed', 0):,} with other signals)")
            if d.get("home_problems"):
                lines.append(f"  homes that could not be resolved: {d['home_problems']:,} candidates not matched "
                             "(named in their coach's digest)")
        if self.digest_files:
            lines.append(f"  digest files: {Path(self.digest_files[0]).parent}")
        if t:
            lines.append("  time: " + ", ".join(f"{k} {v:.1f} s" for k, v in t.items()))
        return "\n".join(lines)
