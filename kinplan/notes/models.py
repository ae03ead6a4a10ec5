"""Case notes: the social worker's (and the allocated support caseworker's) recording of what happened on a case.

A note is a record: once saved its text is never changed. A wrong note is struck out, with the reason, and a new
one written. A note may be marked confidential (e.g. family-violence details, or where a caregiver lives when that
is withheld from a parent): then only the case's statutory staff and the note's author read it (permissions.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinplan.cases.models import validate_not_after_today
from kinplan.core.models import ArchivableModel

TEXT_MAX_LENGTH = 20_000
EARLIEST = datetime.date(1900, 1, 1)


def validate_not_before_1900(value: datetime.date) -> None:
    if value < EARLIEST:
        raise ValidationError(gettext("Enter a date after 1900."))


class CaseNote(ArchivableModel):
    """One entry in a case's recording. `archived_at` set means it was struck out (kept, shown crossed out)."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Case note")
        HOME_VISIT = "home_visit", _("Home visit")
        PHONE_CALL = "phone_call", _("Phone call")
        MEETING = "meeting", _("Meeting or hui")
        EMAIL_OR_LETTER = "email_or_letter", _("Email or letter")
        OTHER = "other", _("Other")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="notes", verbose_name=_("case"))
    about = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_notes",
        verbose_name=_("about"),
        help_text=_("The person in the case the note is mainly about, if one."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NOTE)
    occurred_on = models.DateField(
        _("date"),
        default=timezone.localdate,
        validators=[validate_not_after_today, validate_not_before_1900],
        help_text=_("When the visit, call or meeting happened."),
    )
    text = models.TextField(
        _("note"),
        validators=[
            MaxLengthValidator(
                TEXT_MAX_LENGTH,
                message=_(
                    "A note can be at most %(limit_value)d characters long (this one has %(show_value)d): "
                    "split it into two notes."
                ),
            )
        ],
        error_messages={"blank": _("Write the note."), "null": _("Write the note.")},
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    is_confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "Only the case's social worker, supervisor and site manager (and you) can read it; support services, "
            "national managers and documents made for the family or providers go without it."
        ),
    )
    confidential_reason = models.CharField(
        _("why it is confidential"),
        max_length=300,
        blank=True,
        help_text=_("e.g. Family violence: the caregiver's address is withheld from the father."),
    )
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("struck out by"),
    )
    archived_reason = models.TextField(_("why it was struck out"), blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        indexes = [models.Index(fields=["case", "-occurred_on"], name="notes_casenote_case_occurred")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_confidential=True, confidential_reason__gt="")
                | Q(is_confidential=False, confidential_reason=""),
                name="notes_casenote_confidential_has_reason",
                violation_error_message=_("A confidential note needs the reason it is confidential."),
            ),
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True, archived_reason="")
                | Q(archived_at__isnull=False, archived_reason__gt=""),
                name="notes_casenote_struck_out_has_reason",
                violation_error_message=_("A struck-out note needs the reason it was struck out."),
            ),
            models.CheckConstraint(condition=Q(occurred_on__gte=EARLIEST), name="notes_casenote_occurred_after_1900"),
        ]

    def __str__(self) -> str:
        """What history and the access log call the note: its kind and date, never a word of its text."""
        date = formats.date_format(self.occurred_on, "DATE_FORMAT") if self.occurred_on else ""
        if self.kind == self.Kind.NOTE:
            return gettext("Case note, %(date)s") % {"date": date}
        return gettext("%(kind)s note, %(date)s") % {"kind": self.get_kind_display(), "date": date}

    @property
    def is_struck_out(self) -> bool:
        return self.archived_at is not None
