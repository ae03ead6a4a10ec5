"""Court orders with their conditions, and the hearings around them (seed 002: ensuring compliance with court
orders; seed 003: the chief executive's orders are discharged and caregiver orders granted)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinplan.core.models import TimeStampedModel, TransitionLog


class OrderKind(models.TextChoices):
    """New Zealand orders a social worker tracks. The Oranga Tamariki Act 1989 places a child in the chief
    executive's care; the Care of Children Act 2004 (and special guardianship) secure a permanent caregiver."""

    CE_INTERIM_CUSTODY = "ce_interim_custody", _("Interim custody to the chief executive (Oranga Tamariki Act s78)")
    CE_CUSTODY = "ce_custody", _("Custody to the chief executive (Oranga Tamariki Act s101)")
    CE_ADDITIONAL_GUARDIANSHIP = (
        "ce_additional_guardianship",
        _("Additional guardianship to the chief executive (Oranga Tamariki Act s110)"),
    )
    CE_SOLE_GUARDIANSHIP = (
        "ce_sole_guardianship",
        _("Sole guardianship to the chief executive (Oranga Tamariki Act s110)"),
    )
    SERVICES = "services", _("Services order (Oranga Tamariki Act s86)")
    SUPPORT = "support", _("Support order (Oranga Tamariki Act s91)")
    PARENTING = "parenting", _("Parenting order for the caregiver (Care of Children Act s48)")
    GUARDIANSHIP = "guardianship", _("Guardianship order for the caregiver (Care of Children Act s27)")
    SPECIAL_GUARDIANSHIP = "special_guardianship", _("Special guardianship order (Oranga Tamariki Act s113A)")
    PROTECTION = "protection", _("Protection order (Family Violence Act 2018)")
    OTHER = "other", _("Other order")


# Orders that place the child in the chief executive's care: discharging them all ends the state's care.
CHIEF_EXECUTIVE_KINDS = frozenset(
    {
        OrderKind.CE_INTERIM_CUSTODY,
        OrderKind.CE_CUSTODY,
        OrderKind.CE_ADDITIONAL_GUARDIANSHIP,
        OrderKind.CE_SOLE_GUARDIANSHIP,
    }
)
# Orders made for the permanent caregiver (seed 003: "caregiver orders have been granted").
CAREGIVER_KINDS = frozenset({OrderKind.PARENTING, OrderKind.GUARDIANSHIP, OrderKind.SPECIAL_GUARDIANSHIP})
SERVICE_KINDS = frozenset({OrderKind.SERVICES, OrderKind.SUPPORT})

# The kinds as the order form groups them.
KIND_GROUPS = [
    (
        _("Placing the child in the chief executive's care"),
        [(k.value, k.label) for k in OrderKind if k in CHIEF_EXECUTIVE_KINDS],
    ),
    (_("Services and support"), [(k.value, k.label) for k in OrderKind if k in SERVICE_KINDS]),
    (_("For the permanent caregiver"), [(k.value, k.label) for k in OrderKind if k in CAREGIVER_KINDS]),
    (
        _("Other orders"),
        [(OrderKind.PROTECTION.value, OrderKind.PROTECTION.label), (OrderKind.OTHER.value, OrderKind.OTHER.label)],
    ),
]


class CourtOrder(TimeStampedModel):
    """An order of the court about a child (or all the children) of a case, in force until it ends."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        DISCHARGED = "discharged", _("Discharged")
        EXPIRED = "expired", _("Expired")
        REPLACED = "replaced", _("Replaced by another order")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="court_orders", verbose_name=_("case")
    )
    child = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="court_orders",
        verbose_name=_("child"),
        help_text=_("Leave empty when the order concerns every child in the case."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrderKind.choices)
    granted_to = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="court_orders_granted",
        verbose_name=_("granted to"),
        help_text=_("For a caregiver order: the caregiver it is made for."),
    )
    court = models.CharField(_("court"), max_length=200, help_text=_("e.g. Family Court at Porirua."))
    reference = models.CharField(_("Court file number"), max_length=60, blank=True)
    made_on = models.DateField(_("Made on"))
    expires_on = models.DateField(_("Expires on"), null=True, blank=True)
    review_on = models.DateField(
        _("Court review"), null=True, blank=True, help_text=_("When the court reviews the order.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_FORCE)
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, help_text=_("The date it was discharged, expired or replaced.")
    )
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["-made_on", "-id"]
        verbose_name = _("court order")
        verbose_name_plural = _("court orders")
        indexes = [models.Index(fields=["case", "status"], name="court_order_case_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("made_on")),
                name="court_courtorder_expires_after_made",
                violation_error_message=_("An order expires after the date it was made."),
            ),
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gt=models.F("made_on")),
                name="court_courtorder_review_after_made",
                violation_error_message=_("The court reviews an order after it was made."),
            ),
            models.CheckConstraint(
                condition=Q(status="in_force", ended_on__isnull=True)
                | (~Q(status="in_force") & Q(ended_on__isnull=False)),
                name="court_courtorder_ended_on_iff_ended",
                violation_error_message=_("An order that has ended needs the date it ended; one in force has none."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("made_on")),
                name="court_courtorder_ends_after_made",
                violation_error_message=_("An order cannot end before it was made."),
            ),
            models.CheckConstraint(
                condition=Q(status="replaced", replaced_by__isnull=False)
                | (~Q(status="replaced") & Q(replaced_by__isnull=True)),
                name="court_courtorder_replaced_names_replacement",
                violation_error_message=_("A replaced order names the order that replaced it."),
            ),
            models.CheckConstraint(
                condition=~Q(replaced_by=models.F("pk")),
                name="court_courtorder_not_replaced_by_itself",
                violation_error_message=_("An order cannot replace itself."),
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display().split(" (")[0]
        return f"{label}, {formats.date_format(self.made_on, 'DATE_FORMAT')}" if self.made_on else label

    @property
    def is_in_force(self) -> bool:
        return self.status == self.Status.IN_FORCE

    @property
    def is_chief_executive_order(self) -> bool:
        return self.kind in CHIEF_EXECUTIVE_KINDS

    @property
    def is_caregiver_order(self) -> bool:
        return self.kind in CAREGIVER_KINDS

    def is_past_expiry(self, today: datetime.date) -> bool:
        """In force on paper but past its expiry date: the worker should record that it expired."""
        return self.is_in_force and self.expires_on is not None and self.expires_on <= today


# Which status may follow which: an order ends once, and an ended order is kept as it was.
ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    CourtOrder.Status.IN_FORCE: frozenset(
        {CourtOrder.Status.DISCHARGED, CourtOrder.Status.EXPIRED, CourtOrder.Status.REPLACED}
    ),
    CourtOrder.Status.DISCHARGED: frozenset(),
    CourtOrder.Status.EXPIRED: frozenset(),
    CourtOrder.Status.REPLACED: frozenset(),
}


class OrderTransition(TransitionLog):
    """Append-only log of an order's status changes."""

    order = models.ForeignKey(CourtOrder, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("order"))
    from_status = models.CharField(_("from status"), max_length=12, choices=CourtOrder.Status.choices)
    to_status = models.CharField(_("to status"), max_length=12, choices=CourtOrder.Status.choices)
    on = models.DateField(_("on"), help_text=_("The date the change took effect."))

    class Meta(TransitionLog.Meta):
        verbose_name = _("court order status change")
        verbose_name_plural = _("court order status changes")


class OrderCondition(TimeStampedModel):
    """One condition of an order, its compliance as last checked, and the plan steps that satisfy it."""

    class Compliance(models.TextChoices):
        NOT_YET_DUE = "not_yet_due", _("Not yet due")
        COMPLYING = "complying", _("Complying")
        PARTLY = "partly_complying", _("Partly complying")
        NOT_COMPLYING = "not_complying", _("Not complying")
        MET = "met", _("Met")

    order = models.ForeignKey(CourtOrder, on_delete=models.PROTECT, related_name="conditions", verbose_name=_("order"))
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("The condition"), help_text=_("As the order words it."))
    compliance = models.CharField(
        _("compliance"), max_length=20, choices=Compliance.choices, default=Compliance.NOT_YET_DUE
    )
    checked_on = models.DateField(_("Checked on"), null=True, blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("What the compliance rests on: what was seen, said or received.")
    )
    steps = models.ManyToManyField(
        "planning.Step",
        blank=True,
        related_name="court_conditions",
        verbose_name=_("steps"),
        help_text=_("The plan steps that satisfy it."),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("order condition")
        verbose_name_plural = _("order conditions")
        constraints = [
            models.CheckConstraint(
                condition=Q(compliance="not_yet_due") | Q(checked_on__isnull=False),
                name="court_ordercondition_checked_has_date",
                violation_error_message=_("Record the date compliance was checked."),
            ),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else f"{self.text[:79]}…"

    @property
    def needs_attention(self) -> bool:
        return self.compliance in (self.Compliance.PARTLY, self.Compliance.NOT_COMPLYING)


class Hearing(TimeStampedModel):
    """A court hearing for the case: when, where, what for, and (once it has happened) its outcome."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        ADJOURNED = "adjourned", _("Adjourned")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="hearings", verbose_name=_("case"))
    order = models.ForeignKey(
        CourtOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hearings",
        verbose_name=_("order"),
        help_text=_("The order the hearing is about, if any."),
    )
    date = models.DateField(_("Date"))
    time = models.TimeField(_("Time"), null=True, blank=True)
    court = models.CharField(_("court"), max_length=200, help_text=_("e.g. Family Court at Porirua."))
    purpose = models.CharField(
        _("purpose"), max_length=200, help_text=_("e.g. review of the plan; application to discharge the orders.")
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Who attends, reports due, anything to prepare."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    outcome = models.TextField(_("outcome"), blank=True)
    adjourned_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjourned_from",
        verbose_name=_("adjourned to"),
        help_text=_("The hearing it was adjourned to."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["date", "time", "id"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        indexes = [models.Index(fields=["case", "status", "date"], name="court_hearing_case_status_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="scheduled") | ~Q(outcome=""),
                name="court_hearing_outcome_once_over",
                violation_error_message=_("Record what happened: the outcome, or why it was adjourned or cancelled."),
            ),
            models.CheckConstraint(
                condition=Q(adjourned_to__isnull=True) | Q(status="adjourned"),
                name="court_hearing_adjourned_to_only_if_adjourned",
                violation_error_message=_("Only an adjourned hearing is adjourned to another."),
            ),
        ]

    def __str__(self) -> str:
        if not self.date:
            return gettext("Hearing: %(purpose)s") % {"purpose": self.purpose}
        date = formats.date_format(self.date, "DATE_FORMAT")
        return gettext("Hearing %(date)s: %(purpose)s") % {"date": date, "purpose": self.purpose}

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED

    def outcome_overdue(self, today: datetime.date) -> bool:
        """Its date has passed and nothing is recorded yet."""
        return self.is_scheduled and self.date < today


# A scheduled hearing is held, adjourned or cancelled once; what happened then is kept as it was.
HEARING_TRANSITIONS: dict[str, frozenset[str]] = {
    Hearing.Status.SCHEDULED: frozenset({Hearing.Status.HELD, Hearing.Status.ADJOURNED, Hearing.Status.CANCELLED}),
    Hearing.Status.HELD: frozenset(),
    Hearing.Status.ADJOURNED: frozenset(),
    Hearing.Status.CANCELLED: frozenset(),
}
