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


def place_row_errors(rows, error: ValidationFailed | None, *, prefix: str
                     ) -> ValidationFailed | None:
    """Put the service's `prefix.N.field` errors on the form of row N; return the rest.

    `rows` are the forms in the order the service saw them, or `(form, row)` pairs. Each row's
    errors go through `add_service_errors`, so an error on a hidden field (a key, a reference)
    is shown above the row rather than lost. What names no row (the list as a whole, a row
    out of range, another prefix) comes back for the caller to show, or None when nothing is
    left.
    """
    if error is None:
        return None
    forms = [row[0] if isinstance(row, tuple) else row for row in rows]
    rest: dict[str, list] = {}
    for name, messages in error.fields.items():
        head, _dot, tail = name.partition(".")
        index, _dot, field_name = tail.partition(".")
        if head != prefix or not index.isdigit() or int(index) >= len(forms):
            rest[name] = messages
            continue
        add_service_errors(forms[int(index)],
                           ValidationFailed({field_name or "non_field_errors": messages}))
    return ValidationFailed(rest) if rest else None


def add_formset_errors(formset, error: ValidationFailed | None) -> None:
    """Errors that name no row of `formset`, shown above its rows."""
    if error is None:
        return
    formset._non_form_errors = formset.error_class([
        *formset.non_form_errors(),
        *(message for messages in error.fields.values() for message in messages)])


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
