"""Distances: one formula through unit vectors, checked against the textbook haversine."""

import math

import numpy as np

from matching.reference.distance import EARTH_RADIUS_KM, arc_km, chord_limit, haversine_km, squared_chords, unit_points


def _textbook(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def test_distances_agree_with_the_haversine_formula():
    rng = np.random.default_rng(7)
    lat, lon = rng.uniform(50.7, 53.6, 500), rng.uniform(3.3, 7.3, 500)
    got = haversine_km(52.09, 5.12, lat, lon)
    want = np.array([_textbook(52.09, 5.12, a, b) for a, b in zip(lat, lon)])
    assert np.allclose(got, want, rtol=1e-9, atol=1e-9)
    # Short hops too: ten metres stay ten metres, a point is 0 from itself.
    assert abs(float(haversine_km(52.0, 5.0, 52.0 + 10 / 111_195, 5.0)) - 0.01) < 1e-6
    assert float(haversine_km(52.0, 5.0, 52.0, 5.0)) == 0.0


def test_distances_broadcast_like_their_arguments():
    lat = np.array([52.0, 52.1, 52.2])
    lon = np.array([5.0, 5.1, 5.2])
    table = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    assert table.shape == (3, 3)
    assert np.allclose(table, table.T) and np.all(np.diag(table) == 0)


def test_chord_limit_separates_within_from_beyond():
    here = unit_points(52.09, 5.12)
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(51.5, 52.7, 2000), rng.uniform(4.2, 6.0, 2000)
    squared = squared_chords(here, unit_points(lat, lon))
    km = arc_km(squared)
    for limit in (5.0, 30.0, 60.0):
        inside = squared <= chord_limit(limit) * (1 + 1e-6)
        assert np.all(km[~inside] > limit)
        assert np.all(km[inside] <= limit * (1 + 1e-6))
