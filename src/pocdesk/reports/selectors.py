"""Reads for the documents."""

from __future__ import annotations

from pocdesk.pocs.models import POC


def document_poc_get(*, poc_id: int) -> POC | None:
    """A POC by id with what every document header shows, whoever asks (the renderers check
    the permission); None when there is no such POC."""
    return (POC.objects.select_related("team", "owner", "opportunity", "opportunity__account")
            .filter(pk=poc_id).first())
