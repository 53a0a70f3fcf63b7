"""ESCO occupations: linking Dutch job titles, and occupational proximity."""
