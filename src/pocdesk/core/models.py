from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """Append-only timeline and audit row, written by services in the transaction of the change."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    team = models.ForeignKey(
        "people.Team", verbose_name=_("team"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    poc = models.ForeignKey(
        "pocs.POC", verbose_name=_("POC"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="events",
    )
    verb = models.CharField(_("verb"), max_length=64)
    target_type = models.CharField(_("target type"), max_length=64)
    target_id = models.CharField(_("target id"), max_length=64)
    target_label = models.CharField(_("target"), max_length=255, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["poc", "-created_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.target_label}"

    @property
    def description(self) -> str:
        from .events import describe_event

        return describe_event(self)


class StoredFile(models.Model):
    """A document uploaded by a user. The file lives under a generated name in the default
    storage (outside the static root); only permission-checked views serve it."""

    team = models.ForeignKey("people.Team", verbose_name=_("team"), on_delete=models.PROTECT,
                             related_name="+")
    storage_key = models.CharField(_("storage key"), max_length=255, unique=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.original_name
