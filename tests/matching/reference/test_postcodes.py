"""One location per postcode: the built file, and the rule that resolves the source's duplicate rows."""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path

import pytest

from matching.reference.distance import haversine_km
from matching.reference.geo import load_gazetteer
from matching.reference.postcodes import FAR_KM, SourceRow, neighbour_median, resolve_postcodes
from matching.settings import get_settings

REPO = Path(__file__).resolve().parents[3]
# The nine postcodes whose source rows lie more than 10 km apart, and the place each must be.
CONTRADICTING = {
    "2324": "Leiden", "3523": "Utrecht", "3981": "Bunnik", "7571": "Oldenzaal", "7887": "Erica",
    "7991": "Dwingeloo", "8079": "Oldebroek", "8611": "Gaastmeer", "9999": "Stitswerd",
}
# Netherlands' bounding box, with the Wadden islands and Zuid-Limburg inside.
NL_BOX = (50.7, 53.6, 3.3, 7.3)


def _conflicts() -> dict[str, dict[str, str]]:
    path = Path(get_settings().data_dir) / "geo" / "postcode_conflicts.tsv"
    with path.open(encoding="utf-8") as fh:
        return {r["postcode"]: r for r in csv.DictReader(fh, delimiter="\t")}


def _row(pc: str, place: str, lat: float, lon: float) -> SourceRow:
    return SourceRow(postcode=pc, place=place, province_code="09", municipality="Gemeente Test",
                     municipality_code="0001", lat=lat, lon=lon)


def test_3523_is_utrecht_not_ouddorp():
    loc = load_gazetteer().locality("3523 AB")
    assert (loc.place, loc.municipality, loc.province) == ("Utrecht", "Utrecht", "Utrecht")
    utrecht = load_gazetteer().resolve("Utrecht")
    assert float(haversine_km(*loc.coords, *utrecht.coords)) < 5


@pytest.mark.parametrize("postcode,place", sorted(CONTRADICTING.items()))
def test_each_contradicting_postcode_resolves_to_the_row_its_neighbours_agree_with(postcode, place):
    gaz = load_gazetteer()
    codes = sorted(int(pc) for pc in gaz.postcodes)
    points = {int(pc): loc.coords for pc, loc in gaz.postcodes.items()}
    here = gaz.locality(postcode)
    assert here.place == place
    median = neighbour_median(int(postcode), codes, points)
    assert float(haversine_km(*median, *here.coords)) <= 15
    assert _conflicts()[postcode]["rule"] == "neighbours"


def test_every_postcode_is_one_point_in_the_netherlands_near_its_neighbours_or_listed():
    gaz = load_gazetteer()
    codes = sorted(int(pc) for pc in gaz.postcodes)
    points = {int(pc): loc.coords for pc, loc in gaz.postcodes.items()}
    listed = {pc for pc, r in _conflicts().items() if r["rule"] == "far"}
    lo_lat, hi_lat, lo_lon, hi_lon = NL_BOX
    unexplained = []
    for code in codes:
        lat, lon = points[code]
        assert lo_lat <= lat <= hi_lat and lo_lon <= lon <= hi_lon, code
        km = float(haversine_km(*neighbour_median(code, codes, points), lat, lon))
        if km > FAR_KM and f"{code:04d}" not in listed:
            unexplained.append((code, round(km)))
    assert not unexplained
    # Listed exceptions are few and each is near enough to be an island, a harbour or a range's end.
    assert len(listed) < 60


def test_rows_close_together_become_their_centroid():
    rows = [_row("3454", "De Meern", 52.080, 5.030), _row("3454", "Vleuten", 52.100, 5.010),
            _row("3453", "De Meern", 52.080, 5.040), _row("3455", "Vleuten", 52.100, 5.000)]
    got = {r.postcode: r for r in resolve_postcodes(rows)}["3454"]
    assert got.rule == "centroid" and (got.lat, got.lon) == (52.09, 5.02)
    assert got.municipality == "Test"  # "Gemeente " and " Municipality" are the source's noise


def test_a_transposed_row_loses_against_the_neighbours():
    utrecht = [_row(f"352{i}", "Utrecht", 52.08 + i / 1000, 5.12) for i in (1, 2, 4, 5)]
    rows = [*utrecht, _row("3523", "Utrecht", 52.072, 5.124), _row("3523", "Ouddorp", 51.811, 3.935)]
    got = {r.postcode: r for r in resolve_postcodes(rows)}["3523"]
    assert (got.place, got.rule, got.dropped) == ("Utrecht", "neighbours", ("Ouddorp",))
    assert (got.lat, got.lon) == (52.072, 5.124)


def test_a_single_row_far_from_every_neighbour_takes_the_neighbours_place():
    bosch = [_row(f"521{i}", "'s-Hertogenbosch", 51.69, 5.30 + i / 1000) for i in (4, 5, 6, 8)]
    rows = [*bosch, _row("5217", "'s-Gravenhage", 52.098, 4.283)]
    got = {r.postcode: r for r in resolve_postcodes(rows)}["5217"]
    assert (got.place, got.rule, got.dropped) == ("'s-Hertogenbosch", "replaced", ("'s-Gravenhage (52.10, 4.28)",))
    assert float(haversine_km(got.lat, got.lon, 51.69, 5.305)) < 1


def test_the_build_is_reproducible_and_the_readme_lists_every_correction(tmp_path):
    source = REPO.parent / "shared" / "data" / "geo_nl"
    if not (source / "geonames_postalcodes_NL_pc4.txt").exists():
        pytest.skip("the GeoNames source is not next to this checkout")
    spec = importlib.util.spec_from_file_location("build_postcodes", REPO / "scripts" / "build_postcodes.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["--source", str(source), "--out", str(tmp_path)]) == 0
    data = Path(get_settings().data_dir) / "geo"
    for name in ("postcodes_nl.tsv", "postcode_conflicts.tsv"):
        assert (tmp_path / name).read_bytes() == (data / name).read_bytes(), name
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    for pc, r in _conflicts().items():
        assert re.search(rf"^\| {pc} \| {r['rule']} \|", readme, re.M), pc
