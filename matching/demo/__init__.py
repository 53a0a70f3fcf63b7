"""Synthetic Dutch demo data and the five story candidates."""
