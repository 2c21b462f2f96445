"""Turning service refusals into what a person sees: a 403 or 404 page, or errors on a form."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.html import format_html, format_html_join

from pocdesk.core.errors import (
    ApplicationError,
    NotFound,
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
)


def page(view):
    """A signed-in page whose service refusals become Django's 403 and 404 pages.

    Any other refusal that a view did not handle itself is shown as an error page with its
    translated message and status, never as a stack trace.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error
        except PermissionDenied as error:
            raise DjangoPermissionDenied(error.message) from error
        except ApplicationError as error:
            return render(request, "web/error.html", {"error": error}, status=error.status)

    return login_required(wrapper)


def add_service_errors(form, error: ValidationFailed) -> None:
    """Put each field error of the service under the form field of the same name."""
    for field_name, messages in error.fields.items():
        field = form.fields.get(field_name)
        for message in messages:
            if field is not None and not field.widget.is_hidden:
                form.add_error(field_name, message)
            elif field is not None or field_name == "non_field_errors":
                form.add_error(None, message)
            else:
                form.add_error(None, f"{field_name}: {message}")


def refusal_html(refusal: TransitionRefused, *, heading: str) -> str:
    """A heading followed by the list of every unmet check (the service's message without them)."""
    checks = refusal.details.get("checks") or []
    if not checks:
        return format_html("{}", refusal.message)
    return format_html(
        '{}<ul class="mb-0 mt-2">{}</ul>',
        heading,
        format_html_join("", "<li>{}</li>", ((check["message"],) for check in checks)),
    )


def refusal_redirect(request, error, url: str):
    """A refused change that is neither a field error nor a 403/404 (the POC is closed, not
    running...): a message on the page at `url`. The others go on to their own handling."""
    from django.contrib import messages
    from django.shortcuts import redirect

    if isinstance(error, NotFound | PermissionDenied | ValidationFailed):
        raise error
    messages.error(request, error.message)
    return redirect(url)


def is_htmx_swap(request) -> bool:
    """An htmx request that swaps part of the page (not a boosted link or a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request
