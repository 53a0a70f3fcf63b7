"""The candidate generator: spoor-2 candidates (contract v1) with the limitation
patterns, experience, education and wishes seen in spoor-2 caseloads."""

from __future__ import annotations

from typing import Any, Iterator, Sequence

import numpy as np

from matching.demo.draws import CHUNK, _CANDIDATE_STREAM, _SECTOR_CDF, _cdf, _Draws, _draw_index, _postcodes
from matching.demo.phrases import _WISH_INTEREST_TEXT, _WISH_LIMIT_TEXT, _WISH_SECTOR_TEXT, _cap_first
from matching.demo.vocabulary import GENERIC_SKILLS, SECTORS, Job

# Uniforms available to one candidate's Python-side picks; more than any candidate
# uses (about 75 at most), so running out is a bug, not bad luck.
_UNIFORMS_PER_CANDIDATE = 96

_JOB_CDF = tuple(_cdf([j.weight for j in s.jobs]) for s in SECTORS)
_LIGHT_SECTORS = tuple(i for i, s in enumerate(SECTORS) if not s.physical)

# Limitation patterns seen in spoor-2 caseloads, with their share.
_PATTERNS = ("none", "back", "knee", "burnout", "shoulder", "wrist", "stamina", "night", "hours")
_PATTERN_CDF = _cdf([0.12, 0.22, 0.12, 0.22, 0.10, 0.06, 0.06, 0.05, 0.05])
_PHYSICAL_PATTERNS = frozenset({"back", "knee", "shoulder", "wrist", "stamina"})
# (VI.2, VI.3) pairs a bedrijfsarts writes down together.
_HOUR_LEVELS = ((2, 2), (2, 3), (3, 3), (3, 4), (1, 2), (0, 2))
_BURNOUT_HOUR_LEVELS = ((2, 2), (2, 3), (3, 3), (3, 3), (3, 4), (1, 2))
_BURNOUT_CONDITIONS = ((1, 3, 4), (1, 3), (3, 4), (1, 4, 5), (1, 2, 3, 4), (2, 4), (1, 3, 4, 5))
_WISH_HOURS = (8, 12, 16, 20, 24, 28, 32, 36, 38, 40)
_WEEK_LIMIT = (40, 40, 30, 20, 10)
# Repeats weight the common wishes; an empty list (no preference) is rare.
_KIND_WISHES = (
    ("vacature", "detachering", "werkervaringsplek"), ("vacature", "detachering", "werkervaringsplek"),
    ("vacature", "detachering", "werkervaringsplek"), ("vacature",), ("vacature",),
    ("vacature", "detachering"), ("vacature", "detachering"), ("detachering", "werkervaringsplek"),
    ("vacature", "werkervaringsplek"), (),
)


def generate_candidates(n: int, seed: int = 0) -> Iterator[dict]:
    """``n`` contract-v1 candidate dicts ("c-000001", ...), deterministic for ``seed``."""
    if n < 0:
        raise ValueError(f"n: must be 0 or more, got {n}")
    return _candidates(n, seed)


def _candidates(n: int, seed: int) -> Iterator[dict]:
    rng = np.random.default_rng([_CANDIDATE_STREAM, seed])
    codes, names, pc_cdf = _postcodes()
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        sector_a = _draw_index(_SECTOR_CDF, rng.random(size))
        job_u = rng.random(size)
        job_a = np.empty(size, dtype=np.int64)
        for s in range(len(SECTORS)):
            mask = sector_a == s
            job_a[mask] = _draw_index(_JOB_CDF[s], job_u[mask])
        sector, job = sector_a.tolist(), job_a.tolist()
        pattern = _draw_index(_PATTERN_CDF, rng.random(size)).tolist()
        postcode = _draw_index(pc_cdf, rng.random(size)).tolist()
        travel = rng.integers(10, 51, size).tolist()
        uniforms = rng.random((size, _UNIFORMS_PER_CANDIDATE)).tolist()
        for k in range(size):
            s = sector[k]
            yield _candidate(
                number=start + k + 1, sector_index=s,
                job=SECTORS[s].jobs[job[k]],
                pattern=_PATTERNS[pattern[k]], postcode=codes[postcode[k]], place=names[postcode[k]],
                travel=travel[k], d=_Draws(uniforms[k]),
            )


def _capacity(pattern: str, d: _Draws) -> dict[str, Any]:
    cap: dict[str, Any] = {}

    def maybe(item: str, options: Sequence[Any]) -> None:
        value = d.pick(options)
        if value is not None:
            cap[item] = list(value) if isinstance(value, tuple) else value

    if pattern == "back":
        maybe("IV.13", (1, 2, 2, 3))
        maybe("IV.14", (1, 2, 2, 3))
        maybe("IV.9", (None, 1, 2))
        maybe("IV.10", (1, 2, 3))
        maybe("IV.12", (None, 1, 2))
        maybe("V.6", (None, 1, 2))
        maybe("V.1", (None, None, 1))
        maybe("V.3", (None, 1))
        maybe("IV.11", (None, 1))
    elif pattern == "knee":
        maybe("IV.16", (1, 2, 3))
        maybe("IV.17", (1, 2, 3))
        maybe("IV.18", (1, 2, 3))
        maybe("IV.20", (2, 3))
        maybe("IV.19", (1, 2, 3))
        maybe("V.5", (None, 1, 1))
        maybe("V.4", (None, 1, 2))
    elif pattern == "burnout":
        day, week = d.pick(_BURNOUT_HOUR_LEVELS)
        cap["VI.2"], cap["VI.3"] = day, week
        cap["I.8"] = list(d.pick(_BURNOUT_CONDITIONS))
        maybe("III.6", (None, 1, 1, 1))
        maybe("I.1", (None, 1))
        maybe("I.2", (None, None, 1))
        maybe("II.8", (None, None, 1))
        maybe("VI.1", (None, None, (1,), (1, 2)))
    elif pattern == "shoulder":
        maybe("V.7", (1, 2))
        maybe("IV.7", (None, 1, 2))
        maybe("IV.8", (None, 1, 2))
        maybe("IV.13", (None, 1, 2))
        maybe("IV.12", (None, 1))
        maybe("IV.6", (None, 1))
        maybe("IV.2", (1, 2, 3))
    elif pattern == "wrist":
        maybe("IV.4", (1, 2, 3))
        maybe("IV.3", ((8, 9), (7, 8, 9), (6, 8)))
        maybe("IV.8", (None, 1))
        maybe("V.8", (None, 1, 2))
        maybe("IV.2", (1, 2, 3))
    elif pattern == "stamina":
        maybe("III.1", (None, (1,), (1, 2)))
        maybe("III.5", (None, 1))
        maybe("IV.16", (1, 2))
        maybe("IV.18", (None, 1, 2))
        maybe("IV.13", (None, 1))
        maybe("V.4", (None, 1))
    elif pattern == "night":
        cap["VI.1"] = d.pick(([2], [2], [1, 2]))
    elif pattern == "hours":
        day, week = d.pick(_HOUR_LEVELS)
        if day:
            cap["VI.2"] = day
        cap["VI.3"] = week

    # Hours limits and a night limit also come on top of a physical pattern.
    if pattern not in ("burnout", "hours", "none") and d.chance(0.3):
        day, week = d.pick(_HOUR_LEVELS)
        if day:
            cap["VI.2"] = day
        cap["VI.3"] = week
    if pattern not in ("burnout", "night", "none") and d.chance(0.15):
        cap["VI.1"] = [2]
    return cap


def _experience(job: Job, years: int, d: _Draws) -> dict:
    tasks = d.sample(job.tasks, 1 + int(d.u() * 3))
    return {"title": job.title if not job.alt_titles or d.chance(0.7) else d.pick(job.alt_titles),
            "years": years, "description": _cap_first("; ".join(tasks)) + "."}


def _candidate(*, number: int, sector_index: int, job: Job, pattern: str, postcode: str,
               place: str, travel: int, d: _Draws) -> dict:
    sector = SECTORS[sector_index]
    # Home: mostly a PC4, sometimes a full postcode or just the place name, as coaches type them.
    r = d.u()
    if r < 0.75:
        home = {"postcode": postcode}
    elif r < 0.9:
        home = {"postcode": f"{postcode} {d.pick('ABCDEGHJKLMNPRTVWXZ')}{d.pick('ABCDEGHJKLMNPRTVWXZ')}"}
    else:
        home = {"place": place}
    capacity = _capacity(pattern, d)

    experience = [_experience(job, 1 + int(d.u() * 20), d)]
    other_jobs = [job]
    for p in (0.6, 0.25):
        if not d.chance(p):
            break
        other_sector = sector if d.chance(0.5) else d.pick(SECTORS)
        # Not the same job again under another title.
        fresh = [j for j in other_sector.jobs if all(j is not o for o in other_jobs)]
        if not fresh:
            break
        other = d.pick(fresh)
        other_jobs.append(other)
        experience.append(_experience(other, 1 + int(d.u() * 10), d))

    level = d.pick(job.education)
    # Primary school has no field; everything from vmbo up has a profile or study.
    education = {"level": level} if level == "basisonderwijs" else {"level": level, "field": d.pick(sector.fields)}
    skills: list[str] = []
    for j in other_jobs:
        for s in d.sample(j.skills, 2 + int(d.u() * 2)):
            if s not in skills:
                skills.append(s)
    for s in d.sample(GENERIC_SKILLS, int(d.u() * 3)):
        if s not in skills:
            skills.append(s)

    wishes: dict[str, Any] = {}
    kinds = (list(d.pick((("werkervaringsplek",), ("werkervaringsplek", "detachering"), ("detachering",))))
             if pattern == "burnout" else list(d.pick(_KIND_WISHES)))
    wishes["kinds"] = kinds
    week_limit = _WEEK_LIMIT[capacity.get("VI.3", 0)]
    fitting = [h for h in _WISH_HOURS if h <= week_limit]
    if not d.chance(0.1):
        # A few want more than the bedrijfsarts allows: the engine must still hold the limit.
        too_many = [h for h in _WISH_HOURS if h > week_limit]
        if too_many and d.chance(0.03):
            hours = d.pick(too_many)
        else:
            # Most want close to what they may work; some deliberately start small.
            hours = d.pick(fitting[-4:] if d.chance(0.6) else fitting[-7:])
        wishes["hours_per_week"] = hours
    if pattern in _PHYSICAL_PATTERNS and sector.physical and d.chance(0.6):
        wished = [SECTORS[d.pick(_LIGHT_SECTORS)].name]
    elif d.chance(0.7):
        wished = [sector.name]
    else:
        wished = []
    if wished and d.chance(0.3):
        extra = d.pick(SECTORS).name
        if extra not in wished:
            wished.append(extra)
    text = [d.pick(_WISH_LIMIT_TEXT[pattern]), d.pick(_WISH_INTEREST_TEXT)]
    if wished and d.chance(0.5):
        text.append(_WISH_SECTOR_TEXT.format(sector=wished[0]))
    wishes["text"] = " ".join(text)
    wishes["sectors"] = wished

    return {
        "id": f"c-{number:06d}",
        "home": home,
        "max_travel_km": travel if pattern != "burnout" else min(travel, 10 + int(d.u() * 21)),
        "capacity": capacity,
        "education": education,
        "experience": experience,
        "skills": skills,
        "wishes": wishes,
    }
