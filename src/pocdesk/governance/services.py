"""Writes on the governance app (filled in below)."""
