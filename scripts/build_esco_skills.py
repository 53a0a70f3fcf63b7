"""Build the compact ESCO skill files in ``data/esco`` from the ESCO skills dump.

    python scripts/build_esco_skills.py [--source ../shared/data/esco_skills] [--out data/esco]

Reads ``occupationSkillRelations.csv``, ``skills_en.csv`` and
``skills_nl_labels.tsv`` (see that folder's README for sources and licences) and
writes two xz-compressed, tab-separated files with a header row:

``skills.tsv.xz``
    key, type, reuse, label_en, label_nl, alt_en: one row per skill that at least
    one occupation of ``data/esco/occupations_nl.csv`` uses. ``key`` is the UUID
    tail of the skill URI; ``type`` is "skill", "knowledge" or empty (ESCO leaves
    a few untyped); ``label_nl`` is empty where no Dutch label exists; ``alt_en``
    holds the English alternative labels joined with "|".
``occupation_skills.tsv.xz``
    occupation, skill, relation: occupation and skill UUID tails, "e" (essential)
    or "o" (optional).

Relations whose occupation is not in the repository's ESCO occupations are
dropped and counted. Rows are sorted and the xz container carries no time or
file name, so the same input always gives the same bytes (with the same liblzma).

Why xz and not gzip: every relation names a skill by its random UUID, and
gzip's 32 KB window cannot refer back to the skill's earlier rows, so gzip
stores each UUID again (3.7 MB for both files); a 16 MB xz dictionary spans the
whole file and stores a reference instead (1.8 MB), at about the same speed.
"""

from __future__ import annotations

import argparse
import csv
import io
import lzma
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from matching.occupations.esco import OCCUPATION_PREFIX, read_esco  # noqa: E402
from matching.occupations.skills import (  # noqa: E402
    OCCUPATION_SKILLS_FILE, RELATIONS_HEADER, SKILL_PREFIX, SKILLS_FILE, SKILLS_HEADER)

DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "esco_skills"
DEFAULT_OUT = REPO / "data" / "esco"

SKILL_TYPES = {"skill/competence": "skill", "knowledge": "knowledge"}
RELATION_CODES = {"essential": "e", "optional": "o"}
# The joiner of alternative labels; the build refuses a label that contains it.
ALT_SEPARATOR = "|"


def _tail(uri: str, prefix: str) -> str:
    if not uri.startswith(prefix):
        raise ValueError(f"{uri!r} does not start with {prefix!r}")
    return uri[len(prefix):]


def _clean(text: str) -> str:
    # Soft hyphens and runs of white space are typesetting, not part of a name.
    return " ".join(text.replace("\xad", "").split())


def _check_field(text: str, where: str) -> str:
    if "\t" in text or "\n" in text or ALT_SEPARATOR in text:
        raise ValueError(f"{where}: {text!r} contains a tab, newline or {ALT_SEPARATOR!r}")
    return text


# Fast match finding with a dictionary larger than either file: nearly all of
# preset 6's gain (a repeated UUID becomes a back-reference) at a tenth of its time.
XZ_FILTERS = [{"id": lzma.FILTER_LZMA2, "preset": 1, "dict_size": 1 << 24}]


def _write_tsv_xz(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> int:
    """Write rows as xz-compressed TSV with a fixed header; return the size in bytes."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter="\t", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = lzma.compress(text.getvalue().encode("utf-8"), format=lzma.FORMAT_XZ, filters=XZ_FILTERS)
    path.write_bytes(data)
    return len(data)


def build(source: Path, out: Path, esco_dir: Path | None = None, max_alt: int | None = None,
          log=print) -> dict[str, int]:
    """Write the two files into `out`; return counts (and file sizes in bytes)."""
    source, out = Path(source), Path(out)
    esco = read_esco(Path(esco_dir) if esco_dir is not None else REPO / "data" / "esco")
    known = set(esco.uris)

    relations: dict[tuple[str, str], str] = {}
    dropped, dropped_occupations = 0, set()
    with (source / "occupationSkillRelations.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            occupation = row["occupationUri"]
            if occupation not in known:
                dropped += 1
                dropped_occupations.add(occupation)
                continue
            key = (_tail(occupation, OCCUPATION_PREFIX), _tail(row["skillUri"], SKILL_PREFIX))
            code = RELATION_CODES[row["relationType"]]
            # Should ESCO ever list a pair twice, essential wins.
            if relations.get(key) != "e":
                relations[key] = code
    used = {skill for _, skill in relations}

    dutch: dict[str, str] = {}
    with (source / "skills_nl_labels.tsv").open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        next(reader)
        for uri, label in reader:
            dutch[_tail(uri, SKILL_PREFIX)] = _clean(label)

    skills: list[tuple[str, ...]] = []
    with (source / "skills_en.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = _tail(row["conceptUri"], SKILL_PREFIX)
            if key not in used:
                continue
            label = _check_field(_clean(row["preferredLabel"]), key)
            seen = {label.lower()}
            alts: list[str] = []
            for alt in row["altLabels"].split("\n"):
                alt = _clean(alt)
                if alt and alt.lower() not in seen:
                    seen.add(alt.lower())
                    alts.append(_check_field(alt, key))
            if max_alt is not None:
                alts = alts[:max_alt]
            skills.append((key, SKILL_TYPES.get(row["skillType"], ""), row["reuseLevel"].strip(), label,
                           _check_field(dutch.get(key, ""), key), ALT_SEPARATOR.join(alts)))
    missing = used - {s[0] for s in skills}
    if missing:
        raise ValueError(f"{len(missing)} related skills are not in skills_en.csv, e.g. {min(missing)}")
    skills.sort()

    out.mkdir(parents=True, exist_ok=True)
    skill_bytes = _write_tsv_xz(out / SKILLS_FILE, SKILLS_HEADER, skills)
    relation_bytes = _write_tsv_xz(out / OCCUPATION_SKILLS_FILE, RELATIONS_HEADER,
                               [(o, s, c) for (o, s), c in sorted(relations.items())])
    counts = {
        "skills": len(skills),
        "skills_with_dutch": sum(1 for s in skills if s[4]),
        "alt_labels": sum(len(s[5].split(ALT_SEPARATOR)) for s in skills if s[5]),
        "relations": len(relations),
        "essential": sum(1 for c in relations.values() if c == "e"),
        "occupations_with_skills": len({o for o, _ in relations}),
        "occupations": len(esco),
        "dropped_relations": dropped,
        "dropped_occupations": len(dropped_occupations),
        "skills_bytes": skill_bytes,
        "relations_bytes": relation_bytes,
    }
    log(f"{SKILLS_FILE}: {counts['skills']} skills ({counts['skills_with_dutch']} with a Dutch label, "
        f"{counts['alt_labels']} English alternative labels), {skill_bytes:,} bytes")
    log(f"{OCCUPATION_SKILLS_FILE}: {counts['relations']} relations ({counts['essential']} essential) "
        f"over {counts['occupations_with_skills']} of {counts['occupations']} occupations, {relation_bytes:,} bytes")
    log(f"dropped {dropped} relations of {len(dropped_occupations)} occupations "
        f"that are not in the repository's ESCO occupations")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                        help="folder with the ESCO skills dump (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    parser.add_argument("--esco-dir", type=Path, default=None,
                        help="folder with occupations_nl.csv (default: data/esco in the repository)")
    parser.add_argument("--max-alt", type=int, default=None,
                        help="keep at most this many English alternative labels per skill (default: all)")
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        parser.error(f"no such folder: {args.source}")
    build(args.source, args.out, esco_dir=args.esco_dir, max_alt=args.max_alt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
