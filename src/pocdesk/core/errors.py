"""Errors raised by services. Views, the API and the CLI translate them; users never see a trace."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class ApplicationError(Exception):
    """A refusal with a stable machine-readable code, a translated message and details."""

    status = 400

    def __init__(self, code: str, message: str, *, details: dict[str, Any] | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.details = details or {}
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class PermissionDenied(ApplicationError):
    status = 403

    def __init__(self, message: str | None = None) -> None:
        super().__init__("permission_denied", message or _("You do not have permission to do this."))


class NotFound(ApplicationError):
    status = 404

    def __init__(self, message: str | None = None) -> None:
        super().__init__("not_found", message or _("Not found."))


class ValidationFailed(ApplicationError):
    """Bad input: `fields` maps each bad field to its translated messages."""

    status = 422

    def __init__(self, fields: dict[str, list[str]], message: str | None = None) -> None:
        self.fields = {name: [str(m) for m in messages] for name, messages in fields.items()}
        super().__init__(
            "validation_error",
            message or _("Some fields are not valid."),
            details={"fields": self.fields},
        )


class TransitionRefused(ApplicationError):
    """A lifecycle transition whose guards are not met; `unmet` lists them by code."""

    status = 409

    def __init__(self, message: str, *, unmet: list[dict[str, str]], **extra: Any) -> None:
        super().__init__(
            "transition_refused",
            message,
            details={"unmet": [item["code"] for item in unmet], "checks": unmet, **extra},
        )
