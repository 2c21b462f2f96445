"""Reads of the results app: the closing state, the cost summary and the ROI sheet."""

from __future__ import annotations
