"""REST endpoints under /api/v1/pocs/{id}/ (filled in by the API work)."""

from ninja import Router

router = Router()
