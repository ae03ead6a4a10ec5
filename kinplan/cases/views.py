"""Pages for cases and the people in them: parse, authorise, call one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kinplan.accounts.models import User
from kinplan.accounts.reauth import recent_sign_in_required
from kinplan.cases import forms as f
from kinplan.cases import selectors, services
from kinplan.cases.models import Case, Household, Participant, Person, Relationship, TeamMember
from kinplan.cases.permissions import (
    can_create_case,
    can_edit_case,
    can_restrict_case,
    can_see_confidential,
    can_view_case,
    case_get_for_user_or_404,
    cases_in_role_scope,
    people_visible_to,
    person_get_for_user_or_404,
)
from kinplan.cases.sections import case_sections
from kinplan.core.errors import ensure
from kinplan.core.forms import int_or_none, save_or_show_errors


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """My caseload, or the team's / site's, as the role allows."""
    scopes = selectors.scopes_for(request.user)
    scope = request.GET.get("scope") if request.GET.get("scope") in scopes else (scopes[0] if scopes else "")
    status = request.GET.get("status", Case.Status.OPEN)
    status = status if status in {*Case.Status.values, ""} else Case.Status.OPEN
    search = request.GET.get("q", "").strip()[:100]
    today = timezone.localdate()
    cases = (
        selectors.caseload(user=request.user, scope=scope, status=status, search=search, today=today)
        if scopes
        else Case.objects.none()
    )
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.with_plan_progress(page.object_list, today)
    context = {
        "page": page,
        "restricted_hidden": selectors.restricted_hidden_count(user=request.user),
        "scope": scope,
        "scopes": [(s, selectors.SCOPE_LABELS[s]) for s in scopes],
        "status": status,
        "q": search,
        "today": today,
        "can_create": can_create_case(request.user),
    }
    template = "cases/partials/_caseload_table.html" if request.htmx else "cases/caseload.html"
    return render(request, template, context)


@login_required
def person_search(request: HttpRequest) -> HttpResponse:
    """Search-before-create results (a partial for htmx, a page without JavaScript)."""
    context = {**_search_context(request), "case_id": int_or_none(request.GET.get("case"))}
    return render(request, "cases/partials/_person_search_results.html", context)


def _search_context(request: HttpRequest) -> dict[str, Any]:
    form = f.PersonSearchForm(request.GET or None)
    result = None
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["date_of_birth"]):
        result = selectors.person_search(
            user=request.user, query=form.cleaned_data["q"], date_of_birth=form.cleaned_data["date_of_birth"]
        )
    return {"search_form": form, "result": result}


def _chosen_person(user: User, raw_id: str | None) -> Person | None:
    """The person picked in search-before-create, if `user` may see them; a hidden or malformed id is a 404."""
    if not raw_id:
        return None
    pk = int_or_none(raw_id)
    if pk is None:
        raise Http404(_("No such person."))
    return get_object_or_404(people_visible_to(user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """Find the child first (search-before-create), then open the case."""
    ensure(can_create_case(request.user), _("Your role cannot open cases."))
    chosen = _chosen_person(request.user, request.POST.get("child_id") or request.GET.get("child"))
    data = request.POST if request.method == "POST" else None
    case_form = f.CaseCreateForm(data, site_id=request.user.site_id, initial={"team": request.user.team_id})
    child_form = None if chosen else f.PersonForm(data, prefix="child")
    if data is not None and (chosen or child_form.is_valid()):
        case = save_or_show_errors(
            case_form,
            lambda: services.case_create(
                actor=request.user,
                child=chosen,
                child_details=None if chosen else child_form.details(),
                child_iwi=[] if chosen else child_form.cleaned_data["iwi"],
                **case_form.cleaned_data,
            ),
            also=[child_form] if child_form else [],
        )
        if case:
            messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
            return redirect("cases:detail", pk=case.pk)
    context = {"case_form": case_form, "child_form": child_form, "chosen": chosen, **_search_context(request)}
    return render(request, "cases/case_new.html", context, status=400 if data is not None else 200)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page: children, people, households, relationships, team and history."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    context = {
        "case": case,
        "can_edit": can_edit_case(request.user, case),
        "can_restrict": can_restrict_case(request.user, case),
        "sees_confidential": can_see_confidential(request.user),
        **selectors.case_detail(case=case),
    }
    section_templates, section_context = case_sections(case=case, user=request.user)
    context |= section_context | {"section_templates": section_templates}
    return render(request, "cases/case_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request.user, pk, request=request)
    ensure(can_edit_case(request.user, case), _("You cannot change this case."))
    form = f.CaseForm(request.POST or None, instance=case, site_id=case.site_id)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.case_update(actor=request.user, case=case, data=form.cleaned_data)
    ):
        if not can_view_case(request.user, case):  # e.g. a worker who allocated the case to a colleague
            messages.success(
                request,
                _("Case %(reference)s saved; it is no longer on your caseload.") % {"reference": case.reference},
            )
            return redirect("cases:caseload")
        messages.success(request, _("Case saved."))
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, case, form, _("Edit case details"))


def _form_page(request: HttpRequest, case: Case, form: Any, title: str, **extra: Any) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "cases/form.html", {"case": case, "form": form, "title": title, **extra}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add someone to a case: search first, then pick them or enter a new person."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    ensure(can_edit_case(request.user, case), _("You cannot change this case."))
    data = request.POST if request.method == "POST" else None
    chosen = _chosen_person(request.user, request.POST.get("person_id") or request.GET.get("person"))
    role_form = f.ParticipantForm(data, case=case, prefix="p")
    person_form = None if chosen else f.PersonForm(data, prefix="person")
    if data is not None and (chosen or person_form.is_valid()):
        saved = save_or_show_errors(
            role_form,
            lambda: _add_person(request.user, case, role_form, chosen, person_form),
            also=[person_form] if person_form else [],
        )
        if saved:
            messages.success(request, _("%(person)s added to the case.") % {"person": saved.person})
            return redirect("cases:detail", pk=case.pk)
    context = {
        "case": case,
        "role_form": role_form,
        "person_form": person_form,
        "chosen": chosen,
        **_search_context(request),
    }
    return render(request, "cases/participant_add.html", context, status=400 if data is not None else 200)


def _add_person(actor: User, case: Case, role_form: Any, chosen: Person | None, person_form: Any) -> Participant:
    role, household = role_form.cleaned_data["role"], role_form.cleaned_data["household"]
    if chosen:
        return services.participant_add(actor=actor, case=case, person=chosen, role=role, household=household)
    return services.person_create(
        actor=actor,
        case=case,
        role=role,
        details=person_form.details(),
        iwi=person_form.cleaned_data["iwi"],
        household=household,
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_get_for_user_or_404(request.user, pk, request=request)
    participations = selectors.person_cases(user=request.user, person=person)
    context = {
        "person": person,
        "participations": participations,
        "can_edit": request.user.has_perm("cases.change_person", person),
        "sees_confidential": can_see_confidential(request.user),
    }
    return render(request, "cases/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_get_for_user_or_404(request.user, pk, request=request)
    ensure(request.user.has_perm("cases.change_person", person), _("You cannot change this person's details."))
    form = f.PersonForm(request.POST or None, instance=person, initial={"iwi": person.iwi.all()})
    if request.method == "POST" and save_or_show_errors(
        form,
        lambda: services.person_update(
            actor=request.user, person=person, data=form.details(), iwi=form.cleaned_data["iwi"]
        ),
    ):
        messages.success(request, _("%(person)s saved.") % {"person": person})
        return redirect("cases:person", pk=person.pk)
    return _form_page(request, None, form, _("Edit %(name)s") % {"name": person}, back=person)


# --- restricted cases ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_restriction(request: HttpRequest, pk: int) -> HttpResponse:
    """Restrict a case to named users, change who is named, or lift the restriction."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    ensure(can_restrict_case(request.user, case), _("Only the case's supervisor or site manager can restrict it."))
    initial = {
        "is_restricted": case.is_restricted,
        "restricted_reason": case.restricted_reason,
        "named_users": list(case.named_users.values_list("user_id", flat=True)),
    }
    form = f.RestrictionForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and save_or_show_errors(
        form,
        lambda: services.case_restriction_set(
            actor=request.user,
            case=case,
            restricted=form.cleaned_data["is_restricted"],
            reason=form.cleaned_data["restricted_reason"],
            named_users=form.cleaned_data["named_users"],
        ),
    ):
        messages.success(request, _("Who may see case %(reference)s is saved.") % {"reference": case.reference})
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, case, form, _("Who may see this case"))


@login_required
@require_POST
@recent_sign_in_required
def break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a restricted case one is not named on, giving the reason (it is logged and reported)."""
    case = get_object_or_404(cases_in_role_scope(request.user), pk=pk)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("cases:detail", args=[pk])
    if can_view_case(request.user, case):
        return redirect(target)  # they may open it already
    form = f.BreakGlassForm(request.POST)
    if save_or_show_errors(
        form, lambda: services.case_break_glass(actor=request.user, case=case, reason=form.cleaned_data["reason"])
    ):
        messages.warning(
            request,
            _("You opened restricted case %(reference)s. Your reason is in its history and your site manager is told.")
            % {"reference": case.reference},
        )
        return redirect(target)
    return render(request, "cases/restricted.html", {"case": case, "form": form, "next": target}, status=400)


@login_required
def restricted_cases(request: HttpRequest) -> HttpResponse:
    """Restricted cases one's role reaches but one is not named on, and (for site managers) who broke the glass."""
    context = {
        "hidden": selectors.restricted_cases_for(user=request.user),
        "glass_breaks": selectors.glass_breaks_reported_to(user=request.user),
        "report_days": selectors.GLASS_BREAK_REPORT_DAYS,
    }
    return render(request, "cases/restricted_list.html", context)


# --- things inside a case: one table says which form and services each uses ---------------------------

CHILD_OBJECTS: dict[str, dict[str, Any]] = {
    "household": {
        "model": Household,
        "add_form": f.HouseholdForm,
        "edit_form": f.HouseholdForm,
        "added": gettext_lazy("The household was added."),
        "saved": gettext_lazy("The household was saved."),
        "add_title": gettext_lazy("Add a household"),
        "create": lambda actor, case, data: services.household_create(actor=actor, case=case, data=data),
        "update": lambda actor, obj, data: services.household_update(actor=actor, household=obj, data=data),
        "archive": lambda actor, obj: services.household_archive(actor=actor, household=obj),
    },
    "relationship": {
        "model": Relationship,
        "add_form": f.RelationshipForm,
        "edit_form": f.RelationshipEditForm,
        "added": gettext_lazy("The relationship was added."),
        "saved": gettext_lazy("The relationship was saved."),
        "add_title": gettext_lazy("Add a relationship"),
        "create": lambda actor, case, data: services.relationship_create(actor=actor, case=case, data=data),
        "update": lambda actor, obj, data: services.relationship_update(actor=actor, relationship=obj, data=data),
        "archive": lambda actor, obj: services.relationship_archive(actor=actor, relationship=obj),
    },
    "team": {
        "model": TeamMember,
        "add_form": f.TeamMemberForm,
        "edit_form": f.TeamMemberEditForm,
        "added": gettext_lazy("The team member was added."),
        "saved": gettext_lazy("The team member was saved."),
        "add_title": gettext_lazy("Add a team member"),
        "create": lambda actor, case, data: services.team_member_add(actor=actor, case=case, **data),
        "update": lambda actor, obj, data: services.team_member_update(actor=actor, member=obj, data=data),
        "archive": lambda actor, obj: services.team_member_archive(actor=actor, member=obj),
    },
    "participant": {
        "model": Participant,
        "edit_form": f.ParticipantForm,
        "saved": gettext_lazy("The person's place in the case was saved."),
        "update": lambda actor, obj, data: services.participant_update(actor=actor, participant=obj, data=data),
        "archive": lambda actor, obj: services.participant_archive(actor=actor, participant=obj),
    },
}


def _case_and_kind(request: HttpRequest, pk: int, kind: str) -> tuple[Case, dict[str, Any]]:
    spec = CHILD_OBJECTS.get(kind)
    if spec is None:
        raise PermissionDenied(_("Unknown record type."))
    case = case_get_for_user_or_404(request.user, pk, request=request)
    ensure(can_edit_case(request.user, case), _("You cannot change this case."))
    return case, spec


def _form_kwargs(form_class: type, case: Case) -> dict[str, Any]:
    return {"case": case} if "case" in form_class.__init__.__code__.co_varnames else {}


@login_required
@require_http_methods(["GET", "POST"])
def case_object_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    case, spec = _case_and_kind(request, pk, kind)
    if "create" not in spec:
        raise PermissionDenied(_("Use 'Add a person' for this."))
    form = spec["add_form"](request.POST or None, **_form_kwargs(spec["add_form"], case))
    if request.method == "POST" and save_or_show_errors(
        form, lambda: spec["create"](request.user, case, form.cleaned_data)
    ):
        messages.success(request, spec["added"])
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, case, form, spec["add_title"])


@login_required
@require_http_methods(["GET", "POST"])
def case_object_edit(request: HttpRequest, pk: int, kind: str, obj_pk: int) -> HttpResponse:
    case, spec = _case_and_kind(request, pk, kind)
    obj = get_object_or_404(spec["model"], pk=obj_pk, case=case, archived_at__isnull=True)
    form = spec["edit_form"](request.POST or None, instance=obj, **_form_kwargs(spec["edit_form"], case))
    if request.method == "POST" and save_or_show_errors(
        form, lambda: spec["update"](request.user, obj, form.cleaned_data)
    ):
        messages.success(request, spec["saved"])
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, case, form, _("Edit %(name)s") % {"name": obj})


@login_required
@require_http_methods(["GET", "POST"])
def case_object_archive(request: HttpRequest, pk: int, kind: str, obj_pk: int) -> HttpResponse:
    """Archive (never delete) a case, or something in it, after a confirmation."""
    case, spec = (
        (case_get_for_user_or_404(request.user, pk, request=request), None)
        if kind == "case"
        else _case_and_kind(request, pk, kind)
    )
    ensure(can_edit_case(request.user, case), _("You cannot change this case."))
    obj = case if spec is None else get_object_or_404(spec["model"], pk=obj_pk, case=case, archived_at__isnull=True)
    error = None
    if request.method == "POST":
        try:
            if spec is None:
                services.case_archive(actor=request.user, case=case)
                messages.success(request, _("Case %(reference)s archived.") % {"reference": case.reference})
                return redirect("cases:caseload")
            spec["archive"](request.user, obj)
            messages.success(request, _("%(name)s archived.") % {"name": obj})
            return redirect("cases:detail", pk=case.pk)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request, "cases/confirm_archive.html", {"case": case, "obj": obj, "error": error}, status=400 if error else 200
    )
