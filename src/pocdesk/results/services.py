"""Writes of the results app: results, retrospective and lessons, costs and the ROI sheet."""

from __future__ import annotations
