"""Meeting pages: parse, authorise, call one service or selector, render.

Recording a participant's participation and views, the outcome sent to them, an action done or made a plan step
answer htmx requests with the row that changed (and the meeting's checks, out of band); every form also works as
a plain post and redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kinplan.cases.models import Case
from kinplan.cases.permissions import can_edit_case, case_get_for_user_or_404
from kinplan.core.errors import ensure
from kinplan.core.forms import save_or_show_errors
from kinplan.meetings import forms as f
from kinplan.meetings import selectors, services
from kinplan.meetings.models import ALLOWED_TRANSITIONS, Meeting, MeetingAction, MeetingParticipant
from kinplan.planning.models import Goal, Plan

Status = Meeting.Status
MOVE_TITLES = {
    Status.HELD: gettext_lazy("Record the meeting as held"),
    Status.CANCELLED: gettext_lazy("Cancel the meeting"),
}
MOVE_MESSAGES = {
    Status.HELD: gettext_lazy("The meeting is recorded as held."),
    Status.CANCELLED: gettext_lazy("The meeting is cancelled."),
}


# --- finding things: reads log the view; writes need a case the user may change -----------------------


def _case(request: HttpRequest, pk: int, *, edit: bool = False) -> Case:
    case = case_get_for_user_or_404(request.user, pk, request=request)
    if edit:
        ensure(can_edit_case(request.user, case), _("You cannot change this case's meetings."))
    return case


def _meeting(request: HttpRequest, pk: int, mpk: int, *, edit: bool = False, full: bool = False) -> Meeting:
    case = _case(request, pk, edit=edit)
    meetings = selectors.meetings_in_full() if full else Meeting.objects.select_related("plan")
    meeting: Meeting = get_object_or_404(meetings, pk=mpk, case=case)
    meeting.case = case
    return meeting


def _participant(meeting: Meeting, ppk: int) -> MeetingParticipant:
    participants = MeetingParticipant.objects.select_related(*selectors.WHO, "outcome_sent_by")
    participant: MeetingParticipant = get_object_or_404(participants, pk=ppk, meeting=meeting)
    participant.meeting = meeting
    return participant


def _action(meeting: Meeting, apk: int) -> MeetingAction:
    actions = MeetingAction.objects.select_related("who_person", "who_user", "step__goal__plan")
    action: MeetingAction = get_object_or_404(actions, pk=apk, meeting=meeting)
    action.meeting = meeting
    return action


def _url(meeting: Meeting, anchor: str = "") -> str:
    return reverse("meetings:detail", args=[meeting.case_id, meeting.pk]) + (f"#{anchor}" if anchor else "")


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _plan_goals(case: Case) -> tuple[Plan | None, list[Goal]]:
    """The case's current plan and the goals an action may become a step towards (two queries)."""
    plan = case.plans.filter(is_current=True).first()
    if plan is None or plan.status == Plan.Status.CLOSED:
        return plan, []
    return plan, services.goals_for_steps(plan)


# --- rows: a participant, an action ------------------------------------------------------------------


def _participant_row(meeting: Meeting, participant: MeetingParticipant, can_edit: bool, **extra: Any) -> dict:
    row: dict[str, Any] = {"p": participant, "owed": participant.outcome_owed(meeting.status), **extra}
    if can_edit and meeting.status != Status.CANCELLED:
        initial = {"participation": participant.participation, "views": participant.views}
        row.setdefault("form", f.ParticipationForm(initial=initial, auto_id=f"p{participant.pk}_%s"))
        if meeting.status == Status.HELD and participant.was_absent:
            row.setdefault("outcome_form", f.OutcomeForm(auto_id=f"o{participant.pk}_%s"))
    return row


def _action_row(
    meeting: Meeting, action: MeetingAction, can_edit: bool, plan: tuple[Plan | None, list[Goal]], **extra: Any
) -> dict:
    current, goals = plan
    row: dict[str, Any] = {"a": action, "plan": current, **extra}
    open_action = not action.step_id and not action.done_on
    if can_edit and open_action and meeting.status == Status.HELD:
        row.setdefault("step_form", f.MakeStepForm(goals=goals, auto_id=f"a{action.pk}_%s"))
        row.setdefault("done_form", f.ActionDoneForm(auto_id=f"d{action.pk}_%s"))
    return row


def _checks(meeting: Meeting, participants: list[MeetingParticipant]) -> dict[str, Any]:
    """What the meeting still needs: participation to record before it is held, outcomes to send after."""
    waiting = [p for p in participants if p.participation == MeetingParticipant.Participation.NOT_RECORDED]
    return {
        "not_recorded": waiting if meeting.status == Status.SCHEDULED else [],
        "owed": [p for p in participants if p.outcome_owed(meeting.status)],
        "has_started": meeting.has_started(),
    }


# --- the meeting page and its record -------------------------------------------------------------


def _page_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    can_edit = can_edit_case(request.user, meeting.case)
    participants = list(meeting.participants.all())
    plan, goals = _plan_goals(meeting.case) if can_edit else (None, [])
    context: dict[str, Any] = {
        "case": meeting.case,
        "meeting": meeting,
        "can_edit": can_edit and meeting.status != Status.CANCELLED,
        "participants": [_participant_row(meeting, p, can_edit) for p in participants],
        "actions": [_action_row(meeting, a, can_edit, (plan, goals)) for a in meeting.actions.all()],
        "transitions": list(meeting.transitions.all()),
        "current_plan": plan,
        "moves": [(to, MOVE_TITLES[to]) for to in ALLOWED_TRANSITIONS[meeting.status]] if can_edit else [],
        **_checks(meeting, participants),
    }
    if context["can_edit"]:
        context["support_form"] = f.SupportRoleForm(meeting=meeting)
        context["hold_form"] = f.HoldForm(initial={"decisions": meeting.decisions})
    return context


def _render_page(request: HttpRequest, meeting: Meeting, *, status: int = 200, **extra: Any) -> HttpResponse:
    context = _page_context(request, meeting) | extra
    return render(request, "meetings/meeting.html", context, status=status)


@login_required
def meeting_detail(request: HttpRequest, pk: int, mpk: int) -> HttpResponse:
    """A meeting: details, participants with how each took part and their views, decisions, actions, outcomes."""
    return _render_page(request, _meeting(request, pk, mpk, full=True))


@login_required
def meeting_record(request: HttpRequest, pk: int, mpk: int) -> HttpResponse:
    """The meeting's record, laid out to print."""
    meeting = _meeting(request, pk, mpk, full=True)
    participants = list(meeting.participants.all())
    context = {"case": meeting.case, "meeting": meeting, "participants": participants, "now": timezone.now()}
    context |= {"actions": list(meeting.actions.all()), "transitions": list(meeting.transitions.all())}
    return render(request, "meetings/record.html", context | _checks(meeting, participants))


def _form_page(request: HttpRequest, case: Case, form: Any, title: str, **extra: Any) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    context = {"case": case, "form": form, "title": title, **extra}
    return render(request, "meetings/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Schedule a meeting (or record one already held, then record it as held)."""
    case = _case(request, pk, edit=True)
    form = f.MeetingForm(_data(request), case=case, with_decisions=False)
    meeting = request.method == "POST" and save_or_show_errors(
        form, lambda: services.meeting_schedule(actor=request.user, case=case, data=form.details())
    )
    if meeting:
        messages.success(
            request, _("%(meeting)s is scheduled. Now invite the people who take part.") % {"meeting": meeting}
        )
        return redirect(_url(meeting))
    return _form_page(request, case, form, _("Schedule a meeting"), submit=_("Schedule"))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_change(request: HttpRequest, pk: int, mpk: int) -> HttpResponse:
    """Change a meeting's kind, time, place, purpose, plan or decisions."""
    meeting = _meeting(request, pk, mpk, edit=True)
    form = f.MeetingForm(_data(request), instance=meeting, case=meeting.case)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.meeting_update(actor=request.user, meeting=meeting, data=form.details())
    ):
        messages.success(request, _("Meeting saved."))
        return redirect(_url(meeting))
    title = _("Change the %(meeting)s") % {"meeting": meeting}
    return _form_page(request, meeting.case, form, title, meeting=meeting)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_move(request: HttpRequest, pk: int, mpk: int, to: str) -> HttpResponse:
    """Record the meeting as held (with its decisions) or cancelled (with why); a refusal says what is missing."""
    if to not in f.MOVE_FORMS:
        raise Http404(_("No such move."))
    meeting = _meeting(request, pk, mpk, edit=True)
    form = f.MOVE_FORMS[to](_data(request), initial={"decisions": meeting.decisions})
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.meeting_transition(actor=request.user, meeting=meeting, to=to, **form.cleaned_data)
    ):
        messages.success(request, MOVE_MESSAGES[to])
        return redirect(_url(meeting))
    return _form_page(request, meeting.case, form, MOVE_TITLES[to], meeting=meeting, submit=MOVE_TITLES[to])


@login_required
@require_http_methods(["GET", "POST"])
def support_role(request: HttpRequest, pk: int, mpk: int) -> HttpResponse:
    """Record who explained the support service's role to the participants, and when (seed 003)."""
    meeting = _meeting(request, pk, mpk, edit=True)
    form = f.SupportRoleForm(_data(request), meeting=meeting)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.support_role_record(actor=request.user, meeting=meeting, **form.cleaned_data)
    ):
        messages.success(request, _("Recorded: the support service's role was explained."))
        return redirect(_url(meeting, "support-role"))
    title = _("Record that the support service's role was explained")
    return _form_page(request, meeting.case, form, title, meeting=meeting)


# --- participants ---------------------------------------------------------------------------------


@login_required
@require_POST
def invite_team(request: HttpRequest, pk: int, mpk: int) -> HttpResponse:
    """Invite every current Child and Family Team member not yet invited."""
    meeting = _meeting(request, pk, mpk, edit=True)
    try:
        added = services.participants_invite_team(actor=request.user, meeting=meeting)
    except ValidationError as error:
        full = selectors.meetings_in_full().get(pk=meeting.pk)
        return _render_page(request, full, status=400, error=" ".join(error.messages))
    count = len(added)
    message = (
        ngettext("%(count)d team member invited.", "%(count)d team members invited.", count) % {"count": count}
        if count
        else _("The team is already invited.")
    )
    messages.success(request, message)
    return redirect(_url(meeting, "participants"))


@login_required
@require_http_methods(["GET", "POST"])
def participant_new(request: HttpRequest, pk: int, mpk: int) -> HttpResponse:
    """Invite one person: a team member, a person in the case, a Kinplan user or someone by name."""
    meeting = _meeting(request, pk, mpk, edit=True)
    form = f.ParticipantForm(_data(request), case=meeting.case)
    participant = request.method == "POST" and save_or_show_errors(
        form, lambda: services.participant_add(actor=request.user, meeting=meeting, **form.details())
    )
    if participant:
        messages.success(request, _("%(name)s is invited.") % {"name": participant.display_name})
        return redirect(_url(meeting, f"participant-{participant.pk}"))
    title = _("Invite someone to the %(meeting)s") % {"meeting": meeting}
    return _form_page(request, meeting.case, form, title, meeting=meeting, submit=_("Invite"))


@login_required
def participant_row(request: HttpRequest, pk: int, mpk: int, ppk: int) -> HttpResponse:
    """One participant's row as it stands (htmx closes an inline form with it); otherwise, the meeting page."""
    meeting = _meeting(request, pk, mpk)
    participant = _participant(meeting, ppk)
    if not request.htmx:
        return redirect(_url(meeting, f"participant-{participant.pk}"))
    can_edit = can_edit_case(request.user, meeting.case)
    row = _participant_row(meeting, participant, can_edit)
    context = {"case": meeting.case, "meeting": meeting, "row": row, "can_edit": can_edit}
    return render(request, "meetings/partials/_participant.html", context)


def _participant_answer(
    request: HttpRequest, meeting: Meeting, participant: MeetingParticipant, saved: Any, form: Any, message: str
) -> HttpResponse:
    """After an inline participant form: the row (and the meeting's checks) for htmx; else redirect or the form."""
    if saved and not request.htmx:
        messages.success(request, message)
        return redirect(_url(meeting, f"participant-{participant.pk}"))
    participant = saved or participant
    key = "form" if isinstance(form, f.ParticipationForm) else "outcome_form"
    extra = {"saved": message} if saved else {key: form, "open": key}
    row = _participant_row(meeting, participant, True, **extra)
    context = {"case": meeting.case, "meeting": meeting, "row": row}
    if saved:  # the meeting's checks (who is still to be recorded or sent the outcome) change too
        participants = list(meeting.participants.select_related(*selectors.WHO))
        context |= _checks(meeting, participants) | {"oob": True}
    template = "meetings/partials/_participant_saved.html" if request.htmx else "meetings/participant.html"
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def participation(request: HttpRequest, pk: int, mpk: int, ppk: int) -> HttpResponse:
    """Record how someone took part and their views, in their words; with htmx only their row changes."""
    meeting = _meeting(request, pk, mpk, edit=True)
    participant = _participant(meeting, ppk)
    initial = {"participation": participant.participation, "views": participant.views}
    form = f.ParticipationForm(_data(request), initial=initial, auto_id=f"p{participant.pk}_%s")
    saved = request.method == "POST" and save_or_show_errors(
        form, lambda: services.participation_record(actor=request.user, participant=participant, **form.cleaned_data)
    )
    message = _("%(name)s: recorded.") % {"name": participant.display_name}
    return _participant_answer(request, meeting, participant, saved, form, message)


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, pk: int, mpk: int, ppk: int) -> HttpResponse:
    """Record that the meeting's outcome was sent to someone not there: when, by whom and how."""
    meeting = _meeting(request, pk, mpk, edit=True)
    participant = _participant(meeting, ppk)
    with_sent_by = "sent_by" in request.POST or request.method == "GET"
    form = f.OutcomeForm(_data(request), case=meeting.case if with_sent_by else None, auto_id=f"o{participant.pk}_%s")
    if request.method == "GET":
        form.fields["sent_by"].initial = request.user.pk
    saved = request.method == "POST" and save_or_show_errors(
        form,
        lambda: services.outcome_record(
            actor=request.user,
            participant=participant,
            method=form.cleaned_data["method"],
            sent_on=form.cleaned_data["sent_on"],
            sent_by=form.cleaned_data.get("sent_by"),
        ),
    )
    message = _("The outcome sent to %(name)s is recorded.") % {"name": participant.display_name}
    return _participant_answer(request, meeting, participant, saved, form, message)


# --- actions ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, pk: int, mpk: int) -> HttpResponse:
    """Record an action the meeting agreed: what, who and by when."""
    meeting = _meeting(request, pk, mpk, edit=True)
    form = f.ActionForm(_data(request), case=meeting.case)
    action = request.method == "POST" and save_or_show_errors(
        form, lambda: services.action_add(actor=request.user, meeting=meeting, data=form.details())
    )
    if action:
        messages.success(request, _("Action “%(what)s” recorded.") % {"what": action.what})
        return redirect(_url(meeting, f"action-{action.pk}"))
    title = _("Add an action agreed at the %(meeting)s") % {"meeting": meeting}
    return _form_page(request, meeting.case, form, title, meeting=meeting)


def _action_answer(
    request: HttpRequest, meeting: Meeting, action: MeetingAction, *, saved: Any, form: Any, message: str, key: str
) -> HttpResponse:
    if saved and not request.htmx:
        messages.success(request, message)
        return redirect(_url(meeting, f"action-{action.pk}"))
    fresh = _action(meeting, action.pk) if saved else action
    extra = {"saved": message} if saved else {key: form, "open": key}
    row = _action_row(meeting, fresh, True, _plan_goals(meeting.case), **extra)
    template = "meetings/partials/_action.html" if request.htmx else "meetings/action.html"
    context = {"case": meeting.case, "meeting": meeting, "row": row}
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def action_step(request: HttpRequest, pk: int, mpk: int, apk: int) -> HttpResponse:
    """Make an action a step of the case's plan, under the goal chosen; an agreed plan is revised first."""
    meeting = _meeting(request, pk, mpk, edit=True)
    action = _action(meeting, apk)
    _plan, goals = _plan_goals(meeting.case)
    form = f.MakeStepForm(_data(request), goals=goals, auto_id=f"a{action.pk}_%s")
    made = request.method == "POST" and save_or_show_errors(
        form, lambda: services.action_make_step(actor=request.user, action=action, goal=form.chosen_goal())
    )
    message = made.message if made else ""
    return _action_answer(request, meeting, action, saved=made, form=form, message=message, key="step_form")


@login_required
@require_http_methods(["GET", "POST"])
def action_done(request: HttpRequest, pk: int, mpk: int, apk: int) -> HttpResponse:
    """Mark an action done, on a date."""
    meeting = _meeting(request, pk, mpk, edit=True)
    action = _action(meeting, apk)
    form = f.ActionDoneForm(_data(request), auto_id=f"d{action.pk}_%s")
    done = request.method == "POST" and save_or_show_errors(
        form, lambda: services.action_complete(actor=request.user, action=action, on=form.cleaned_data["done_on"])
    )
    message = _("“%(what)s” is done.") % {"what": action.what}
    return _action_answer(request, meeting, action, saved=done, form=form, message=message, key="done_form")
