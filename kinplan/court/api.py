"""API endpoints for court orders, their conditions and hearings.

Every object is reached through its case: an order, condition or hearing of a case the user may not see is a
404 (and looking at one is logged as a view of the child's record); the services refuse changes the user may see
but not make (403) and anything the rules do not allow (422, naming the field sent, with nothing saved).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from kinplan.cases.models import Case, Person
from kinplan.cases.permissions import case_for_api
from kinplan.core.api import blank_for_null, found_or_404, referenced
from kinplan.court import schemas as s
from kinplan.court import selectors, services
from kinplan.court.models import CourtOrder, Hearing, OrderCondition
from kinplan.planning.models import Step

router = Router(tags=["court"])
T = TypeVar("T")


def _order_for(request: HttpRequest, order_id: int) -> CourtOrder:
    order: CourtOrder = found_or_404(CourtOrder.objects.all(), order_id)
    order.case = case_for_api(request, order.case_id)
    return order


def _condition_for(request: HttpRequest, condition_id: int) -> OrderCondition:
    condition: OrderCondition = found_or_404(OrderCondition.objects.select_related("order"), condition_id)
    condition.order.case = case_for_api(request, condition.order.case_id)
    return condition


def _hearing_for(request: HttpRequest, hearing_id: int) -> Hearing:
    hearing: Hearing = found_or_404(Hearing.objects.select_related("order"), hearing_id)
    hearing.case = case_for_api(request, hearing.case_id)
    return hearing


def _order_data(payload: s.OrderIn | s.OrderPatch, case: Case) -> dict[str, Any]:
    data = blank_for_null(payload.dict(exclude_unset=True, exclude={"conditions"}), CourtOrder)
    for field in ("child", "granted_to"):
        if f"{field}_id" in data:
            data[field] = referenced(Person, data.pop(f"{field}_id"), f"{field}_id", participations__case=case)
    return data


def _hearing_data(payload: s.HearingIn | s.HearingPatch, case: Case) -> dict[str, Any]:
    data = blank_for_null(payload.dict(exclude_unset=True), Hearing)
    if "order_id" in data:
        data["order"] = referenced(CourtOrder, data.pop("order_id"), "order_id", case=case)
    return data


# The services name the fields of the models; the API's bodies send ids.
AS_SENT = {"child": "child_id", "granted_to": "granted_to_id", "order": "order_id", "replaced_by": "replaced_by_id"}


def _named(call: Callable[[], T], names: dict[str, str] | None = None) -> T:
    """Run a service, naming its field errors as this API's bodies do (e.g. `child` as `child_id`)."""
    names = AS_SENT | (names or {})
    try:
        return call()
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {names.get(field, field): errors for field, errors in error.error_dict.items()}
        ) from error


# --- orders ----------------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/court-orders",
    response=list[s.OrderOut],
    summary="A case's court orders (in force first), with their conditions and compliance",
)
def list_orders(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    return selectors.orders_in_full(case=case_for_api(request, case_id))


@router.post(
    "/cases/{case_id}/court-orders",
    response={201: s.OrderOut},
    summary="Record a court order, with its conditions",
)
def create_order(request: HttpRequest, case_id: int, payload: s.OrderIn):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    data = _order_data(payload, case)
    order = _named(
        lambda: services.order_create(actor=request.user, case=case, data=data, conditions=payload.conditions)
    )
    return 201, selectors.order_in_full(order=order)


@router.get("/court-orders/{order_id}", response=s.OrderOut, summary="One court order, with its conditions")
def get_order(request: HttpRequest, order_id: int):  # type: ignore[no-untyped-def]
    return selectors.order_in_full(order=_order_for(request, order_id))


@router.patch("/court-orders/{order_id}", response=s.OrderOut, summary="Correct an order in force")
def update_order(request: HttpRequest, order_id: int, payload: s.OrderPatch):  # type: ignore[no-untyped-def]
    order = _order_for(request, order_id)
    data = _order_data(payload, order.case)
    _named(lambda: services.order_update(actor=request.user, order=order, data=data))
    return selectors.order_in_full(order=order)


@router.post("/court-orders/{order_id}/discharge", response=s.OrderOut, summary="Record that the court discharged it")
def discharge_order(request: HttpRequest, order_id: int, payload: s.DischargeIn):  # type: ignore[no-untyped-def]
    order = _order_for(request, order_id)
    _named(
        lambda: services.order_discharge(actor=request.user, order=order, on=payload.discharged_on, note=payload.note),
        {"ended_on": "discharged_on"},
    )
    return selectors.order_in_full(order=order)


@router.post(
    "/court-orders/{order_id}/end",
    response=s.OrderOut,
    summary="End an order in force: discharged, expired on its expiry date, or replaced by a later order",
)
def end_order(request: HttpRequest, order_id: int, payload: s.OrderEndIn):  # type: ignore[no-untyped-def]
    order = _order_for(request, order_id)
    replaced_by = referenced(CourtOrder, payload.replaced_by_id, "replaced_by_id", case=order.case)
    _named(
        lambda: services.order_end(
            actor=request.user,
            order=order,
            to=payload.to,
            ended_on=payload.ended_on,
            replaced_by=replaced_by,
            note=payload.note,
        )
    )
    return selectors.order_in_full(order=order)


# --- conditions ------------------------------------------------------------------------------------


def _condition_out(condition: OrderCondition) -> OrderCondition:
    found: OrderCondition = selectors.condition_piece(condition=condition)["condition"]
    return found


@router.post("/court-orders/{order_id}/conditions", response={201: s.ConditionOut}, summary="Add a condition")
def add_condition(request: HttpRequest, order_id: int, payload: s.ConditionIn):  # type: ignore[no-untyped-def]
    order = _order_for(request, order_id)
    condition = services.condition_add(actor=request.user, order=order, text=payload.text)
    return 201, _condition_out(condition)


@router.patch("/order-conditions/{condition_id}", response=s.ConditionOut, summary="Change a condition's wording")
def update_condition(request: HttpRequest, condition_id: int, payload: s.ConditionIn):  # type: ignore[no-untyped-def]
    condition = _condition_for(request, condition_id)
    return _condition_out(services.condition_update(actor=request.user, condition=condition, text=payload.text))


@router.post(
    "/order-conditions/{condition_id}/compliance",
    response=s.ConditionOut,
    summary="Record how far a condition is complied with, as checked on a date",
)
def record_compliance(request: HttpRequest, condition_id: int, payload: s.ComplianceIn):  # type: ignore[no-untyped-def]
    condition = services.condition_record_compliance(
        actor=request.user,
        condition=_condition_for(request, condition_id),
        compliance=payload.compliance,
        checked_on=payload.checked_on,
        note=payload.note,
    )
    return _condition_out(condition)


@router.put(
    "/order-conditions/{condition_id}/steps",
    response=s.ConditionOut,
    summary="Link a condition to the plan steps that satisfy it (exactly these; others are unlinked)",
)
def set_condition_steps(request: HttpRequest, condition_id: int, payload: s.ConditionStepsIn):  # type: ignore[no-untyped-def]
    condition = _condition_for(request, condition_id)
    ids = list(dict.fromkeys(payload.step_ids))
    steps = list(Step.objects.filter(pk__in=ids, goal__plan__case_id=condition.order.case_id))
    unknown = sorted(set(ids) - {step.pk for step in steps})
    if unknown:
        ids_text = ", ".join(map(str, unknown))
        raise ValidationError({"step_ids": _("No step with id %(ids)s in this case.") % {"ids": ids_text}})
    linked = _named(
        lambda: services.condition_set_steps(actor=request.user, condition=condition, steps=steps),
        {"steps": "step_ids"},
    )
    return _condition_out(linked)


# --- hearings --------------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/hearings",
    response=list[s.HearingOut],
    summary="A case's hearings: those to come first, then those past (latest first)",
)
def list_hearings(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    return selectors.case_hearings(case=case_for_api(request, case_id))


@router.post("/cases/{case_id}/hearings", response={201: s.HearingOut}, summary="Schedule a hearing")
def schedule_hearing(request: HttpRequest, case_id: int, payload: s.HearingIn):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    data = _hearing_data(payload, case)
    return 201, _named(lambda: services.hearing_schedule(actor=request.user, case=case, data=data))


@router.patch("/hearings/{hearing_id}", response=s.HearingOut, summary="Change a scheduled hearing")
def update_hearing(request: HttpRequest, hearing_id: int, payload: s.HearingPatch):  # type: ignore[no-untyped-def]
    hearing = _hearing_for(request, hearing_id)
    data = _hearing_data(payload, hearing.case)
    return _named(lambda: services.hearing_update(actor=request.user, hearing=hearing, data=data))


@router.post(
    "/hearings/{hearing_id}/outcome",
    response=s.HearingOut,
    summary="Record what happened: held (with the outcome), adjourned (why; optionally to a new date) or cancelled",
)
def record_outcome(request: HttpRequest, hearing_id: int, payload: s.HearingOutcomeIn):  # type: ignore[no-untyped-def]
    return services.hearing_record_outcome(
        actor=request.user,
        hearing=_hearing_for(request, hearing_id),
        status=payload.status,
        outcome=payload.outcome,
        adjourned_to=payload.adjourned_to,
    )
