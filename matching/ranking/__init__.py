"""The ranker: score components, calibration, diversity and Dutch explanations."""
