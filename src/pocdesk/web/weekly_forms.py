"""The form that sends the weekly report by e-mail (§8.5).

It parses input only: whether a stakeholder belongs to the deal and has an address is checked by
`weekly_report_send`, whose errors come back under the fields of the same name.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pocdesk.people.selectors import user_label
from pocdesk.reports.weekly_send import MESSAGE_MAX_LENGTH


class IdListField(forms.Field):
    """Checked ids, any of them: the service says which ones it refuses and why."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value) -> list[int]:
        if value in (None, ""):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        ids = []
        for item in values:
            try:
                ids.append(int(item))
            except (TypeError, ValueError):
                raise forms.ValidationError(_("Choose people from the list."),
                                            code="invalid") from None
        return list(dict.fromkeys(ids))


class WeeklySendForm(forms.Form):
    recipient_ids = IdListField(label=_("Customer"), required=False)
    member_ids = IdListField(label=_("Our team"), required=False)
    message = forms.CharField(
        label=_("Message"), required=False, max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: a few words above the report."))

    def __init__(self, *args, customers, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.customers = list(customers)
        self.members = list(members)

    def checked(self, name: str) -> set[int]:
        value = self.data.getlist(name) if self.is_bound else []
        checked = set()
        for item in value:
            try:
                checked.add(int(item))
            except (TypeError, ValueError):
                continue
        return checked

    def customer_rows(self) -> list[dict]:
        checked = self.checked("recipient_ids")
        return [{"id": s.pk, "name": s.name, "title": s.title, "email": s.email,
                 "checked": s.pk in checked} for s in self.customers]

    def member_rows(self) -> list[dict]:
        checked = self.checked("member_ids")
        return [{"id": u.pk, "name": user_label(u), "title": "", "email": u.email,
                 "checked": u.pk in checked} for u in self.members]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"recipient_ids": data["recipient_ids"],
                "member_ids": data["member_ids"], "message": data["message"]}
