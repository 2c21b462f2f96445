"""Routes of the timebox pages (milestones, extensions, exit decision), under /pocs/<id>/."""

urlpatterns: list = []
