"""Routes of the scope pages (scope changes, commitments), under /pocs/<id>/."""

urlpatterns: list = []
