"""API endpoints for cases, people, households, relationships and the Child and Family Team."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router

from kinplan.accounts.models import Team, User
from kinplan.accounts.reauth import ensure_recent_sign_in
from kinplan.cases import schemas as s
from kinplan.cases import selectors, services
from kinplan.cases.models import Case, Household, Iwi, Participant, Person, Relationship, TeamMember
from kinplan.cases.permissions import case_for_api, cases_in_role_scope, person_get_for_user_or_404, staff_for_case
from kinplan.core.api import blank_for_null, referenced
from kinplan.core.text import normalise_name

router = Router(tags=["cases"])


def _page(items: list[Any], limit: int) -> dict[str, Any]:
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_after": items[-1].pk if more and items else None}


def _iwi_named(names: list[str]) -> list[Iwi]:
    """Iwi by name, matched as names are everywhere (ignoring case and macrons)."""
    known = {normalise_name(iwi.name): iwi for iwi in Iwi.objects.all()}
    unknown = [name for name in names if normalise_name(name) not in known]
    if unknown:
        raise ValidationError(
            {"iwi": _("Unknown iwi: %(names)s. See /api/v1/iwi for the list.") % {"names": ", ".join(unknown)}}
        )
    return [known[normalise_name(name)] for name in names]


def _person_details(payload: s.PersonIn | s.PersonPatch) -> tuple[dict[str, Any], list[Iwi] | None]:
    data = payload.dict(exclude_unset=True)
    iwi_names = data.pop("iwi", None)
    if "preferred_contact" in data and data["preferred_contact"] is None:
        data["preferred_contact"] = ""
    for name, value in list(data.items()):
        if value is None and name != "date_of_birth":
            raise ValidationError({name: _("This field cannot be null.")})
    return data, (_iwi_named(iwi_names) if iwi_names is not None else None)


# --- cases ---------------------------------------------------------------------------------------


@router.get("/cases", response=s.Page[s.CaseOut], summary="List the cases you may see")
def list_cases(
    request: HttpRequest,
    scope: str = "",
    status: str = "open",
    search: str = "",
    after: int = 0,
    limit: int = Query(50, ge=1, le=200),
):  # type: ignore[no-untyped-def]
    user: User = request.user  # type: ignore[assignment]
    cases = selectors.caseload_cases(user=user, scope=scope or selectors.Scope.ALL, status=status, search=search)
    listed = cases.filter(pk__gt=after).select_related("worker").prefetch_related(selectors.children_prefetch())
    return _page(list(listed.order_by("pk")[: limit + 1]), limit)


@router.post("/cases", response={201: s.CaseOut}, summary="Open a case around a child")
def create_case(request: HttpRequest, payload: s.CaseIn):  # type: ignore[no-untyped-def]
    child = None
    details: dict[str, Any] | None = None
    iwi: list[Iwi] = []
    if payload.child_id is not None:
        child = person_get_for_user_or_404(request.user, payload.child_id, request=request, channel="api")
    if payload.child is not None:  # both given: the service refuses rather than one being ignored
        details, iwi_or_none = _person_details(payload.child)
        iwi = iwi_or_none or []
    case = services.case_create(
        actor=request.user,
        name=payload.name,
        child=child,
        child_details=details,
        child_iwi=iwi,
        team=referenced(Team, payload.team_id, "team_id"),
        worker=referenced(User, payload.worker_id, "worker_id"),
        summary=payload.summary,
        opened_on=payload.opened_on,
        next_review_on=payload.next_review_on,
    )
    return 201, case


@router.get("/cases/{case_id}", response=s.CaseOut, summary="One case")
def get_case(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    return case_for_api(request, case_id)


@router.patch("/cases/{case_id}", response=s.CaseOut, summary="Change a case")
def update_case(request: HttpRequest, case_id: int, payload: s.CasePatch):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    data = blank_for_null(payload.dict(exclude_unset=True), Case)
    if "team_id" in data:
        data["team"] = referenced(Team, data.pop("team_id"), "team_id")
    if "worker_id" in data:
        data["worker"] = referenced(User, data.pop("worker_id"), "worker_id")
    return services.case_update(actor=request.user, case=case, data=data)


@router.post("/cases/{case_id}/archive", response=s.CaseOut, summary="Archive a case")
def archive_case(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    return services.case_archive(actor=request.user, case=case_for_api(request, case_id))


@router.get("/cases/{case_id}/history", response=list[s.HistoryOut], summary="A case's change history")
def case_history(request: HttpRequest, case_id: int, limit: int = Query(100, ge=1, le=500)):  # type: ignore[no-untyped-def]
    return list(selectors.case_history(case=case_for_api(request, case_id))[:limit])


# --- people in a case ----------------------------------------------------------------------------


@router.get("/cases/{case_id}/participants", response=list[s.ParticipantOut], summary="People in a case")
def list_participants(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    return list(
        case.participants.filter(archived_at__isnull=True).select_related("person").prefetch_related("person__iwi")
    )


@router.post(
    "/cases/{case_id}/participants",
    response={201: s.ParticipantOut},
    summary="Add a person to a case: someone known (person_id) or new (person)",
)
def add_participant(request: HttpRequest, case_id: int, payload: s.ParticipantIn):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    household = referenced(Household, payload.household_id, "household_id", case=case)
    if (payload.person_id is None) == (payload.person is None):
        raise ValidationError({"person": _("Give either person_id (someone known) or person (a new person).")})
    if payload.person_id is not None:
        # As when opening a case: someone you may not see is the same 404 as no one at all.
        person = person_get_for_user_or_404(request.user, payload.person_id, request=request, channel="api")
        return 201, services.participant_add(
            actor=request.user, case=case, person=person, role=payload.role, household=household
        )
    details, iwi = _person_details(payload.person)  # type: ignore[arg-type]
    return 201, services.person_create(
        actor=request.user, case=case, role=payload.role, details=details, iwi=iwi or [], household=household
    )


@router.patch(
    "/cases/{case_id}/participants/{participant_id}",
    response=s.ParticipantOut,
    summary="Change a person's role or household in a case",
)
def update_participant(request: HttpRequest, case_id: int, participant_id: int, payload: s.ParticipantPatch):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    participant = get_object_or_404(Participant, pk=participant_id, case=case, archived_at__isnull=True)
    data = blank_for_null(payload.dict(exclude_unset=True), Participant)
    if "household_id" in data:
        data["household"] = referenced(Household, data.pop("household_id"), "household_id", case=case)
    return services.participant_update(actor=request.user, participant=participant, data=data)


@router.post(
    "/cases/{case_id}/participants/{participant_id}/archive",
    response=s.ParticipantOut,
    summary="Take a person out of a case",
)
def archive_participant(request: HttpRequest, case_id: int, participant_id: int):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    participant = get_object_or_404(Participant, pk=participant_id, case=case, archived_at__isnull=True)
    return services.participant_archive(actor=request.user, participant=participant)


# --- people --------------------------------------------------------------------------------------


@router.get(
    "/people/search",
    response=s.PersonSearchOut,
    tags=["people"],
    summary="Search-before-create: names match ignoring case, macrons and diacritics",
)
def search_people(request: HttpRequest, q: str = "", date_of_birth: datetime.date | None = None):  # type: ignore[no-untyped-def]
    result = selectors.person_search(user=request.user, query=q, date_of_birth=date_of_birth)
    return {
        "people": result.people,
        "hidden_matches": result.hidden_matches,
        "more_hidden_matches": result.more_hidden_matches,
    }


@router.get("/people/{person_id}", response=s.PersonOut, tags=["people"], summary="One person")
def get_person(request: HttpRequest, person_id: int):  # type: ignore[no-untyped-def]
    return person_get_for_user_or_404(request.user, person_id, request=request, channel="api")


@router.patch("/people/{person_id}", response=s.PersonOut, tags=["people"], summary="Change a person's details")
def update_person(request: HttpRequest, person_id: int, payload: s.PersonPatch):  # type: ignore[no-untyped-def]
    person = person_get_for_user_or_404(request.user, person_id, request=request, channel="api")
    data, iwi = _person_details(payload)
    return services.person_update(actor=request.user, person=person, data=data, iwi=iwi)


@router.get("/iwi", response=list[s.IwiOut], tags=["people"], summary="The iwi a person may affiliate with")
def list_iwi(request: HttpRequest):  # type: ignore[no-untyped-def]
    return list(Iwi.objects.all())


# --- households ----------------------------------------------------------------------------------


@router.get("/cases/{case_id}/households", response=list[s.HouseholdOut], summary="Households in a case")
def list_households(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    return list(case_for_api(request, case_id).households.filter(archived_at__isnull=True))


@router.post("/cases/{case_id}/households", response={201: s.HouseholdOut}, summary="Add a household")
def create_household(request: HttpRequest, case_id: int, payload: s.HouseholdIn):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    return 201, services.household_create(actor=request.user, case=case, data=payload.dict())


@router.patch(
    "/cases/{case_id}/households/{household_id}",
    response=s.HouseholdOut,
    summary="Change a household's name, address or notes",
)
def update_household(request: HttpRequest, case_id: int, household_id: int, payload: s.HouseholdPatch):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    household = get_object_or_404(Household, pk=household_id, case=case, archived_at__isnull=True)
    data = blank_for_null(payload.dict(exclude_unset=True), Household)
    return services.household_update(actor=request.user, household=household, data=data)


@router.post(
    "/cases/{case_id}/households/{household_id}/archive",
    response=s.HouseholdOut,
    summary="Archive a household; its members stay in the case, living nowhere recorded",
)
def archive_household(request: HttpRequest, case_id: int, household_id: int):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    household = get_object_or_404(Household, pk=household_id, case=case, archived_at__isnull=True)
    return services.household_archive(actor=request.user, household=household)


# --- relationships -------------------------------------------------------------------------------


@router.get("/cases/{case_id}/relationships", response=list[s.RelationshipOut], summary="Relationships to the children")
def list_relationships(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    return list(case.relationships.filter(archived_at__isnull=True).select_related("person", "child"))


@router.post("/cases/{case_id}/relationships", response={201: s.RelationshipOut}, summary="Record a relationship")
def create_relationship(request: HttpRequest, case_id: int, payload: s.RelationshipIn):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    data = {
        "person": referenced(Person, payload.person_id, "person_id"),
        "child": referenced(Person, payload.child_id, "child_id"),
        "kind": payload.kind,
        "notes": payload.notes,
    }
    return 201, services.relationship_create(actor=request.user, case=case, data=data)


@router.patch(
    "/cases/{case_id}/relationships/{relationship_id}", response=s.RelationshipOut, summary="Change a relationship"
)
def update_relationship(request: HttpRequest, case_id: int, relationship_id: int, payload: s.RelationshipPatch):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    relationship = get_object_or_404(Relationship, pk=relationship_id, case=case, archived_at__isnull=True)
    return services.relationship_update(
        actor=request.user, relationship=relationship, data=payload.dict(exclude_unset=True, exclude_none=True)
    )


@router.post(
    "/cases/{case_id}/relationships/{relationship_id}/archive",
    response=s.RelationshipOut,
    summary="Withdraw a relationship",
)
def archive_relationship(request: HttpRequest, case_id: int, relationship_id: int):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    relationship = get_object_or_404(Relationship, pk=relationship_id, case=case, archived_at__isnull=True)
    return services.relationship_archive(actor=request.user, relationship=relationship)


# --- Child and Family Team -----------------------------------------------------------------------


@router.get("/cases/{case_id}/team", response=list[s.TeamMemberOut], summary="The Child and Family Team")
def list_team(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    return list(case.team_members.filter(archived_at__isnull=True).select_related("person", "user"))


@router.post("/cases/{case_id}/team", response={201: s.TeamMemberOut}, summary="Add a team member")
def add_team_member(request: HttpRequest, case_id: int, payload: s.TeamMemberIn):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    member = services.team_member_add(
        actor=request.user,
        case=case,
        role=payload.role,
        person=referenced(Person, payload.person_id, "person_id"),
        user=referenced(User, payload.user_id, "user_id"),
        is_required=payload.is_required,
        notes=payload.notes,
    )
    return 201, member


@router.patch("/cases/{case_id}/team/{member_id}", response=s.TeamMemberOut, summary="Change a team member")
def update_team_member(request: HttpRequest, case_id: int, member_id: int, payload: s.TeamMemberPatch):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    member = get_object_or_404(TeamMember, pk=member_id, case=case, archived_at__isnull=True)
    return services.team_member_update(
        actor=request.user, member=member, data=payload.dict(exclude_unset=True, exclude_none=True)
    )


@router.post("/cases/{case_id}/team/{member_id}/archive", response=s.TeamMemberOut, summary="Remove a team member")
def archive_team_member(request: HttpRequest, case_id: int, member_id: int):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    member = get_object_or_404(TeamMember, pk=member_id, case=case, archived_at__isnull=True)
    return services.team_member_archive(actor=request.user, member=member)


# --- restricted cases -------------------------------------------------------------------------------------


@router.get("/cases/{case_id}/restriction", response=s.RestrictionOut, summary="Whether a case is restricted, to whom")
def get_restriction(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    return case_for_api(request, case_id)


@router.put("/cases/{case_id}/restriction", response=s.RestrictionOut, summary="Restrict a case, or lift it")
def set_restriction(request: HttpRequest, case_id: int, payload: s.RestrictionIn):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    staff = staff_for_case(case).values("pk")
    named = [referenced(User, user_id, "named_user_ids", pk__in=staff) for user_id in payload.named_user_ids]
    return services.case_restriction_set(
        actor=request.user, case=case, restricted=payload.restricted, reason=payload.reason, named_users=named
    )


@router.post(
    "/cases/{case_id}/break-glass",
    response={201: s.GlassBreakOut},
    summary="Open a restricted case you are not named on, giving your reason",
)
def break_glass(request: HttpRequest, case_id: int, payload: s.BreakGlassIn):  # type: ignore[no-untyped-def]
    case = get_object_or_404(cases_in_role_scope(request.user), pk=case_id)
    ensure_recent_sign_in(request)
    return 201, services.case_break_glass(actor=request.user, case=case, reason=payload.reason)


@router.get("/restricted-cases", response=list[s.RestrictedCaseOut], summary="Restricted cases you are not named on")
def list_restricted_cases(request: HttpRequest):  # type: ignore[no-untyped-def]
    return list(selectors.restricted_cases_for(user=request.user))


@router.get(
    "/glass-breaks", response=list[s.GlassBreakOut], summary="Emergency openings of restricted cases at your site"
)
def list_glass_breaks(request: HttpRequest):  # type: ignore[no-untyped-def]
    return list(selectors.glass_breaks_reported_to(user=request.user))
