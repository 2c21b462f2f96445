"""Sending the weekly status report by e-mail to chosen people of the deal (§8.5).

One message per recipient, in the POC's language: the report as HTML with a plain-text
alternative, and the PDF attached. Recipients are customer stakeholders of the deal with an
e-mail address and members of the POC's team; anyone else is refused by field.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.core.events import event_record, register_event_verbs
from pocdesk.core.pdf import plain_text, render_pdf
from pocdesk.core.permissions import require_perm
from pocdesk.people.selectors import user_label
from pocdesk.stakeholders.resolve import DealPeople

from .formatting import date_text
from .weekly import week_bounds
from .weekly_document import weekly_document_context, weekly_filename

MESSAGE_MAX_LENGTH = 2000
MAX_RECIPIENTS = 50

register_event_verbs({
    "weekly_report.sent": lambda event: _describe_sent(event),
})


def _describe_sent(event) -> str:
    data = event.data or {}
    names = ", ".join(recipient.get("name", "") for recipient in data.get("recipients", []))
    return _("Weekly report of the week of %(week)s sent to %(names)s") % {
        "week": date_text(data.get("week")) or data.get("week", ""), "names": names}


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    side: str  # "customer" or "vendor"

    @property
    def address(self) -> str:
        return formataddr((self.name, self.email))


def _ids(values) -> list:
    if values in (None, ""):
        return []
    if isinstance(values, str | int):
        return [values]
    return list(values)


def weekly_recipients(*, poc, recipient_ids=(), member_ids=()) -> list[Recipient]:
    """The people chosen, checked: customer stakeholders of the deal with an e-mail address
    (`recipient_ids`) and members of the POC's team (`member_ids`); errors by field."""
    people = DealPeople(poc)
    errors: dict[str, list[str]] = {}
    recipients: list[Recipient] = []

    def refuse(field: str, message: str) -> None:
        if message not in errors.setdefault(field, []):
            errors[field].append(message)

    for value in _ids(recipient_ids):
        found: dict[str, list[str]] = {}
        stakeholder = people.customer(value, "recipient_ids", found)
        if stakeholder is None:
            refuse("recipient_ids", found.get("recipient_ids", [""])[0]
                   or _("Choose a customer stakeholder of this deal."))
        elif not stakeholder.email:
            refuse("recipient_ids", _("%(name)s has no e-mail address: add one to their "
                                      "stakeholder record first.") % {"name": stakeholder.name})
        else:
            recipients.append(Recipient(stakeholder.name, stakeholder.email, "customer"))
    for value in _ids(member_ids):
        found = {}
        user = people.member(value, "member_ids", found)
        if user is None:
            refuse("member_ids", found["member_ids"][0])
        elif not user.email:
            refuse("member_ids", _("%(name)s has no e-mail address.") % {"name": user_label(user)})
        else:
            recipients.append(Recipient(user_label(user), user.email, "vendor"))
    unique = list({recipient.email.lower(): recipient for recipient in recipients}.values())
    if not errors and not unique:
        refuse("recipient_ids", _("Choose at least one recipient."))
    if len(unique) > MAX_RECIPIENTS:
        refuse("recipient_ids", ngettext("Send it to %(count)d person at most.",
                                         "Send it to %(count)d people at most.", MAX_RECIPIENTS)
               % {"count": MAX_RECIPIENTS})
    if errors:
        raise ValidationFailed(errors)
    return unique


def _sender_label(actor) -> str:
    return user_label(actor) if actor is not None else ""


@transaction.atomic
def weekly_report_send(*, actor, poc, week_start: datetime.date, recipient_ids=(),
                       member_ids=(), message: str = "") -> list[Recipient]:
    """E-mail the report of the week of `week_start` (any day of it) to the chosen people.

    `recipient_ids` are customer stakeholders of the deal, `member_ids` users of the POC's
    team. Returns who it was sent to; records the Event `weekly_report.sent`.
    """
    require_perm(actor, "pocdesk.edit_poc", poc)
    errors: dict[str, list[str]] = {}
    message = plain_text(message)
    if len(message) > MESSAGE_MAX_LENGTH:
        errors["message"] = [_("Keep the message to %(count)d characters at most.")
                             % {"count": MESSAGE_MAX_LENGTH}]
    try:
        recipients = weekly_recipients(poc=poc, recipient_ids=recipient_ids,
                                       member_ids=member_ids)
    except ValidationFailed as error:
        errors.update(error.fields)
    if errors:
        raise ValidationFailed(errors)
    monday = week_bounds(week_start)[0]
    with translation.override(poc.language):
        context = weekly_document_context(poc=poc, week_start=monday)
        pdf = render_pdf(render_to_string("reports/weekly.html", context))
        context.update(message=message, sender=_sender_label(actor))
        weekly = context["weekly"]
        subject = _("%(title)s · %(poc)s · %(week)s") % {
            "title": weekly["title"], "poc": poc.title, "week": weekly["week_text"]}
        text_body = render_to_string("reports/weekly_email.txt", context)
        html_body = render_to_string("reports/weekly_email.html", context)
    filename = weekly_filename(poc=poc, week_start=monday)
    reply_to = [actor.email] if getattr(actor, "email", "") else None
    messages = []
    for recipient in recipients:
        email = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text_body,
                                       from_email=settings.DEFAULT_FROM_EMAIL,
                                       to=[recipient.address], reply_to=reply_to)
        email.attach_alternative(html_body, "text/html")
        email.attach(filename, pdf, "application/pdf")
        messages.append(email)
    try:
        get_connection(fail_silently=False).send_messages(messages)
    except OSError as error:
        raise ApplicationError("email_not_sent", _(
            "The e-mail server did not accept the report: nothing was recorded. Try again "
            "later or ask an administrator to check the e-mail settings."),
            status=503) from error
    event_record(actor=actor, verb="weekly_report.sent", target=poc, poc=poc, team=poc.team,
                 data={"week": monday.isoformat(),
                       "recipients": [{"name": r.name, "email": r.email, "side": r.side}
                                      for r in recipients],
                       "message": bool(message)})
    return recipients
