"""Results endpoints: results, retrospective, costs and the ROI sheet of a POC."""

from ninja import Router

router = Router(tags=["Results"])
reasons_router = Router(tags=["Results"])
