"""What the export writes and the import reads: Kinplan's identifier systems, code systems and extensions, and how
Kinplan's statuses map to FHIR's. docs/fhir.md explains each one."""

from __future__ import annotations

import uuid

from kinplan.permanent_care.models import SupportArrangement
from kinplan.planning.models import Goal, Plan, Step

BASE = "https://kinplan.org/fhir"
SID = f"{BASE}/sid"  # identifier systems: {SID}/person, /user, /provider, /provider-service, /plan, /goal, /step …
CS = f"{BASE}/CodeSystem"  # code systems: {CS}/step-kind, /step-responsible, /team-role, /goal-track …
EXT = f"{BASE}/StructureDefinition"  # extensions, below
PERTAINS_TO_GOAL = "http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal"
SERVICE_TYPE = f"{CS}/service-type"
CURRENCY = "NZD"

# Extension URLs, by what they carry.
X = {
    name: f"{EXT}/{name}"
    for name in (
        "plan-status",
        "permanency-goal",
        "permanency-goal-detail",
        "alternative-goal",
        "alternative-goal-detail",
        "next-review",
        "long-term-goal",
        "step-status",
        "cost",
        "costs-money",
        "funder",
        "timeline",
        "frequency",
        "details",
        "worker-helps",
        "worker-help",
        "result",
        "completed-on",
        "provider-service",
        "started-before-discharge",
        "consent-shares",
        "consent-method",
        "arrangement-status",
        "reviewer",
    )
}

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)


def urn(kind: str, pk: object) -> str:
    """A stable fullUrl for one Kinplan record: the same record gives the same urn:uuid on every export."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}/{pk}')}"


# CarePlan.status (request-status) for each plan status; the exact Kinplan status goes in X["plan-status"].
PLAN_STATUS = {
    Plan.Status.DRAFT: "draft",
    Plan.Status.AGREED: "active",
    Plan.Status.ACTIVE: "active",
    Plan.Status.UNDER_REVIEW: "active",
    Plan.Status.CLOSED: "completed",
    Plan.Status.SUPERSEDED: "revoked",
}
A = SupportArrangement.Status
ARRANGEMENT_STATUS = {status: "draft" for status in A} | {
    A.SENT: "active",
    A.IN_PLACE: "active",
    A.CLOSED: "completed",
    A.WITHDRAWN: "revoked",
}

# Goal.status → (Goal.lifecycleStatus, Goal.achievementStatus code or None); one-to-one, so the import reads it back.
GOAL_STATUS: dict[str, tuple[str, str | None]] = {
    Goal.Status.NOT_STARTED: ("planned", None),
    Goal.Status.IN_PROGRESS: ("active", "in-progress"),
    Goal.Status.ACHIEVED: ("completed", "achieved"),
    Goal.Status.NOT_ACHIEVED: ("completed", "not-achieved"),
    Goal.Status.DISCONTINUED: ("cancelled", None),
}
GOAL_STATUS_BACK = {value: key for key, value in GOAL_STATUS.items()}
ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"

# ServiceRequest.status for each step status; the exact one goes in X["step-status"].
STEP_STATUS = {
    Step.Status.PLANNED: "active",
    Step.Status.IN_PROGRESS: "active",
    Step.Status.DONE: "completed",
    Step.Status.NOT_DONE: "revoked",
    Step.Status.CANCELLED: "revoked",
}

GENDER = {"female": "female", "male": "male", "another": "other", "not_stated": "unknown"}
