"""API endpoints for the permanent care support plan (seed 003): from the referral to the support service, through
planning, agreement, approval and the escalation ladder, to hand-over, purchases, deliveries and review.

Every object is reached through its case: an arrangement, objective, support, purchase or follow-up of a case the
user may not see is a 404 (and looking at one is logged as a view of the child's record); the services refuse
changes the user may see but not make (403) and anything the rules do not allow (422, naming the field sent, with
nothing saved).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from kinplan.accounts.models import Organisation, User
from kinplan.assessments.models import Need
from kinplan.cases.models import Case, Person, TeamMember
from kinplan.cases.permissions import case_for_api
from kinplan.core.api import found_or_404, referenced
from kinplan.documents.api import PDF
from kinplan.documents.pdf import pdf_response
from kinplan.meetings.models import Meeting
from kinplan.permanent_care import schemas as s
from kinplan.permanent_care import selectors, services
from kinplan.permanent_care.letter import letter_pdf
from kinplan.permanent_care.models import (
    FollowUp,
    Objective,
    Purchase,
    SupportArrangement,
    SupportItem,
    UniversalService,
)
from kinplan.permanent_care.views._common import LETTER_READY
from kinplan.providers.models import Provider, ProviderService

router = Router(tags=["permanent care"])
T = TypeVar("T")
ARRANGEMENT = "/permanent-care/arrangements/{arrangement_id}"


# --- look-ups: through the case, or 404 -------------------------------------------------------------------------


def _arrangement_for(request: HttpRequest, arrangement_id: int) -> SupportArrangement:
    arrangement: SupportArrangement = found_or_404(SupportArrangement.objects.all(), arrangement_id)
    arrangement.case = case_for_api(request, arrangement.case_id)
    return arrangement


def _objective_for(request: HttpRequest, objective_id: int) -> Objective:
    objective: Objective = found_or_404(Objective.objects.select_related("arrangement", "need"), objective_id)
    objective.arrangement.case = case_for_api(request, objective.arrangement.case_id)
    return objective


def _item_for(request: HttpRequest, item_id: int) -> SupportItem:
    item: SupportItem = found_or_404(SupportItem.objects.select_related("objective__arrangement"), item_id)
    item.objective.arrangement.case = case_for_api(request, item.objective.arrangement.case_id)
    return item


def _universal_service_for(request: HttpRequest, service_id: int) -> UniversalService:
    service: UniversalService = found_or_404(UniversalService.objects.select_related("arrangement"), service_id)
    service.arrangement.case = case_for_api(request, service.arrangement.case_id)
    return service


def _follow_up_for(request: HttpRequest, follow_up_id: int) -> FollowUp:
    follow_up: FollowUp = found_or_404(FollowUp.objects.select_related("arrangement"), follow_up_id)
    follow_up.arrangement.case = case_for_api(request, follow_up.arrangement.case_id)
    return follow_up


def _purchase_for(request: HttpRequest, purchase_id: int) -> Purchase:
    purchase: Purchase = found_or_404(Purchase.objects.select_related("arrangement", "item"), purchase_id)
    purchase.arrangement.case = case_for_api(request, purchase.arrangement.case_id)
    return purchase


def _in_full(arrangement: SupportArrangement) -> SupportArrangement:
    """The arrangement re-read with what ArrangementOut shows of it (its pieces load through its resolvers)."""
    return SupportArrangement.objects.select_related(
        "case", "child", "caregiver", "support_service", "caseworker", "reviewer"
    ).get(pk=arrangement.pk)


# --- referenced ids: a missing one is a 422 on the field sent -------------------------------------------------

# The services name the fields of the models; the API's bodies send ids.
AS_SENT = {
    name: f"{name}_id"
    for name in (
        "child",
        "caregiver",
        "support_service",
        "caseworker",
        "need",
        "provider",
        "provider_service",
        "member",
        "meeting",
        "item",
    )
}
TEXT_FIELDS = ("referral_notes", "title", "description", "provider_name", "timeline", "unit", "caregiver_instructions")


def _named(call: Callable[[], T]) -> T:
    """Run a service, naming its field errors as this API's bodies do (e.g. `need` as `need_id`)."""
    try:
        return call()
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {AS_SENT.get(field, field): errors for field, errors in error.error_dict.items()}
        ) from error


def _data(payload: Any, **models: tuple[type[Any], dict[str, Any]]) -> dict[str, Any]:
    """The fields sent, with each `<name>_id` of `models` replaced by its row (None stays None); text sent as
    null is empty text."""
    data: dict[str, Any] = payload.dict(exclude_unset=True)
    for name, (model, filters) in models.items():
        if f"{name}_id" in data:
            data[name] = referenced(model, data.pop(f"{name}_id"), f"{name}_id", **filters)
    for name in TEXT_FIELDS:
        if name in data and data[name] is None:
            data[name] = ""
    if "funder" in data and data["funder"] is None:
        data["funder"] = ""
    return data


def _referral_data(payload: s.ArrangementIn | s.ReferralPatch, case: Case) -> dict[str, Any]:
    in_case = {"participations__case": case}
    return _data(
        payload,
        child=(Person, in_case),
        caregiver=(Person, in_case),
        support_service=(Organisation, {}),
    )


def _item_data(payload: s.ItemIn | s.ItemPatch) -> dict[str, Any]:
    return _data(payload, provider=(Provider, {}), provider_service=(ProviderService, {}))


# --- lists ------------------------------------------------------------------------------------------------------


@router.get(
    "/permanent-care/waiting",
    response=list[s.WaitingOut],
    summary="What waits for you in the permanent care process, given your role",
)
def waiting(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.waiting_for(request.user)  # type: ignore[arg-type]


@router.get(
    "/permanent-care/arrangements",
    response=list[s.ArrangementSummaryOut],
    summary="The permanent care support plans you may see, newest first",
)
def list_arrangements(request: HttpRequest, status: SupportArrangement.Status | None = None):  # type: ignore[no-untyped-def]
    arrangements = selectors.arrangements_visible_to(request.user)  # type: ignore[arg-type]
    return list(arrangements.filter(status=status) if status else arrangements)


@router.get(
    "/cases/{case_id}/permanent-care",
    response=list[s.ArrangementSummaryOut],
    summary="A case's permanent care support plans, newest first",
)
def case_arrangements(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    return list(case.support_arrangements.select_related("case", "child", "caregiver", "caseworker"))


@router.post(
    "/cases/{case_id}/permanent-care",
    response={201: s.ArrangementOut},
    summary="Start a permanent care support plan: the referral is drafted from the case",
)
def start_arrangement(request: HttpRequest, case_id: int, payload: s.ArrangementIn):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    data = _referral_data(payload, case)
    arrangement = _named(lambda: services.arrangement_start(actor=request.user, case=case, data=data))
    return 201, _in_full(arrangement)


# --- the arrangement and its referral ----------------------------------------------------------------------------


@router.get(ARRANGEMENT, response=s.ArrangementOut, summary="A permanent care support plan, in full")
def get_arrangement(request: HttpRequest, arrangement_id: int):  # type: ignore[no-untyped-def]
    return _in_full(_arrangement_for(request, arrangement_id))


@router.patch(f"{ARRANGEMENT}/referral", response=s.ArrangementOut, summary="Change the referral before it is sent")
def update_referral(request: HttpRequest, arrangement_id: int, payload: s.ReferralPatch):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    data = _referral_data(payload, arrangement.case)
    _named(lambda: services.referral_update(actor=request.user, arrangement=arrangement, data=data))
    return _in_full(arrangement)


@router.post(
    f"{ARRANGEMENT}/referral/send",
    response=s.ArrangementOut,
    summary="Send the referral pack to the support service (refused while a required detail is missing)",
)
def send_referral(request: HttpRequest, arrangement_id: int):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    services.referral_send(actor=request.user, arrangement=arrangement)
    return _in_full(arrangement)


@router.post(f"{ARRANGEMENT}/allocate", response=s.ArrangementOut, summary="Allocate the support service's caseworker")
def allocate(request: HttpRequest, arrangement_id: int, payload: s.AllocateIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    caseworker = referenced(User, payload.caseworker_id, "caseworker_id")
    _named(lambda: services.caseworker_allocate(actor=request.user, arrangement=arrangement, caseworker=caseworker))
    return _in_full(arrangement)


@router.post(
    f"{ARRANGEMENT}/discussions",
    response={201: s.DiscussionOut},
    summary="Record the caseworker and social worker's discussion (the first one opens planning)",
)
def record_discussion(request: HttpRequest, arrangement_id: int, payload: s.DiscussionIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    return 201, services.discussion_record(actor=request.user, arrangement=arrangement, data=payload.dict())


@router.post(f"{ARRANGEMENT}/withdraw", response=s.ArrangementOut, summary="Withdraw the plan before hand-over")
def withdraw(request: HttpRequest, arrangement_id: int, payload: s.ReasonIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    services.arrangement_withdraw(actor=request.user, arrangement=arrangement, reason=payload.reason)
    return _in_full(arrangement)


# --- the plan's content --------------------------------------------------------------------------------------


@router.patch(
    f"{ARRANGEMENT}/dates",
    response=s.ArrangementOut,
    summary="Set when the plan starts (discharge), ends (at most 12 months later) and is reviewed",
)
def set_dates(request: HttpRequest, arrangement_id: int, payload: s.DatesIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    data = payload.dict(exclude_unset=True)
    services.plan_set_dates(actor=request.user, arrangement=arrangement, data=data)
    return _in_full(arrangement)


@router.post(
    f"{ARRANGEMENT}/objectives",
    response={201: s.ObjectiveOut},
    summary="Add an objective for one identified need of the child",
)
def add_objective(request: HttpRequest, arrangement_id: int, payload: s.ObjectiveIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    data = _data(payload, need=(Need, {"assessment__case": arrangement.case}))
    return 201, _named(lambda: services.objective_add(actor=request.user, arrangement=arrangement, data=data))


@router.patch("/permanent-care/objectives/{objective_id}", response=s.ObjectiveOut, summary="Change an objective")
def update_objective(request: HttpRequest, objective_id: int, payload: s.ObjectivePatch):  # type: ignore[no-untyped-def]
    objective = _objective_for(request, objective_id)
    data = _data(payload, need=(Need, {"assessment__case": objective.arrangement.case}))
    return _named(lambda: services.objective_update(actor=request.user, objective=objective, data=data))


@router.post(
    "/permanent-care/objectives/{objective_id}/remove",
    response=s.ArrangementOut,
    summary="Take an objective, and its supports, out of the plan (kept in history)",
)
def remove_objective(request: HttpRequest, objective_id: int):  # type: ignore[no-untyped-def]
    objective = _objective_for(request, objective_id)
    services.objective_remove(actor=request.user, objective=objective)
    return _in_full(objective.arrangement)


@router.post(
    "/permanent-care/objectives/{objective_id}/items",
    response={201: s.ItemOut},
    summary="Add a support: who provides what, when, how much, at what cost (else it is a contingency arrangement)",
)
def add_item(request: HttpRequest, objective_id: int, payload: s.ItemIn):  # type: ignore[no-untyped-def]
    objective = _objective_for(request, objective_id)
    data = _item_data(payload)
    return 201, _named(lambda: services.item_add(actor=request.user, objective=objective, data=data))


@router.patch("/permanent-care/items/{item_id}", response=s.ItemOut, summary="Change a support (the same rules)")
def update_item(request: HttpRequest, item_id: int, payload: s.ItemPatch):  # type: ignore[no-untyped-def]
    item = _item_for(request, item_id)
    data = _item_data(payload)
    return _named(lambda: services.item_update(actor=request.user, item=item, data=data))


@router.post("/permanent-care/items/{item_id}/remove", response=s.ArrangementOut, summary="Take a support out")
def remove_item(request: HttpRequest, item_id: int):  # type: ignore[no-untyped-def]
    item = _item_for(request, item_id)
    services.item_remove(actor=request.user, item=item)
    return _in_full(item.objective.arrangement)


@router.post(
    f"{ARRANGEMENT}/universal-services",
    response={201: s.UniversalServiceOut},
    summary="List a universal service the caregiver can access (GP, school, benefits…)",
)
def add_universal_service(request: HttpRequest, arrangement_id: int, payload: s.UniversalServiceIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    return 201, services.universal_service_add(actor=request.user, arrangement=arrangement, data=payload.dict())


@router.post(
    "/permanent-care/universal-services/{service_id}/remove",
    response=s.ArrangementOut,
    summary="Take a universal service off the plan",
)
def remove_universal_service(request: HttpRequest, service_id: int):  # type: ignore[no-untyped-def]
    service = _universal_service_for(request, service_id)
    services.universal_service_remove(actor=request.user, service=service)
    return _in_full(service.arrangement)


# --- agreement, court, approval -------------------------------------------------------------------------------


@router.post(
    f"{ARRANGEMENT}/agreements",
    response={201: s.AgreementOut},
    summary="Record a planning participant's position on the plan as it stands, and how they gave it",
)
def record_agreement(request: HttpRequest, arrangement_id: int, payload: s.AgreementIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    member = referenced(TeamMember, payload.member_id, "member_id", case=arrangement.case)
    agreement = _named(
        lambda: services.agreement_record(
            actor=request.user,
            arrangement=arrangement,
            member=member,
            position=payload.position,
            method=payload.method,
            reason=payload.reason,
        )
    )
    return 201, agreement


@router.post(
    f"{ARRANGEMENT}/ready-for-court",
    response=s.ArrangementOut,
    summary="Everyone agrees and every rule is met: record the court step and mark the plan ready for court",
)
def ready_for_court(request: HttpRequest, arrangement_id: int, payload: s.ReadyForCourtIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    services.mark_ready_for_court(
        actor=request.user, arrangement=arrangement, court_step=payload.court_step, court_step_on=payload.court_step_on
    )
    return _in_full(arrangement)


@router.post(
    f"{ARRANGEMENT}/reopen",
    response=s.ArrangementOut,
    summary="Take an agreed (or approved, unsent) plan back into planning; everyone agrees again",
)
def reopen(request: HttpRequest, arrangement_id: int, payload: s.ReasonIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    services.planning_reopen(actor=request.user, arrangement=arrangement, reason=payload.reason)
    return _in_full(arrangement)


@router.post(
    f"{ARRANGEMENT}/submit",
    response=s.ArrangementOut,
    summary="Submit the agreed plan to the site manager and the support-service manager",
)
def submit(request: HttpRequest, arrangement_id: int):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    services.submit_for_approval(actor=request.user, arrangement=arrangement)
    return _in_full(arrangement)


@router.post(
    f"{ARRANGEMENT}/decisions",
    response={201: s.DecisionOut},
    summary="The site manager's sign-off or the support-service manager's approval (by who you are)",
)
def decide(request: HttpRequest, arrangement_id: int, payload: s.DecisionIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    decision = services.approval_decide(
        actor=request.user, arrangement=arrangement, decision=payload.decision, comment=payload.comment
    )
    return 201, decision


@router.post(
    f"{ARRANGEMENT}/escalation",
    response={201: s.EscalationStepOut},
    summary="Record the next step of the escalation ladder, in order, by the role it belongs to",
)
def escalate(request: HttpRequest, arrangement_id: int, payload: s.EscalationIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    data = _data(payload, meeting=(Meeting, {"case": arrangement.case}))
    rung = data.pop("rung")
    step = _named(lambda: services.escalation_record(actor=request.user, arrangement=arrangement, rung=rung, data=data))
    return 201, step


@router.post(
    "/permanent-care/follow-ups/{follow_up_id}",
    response=s.FollowUpOut,
    summary="Record that the escalation's changes were discussed with this caregiver or participant",
)
def record_follow_up(request: HttpRequest, follow_up_id: int, payload: s.FollowUpIn):  # type: ignore[no-untyped-def]
    follow_up = _follow_up_for(request, follow_up_id)
    return services.follow_up_record(actor=request.user, follow_up=follow_up, data=payload.dict())


# --- hand-over and after --------------------------------------------------------------------------------------


@router.post(
    f"{ARRANGEMENT}/send",
    response=s.ArrangementOut,
    summary="Send the approved plan to the support service, once the orders are discharged",
)
def send(request: HttpRequest, arrangement_id: int):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    services.arrangement_send(actor=request.user, arrangement=arrangement)
    return _in_full(arrangement)


@router.get(
    f"{ARRANGEMENT}/letter.pdf",
    summary="The acknowledgement letter to the caregiver, as a PDF, once the plan is with the support service",
    openapi_extra=PDF,
)
def letter_pdf_of(request: HttpRequest, arrangement_id: int) -> HttpResponse:
    """As the page's letter: 404, saying so, before the plan has been sent to the support service."""
    arrangement = _arrangement_for(request, arrangement_id)
    if arrangement.status not in LETTER_READY or arrangement.sent_at is None:
        raise HttpError(404, _("The acknowledgement letter is not available yet"))
    case = arrangement.case
    return pdf_response(letter_pdf(arrangement), _("acknowledgement letter"), case.reference or case.pk)


@router.post(
    f"{ARRANGEMENT}/letter",
    response=s.ArrangementOut,
    summary="Record the acknowledgement letter to the caregiver; the service now administers the plan",
)
def record_letter(request: HttpRequest, arrangement_id: int, payload: s.LetterIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    services.letter_record_sent(
        actor=request.user,
        arrangement=arrangement,
        sent_on=payload.sent_on,
        method=payload.method or "",
    )
    return _in_full(arrangement)


@router.post(
    f"{ARRANGEMENT}/purchases",
    response={201: s.PurchaseOut},
    summary="Record the purchase of a named provider's service for a support the service resources",
)
def record_purchase(request: HttpRequest, arrangement_id: int, payload: s.PurchaseIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    in_case = {"objective__arrangement__case": arrangement.case}
    item = referenced(SupportItem, payload.item_id, "item_id", **in_case)
    data = _data(payload, provider=(Provider, {}), provider_service=(ProviderService, {}))
    data.pop("item_id")
    purchase = _named(
        lambda: services.purchase_record(actor=request.user, arrangement=arrangement, item=item, data=data)
    )
    return 201, purchase


@router.post(
    "/permanent-care/purchases/{purchase_id}/deliveries",
    response={201: s.DeliveryOut},
    summary="Record what the provider delivered against a purchase, and what it cost",
)
def record_delivery(request: HttpRequest, purchase_id: int, payload: s.DeliveryIn):  # type: ignore[no-untyped-def]
    purchase = _purchase_for(request, purchase_id)
    return 201, services.delivery_record(actor=request.user, purchase=purchase, data=payload.dict())


@router.post(
    f"{ARRANGEMENT}/reviews",
    response={201: s.ReviewOut},
    summary="The assigned reviewer's review: continue (with the next review date) or complete (closes the plan)",
)
def record_review(request: HttpRequest, arrangement_id: int, payload: s.ReviewIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    return 201, services.review_record(actor=request.user, arrangement=arrangement, data=payload.dict())


@router.post(
    f"{ARRANGEMENT}/further-support",
    response={201: s.FurtherSupportOut},
    summary="Record support beyond the plan's 12 months: a new arrangement starting after the plan ends",
)
def record_further_support(request: HttpRequest, arrangement_id: int, payload: s.FurtherSupportIn):  # type: ignore[no-untyped-def]
    arrangement = _arrangement_for(request, arrangement_id)
    return 201, services.further_support_record(actor=request.user, arrangement=arrangement, data=payload.dict())
