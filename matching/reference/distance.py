"""Great-circle distances between points given in degrees.

Every distance goes through a point's unit vector: the haversine of the angle
between two points is a quarter of their squared chord, so once a place's unit
vector is known (a table keeps them, see ``PlacementTable.points``) a distance
costs a few multiplications and one arcsine instead of three sines and cosines.
One formula for every caller, so the live list, the night and the constraint
reference measure the very same kilometres.
"""

from __future__ import annotations

import math

import numpy as np

EARTH_RADIUS_KM = 6371.0088


def unit_points(lat, lon) -> np.ndarray:
    """Unit vectors of points in degrees: x, y and z stacked first, (3, ...); broadcasts."""
    lat, lon = np.broadcast_arrays(np.radians(np.asarray(lat, dtype=np.float64)),
                                   np.radians(np.asarray(lon, dtype=np.float64)))
    cos_lat = np.cos(lat)
    return np.stack([cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)])


def squared_chords(point: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Squared straight-line distances (in earth radii) between unit vectors (3, ...)."""
    # Coordinate by coordinate, each a contiguous array: a subtraction of stacked
    # arrays and a sum over their axis took three times longer.
    dx = points[0] - point[0]
    dy = points[1] - point[1]
    dz = points[2] - point[2]
    return dx * dx + dy * dy + dz * dz


def arc_km(squared_chord) -> np.ndarray:
    """The great-circle distance in km of a squared chord (see :func:`squared_chords`)."""
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(squared_chord, 0.0, 4.0)) / 2)


def chord_limit(km: float) -> float:
    """The squared chord of ``km`` along the earth: a point is within ``km`` when its
    squared chord is at most this (rounding aside; callers leave a margin)."""
    half = min(km / (2 * EARTH_RADIUS_KM), math.pi / 2)
    return (2 * math.sin(half)) ** 2


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km; broadcasts over numpy arrays."""
    return arc_km(squared_chords(unit_points(lat1, lon1), unit_points(lat2, lon2)))
