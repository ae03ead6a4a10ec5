"""What each printed document shows: one context builder per document, each in a fixed number of queries however
much the plan, arrangement, referral or meeting holds. The documents read the same selectors as their pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.cases.models import Case, Participant, Person
from kinplan.core.terms import terms_for
from kinplan.meetings.models import Meeting
from kinplan.meetings.selectors import meeting_in_full
from kinplan.permanent_care.models import ApprovalDecision, SupportArrangement
from kinplan.permanent_care.selectors import arrangement_page
from kinplan.planning.models import Goal, Plan, Step
from kinplan.planning.quality import item_issues
from kinplan.planning.selectors import GoalView, Progress, agreement_table, need_coverage, plan_costs
from kinplan.providers.models import Provider
from kinplan.referrals.models import Referral
from kinplan.referrals.selectors import referral_page

ENGLISH, NORWEGIAN = "en-nz", "nb"
# How people write the languages Kinplan ships, as codes (the whole value) or as names (any word of it).
LANGUAGE_CODES = {"en": ENGLISH, "en-nz": ENGLISH, "eng": ENGLISH, "nb": NORWEGIAN, "nb-no": NORWEGIAN, "no": NORWEGIAN}
LANGUAGE_WORDS = {"english": ENGLISH, "norsk": NORWEGIAN, "norwegian": NORWEGIAN, "bokmål": NORWEGIAN}
# Whose language the family's plan follows when no language is asked for: the child's first, then a caregiver's.
LANGUAGE_ROLES = (Participant.Role.CHILD, Participant.Role.CAREGIVER, Participant.Role.PARENT)

# Steps the family (or the child's caregiver) does: "what you will do"; everyone else's: "what we will help with".
FAMILY_DOES = frozenset({Step.Responsible.FAMILY, Step.Responsible.CAREGIVER})
# Steps no longer in the family's road map.
LEFT_OUT = frozenset({Step.Status.CANCELLED, Step.Status.NOT_DONE})


# --- language --------------------------------------------------------------------------------------------------


def shipped_language(name: str | None) -> str | None:
    """The shipped language (en-nz or nb) that `name` names — a code ("nb", "no", "en-NZ") or a name in a phrase
    ("Norsk", "Norwegian (Bokmål)", "Samoan and English") — or None."""
    text = (name or "").strip().lower().replace("_", "-")
    if text in LANGUAGE_CODES:
        return LANGUAGE_CODES[text]
    for word in re.findall(r"[^\W\d_]+", text.replace("bokmal", "bokmål")):
        if word in LANGUAGE_WORDS:
            return LANGUAGE_WORDS[word]
    return None


def family_language(case: Case, asked: str | None = None) -> str:
    """The language of the family's plan: the one asked for if it is shipped; else the child's preferred language,
    or a caregiver's or parent's, if Kinplan ships it; else English."""
    chosen = shipped_language(asked)
    if chosen:
        return chosen
    people = Participant.objects.filter(case=case, role__in=LANGUAGE_ROLES, archived_at__isnull=True).exclude(
        person__preferred_language=""
    )
    by_role = sorted(people.select_related("person"), key=lambda p: (LANGUAGE_ROLES.index(p.role), p.pk))
    for participant in by_role:
        language = shipped_language(participant.person.preferred_language)
        if language:
            return language
    return ENGLISH


# --- shared by every document -----------------------------------------------------------------------------------


def document_context(case: Case) -> dict[str, Any]:
    """What every document's header and footer show: the organisation and site, the case and its children, the
    organisation's words for the child and family, and when it was printed."""
    site = case.site
    organisation = site.organisation
    children = Participant.objects.filter(case=case, role=Participant.Role.CHILD, archived_at__isnull=True)
    return {
        "case": case,
        "children": [p.person for p in children.select_related("person").order_by("person__date_of_birth", "pk")],
        "site": site,
        "organisation": organisation,
        "terms": terms_for(organisation),
        "printed_at": timezone.now(),
        "today": timezone.localdate(),
    }


# --- the family's plan ------------------------------------------------------------------------------------------


@dataclass
class FamilyGoal:
    """A goal in plain words: what the family does towards it, and what others do to help."""

    goal: Goal
    yours: list[Step] = field(default_factory=list)
    ours: list[dict[str, Any]] = field(default_factory=list)
    intermediate: list[FamilyGoal] = field(default_factory=list)


def _who_helps(step: Step, worker: User | None) -> str:
    if step.responsible == Step.Responsible.WORKER and not step.responsible_user_id and worker:
        return str(worker)
    return step.responsible_label or str(step.get_responsible_display())


def _family_goal(goal: Goal, worker: User | None) -> FamilyGoal:
    view = FamilyGoal(goal=goal)
    for step in goal.steps.all():
        if step.status in LEFT_OUT:
            continue
        if step.responsible in FAMILY_DOES:
            view.yours.append(step)
            if step.worker_helps:
                view.ours.append({"step": step, "who": str(worker or ""), "helps_you": True})
        else:
            view.ours.append({"step": step, "who": _who_helps(step, worker), "helps_you": False})
    return view


def _family_goals(goals: list[Goal], track: str, worker: User | None) -> list[FamilyGoal]:
    """The long-term goals of one track, each with its intermediate goals, in the plan's order."""
    shown = [g for g in goals if g.track == track and g.status != Goal.Status.DISCONTINUED]
    views = {g.pk: _family_goal(g, worker) for g in shown}
    roots = []
    for goal in shown:
        if goal.parent_id in views:
            views[goal.parent_id].intermediate.append(views[goal.pk])
        elif goal.parent_id is None:
            roots.append(views[goal.pk])
    return roots


def _contacts(case: Case, steps: list[Step]) -> dict[str, list[Any]]:
    """Whom the family can contact: the social worker, other staff named in the plan and the providers in it."""
    staff: dict[int, User] = {}
    providers: dict[int, Provider] = {}
    for step in steps:
        if step.responsible_user_id and step.responsible_user_id != case.worker_id:
            staff.setdefault(step.responsible_user_id, step.responsible_user)  # type: ignore[arg-type]
        if step.provider_id:
            providers.setdefault(step.provider_id, step.provider)  # type: ignore[arg-type]
    return {"staff": list(staff.values()), "providers": list(providers.values())}


def family_plan_context(case: Case, plan: Plan) -> dict[str, Any]:
    """The family's plan in plain words: their goals; for each, what they will do (with the instructions written
    for them) and what the worker and providers will help with; the dates; whom to contact. No costs, risk
    ratings, assessment needs or notes meant for professionals."""
    goals = list(plan.goals.all())
    steps = [s for g in goals for s in g.steps.all() if s.status not in LEFT_OUT]
    return {
        **document_context(case),
        "plan": plan,
        "worker": case.worker,
        "main_goals": _family_goals(goals, Goal.Track.MAIN, case.worker),
        "alternative_goals": _family_goals(goals, Goal.Track.ALTERNATIVE, case.worker),
        **_contacts(case, steps),
    }


# --- the professional service plan ------------------------------------------------------------------------------


def _goal_views(goals: list[Goal], track: str) -> list[GoalView]:
    """The plan page's goal tree for one track (long-term goals, each with its intermediate goals and progress), as
    its goal partial reads it."""
    views = {g.pk: GoalView(goal=g, steps=list(g.steps.all())) for g in goals if g.track == track}
    roots = []
    for view in views.values():
        parent = views.get(view.goal.parent_id) if view.goal.parent_id else None
        (parent.intermediate if parent else roots).append(view)
    for root in roots:
        root.progress = _progress(root.steps + [s for child in root.intermediate for s in child.steps])
        for child in root.intermediate:
            child.progress = _progress(child.steps)
    return roots


def _progress(steps: list[Step]) -> Progress:
    counted = [s for s in steps if s.status != Step.Status.CANCELLED]
    return Progress(done=sum(s.status == Step.Status.DONE for s in counted), total=len(counted))


def service_plan_context(case: Case, plan: Plan) -> dict[str, Any]:
    """The service plan in full, as its page shows it (goals, steps with who, what, when, how much, cost, funder,
    status and result; costs; the concurrent plan; needs), with its agreement and sign-offs: each team member's
    position and how they gave it, and who moved the plan to agreed and active, and when."""
    today = timezone.localdate()
    goals = list(plan.goals.all())
    steps = [s for g in goals for s in g.steps.all()]
    transitions = list(plan.transitions.all())
    signed = (Plan.Status.AGREED, Plan.Status.ACTIVE, Plan.Status.UNDER_REVIEW, Plan.Status.CLOSED)
    return {
        **document_context(case),
        "plan": plan,
        "today": today,
        "main_goals": _goal_views(goals, Goal.Track.MAIN),
        "alternative_goals": _goal_views(goals, Goal.Track.ALTERNATIVE),
        "step_issues": {s.pk: item_issues(s) for s in steps},
        "progress": _progress(steps),
        "overdue": [s for s in steps if s.is_overdue(today)],
        "coverage": need_coverage(plan=plan, goals=goals),
        "costs": plan_costs(steps),
        "agreement": agreement_table(plan=plan),
        "sign_offs": [t for t in transitions if t.to_status in signed],
        "editable": False,
        "in_force": False,
    }


# --- the permanent care support plan ---------------------------------------------------------------------------


def support_plan_context(case: Case, arrangement: SupportArrangement) -> dict[str, Any]:
    """The permanent care support plan as its page shows it, without a form: objectives and supports (provider,
    timing, quantity, cost, who resources it), universal services, costs, agreement, every approval round with
    the site manager's sign-off and the support-service manager's decision (who, when, comment), the escalation
    ladder and the review date."""
    page = arrangement_page(arrangement)
    decisions = [d for r in page["approval_rounds"] for d in r["decisions"]]
    sign_offs = [
        {"label": kind.label, "decision": next((d for d in reversed(decisions) if d.kind == kind), None)}
        for kind in ApprovalDecision.Kind
    ]
    return {
        **document_context(case),
        **page,
        "sign_offs": sign_offs,
        "a": arrangement,
        "show": {},
        "can": {},
        "forms": {},
    }


# --- the referral pack -----------------------------------------------------------------------------------------


def referral_pack_context(case: Case, referral: Referral) -> dict[str, Any]:
    """The referral as the provider receives it: who is referred (name, date of birth, language, how to reach
    them), to which provider and service, why, the plan step it serves, the information sent and the consent to
    share it; from whom."""
    page = referral_page(referral=referral)
    person: Person = page["referral"].person
    contact = {
        Person.ContactMethod.PHONE: person.phone,
        Person.ContactMethod.TEXT: person.phone,
        Person.ContactMethod.EMAIL: person.email,
    }.get(person.preferred_contact, "")
    return {**document_context(case), **page, "person": person, "contact": contact, "consent_form": None}


# --- the meeting record ----------------------------------------------------------------------------------------


def meeting_record_context(case: Case, meeting: Meeting) -> dict[str, Any]:
    """The meeting's record: when, where and why; who took part and how, with their views in their words and the
    outcome sent to those not there; what was decided; the actions agreed."""
    loaded = meeting_in_full(meeting.pk)
    loaded.case = case
    participants = list(loaded.participants.all())
    owed = [p for p in participants if p.outcome_owed(loaded.status)]
    return {
        **document_context(case),
        "meeting": loaded,
        "participants": [{"p": p, "owed": p in owed} for p in participants],
        "actions": [{"a": a} for a in loaded.actions.all()],
        "transitions": list(loaded.transitions.all()),
        "owed": owed,
        "can_edit": False,
    }
