"""Reference data: the FML catalogue and the Dutch gazetteer."""
