"""What an export reads, in a fixed number of queries whatever the plan holds: the plan (as its page loads it),
the case's children and team, and the referrals made for its steps with their current consent."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.cases.models import Case, Participant, TeamMember
from kinplan.fhir.export import CaseTeam, Resource, service_plan_bundle, support_plan_bundle
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.selectors import live_objectives
from kinplan.planning.selectors import plan_for_case
from kinplan.referrals.models import Consent, Referral


def case_team(case: Case) -> CaseTeam:
    """The case's current children (eldest first) and its current Child and Family Team."""
    children = (
        Participant.objects.filter(case=case, role=Participant.Role.CHILD, archived_at__isnull=True)
        .select_related("person")
        .order_by("person__date_of_birth", "person_id")
    )
    members = TeamMember.objects.filter(case=case, archived_at__isnull=True).select_related("person", "user")
    return CaseTeam(children=[p.person for p in children], members=list(members))


def plan_referrals(plan_id: int) -> list[Referral]:
    current = Consent.objects.filter(is_current=True).select_related("given_by")
    return list(
        Referral.objects.filter(step__goal__plan_id=plan_id)
        .select_related("provider")
        .prefetch_related(Prefetch("consents", queryset=current, to_attr="current_consents"))
        .order_by("pk")
    )


def service_plan_export(*, case: Case, version: int | None = None, today: datetime.date | None = None) -> Resource:
    """The case's current plan (or `version`) as a FHIR Bundle. The caller has checked the user may see `case`."""
    plan = plan_for_case(case=case, version=version)
    if plan is None:
        raise Http404(_("This case has no plan yet.") if version is None else _("No such version."))
    today = today or timezone.localdate()
    return service_plan_bundle(plan=plan, team=case_team(case), referrals=plan_referrals(plan.pk), today=today)


def support_plan_export(*, case: Case, arrangement_id: int) -> Resource:
    """One permanent care support plan of `case` as a FHIR Bundle (its live objectives and supports)."""
    related = ("child", "caregiver", "support_service", "caseworker", "reviewer", "created_by")
    arrangement = get_object_or_404(SupportArrangement.objects.select_related(*related), pk=arrangement_id, case=case)
    return support_plan_bundle(arrangement=arrangement, team=case_team(case), objectives=live_objectives(arrangement))
