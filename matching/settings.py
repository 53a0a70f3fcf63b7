"""All configuration in one place: environment variables prefixed ``SPOORMATCH_``.

Defaults work offline on a laptop: the reference data next to the package, an
embedded SQLite database and the packaged model. Every other module reads its
configuration from :func:`get_settings`, never from ``os.environ`` directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path

PREFIX = "SPOORMATCH_"
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ScoreWeights:
    """Weights of the ranking components; they need not sum to one."""

    # The occupation component (transfer, matching/occupations/transfer.py) and the
    # semantic one as fitted by scripts/fit_transfer.py (models/transfer.json,
    # "ranking_weights"): on what people move to, the text of a place says little
    # that the occupations on both sides do not already say better.
    semantic: float = 0.015
    occupation: float = 0.48
    skills: float = 0.10
    wishes: float = 0.25
    education: float = 0.10
    distance: float = 0.10
    # Subtracted per flagged item: a place on the edge of a limit ranks below an
    # otherwise equal place that is comfortably within it.
    signal_penalty: float = 0.03
    # Subtracted in proportion to how central to the work an aspect is that the
    # candidate is limited in or does not want (0..1: the title names it, the
    # occupation's skills need it, the text mentions it): a driving job for someone
    # who may no longer drive professionally sinks, even when no demand was entered.
    central_penalty: float = 0.5
    # The share of the wishes component that the wish text takes (its fit with the
    # place's text), when the candidate wrote one; 0: the wish text is ignored.
    wish_text: float = 0.5


@dataclass(frozen=True)
class Settings:
    data_dir: Path = REPO_ROOT / "data"
    models_dir: Path = REPO_ROOT / "models"
    state_dir: Path = REPO_ROOT / "var"
    database_url: str = ""
    # Used when a candidate has no max_travel_km: 1.5 h one way is the usual
    # spoor-2 upper norm, roughly 45 km by public transport.
    default_max_travel_km: float = 45.0
    # Share of the maximum distance within which travel is flagged (contract: 10%).
    travel_signal_fraction: float = 0.10
    encoder: str = "default"
    model_path: str = ""
    index_backend: str = "auto"
    # Link job titles to ESCO occupations: the occupation component and diversity by
    # occupation. Off only to compare; every path follows the same setting.
    occupation_linker: bool = True
    # Up to this many open places the live list scores every feasible place exactly,
    # as the nightly run does, so the two lists are identical; above it a retrieval
    # shortlist is scored (benchmarks/suggest.py measures how often it differs).
    live_exact_below: int = 20_000
    weights: ScoreWeights = field(default_factory=ScoreWeights)
    # The API service (service/). Loopback by default: exposing it is a decision.
    host: str = "127.0.0.1"
    port: int = 8000
    # Bearer tokens expire this many days after they are issued; 0 = never.
    token_ttl_days: int = 0
    # The web app (service/web/): a login lasts this many hours; cookies are marked
    # Secure on TLS requests, and always when this is true (behind a TLS proxy).
    session_hours: int = 8
    cookie_secure: bool = False
    # Requests with a larger body are refused (413) before they are parsed.
    max_request_bytes: int = 2_000_000
    # Limits of this implementation on one record (matching/contract/limits.py): each
    # experience is embedded and linked for every list, so their number and length
    # bound the cost of a call. Larger records are refused with a message naming these.
    max_experiences: int = 30
    max_experience_chars: int = 2_000
    max_skills: int = 50
    max_wish_chars: int = 2_000
    max_description_chars: int = 8_000
    # Requests per bearer token (API) and per logged-in user (web pages), over a moving
    # window: "300/minute" is far beyond a coach clicking around; "off" for none.
    # Checked when the service starts (service/ratelimit.py).
    rate_limit: str = "300/minute"
    # How many generated places `spoormatch serve` loads into an empty database.
    demo_placements: int = 2000
    # The nightly rematch (`spoormatch rematch`, service/rematch/).
    rematch_top: int = 10
    # Extra well-fitting places kept per candidate, so the allocation step can
    # swap a contested place for the next best without emptying a list.
    rematch_reserve: int = 10
    # A place may appear in at most ceil(positions x factor) candidates' lists.
    rematch_exposure_factor: float = 3.0
    rematch_partition_size: int = 500
    # Worker processes for `spoormatch rematch`; 0 = one per core.
    rematch_workers: int = 0
    # Where a run's work is done: "local" (this machine's processes) or "dask"
    # (a dask.distributed cluster; needs the extra spoormatch[dask]).
    rematch_executor: str = "local"
    # The Dask scheduler ("tcp://host:8786"); empty = a LocalCluster on this machine.
    dask_address: str = ""
    # Cron expression ("0 2 * * *") for the rematch inside `spoormatch serve`; empty = off.
    rematch_schedule: str = ""
    # A lock whose holder has not reported for this long is taken over.
    rematch_lock_stale_minutes: int = 120
    # Digests (and the runs they belong to) older than this are deleted.
    digest_retention_days: int = 60

    def __post_init__(self) -> None:
        for name in ("max_experiences", "max_experience_chars", "max_skills", "max_wish_chars",
                     "max_description_chars"):
            if getattr(self, name) < 1:
                raise ValueError(f"{PREFIX}{name.upper()}: must be at least 1, got {getattr(self, name)}")

    def with_overrides(self, **kwargs) -> "Settings":
        return replace(self, **kwargs)


def _coerce(value: str, kind: type):
    if kind is Path:
        return Path(value).expanduser()
    if kind is bool:
        lowered = value.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ValueError("must be true or false")
    if kind is float:
        return float(value)
    if kind is int:
        return int(value)
    return value


def settings_from_env(environ: dict[str, str] | None = None) -> Settings:
    """Build settings from ``SPOORMATCH_*`` variables; unknown ones are ignored.

    Weights are read as ``SPOORMATCH_WEIGHT_<COMPONENT>``.
    """
    env = os.environ if environ is None else environ
    base = Settings()
    values = {}
    for f in fields(Settings):
        if f.name == "weights":
            continue
        key = PREFIX + f.name.upper()
        if key in env and env[key] != "":
            default = getattr(base, f.name)
            try:
                values[f.name] = _coerce(env[key], type(default) if not isinstance(default, Path) else Path)
            except ValueError as exc:
                raise ValueError(f"{key}: cannot read {env[key]!r} ({exc})") from None
    weight_values = {}
    for f in fields(ScoreWeights):
        key = f"{PREFIX}WEIGHT_{f.name.upper()}"
        if key in env and env[key] != "":
            try:
                weight_values[f.name] = float(env[key])
            except ValueError:
                raise ValueError(f"{key}: must be a number, got {env[key]!r}") from None
    if values.get("database_url", "") == "":
        state_dir = values.get("state_dir", base.state_dir)
        values["database_url"] = f"sqlite:///{Path(state_dir) / 'spoormatch.db'}"
    return Settings(**values, weights=ScoreWeights(**weight_values))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return settings_from_env()
