"""Reference data: the FML catalogue and the Dutch gazetteer."""

from matching.reference.fml import load_catalogue
from matching.reference.geo import haversine_km, load_gazetteer

__all__ = ["haversine_km", "load_catalogue", "load_gazetteer"]
