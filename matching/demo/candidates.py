"""The candidate generator: spoor-2 candidates (contract v1.1) with the limitation
patterns, experience, education and wishes seen in spoor-2 caseloads, and their
former work, own employer and build-up prognosis.

The v1.1 terms come from a stream of their own, so the v1 fields of a seed's
candidates are what they were before those terms existed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterator, Sequence

import numpy as np

from matching.demo.draws import (
    CHUNK, REFERENCE_DATE, _CANDIDATE_STREAM, _SECTOR_CDF, _TERMS_STREAM, _cdf, _Draws, _draw_index,
    _home_names, _postcode_coords, _postcodes, _round_wage)
from matching.demo.phrases import _WISH_INTEREST_TEXT, _WISH_LIMIT_TEXT, _WISH_SECTOR_TEXT, _cap_first
from matching.demo.places import job_row, org_posts_job, world_employers
from matching.demo.vocabulary import GENERIC_SKILLS, SECTORS, WAGES, Job
from matching.reference.geo import haversine_km

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


# Contract v1.1 terms.
_FORMER_WORK_SHARE = 0.9
# Most candidates are employees in their sickness years; the rest are vangnetters
# (sick without an employer: a temp contract that ended), whom UWV guides.
_EMPLOYED_SHARE = 0.9
# Of the employees, the share whose own employer is a Kans Creator of the place
# world too (its places are their spoor 1), when it is near enough and posts their work.
_LINK_SHARE = 0.35
# Employers of the candidate's sector tried, by how much they post, to find one within reach.
_LINK_TRIES = 12
# A build-up prognosis for a share of those whose week is limited to 30 hours or less.
_OUTLOOK_SHARE = {"burnout": 0.5, "hours": 0.5}
_OUTLOOK_SHARE_OTHER = 0.2
_OUTLOOK_STEPS = (4, 8, 8, 12)
_OUTLOOK_WEEKS = (6, 8, 10, 13, 17, 21, 26)
_TERMS_UNIFORMS = 12


def generate_candidates(n: int, seed: int = 0, n_placements: int | None = None,
                        today: date | None = None) -> Iterator[dict]:
    """``n`` contract-v1.1 candidate dicts ("c-000001", ...), deterministic for ``seed``.

    ``n_placements``: the size of the place world of the same seed
    (``generate_placements(n_placements, seed)``); some candidates then work for one
    of its employers near their home that posts their kind of work, so that its
    places are their spoor 1. Other employees' employers ("e-w000001", ...) post no
    places. ``today``: the day build-up prognoses count from (default
    ``REFERENCE_DATE``, so a seed always gives the same records).
    """
    if n < 0:
        raise ValueError(f"n: must be 0 or more, got {n}")
    if n_placements is not None and n_placements < 0:
        raise ValueError(f"n_placements: must be 0 or more, got {n_placements}")
    return _candidates(n, seed, n_placements, today or REFERENCE_DATE)


class _World:
    """The employers of a place world, as far as candidates need them."""

    def __init__(self, n_placements: int, seed: int):
        members, cdfs, postcode, org = world_employers(n_placements, seed)
        self.members, self.cdfs, self.org = members, cdfs, org
        lat, lon = _postcode_coords()
        self.lat, self.lon = lat[postcode], lon[postcode]
        self.posts_job = org_posts_job()

    def tries(self, sector: np.ndarray, u: np.ndarray) -> np.ndarray:
        """(size, tries) employer numbers of each candidate's sector, drawn by how much they post."""
        out = np.empty(u.shape, dtype=np.int64)
        for s in range(len(SECTORS)):
            mask = sector == s
            if mask.any():
                out[mask] = self.members[s][_draw_index(self.cdfs[s], u[mask])]
        return out


def _candidates(n: int, seed: int, n_placements: int | None, today: date) -> Iterator[dict]:
    rng = np.random.default_rng([_CANDIDATE_STREAM, seed])
    terms_rng = np.random.default_rng([_CANDIDATE_STREAM, seed, _TERMS_STREAM])
    world = _World(n_placements, seed) if n_placements else None
    codes, names, pc_cdf = _postcodes()
    home_names = _home_names()
    pc_lat, pc_lon = _postcode_coords()
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
        terms_u = terms_rng.random((size, _TERMS_UNIFORMS)).tolist()
        tries_u = terms_rng.random((size, _LINK_TRIES))
        if world is not None:
            # The employers tried per candidate, how far they are, and whether they post the candidate's work.
            tried = world.tries(sector_a, tries_u)
            pcs = np.asarray(postcode)
            tried_km = haversine_km(pc_lat[pcs][:, None], pc_lon[pcs][:, None], world.lat[tried], world.lon[tried])
            rows = np.asarray([job_row(s, j) for s, j in zip(sector, job)], dtype=np.int64)
            posts = world.posts_job[world.org[tried], rows[:, None]]
            tried_l, tried_km_l, posts_l = tried.tolist(), tried_km.tolist(), posts.tolist()
        for k in range(size):
            s = sector[k]
            number = start + k + 1
            the_job = SECTORS[s].jobs[job[k]]
            record = _candidate(
                number=number, sector_index=s,
                job=the_job,
                pattern=_PATTERNS[pattern[k]], postcode=codes[postcode[k]], place=home_names[postcode[k]],
                travel=travel[k], d=_Draws(uniforms[k]),
            )
            own = None
            if world is not None:
                # Near enough to reach daily, and posting the kind of work the candidate did.
                reach = record["max_travel_km"]
                own = next((e for e, km, p in zip(tried_l[k], tried_km_l[k], posts_l[k]) if p and km <= reach),
                           None)
            record.update(_terms(number, the_job, _PATTERNS[pattern[k]], record, own, today, _Draws(terms_u[k])))
            yield record


def _terms(number: int, job: Job, pattern: str, record: dict, own_employer: int | None, today: date,
           d: _Draws) -> dict[str, Any]:
    """A candidate's v1.1 terms: ``employer_id``, ``former_work``, ``hours_outlook``.

    ``own_employer``: a place-world employer that could be the candidate's own (see
    :func:`generate_candidates`); taken for a share of the employees.
    """
    terms: dict[str, Any] = {}
    if d.chance(_EMPLOYED_SHARE):
        linked = own_employer is not None and d.chance(_LINK_SHARE)
        terms["employer_id"] = f"e-{own_employer + 1:04d}" if linked else f"e-w{number:06d}"
    former_hours = None
    if d.chance(_FORMER_WORK_SHARE):
        low, high = WAGES[job.title]
        years = record["experience"][0]["years"]
        # Longer in the job, higher up the scale; some spread either way.
        step = min(1.0, max(0.0, 0.1 + 0.6 * min(years, 20) / 20 + 0.3 * (d.u() - 0.5)))
        former_hours = d.pick(job.hours)
        terms["former_work"] = {"title": record["experience"][0]["title"], "hours_per_week": former_hours,
                                "hourly_wage": _round_wage(low + (high - low) * step)}
    week_level = record["capacity"].get("VI.3", 0)
    limit = _WEEK_LIMIT[week_level]
    # A prognosis only says something when the old week does not fit today's limit.
    if week_level >= 2 and (former_hours is None or former_hours > limit) \
            and d.chance(_OUTLOOK_SHARE.get(pattern, _OUTLOOK_SHARE_OTHER)):
        # The bedrijfsarts expects more hours in a few months, never past the old week.
        target = min(limit + d.pick(_OUTLOOK_STEPS), former_hours or 40)
        terms["hours_outlook"] = {"hours_per_week": target,
                                  "from": (today + timedelta(weeks=d.pick(_OUTLOOK_WEEKS))).isoformat()}
    return terms


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
    elif place:
        home = {"place": place}
    else:  # no place name lands near this postcode
        home = {"postcode": postcode}
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
