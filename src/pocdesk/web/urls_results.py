"""Routes of a POC's results: closing, retrospective, cost and ROI (/pocs/<id>/results/)."""

urlpatterns: list = []
