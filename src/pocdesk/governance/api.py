"""The governance endpoints, mounted at /pocs."""

from ninja import Router

router = Router(tags=["Governance"])  # mounted at /pocs
