"""What every API router shares: authentication, throttling, errors, pagination, input types.

Endpoints parse input, call one service or selector and serialise; the services check
permissions and raise `ApplicationError`, which `install_error_handlers` turns into JSON.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.throttling import AnonRateThrottle, AuthRateThrottle
from ninja.utils import check_csrf
from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.people.selectors import user_get, user_label

logger = logging.getLogger(__name__)

# Database keys are 64-bit: a larger number can name nothing, so it is refused before any query.
MAX_ID = 2**63 - 1
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 200


# --- input types ---------------------------------------------------------------------------

def _printable_text(value: str) -> str:
    """Refuse NUL characters (PostgreSQL cannot store them) and lone surrogates (not UTF-8)."""
    if "\x00" in value:
        raise PydanticCustomError("text_characters", "NUL characters are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise PydanticCustomError("text_characters", "Text is not valid Unicode") from error
    return value


Text = Annotated[str, AfterValidator(_printable_text)]
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


def choice(values) -> Any:
    """A closed list of strings for a schema (shown as an enum in the OpenAPI document)."""
    return Literal[tuple(values)]


class InputSchema(Schema):
    """Request bodies refuse unknown fields, so a typo is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


# --- output building blocks ----------------------------------------------------------------

class ErrorOut(Schema):
    code: str = Field(description="Stable machine-readable code: `not_authenticated`, "
                      "`permission_denied`, `not_found`, `transition_refused`, "
                      "`validation_error`, `bad_request`, `csrf_failed`, `throttled`, "
                      "`too_large`.")
    message: str = Field(description="Human-readable message in the reader's language.")
    details: dict[str, Any] = Field(
        description="For `validation_error`: `fields` = {field: [messages]}. For "
        "`transition_refused`: `unmet` = [check codes], `checks` = [{code, message}], "
        "`from`, `to`.")


class TeamRef(Schema):
    id: int
    name: str


class NamedRef(Schema):
    id: int
    name: str


class FileRef(Schema):
    id: int
    name: str = Field(description="The uploaded file's name.")

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.original_name


class UserRef(Schema):
    id: int
    username: str
    name: str = Field(description="Display name.")

    @staticmethod
    def resolve_name(obj) -> str:
        return user_label(obj)


def owner_for(user_id: int | None):
    """The user an `owner` id names; the services check that they belong to the team."""
    if user_id is None:
        return None
    owner = user_get(user_id=user_id)
    if owner is None:
        raise ValidationFailed({"owner": [_("The owner must be a member of the team.")]})
    return owner


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Document the error answers of an operation (always 401 and 429)."""
    return dict.fromkeys(sorted({401, 429, *statuses}), ErrorOut)


# --- pagination ----------------------------------------------------------------------------

PAGINATION_HELP = (
    "Paginated: `page` (from 1) and `page_size` (1–200, default 25). The answer is "
    "`{\"items\": [...], \"count\": N}` where `count` is the number of matching objects."
)


class PageNumber(PageNumberPagination):
    """`?page=&page_size=` with bounds, answering {"items": [...], "count": N}."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        page_size: int = Field(settings.POCDESK_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE,
                               description="Objects per page (at most 200).")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=settings.POCDESK_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE,
                         **kwargs)


# --- authentication ------------------------------------------------------------------------

class BearerToken(HttpBearer):
    """`Authorization: Bearer <personal API token>` (see `pocdesk token create`)."""

    def authenticate(self, request: HttpRequest, token: str):
        from pocdesk.people.services import api_token_authenticate

        user = api_token_authenticate(key=token)
        if user is None:
            return None
        request.user = user  # the history records and the services see who acts
        if "Accept-Language" not in request.headers:
            _activate_profile_language(request, user)
        return user


def _activate_profile_language(request: HttpRequest, user) -> None:
    profile = getattr(user, "profile", None)
    language = getattr(profile, "language", None)
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SessionCookie(APIKeyCookie):
    """The browser's Django session. Writes need the CSRF token, as on every other page."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # no CSRF check for strangers: they get a plain 401
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return user


class CsrfFailed(ApplicationError):
    status = 403

    def __init__(self) -> None:
        super().__init__("csrf_failed", _("The CSRF token is missing or wrong: reload the page."))


class _SettingsRate:
    """Read the rate from `settings.POCDESK_API_THROTTLE` on each request (tests change it)."""

    def allow_request(self, request: HttpRequest) -> bool:
        rate = settings.POCDESK_API_THROTTLE
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)


class UserThrottle(_SettingsRate, AuthRateThrottle):
    """Requests per authenticated user."""


class AnonymousThrottle(_SettingsRate, AnonRateThrottle):
    """Requests per client address that failed to authenticate."""


class _AnonymousGate:
    """Last in the auth chain: throttles clients whose credentials failed, then lets them 401.

    Ninja checks throttles only after a successful authentication, so token guessing would
    otherwise never be slowed down.
    """

    def __init__(self) -> None:
        self.throttle = AnonymousThrottle(settings.POCDESK_API_THROTTLE)

    def __call__(self, request: HttpRequest) -> None:
        if not self.throttle.allow_request(request):
            raise Throttled(wait=self.throttle.wait())
        return None


def authentication() -> list:
    return [BearerToken(), SessionCookie(), _AnonymousGate()]


def throttles() -> list:
    return [UserThrottle(settings.POCDESK_API_THROTTLE)]


# --- errors ---------------------------------------------------------------------------------

def install_error_handlers(api) -> None:
    """Every refusal becomes JSON {"code", "message", "details"} with its HTTP status."""

    def respond(request, status: int, code: str, message: str, details=None):
        return api.create_response(
            request, {"code": code, "message": str(message), "details": details or {}},
            status=status)

    @api.exception_handler(ApplicationError)
    def application_error(request, error: ApplicationError):
        return api.create_response(request, error.as_dict(), status=error.status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, error: NinjaValidationError):
        fields = validation_fields(error.errors)
        return respond(request, 422, "validation_error", _("Some fields are not valid."),
                       {"fields": fields})

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, error):
        return respond(request, 401, "not_authenticated",
                       _("Sign in, or send a personal API token: Authorization: Bearer <token>."))

    @api.exception_handler(Throttled)
    def throttled(request, error: Throttled):
        seconds = int(error.wait + 0.999) if error.wait else None
        response = respond(request, 429, "throttled",
                           _("Too many requests: slow down and try again shortly."),
                           {"retry_after": seconds})
        if seconds is not None:
            response["Retry-After"] = str(seconds)
        return response

    @api.exception_handler(HttpError)
    def http_error(request, error: HttpError):
        if error.status_code == 400:
            return respond(request, 400, "bad_request",
                           _("The request body is not valid JSON."))
        return respond(request, error.status_code, "http_error", str(error))

    @api.exception_handler(Http404)
    def not_found(request, error):
        return respond(request, 404, "not_found", _("Not found."))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, error):
        return respond(request, 413, "too_large", _("The request body is too large."))

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, error):
        logger.warning("Suspicious API request: %s", error)
        return respond(request, 400, "bad_request", _("The request is not valid."))


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Ninja's pydantic errors as {field name: [translated messages]}.

    A location is ("body", "payload", "title", ...), ("query", "team") or ("path", "poc_id");
    the field is the first name after the source (and the body parameter).
    """
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = [part for part in error.get("loc", ()) if part not in ("body", "payload")]
        if location and location[0] in ("query", "path", "header", "cookie", "form"):
            location = location[1:]
        name = str(location[0]) if location else "non_field_errors"
        message = _error_message(error) if location else _("Send a JSON object.")
        if message not in fields.setdefault(name, []):
            fields[name].append(message)
    return fields


def _error_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is unknown or cannot be set here.")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Send a JSON object.")
    if kind in ("list_type", "tuple_type"):
        return _("Send a list.")
    if kind in ("string_type", "string_unicode"):
        return _("Enter a text.")
    if kind == "text_characters":
        return _("Null characters are not allowed.")
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind.startswith(("decimal_", "float_")) or kind == "finite_number":
        return _("Enter a number.")
    if kind.startswith("bool_"):
        return _("Enter true or false.")
    if kind.startswith(("date_", "datetime_")):
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(choices)s.") % {"choices": context.get("expected", "")}
    if kind in ("greater_than_equal", "greater_than"):
        limit = context.get("ge", context.get("gt"))
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": limit}
    if kind in ("less_than_equal", "less_than"):
        limit = context.get("le", context.get("lt"))
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": limit}
    if kind == "string_too_long":
        return _("Ensure this value has at most %(max_length)s characters.") % {
            "max_length": context.get("max_length")}
    return _("Enter a valid value.")
