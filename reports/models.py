"""Problems the public reports with a program listing, and how staff resolved them.

Reports are anonymous: a kind, an optional short note and when it came in. Nothing about the
person is stored (no IP address, no account, no cookie value).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

NOTE_MAX_LENGTH = 500


class ListingReport(models.Model):
    class Kind(models.TextChoices):
        PHONE = "phone", _("The phone number is wrong or does not work")
        CLOSED = "closed", _("The program has closed")
        NOT_ACCEPTING = "not_accepting", _("It is not taking new patients")
        ADDRESS = "address", _("The address is wrong")
        SERVICES = "services", _("The services or hours are wrong")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    class Resolution(models.TextChoices):
        CHECKED = "checked", _("Checked with the program (listing is up to date)")
        NO_CHANGE = "no_change", _("No change needed")
        DUPLICATE = "duplicate", _("Same as another report")
        NOT_RELEVANT = "not_relevant", _("Not about this listing")

    program = models.ForeignKey(
        "iop.Program", on_delete=models.CASCADE, related_name="reports",
        verbose_name=_("program"),
    )
    kind = models.CharField(_("what is wrong"), max_length=20, choices=Kind.choices)
    note = models.TextField(
        _("note from the person"), max_length=NOTE_MAX_LENGTH, blank=True,
        help_text=_("What the person wrote. It may be empty."),
    )
    created = models.DateTimeField(_("received"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.CharField(
        _("resolution"), max_length=20, choices=Resolution.choices, blank=True,
        help_text=_("Choose one to resolve the report. “Checked with the program” also sets "
                    "the listing’s “last verified” date to today."),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("resolved by"),
    )
    staff_note = models.CharField(
        _("staff note"), max_length=300, blank=True,
        help_text=_("Optional, for other staff: what you checked or changed."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["phone", "closed", "not_accepting", "address", "services",
                                      "other"]),
                name="listingreport_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="open", resolution="", resolved_at__isnull=True)
                | (Q(status="resolved", resolved_at__isnull=False) & ~Q(resolution="")),
                name="listingreport_resolution_matches_status",
                violation_error_message=_(
                    "A resolved report needs a resolution and a date; an open one has neither."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "created"], name="listingreport_status_idx")]

    def __str__(self):
        return f"{self.program} – {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
