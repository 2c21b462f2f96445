"""Frozen, hashed versions of a POC's plan documents and the two signatures on each (§5.2).

A version holds the canonical content of one document kind ("criteria" or "agreement") as it
was when submitted for signature. Signed versions are immutable: the content's SHA-256 is
stored on the version and on each signature, so tampering with a row is detected on display.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    CRITERIA = "criteria", _("Success criteria")
    AGREEMENT = "agreement", _("Agreement")


class VersionStatus(models.TextChoices):
    AWAITING = "awaiting_signature", _("Awaiting signatures")
    SIGNED = "signed", _("Signed by both sides")
    SUPERSEDED = "superseded", _("Superseded before signing")


class SignatureSide(models.TextChoices):
    VENDOR = "vendor", _("Vendor")
    CUSTOMER = "customer", _("Customer")


class SignatureMethod(models.TextChoices):
    IN_APP = "in_app", _("Signed in pocdesk")
    SCAN = "scan", _("Signed scan uploaded")


class PlanVersion(models.Model):
    poc = models.ForeignKey("pocs.POC", verbose_name=_("POC"), on_delete=models.CASCADE,
                            related_name="plan_versions")
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices,
                              default=VersionStatus.AWAITING)
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("SHA-256 of the content"), max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    signed_at = models.DateTimeField(_("signed by both"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["poc", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["poc", "kind", "number"],
                                    name="plan_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.number}"


class Signature(models.Model):
    version = models.ForeignKey(PlanVersion, verbose_name=_("version"), on_delete=models.CASCADE,
                                related_name="signatures")
    side = models.CharField(_("side"), max_length=10, choices=SignatureSide.choices)
    method = models.CharField(_("method"), max_length=10, choices=SignatureMethod.choices)
    signer_name = models.CharField(_("signatory"), max_length=200)
    signer_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    signer_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signatory (user)"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    stakeholder = models.ForeignKey("stakeholders.Stakeholder", verbose_name=_("stakeholder"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="signatures")
    scan = models.ForeignKey("core.StoredFile", verbose_name=_("signed scan"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)
    content_hash = models.CharField(_("SHA-256 signed"), max_length=64)
    seal = models.CharField(_("seal"), max_length=64,
                            help_text=_("HMAC of the signature's facts and the content hash."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["version", "side"]
        constraints = [
            models.UniqueConstraint(fields=["version", "side"], name="signature_one_per_side"),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_side_display()} · {self.signer_name}"
