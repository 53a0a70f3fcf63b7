"""Build ``data/geo/postcodes_nl.tsv``: one location per PC4 postcode.

    python scripts/build_postcodes.py [--source ../shared/data/geo_nl] [--out data/geo] [--readme]

Reads the GeoNames postcode file (see ``../shared/data/README.md``), resolves
postcodes with several rows by the rule in ``matching/reference/postcodes.py``
and writes, tab-separated with a header:

``postcodes_nl.tsv``
    postcode, place, municipality, municipality_code, province, lat, lon, rule:
    one row per postcode; ``rule`` is empty for a postcode whose one source row
    agrees with its neighbours, else the rule that placed it.
``postcode_conflicts.tsv``
    postcode, rule, km, kept, dropped: every postcode a rule touched (``dropped``
    ones are not in the first file); ``km`` is how far apart its source rows lie
    (``centroid``, ``neighbours``) or how far its one row lies from its
    neighbours' median (``replaced``, ``far``, ``dropped``); the places kept and
    dropped are joined with "|".

``--readme`` prints the tables of ``data/README.md``: the corrected postcodes,
then every postcode a rule touched.
The output depends only on the source, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from matching.reference.postcodes import SourceRow, resolve_postcodes

DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "geo_nl"
DEFAULT_OUT = REPO / "data" / "geo"
SOURCE_FILE = "geonames_postalcodes_NL_pc4.txt"
RULES = ("centroid", "neighbours", "replaced", "far", "dropped")

# The source predates the 2023 merger of Brielle, Hellevoetsluis and Westvoorne
# and leaves these postcodes without province or municipality.
VOORNE_AAN_ZEE = {"province_code": "11", "municipality": "Voorne aan Zee", "municipality_code": "1992"}


def read_source(path: Path) -> list[SourceRow]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter="\t"), 1):
            if len(row) < 11 or not row[9]:
                raise ValueError(f"{path}:{n}: expected 12 tab-separated fields with lat and lon")
            admin = {"province_code": row[4], "municipality": row[5], "municipality_code": row[6]}
            if not row[4] and not row[5]:
                admin = VOORNE_AAN_ZEE
            rows.append(SourceRow(postcode=row[1], place=row[2], lat=float(row[9]), lon=float(row[10]), **admin))
    return rows


def readme_tables(conflicts: list) -> str:
    """The corrections, then every postcode a rule touched (folded), as data/README.md shows them."""
    def table(rows) -> list[str]:
        return ["| postcode | rule | km | kept | dropped |", "|---|---|---|---|---|"] + [
            f"| {r.postcode} | {r.rule} | {r.km:.0f} | {', '.join(r.kept)} | {', '.join(r.dropped)} |"
            for r in rows]
    corrected = [r for r in conflicts if r.rule in ("neighbours", "replaced", "dropped")]
    return "\n".join([*table(corrected), "", "<details><summary>Every postcode a rule touched "
                      f"({len(conflicts)})</summary>", "", *table(conflicts), "", "</details>"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--readme", action="store_true", help="print the README table of contradicting postcodes")
    args = parser.parse_args(argv)

    resolved = resolve_postcodes(read_source(args.source / SOURCE_FILE))
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "postcodes_nl.tsv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter="\t", lineterminator="\n")
        out.writerow(["postcode", "place", "municipality", "municipality_code", "province", "lat", "lon", "rule"])
        for r in resolved:
            if r.rule == "dropped":
                continue
            out.writerow([r.postcode, r.place, r.municipality, r.municipality_code, r.province,
                          f"{r.lat:.5f}", f"{r.lon:.5f}", r.rule])
    conflicts = [r for r in resolved if r.rule]
    with (args.out / "postcode_conflicts.tsv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter="\t", lineterminator="\n")
        out.writerow(["postcode", "rule", "km", "kept", "dropped"])
        for r in conflicts:
            out.writerow([r.postcode, r.rule, f"{r.km:.1f}", "|".join(r.kept), "|".join(r.dropped)])
    counts = {rule: sum(r.rule == rule for r in resolved) for rule in RULES}
    print(f"{len(resolved)} postcodes: " + ", ".join(f"{n} {rule}" for rule, n in counts.items()), file=sys.stderr)
    if args.readme:
        print(readme_tables(conflicts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
