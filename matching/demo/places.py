"""The place generator: Kans Creator places (contract v1.1) from the vocabulary.

Each chunk's random draws are made in bulk with numpy; Python only maps them
onto the vocabulary and the phrase templates. The v1.1 terms of a place (its
wage, a start with fewer hours, the adjustments its employer offers) come from a
stream of their own, so the v1 fields of a seed's places are what they were
before those terms existed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator, Mapping, Sequence

import numpy as np

from matching.demo.draws import (
    CHUNK, _PLACEMENT_STREAM, _SECTOR_CDF, _TERMS_STREAM, _cdf, _Draws, _draw_index, _postcodes, _round_wage)
from matching.demo.phrases import (
    _ASK_EDU, _ASK_NONE, _ASK_SKILLS, _DAYTIME, _EDU_WORDS, _EVENING, _HOURS, _INTRO, _KIND, _NIGHT, _TASKS,
    _cap_first, _cues, _join_nl, _lower_first, _nl_number)
from matching.demo.vocabulary import ADJUSTABLE_I8, ADJUSTABLE_ORD, SECTORS, WAGES, Job
from matching.reference.fml import load_catalogue


def _compile_demands(spec: Mapping[str, Any]) -> tuple[tuple[str, tuple[Any, ...] | None, float], ...]:
    """(item, options, p): options for ORD/CAT/COND picks, or None and p for a BIN item."""
    out = []
    for item, opts in spec.items():
        if isinstance(opts, float):
            out.append((item, None, opts))
        else:
            out.append((item, tuple(list(o) if isinstance(o, tuple) else o for o in opts), 0.0))
    return tuple(out)


_JOB_DEMANDS = {id(j): _compile_demands(j.demands) for s in SECTORS for j in s.jobs}


def _draw_demands(job: Job, d: _Draws) -> dict[str, Any]:
    demands: dict[str, Any] = {}
    for item, opts, p in _JOB_DEMANDS[id(job)]:
        if opts is None:
            if d.u() < p:
                demands[item] = True
        else:
            value = opts[int(d.u() * len(opts))]
            if value is not None:
                demands[item] = list(value) if isinstance(value, list) else value
    return demands


_KINDS = ("vacature", "detachering", "werkervaringsplek")
_KIND_CDF = _cdf([0.55, 0.20, 0.25])
_STATUSES = ("open", "closed", "filled")
_STATUS_CDF = _cdf([0.88, 0.06, 0.06])
_WEP_HOURS = np.array([8, 12, 16, 16, 20, 20, 24])
# Demand combinations drawn per job and generator; plenty for the few items a job varies.
_DEMAND_VARIANTS = 256
_MAX_SKILLS = max(len(j.skills) for s in SECTORS for j in s.jobs)
_MAX_TASKS = max(len(j.tasks) for s in SECTORS for j in s.jobs)
_MAX_CUES = 16
# Template choices are drawn as integers below this and reduced modulo the number of
# templates; 60 is divisible by every list length used (1-6), so no template is favoured.
_TEMPLATE_DRAW = 60
_N_TEMPLATE_SLOTS = 7


@dataclass(frozen=True)
class _JobTable:
    """Every job of every sector, flattened so a chunk's picks are numpy lookups."""

    jobs: tuple[Job, ...]
    sector: np.ndarray
    titles: tuple[str, ...]
    titles_lower: tuple[str, ...]
    title_off: np.ndarray
    alt_n: np.ndarray
    hours: np.ndarray
    hours_off: np.ndarray
    hours_n: np.ndarray
    hours_max: np.ndarray
    education: tuple[str, ...]
    edu_off: np.ndarray
    edu_n: np.ndarray
    evening: np.ndarray
    night: np.ndarray
    skills_n: np.ndarray
    tasks_n: np.ndarray


def _flat(groups: Sequence[Sequence[Any]]) -> tuple[list[Any], np.ndarray, np.ndarray]:
    flat: list[Any] = []
    off, n = [], []
    for g in groups:
        off.append(len(flat))
        n.append(len(g))
        flat.extend(g)
    return flat, np.asarray(off), np.asarray(n)


@lru_cache(maxsize=1)
def _job_table() -> _JobTable:
    jobs = tuple(j for s in SECTORS for j in s.jobs)
    titles, title_off, _ = _flat([(j.title, *j.alt_titles) for j in jobs])
    hours, hours_off, hours_n = _flat([j.hours for j in jobs])
    education, edu_off, edu_n = _flat([j.education for j in jobs])
    return _JobTable(
        jobs=jobs,
        sector=np.asarray([i for i, s in enumerate(SECTORS) for _ in s.jobs]),
        titles=tuple(titles), titles_lower=tuple(_lower_first(t) for t in titles),
        title_off=title_off, alt_n=np.asarray([len(j.alt_titles) for j in jobs]),
        hours=np.asarray(hours), hours_off=hours_off, hours_n=hours_n,
        hours_max=np.asarray([max(j.hours) for j in jobs]),
        education=tuple(education), edu_off=edu_off, edu_n=edu_n,
        evening=np.asarray([j.evening for j in jobs]), night=np.asarray([j.night for j in jobs]),
        skills_n=np.asarray([len(j.skills) for j in jobs]), tasks_n=np.asarray([len(j.tasks) for j in jobs]),
    )


_SECTOR_JOB_OFFSET = tuple(sum(len(x.jobs) for x in SECTORS[:s]) for s in range(len(SECTORS)))


def _org_jobs() -> tuple[tuple[int, int, np.ndarray, np.ndarray], ...]:
    """Per (sector, organisation type): the job table rows it posts and their CDF."""
    out = []
    for s, sector in enumerate(SECTORS):
        titles = [j.title for j in sector.jobs]
        for o, (_, _, allowed) in enumerate(sector.orgs):
            if allowed is None:
                idx = list(range(len(sector.jobs)))
            else:
                unknown = set(allowed) - set(titles)
                if unknown:
                    raise ValueError(f"{sector.name}: organisation jobs {sorted(unknown)} are not in the sector")
                idx = [titles.index(t) for t in allowed]
            weights = [sector.jobs[i].weight for i in idx]
            out.append((s, o, _SECTOR_JOB_OFFSET[s] + np.asarray(idx), _cdf(weights)))
    return tuple(out)


_ORG_JOBS = _org_jobs()
_ORG_OFFSET = tuple(sum(len(x.orgs) for x in SECTORS[:s]) for s in range(len(SECTORS)))
_ORG_TEXT = tuple(
    (f"{poss} {noun}", _cap_first(f"{poss} {noun}")) for s in SECTORS for poss, noun, _ in s.orgs
)


def _demand_variants(
    rng: np.random.Generator,
) -> tuple[list[list[tuple[dict, tuple[str, ...], list[str]]]], np.ndarray]:
    """Per job, ``_DEMAND_VARIANTS`` demand dicts, their list-valued items and their cues."""
    table = _job_table()
    # One uniform per demand item of a job.
    width = max(len(j.demands) for j in table.jobs)
    uniforms = rng.random((len(table.jobs) * _DEMAND_VARIANTS, width)).tolist()
    variants: list[list[tuple[dict, tuple[str, ...], list[str]]]] = []
    n_cues = np.zeros((len(table.jobs), _DEMAND_VARIANTS), dtype=np.int64)
    row = 0
    for j, job in enumerate(table.jobs):
        mine = []
        for v in range(_DEMAND_VARIANTS):
            demands = _draw_demands(job, _Draws(uniforms[row]))
            row += 1
            cues = _cues(demands)[:_MAX_CUES]
            n_cues[j, v] = len(cues)
            list_items = tuple(item for item, value in demands.items() if type(value) is list)
            mine.append((demands, list_items, cues))
        variants.append(mine)
    return variants, n_cues


def _copy_demands(demands: dict, list_items: tuple[str, ...]) -> dict:
    # Fresh lists: a caller may edit one record without changing others.
    out = demands.copy()
    for item in list_items:
        out[item] = out[item].copy()
    return out


def _random_order(rng: np.random.Generator, size: int, width: int, valid: np.ndarray) -> np.ndarray:
    """Per row, a random order of 0..valid-1 first, then the invalid slots."""
    keys = rng.random((size, width))
    keys[np.arange(width)[None, :] >= valid[:, None]] = 2.0
    return np.argsort(keys, axis=1)


def _pick_flat(rng: np.random.Generator, off: np.ndarray, n: np.ndarray) -> np.ndarray:
    return off + (rng.random(len(off)) * n).astype(np.int64)


# Contract v1.1 terms. Every paid place states its wage: the contract reads an
# absent wage as an unpaid place, and a vacature called "onbetaald" is nonsense.
# A werkervaringsplek is unpaid (it keeps the old contract) and states none.
_ONE_WAGE_SHARE = 0.2
# A werkervaringsplek is made for building up hours; a few regular places allow it too.
_START_SHARE_WEP = 0.55
_START_SHARE_PAID = 0.08
_START_FRACTIONS = (0.4, 0.5, 0.6)
# The share of places whose employer posts a werkplekaanpassing it can make: an
# employer offering a werkervaringsplek has reintegration in mind and adapts more often.
_ADJUST_SHARE_WEP = 0.35
_ADJUST_SHARE_PAID = 0.15
# Uniforms one place's terms may use; more than the terms ever take.
_TERMS_UNIFORMS = 16
_PAID_KINDS = frozenset({"vacature", "detachering"})


@lru_cache(maxsize=1)
def _ord_max_levels() -> dict[str, int]:
    fml = load_catalogue()
    return {item: fml[item].max_level for item in ADJUSTABLE_ORD}


def _hours(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _adjustment_options(demands: Mapping[str, Any], week: float, day: float, evening: bool,
                        night: bool, hours: bool) -> list[dict[str, Any]]:
    """What this employer could lighten, one dict of replacement values per option.

    Each option asks no more than the work does now (the contract's rule for
    adjustments): an ORD level one lighter, I.8 conditions added, evening work taken
    away and, when ``hours``, shorter days (and then no longer weeks than five of
    them) or a shorter week.
    """
    options: list[dict[str, Any]] = []
    max_level = _ord_max_levels()
    for item in ADJUSTABLE_ORD:
        level = demands.get(item)
        if level is not None and 1 <= level < max_level[item]:
            options.append({item: level + 1})
    conditions = demands.get("I.8")
    if conditions is not None:
        missing = [c for c in ADJUSTABLE_I8 if c not in conditions]
        if missing:
            options.append({"I.8": sorted(set(conditions) | set(missing[:2]))})
    if evening and not night:
        options.append({"evening": False})
    if not hours:
        return options
    if day > 4:
        shorter_day = 6 if day > 6 else 4
        option: dict[str, Any] = {"hours_per_day": shorter_day}
        if week > 5 * shorter_day:
            option["hours_per_week"] = 5 * shorter_day
        options.append(option)
    elif week >= 24 and week - 8 >= day:
        options.append({"hours_per_week": _hours(week - 8)})
    return options


def _terms(kind: str, job: Job, week: float, day: float, evening: bool, night: bool,
           demands: Mapping[str, Any], d: _Draws) -> dict[str, Any]:
    """A place's v1.1 terms: ``hourly_wage``, ``start_hours_per_week``, ``adjustments``."""
    terms: dict[str, Any] = {}
    paid = kind in _PAID_KINDS
    if paid:
        low, high = WAGES[job.title]
        span = high - low
        wage_min = _round_wage(low + span * 0.6 * d.u())
        if d.chance(_ONE_WAGE_SHARE):
            terms["hourly_wage"] = {"min": wage_min}
        else:
            wage_max = _round_wage(min(high, wage_min + span * (0.2 + 0.3 * d.u())))
            terms["hourly_wage"] = {"min": wage_min, "max": max(wage_min, wage_max)}
    if d.chance(_START_SHARE_PAID if paid else _START_SHARE_WEP) and week >= (20 if paid else 8):
        start = max(4, 4 * round(week * d.pick(_START_FRACTIONS) / 4))
        if start < week:
            terms["start_hours_per_week"] = start
    if d.chance(_ADJUST_SHARE_PAID if paid else _ADJUST_SHARE_WEP):
        # Nearly every place has days over four hours: offered always, shorter
        # hours would crowd out the aids and quiet rooms.
        options = _adjustment_options(demands, week, day, evening, night, hours=d.chance(0.5))
        adjustments: dict[str, Any] = {}
        for option in d.sample(options, 2 if d.chance(0.3) else 1):
            adjustments.update(option)
        if adjustments:
            terms["adjustments"] = adjustments
    return terms


def generate_placements(n: int, seed: int = 0) -> Iterator[dict]:
    """``n`` contract-v1.1 placement dicts ("p-000001", ...), deterministic for ``seed``.

    Employers ("e-0001", ...) each belong to one sector, one organisation type (which
    decides the jobs they post) and one postcode; a few employers post many places,
    most post a handful. Every paid place states an hourly wage from the job's band,
    most werkervaringsplekken and a few others let someone start with fewer hours,
    and about a fifth of the places (a third of the werkervaringsplekken) offer a
    werkplekaanpassing.
    """
    if n < 0:
        raise ValueError(f"n: must be 0 or more, got {n}")
    return _placements(n, seed)


def _employers(n: int, rng: np.random.Generator) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray, np.ndarray]:
    """Employer table: per sector the employer numbers and a CDF of their activity,
    and per employer its postcode and organisation type (an index into ``_ORG_JOBS``)."""
    _, _, pc_cdf = _postcodes()
    n_emp = max(len(SECTORS), math.ceil(n / 8))
    sector = _draw_index(_SECTOR_CDF, rng.random(n_emp))
    # Every sector gets at least one employer, so small data sets cover all sectors.
    sector[: len(SECTORS)] = np.arange(len(SECTORS))
    rng.shuffle(sector)
    postcode = _draw_index(pc_cdf, rng.random(n_emp))
    n_orgs = np.array([len(s.orgs) for s in SECTORS])[sector]
    org = np.asarray(_ORG_OFFSET)[sector] + (rng.random(n_emp) * n_orgs).astype(np.int64)
    activity = rng.lognormal(0.0, 1.0, n_emp)
    members, cdfs = [], []
    for s in range(len(SECTORS)):
        idx = np.flatnonzero(sector == s)
        members.append(idx)
        cdfs.append(_cdf(activity[idx]))
    return members, cdfs, postcode, org


def world_employers(n: int, seed: int) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray, np.ndarray]:
    """The employer table of the world of ``n`` places of ``seed``: the very one
    :func:`generate_placements` draws first, so candidates can work for its employers."""
    return _employers(n, np.random.default_rng([_PLACEMENT_STREAM, seed]))


@lru_cache(maxsize=1)
def org_posts_job() -> np.ndarray:
    """bool (organisation type, job table row): the organisation type posts the job."""
    out = np.zeros((len(_ORG_JOBS), len(_job_table().jobs)), dtype=bool)
    for o, (_, _, rows, _) in enumerate(_ORG_JOBS):
        out[o, rows] = True
    return out


def job_row(sector: int, job: int) -> int:
    """The job table row of a sector's ``job``-th job."""
    return _SECTOR_JOB_OFFSET[sector] + job


def _placements(n: int, seed: int) -> Iterator[dict]:
    rng = np.random.default_rng([_PLACEMENT_STREAM, seed])
    terms_rng = np.random.default_rng([_PLACEMENT_STREAM, seed, _TERMS_STREAM])
    codes, names, _ = _postcodes()
    table = _job_table()
    members, emp_cdfs, emp_postcode, emp_org = _employers(n, rng)
    variants, variant_cues = _demand_variants(rng)
    # Fixed minimum widths: "p-000001" is the same place whatever n (wider past 999,999).
    place_id = "p-{:06d}".format
    employer_id = "e-{:04d}".format
    kind_phrases = [_KIND[k] for k in _KINDS]
    # Hours are whole or half hours up to 60: look their Dutch text up instead of formatting.
    hours_text = {h / 2: _nl_number(h / 2) for h in range(0, 121)}
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        sector = _draw_index(_SECTOR_CDF, rng.random(size))
        emp_u = rng.random(size)
        employer = np.empty(size, dtype=np.int64)
        for s in range(len(SECTORS)):
            mask = sector == s
            if mask.any():
                employer[mask] = members[s][_draw_index(emp_cdfs[s], emp_u[mask])]
        org = emp_org[employer]
        job_u = rng.random(size)
        job = np.empty(size, dtype=np.int64)
        for o, (_, _, job_rows, cdf) in enumerate(_ORG_JOBS):
            mask = org == o
            if mask.any():
                job[mask] = job_rows[_draw_index(cdf, job_u[mask])]

        kind = _draw_index(_KIND_CDF, rng.random(size))
        status = _draw_index(_STATUS_CDF, rng.random(size))
        # A werkervaringsplek is for building up hours: fewer hours, usually one position.
        wep = kind == 2
        week = np.where(
            wep,
            np.minimum(_WEP_HOURS[(rng.random(size) * len(_WEP_HOURS)).astype(np.int64)], table.hours_max[job]),
            table.hours[_pick_flat(rng, table.hours_off[job], table.hours_n[job])],
        )
        u = rng.random(size)
        days = np.select(
            [week <= 12, week <= 24, week <= 32, week <= 36],
            [2 + (u * 2).astype(np.int64), np.where(u < 1 / 3, 3, 4), np.where(u < 2 / 3, 4, 5),
             4 + (u * 2).astype(np.int64)],
            5,
        )
        # Rounded up to half hours, so the days really cover the week.
        day = np.clip(np.ceil(week / days * 2) / 2, 1.0, 12.0)
        u = rng.random(size)
        several = np.minimum(1 + rng.geometric(0.55, size), 12)
        positions = np.where(kind == 0, np.where(u < 0.55, 1, several),
                             np.where(kind == 1, np.where(u < 0.15, 2, 1), np.where(u < 0.08, 2, 1)))
        positions[rng.random(size) < 0.03] = 0
        night = rng.random(size) < table.night[job]
        evening = (rng.random(size) < table.evening[job]) | (night & (rng.random(size) < 0.8))
        daytime_note = rng.random(size) < 0.4
        education = _pick_flat(rng, table.edu_off[job], table.edu_n[job])
        no_education = rng.random(size) < 0.1
        use_alt = (rng.random(size) < 0.3) & (table.alt_n[job] > 0)
        title = table.title_off[job] + np.where(
            use_alt, 1 + (rng.random(size) * np.maximum(table.alt_n[job], 1)).astype(np.int64), 0)
        variant = (rng.random(size) * _DEMAND_VARIANTS).astype(np.int64)
        n_skills = np.minimum(2 + (rng.random(size) * 3).astype(np.int64), table.skills_n[job])
        skill_order = _random_order(rng, size, _MAX_SKILLS, table.skills_n[job])
        n_tasks = 2 + (rng.random(size) * 2).astype(np.int64)
        task_order = _random_order(rng, size, _MAX_TASKS, table.tasks_n[job])
        cue_count = variant_cues[job, variant]
        n_cues = np.minimum(1 + (rng.random(size) * 2).astype(np.int64), cue_count)
        cue_order = _random_order(rng, size, _MAX_CUES, cue_count)
        template = rng.integers(0, _TEMPLATE_DRAW, (size, _N_TEMPLATE_SLOTS))
        pc = emp_postcode[employer]
        terms_u = terms_rng.random((size, _TERMS_UNIFORMS)).tolist()

        rows = zip(
            range(start + 1, start + size + 1), employer.tolist(), org.tolist(), job.tolist(), kind.tolist(),
            status.tolist(), week.tolist(), day.tolist(), positions.tolist(), night.tolist(), evening.tolist(),
            daytime_note.tolist(), np.where(no_education, -1, education).tolist(), title.tolist(),
            variant.tolist(), n_skills.tolist(), skill_order.tolist(), n_tasks.tolist(), task_order.tolist(),
            n_cues.tolist(), cue_order.tolist(), template.tolist(), pc.tolist(), terms_u,
        )
        for (number, emp, org_i, j, kind_i, status_i, week_h, day_h, pos, is_night, is_evening, daytime,
             edu_i, title_i, var_i, nsk, sk_order, ntk, tk_order, ncue, cu_order, tmpl, pc_i, t_u) in rows:
            job_spec = table.jobs[j]
            demands, list_items, cues = variants[j][var_i]
            skills = [job_spec.skills[i] for i in sk_order[:nsk]]
            tasks = [job_spec.tasks[i] for i in tk_order[:ntk]]
            title_text = table.titles_lower[title_i]
            org_text, org_cap = _ORG_TEXT[org_i]
            kind_name = _KINDS[kind_i]
            parts = [
                _INTRO[tmpl[0] % len(_INTRO)].format(Org=org_cap, org=org_text, place=names[pc_i], title=title_text),
                _TASKS[tmpl[1] % len(_TASKS)].format(tasks=_join_nl(tasks), title=title_text),
            ]
            parts.extend(cues[i] for i in cu_order[:ncue])
            parts.append(_HOURS[tmpl[2] % len(_HOURS)].format(week=hours_text[week_h], day=hours_text[day_h]))
            if is_night:
                parts.append(_NIGHT[tmpl[3] % len(_NIGHT)])
            elif is_evening:
                parts.append(_EVENING[tmpl[3] % len(_EVENING)])
            elif daytime:
                parts.append(_DAYTIME[tmpl[3] % len(_DAYTIME)])
            phrases = kind_phrases[kind_i]
            parts.append(phrases[tmpl[4] % len(phrases)])
            edu = table.education[edu_i] if edu_i >= 0 else None
            if edu is None or edu == "basisonderwijs":
                parts.append(_ASK_NONE[tmpl[5] % len(_ASK_NONE)])
            else:
                parts.append(_ASK_EDU[tmpl[5] % len(_ASK_EDU)].format(edu=_EDU_WORDS[edu]))
            parts.append(_ASK_SKILLS[tmpl[6] % len(_ASK_SKILLS)].format(skills=_join_nl(skills)))

            record: dict[str, Any] = {
                "id": place_id(number),
                "employer_id": employer_id(emp + 1),
                "kind": kind_name,
                "title": table.titles[title_i],
                "description": " ".join(parts),
                "location": {"postcode": codes[pc_i]},
                "hours_per_week": week_h,
                "hours_per_day": int(day_h) if day_h.is_integer() else day_h,
                "evening": is_evening,
                "night": is_night,
            }
            if edu is not None:
                record["education_level"] = edu
            record["skills"] = skills
            record["demands"] = _copy_demands(demands, list_items)
            record["positions"] = pos
            record["status"] = _STATUSES[status_i]
            record["sector"] = SECTORS[table.sector[j]].name
            record.update(_terms(kind_name, job_spec, week_h, record["hours_per_day"], is_evening, is_night,
                                 demands, _Draws(t_u)))
            yield record
