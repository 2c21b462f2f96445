"""The execution endpoints, mounted at /pocs."""

from ninja import Router

router = Router(tags=["Execution"])  # mounted at /pocs
