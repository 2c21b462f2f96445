"""Routes of the final report page (/pocs/<id>/final-report/)."""

urlpatterns: list = []
