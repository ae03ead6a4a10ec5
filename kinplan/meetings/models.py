"""Meetings with the family and professionals: who was invited, how each took part and what they said, what was
decided and the actions agreed, and — for those not there — that the outcome was sent to them (seed 003)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kinplan.cases.models import TeamMember
from kinplan.core.models import TimeStampedModel, TransitionLog


class Meeting(TimeStampedModel):
    """A planning meeting, family group conference, Child and Family Team meeting or case consult."""

    class Kind(models.TextChoices):
        PLANNING = "planning", _("Planning meeting")
        PERMANENT_CARE = "permanent_care", _("Permanent care support planning meeting")
        FAMILY_GROUP_CONFERENCE = "family_group_conference", _("Family group conference")
        TEAM = "team", _("Child and Family Team meeting")
        CASE_CONSULT = "case_consult", _("Case consult")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    starts_at = models.DateTimeField(_("Date and time"))
    place = models.CharField(
        _("place"), max_length=200, help_text=_("e.g. the family home, the site's whānau room, a video call.")
    )
    purpose = models.TextField(_("purpose"), help_text=_("What the meeting is for, in a sentence or two."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    plan = models.ForeignKey(
        "planning.Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("plan"),
        help_text=_("The version of the case's service plan this meeting is about, if any."),
    )
    decisions = models.TextField(_("decisions"), blank=True, help_text=_("What the meeting decided."))
    support_role_explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("support role explained by"),
        help_text=_("Who explained the support service's role to the participants (seed 003)."),
    )
    support_role_explained_on = models.DateField(_("support role explained on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["case", "status", "starts_at"], name="meetings_meeting_case_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="held") | ~Q(decisions=""),
                name="meetings_meeting_held_has_decisions",
                violation_error_message=_("Record what the meeting decided."),
            ),
            models.CheckConstraint(
                condition=Q(support_role_explained_by__isnull=True, support_role_explained_on__isnull=True)
                | Q(support_role_explained_by__isnull=False, support_role_explained_on__isnull=False),
                name="meetings_meeting_support_role_who_and_when",
                violation_error_message=_("Record who explained the support service's role and when."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {formats.date_format(timezone.localtime(self.starts_at), 'DATE_FORMAT')}"

    @property
    def local_date(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())


# Which status may follow which: a meeting is held or cancelled once, and neither is undone.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Meeting.Status.SCHEDULED: frozenset({Meeting.Status.HELD, Meeting.Status.CANCELLED}),
    Meeting.Status.HELD: frozenset(),
    Meeting.Status.CANCELLED: frozenset(),
}


class MeetingTransition(TransitionLog):
    """Append-only log of a meeting's status changes."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("meeting")
    )
    from_status = models.CharField(_("from status"), max_length=12, choices=Meeting.Status.choices)
    to_status = models.CharField(_("to status"), max_length=12, choices=Meeting.Status.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("meeting status change")
        verbose_name_plural = _("meeting status changes")


class MeetingParticipant(TimeStampedModel):
    """Someone invited to a meeting — a team member, a person in the case, a Kinplan user or someone by name —
    how they took part, their views in their words, and (if they were not there) the outcome sent to them."""

    class Participation(models.TextChoices):
        NOT_RECORDED = "not_recorded", _("Not recorded yet")
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        VIDEO = "video", _("By video")
        IN_WRITING = "in_writing", _("In writing")
        ABSENT = "absent", _("Did not take part")

    class OutcomeMethod(models.TextChoices):
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone call")
        IN_PERSON = "in_person", _("In person")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="participants", verbose_name=_("meeting")
    )
    team_member = models.ForeignKey(
        "cases.TeamMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_places",
        verbose_name=_("team member"),
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_places",
        verbose_name=_("person"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_places",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("Someone not recorded in the case, by name.")
    )
    role = models.CharField(_("role"), max_length=24, choices=TeamMember.Role.choices, default=TeamMember.Role.OTHER)
    is_required = models.BooleanField(
        _("is required"),
        default=False,
        help_text=_("If they do not attend, the meeting's outcome must be sent to them."),
    )
    participation = models.CharField(
        _("participation"), max_length=16, choices=Participation.choices, default=Participation.NOT_RECORDED
    )
    views = models.TextField(_("views"), blank=True, help_text=_("Their views, in their words."))
    outcome_sent_on = models.DateField(_("outcome sent on"), null=True, blank=True)
    outcome_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("outcome sent by"),
    )
    outcome_method = models.CharField(_("outcome method"), max_length=12, choices=OutcomeMethod.choices, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("meeting participant")
        verbose_name_plural = _("meeting participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(team_member__isnull=False, person__isnull=True, user__isnull=True, name="")
                | Q(team_member__isnull=True, person__isnull=False, user__isnull=True, name="")
                | Q(team_member__isnull=True, person__isnull=True, user__isnull=False, name="")
                | (Q(team_member__isnull=True, person__isnull=True, user__isnull=True) & ~Q(name="")),
                name="meetings_meetingparticipant_exactly_one_who",
                violation_error_message=_("Choose one: a team member, a person in the case, a Kinplan user or a name."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "team_member"],
                condition=Q(team_member__isnull=False),
                name="meetings_meetingparticipant_team_member_once",
                violation_error_message=_("This team member is already invited."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="meetings_meetingparticipant_person_once",
                violation_error_message=_("This person is already invited."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="meetings_meetingparticipant_user_once",
                violation_error_message=_("This user is already invited."),
            ),
            models.CheckConstraint(
                condition=Q(outcome_sent_on__isnull=True, outcome_sent_by__isnull=True, outcome_method="")
                | (Q(outcome_sent_on__isnull=False, outcome_sent_by__isnull=False) & ~Q(outcome_method="")),
                name="meetings_meetingparticipant_outcome_when_who_how",
                violation_error_message=_("Record when the outcome was sent, by whom and how."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.team_member_id:
            return self.team_member.member_name
        return str(self.person or self.user or self.name)

    @property
    def was_absent(self) -> bool:
        """Not at the meeting: they did not take part, or took part only in writing."""
        return self.participation in ABSENT

    @property
    def outcome_sent(self) -> bool:
        return self.outcome_sent_on is not None

    def outcome_owed(self, meeting_status: str) -> bool:
        """A required participant who was not at a held meeting, and has not been sent its outcome yet."""
        return meeting_status == Meeting.Status.HELD and self.is_required and self.was_absent and not self.outcome_sent


# Ways of taking part that mean someone was not at the meeting, so its outcome goes to them (seed 003).
ABSENT = frozenset({MeetingParticipant.Participation.ABSENT, MeetingParticipant.Participation.IN_WRITING})
# Ways of taking part in the meeting itself, which only make sense once it has started.
PRESENT = frozenset(
    {
        MeetingParticipant.Participation.IN_PERSON,
        MeetingParticipant.Participation.PHONE,
        MeetingParticipant.Participation.VIDEO,
    }
)


class MeetingAction(TimeStampedModel):
    """Something the meeting agreed someone will do; it may become a step in the service plan."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions", verbose_name=_("meeting"))
    what = models.CharField(_("What"), max_length=300)
    who_person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_actions",
        verbose_name=_("who person"),
    )
    who_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_actions",
        verbose_name=_("who user"),
    )
    who_name = models.CharField(
        _("who name"), max_length=200, blank=True, help_text=_("A provider or someone not in the case.")
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    step = models.OneToOneField(
        "planning.Step",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_action",
        verbose_name=_("step"),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("meeting action")
        verbose_name_plural = _("meeting actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(who_person__isnull=False, who_user__isnull=True, who_name="")
                | Q(who_person__isnull=True, who_user__isnull=False, who_name="")
                | (Q(who_person__isnull=True, who_user__isnull=True) & ~Q(who_name="")),
                name="meetings_meetingaction_exactly_one_who",
                violation_error_message=_("Say who does it: a person in the case, a Kinplan user or a name."),
            ),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def who(self) -> str:
        return str(self.who_person or self.who_user or self.who_name)

    @property
    def done(self) -> bool:
        return self.done_on is not None
