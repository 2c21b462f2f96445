"""Writes on the execution app (filled in below)."""
