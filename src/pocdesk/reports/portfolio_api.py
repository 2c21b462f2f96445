"""GET /api/v1/portfolio: the portfolio figures as JSON (the page's numbers)."""

from ninja import Router

router = Router(tags=["Portfolio"])
