"""Input forms for meetings: forms check the input; the meetings services check the rules and save.

Forms shown once per participant or action on the meeting page take their choices as plain lists, so the page
does not query again for each row."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinplan.accounts.models import User
from kinplan.cases.models import Case, Person, TeamMember
from kinplan.cases.permissions import staff_for_case
from kinplan.core.forms import DateInput, InputForm
from kinplan.meetings.models import Meeting, MeetingAction, MeetingParticipant
from kinplan.meetings.selectors import plans_of
from kinplan.meetings.services.actions import ACTION_FIELDS
from kinplan.meetings.services.meetings import EXPLAINER_ROLES, MEETING_FIELDS, UPDATE_FIELDS
from kinplan.planning.models import Goal

Participation = MeetingParticipant.Participation


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def people_in(case: Case) -> Any:
    return Person.objects.filter(participations__case=case, participations__archived_at__isnull=True).distinct()


class MeetingForm(InputForm):
    class Meta:
        model = Meeting
        fields = list(UPDATE_FIELDS)
        widgets = {
            "starts_at": DateTimeInput(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"kind": _("Kind of meeting"), "plan": _("The plan it is about (optional)")}
        help_texts = {"starts_at": _("New Zealand time. A meeting already held can be entered too, then marked held.")}

    def __init__(self, *args: Any, case: Case, with_decisions: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans_of(case)
        if not with_decisions:
            del self.fields["decisions"]
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("plan", case.plans.filter(is_current=True).values_list("pk", flat=True).first())

    def details(self) -> dict[str, Any]:
        names = UPDATE_FIELDS if "decisions" in self.fields else MEETING_FIELDS
        return {name: self.cleaned_data[name] for name in names}


VIEWS_LABEL = _("Their views, in their words")
REQUIRED_CHOICES = [("", _("As on the team (otherwise no)")), ("yes", _("Yes")), ("no", _("No"))]


class ParticipantForm(forms.Form):
    team_member = forms.ModelChoiceField(
        queryset=TeamMember.objects.none(), required=False, label=_("A member of the Child and Family Team")
    )
    person = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label=_("…or a person in the case"))
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("…or a Kinplan user"),
        help_text=_("For example the support-service caseworker."),
    )
    name = forms.CharField(
        required=False,
        max_length=200,
        label=_("…or someone by name"),
        help_text=_("Someone not recorded in the case, e.g. a lawyer for child."),
    )
    role = forms.ChoiceField(
        choices=[("", "—"), *TeamMember.Role.choices],
        required=False,
        label=_("Their role"),
        help_text=_("Team members keep their team role."),
    )
    is_required = forms.ChoiceField(
        choices=REQUIRED_CHOICES,
        required=False,
        label=_("Required: is the outcome sent to them if they are not there?"),
    )
    participation = forms.ChoiceField(choices=Participation.choices, label=_("How they took part"))
    views = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=VIEWS_LABEL)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team_member"].queryset = case.team_members.filter(archived_at__isnull=True).select_related(
            "person", "user"
        )
        self.fields["team_member"].label_from_instance = lambda m: f"{m.member_name} ({m.get_role_display()})"
        self.fields["person"].queryset = people_in(case)
        self.fields["user"].queryset = staff_for_case(case)

    def details(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["is_required"] = {"yes": True, "no": False}.get(data["is_required"])
        return data


class ParticipationForm(forms.Form):
    participation = forms.ChoiceField(choices=Participation.choices, label=_("How they took part"))
    views = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=VIEWS_LABEL)


class OutcomeForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), required=False, widget=DateInput())
    method = forms.ChoiceField(
        choices=[("", "—"), *MeetingParticipant.OutcomeMethod.choices], required=False, label=_("How")
    )
    sent_by = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Sent by"))

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        """Without `case` (inline on the meeting page) the outcome is recorded as sent by whoever records it."""
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].initial = timezone.localdate()
        if case is None:
            del self.fields["sent_by"]
        else:
            self.fields["sent_by"].queryset = staff_for_case(case)


class ActionForm(InputForm):
    class Meta:
        model = MeetingAction
        fields = list(ACTION_FIELDS)
        widgets = {"due_on": DateInput()}
        labels = {
            "what": _("What is to be done"),
            "who_person": _("Who: a person in the case"),
            "who_user": _("…or a Kinplan user"),
            "who_name": _("…or someone by name"),
            "due_on": _("By when"),
        }

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["who_person"].queryset = people_in(case)
        self.fields["who_user"].queryset = staff_for_case(case)

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ACTION_FIELDS}


def goal_label(goal: Goal) -> str:
    title = (
        gettext("%(title)s (alternative)") % {"title": goal.title}
        if goal.track == Goal.Track.ALTERNATIVE
        else goal.title
    )
    return f"{'— ' if goal.parent_id else ''}{title}"


class MakeStepForm(forms.Form):
    goal = forms.TypedChoiceField(coerce=int, label=_("Towards which goal"))

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = {g.pk: g for g in goals}
        self.fields["goal"].choices = [(g.pk, goal_label(g)) for g in goals]
        if goals:
            self.fields["goal"].initial = goals[0].pk
        else:
            self.fields["goal"].required = False

    def chosen_goal(self) -> Goal | None:
        return self.goals.get(self.cleaned_data.get("goal"))  # type: ignore[arg-type]


class ActionDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()


class SupportRoleForm(forms.Form):
    explained_by = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Explained by"))
    explained_on = forms.DateField(label=_("On"), required=False, widget=DateInput())

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = staff_for_case(meeting.case).filter(role__in=EXPLAINER_ROLES)
        self.fields["explained_by"].queryset = staff
        self.fields["explained_by"].label_from_instance = lambda u: f"{u} ({u.get_role_display().lower()})"
        self.fields["explained_on"].initial = min(meeting.local_date, timezone.localdate())


class HoldForm(forms.Form):
    decisions = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5}), label=_("What the meeting decided")
    )
    note = forms.CharField(required=False, max_length=500, label=_("Note for the meeting's history (optional)"))


class CancelForm(forms.Form):
    note = forms.CharField(required=False, max_length=500, label=_("Why was it cancelled?"))


MOVE_FORMS: dict[str, type[forms.Form]] = {Meeting.Status.HELD: HoldForm, Meeting.Status.CANCELLED: CancelForm}
