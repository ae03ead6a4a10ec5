"""Permanent care support plans in the access matrix's world: one of alice's cases per stage of the process,
each with the same people around it as alice's case (her team and site; the support service and its caseworker
pita allocated), so the usual tables hold. They go in `world.extra["pc"]`, by stage."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kinplan.cases.models import Case
from kinplan.court.models import CourtOrder, OrderKind
from kinplan.permanent_care import services
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.tests.factories import Staff, arrangement_at, family_for_permanent_care
from tests.access.world import World

S = SupportArrangement.Status


def _unresolved(arrangement: SupportArrangement, rung: int, actor) -> None:  # type: ignore[no-untyped-def]
    services.escalation_record(
        actor=actor,
        arrangement=arrangement,
        rung=rung,
        data={
            "held_on": timezone.localdate(),
            "method": "conference_call",
            "caseworker_involved": True,
            "outcome": "unresolved",
            "summary": "No agreement yet on the counselling costs.",
        },
    )


def extend(world: World) -> None:
    u = world.users
    pita = u["allocated_support_caseworker"]
    staff = Staff(
        worker=u["alice"],
        supervisor=u["supervisor"],
        site_manager=u["site_manager"],
        caseworker=pita,
        support_manager=u["allocated_support_manager"],
        national_manager=u["national_manager"],
        support_service=pita.organisation,
    )

    def at(status: str) -> SupportArrangement:
        family = family_for_permanent_care(staff.worker)
        Case.objects.filter(pk=family.case.pk).update(support_service=pita.organisation, support_worker=pita)
        family.case.refresh_from_db()
        return arrangement_at(status, family, staff)

    pc = {
        "draft": at(S.REFERRAL_DRAFT),
        "referred": at(S.REFERRED),
        "allocated": at(S.ALLOCATED),
        "ready": at(S.READY_FOR_COURT),
        "awaiting": at(S.AWAITING_APPROVAL),
        "rung1": at(S.NOT_APPROVED),
        "approved": at(S.APPROVED),
        "sent": at(S.SENT),
        "in_place": at(S.IN_PLACE),
    }
    # planning: everything done but the court step, so "ready for court" succeeds
    pc["planning"] = services.planning_reopen(actor=staff.worker, arrangement=at(S.READY_FOR_COURT), reason="Check")
    for member in pc["planning"].case.team_members.filter(is_required=True, archived_at__isnull=True):
        services.agreement_record(
            actor=staff.worker, arrangement=pc["planning"], member=member, position="agrees", method="in_person"
        )
    for name, rungs in (("rung3", (1, 2)), ("rung5", (1, 2, 3, 4)), ("rung6", (1, 2, 3, 4, 5))):
        arrangement = at(S.NOT_APPROVED)
        for rung in rungs:
            actor = {3: staff.supervisor, 5: staff.site_manager}.get(rung, staff.worker)
            _unresolved(arrangement, rung, actor)
        pc[name] = arrangement
    changes = at(S.NOT_APPROVED)
    services.escalation_record(
        actor=staff.worker,
        arrangement=changes,
        rung=1,
        data={
            "held_on": timezone.localdate(),
            "method": "phone",
            "outcome": "resolved_with_changes",
            "summary": "Counselling drops to 8 sessions.",
        },
    )
    pc["changes"] = changes
    approved = pc["approved"]
    CourtOrder.objects.create(
        case=approved.case,
        child=approved.child,
        kind=OrderKind.CE_CUSTODY,
        court="Family Court at Porirua",
        made_on=timezone.localdate() - datetime.timedelta(days=300),
        status=CourtOrder.Status.DISCHARGED,
        ended_on=timezone.localdate(),
        created_by=staff.worker,
    )
    world.extra["pc"] = pc
    world.extra["pc_follow_up"] = changes.follow_ups.order_by("pk").first()
    in_place = pc["in_place"]
    item = next(i for o in in_place.objectives.all() for i in o.items.all() if i.funder == "support_service")
    world.extra["pc_item"] = item
    world.extra["pc_purchase"] = services.purchase_record(
        actor=pita,
        arrangement=in_place,
        item=item,
        data={
            "quantity": 4,
            "cost": 480,
            "period_start": in_place.discharged_on,
            "period_end": in_place.ends_on,
            "provider_service": item.provider_service,
        },
    )
    start = family_for_permanent_care(staff.worker)
    Case.objects.filter(pk=start.case.pk).update(support_service=pita.organisation, support_worker=pita)
    world.extra["pc_start"] = start
    world.extra["pc_need"] = pc["planning"].objectives.order_by("pk").first().need
    world.extra["pc_caregiver_member"] = pc["planning"].case.team_members.get(person=pc["planning"].caregiver)
    world.extra["pc_objective"] = pc["planning"].objectives.order_by("pk").first()
    world.extra["pc_planning_item"] = world.extra["pc_objective"].items.order_by("pk").first()
    world.extra["pc_universal"] = pc["planning"].universal_services.order_by("pk").first()
