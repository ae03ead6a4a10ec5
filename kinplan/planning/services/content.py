"""A plan's content as plain data, to keep at agreement and compare later ("what changed since")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kinplan.audit.services import snapshot
from kinplan.planning.models import Goal, Plan, Step

PLAN_CONTENT_FIELDS = (
    "permanency_goal",
    "permanency_goal_detail",
    "alternative_goal",
    "alternative_goal_detail",
    "ends_on",
    "next_review_on",
)
GOAL_CONTENT_FIELDS = ("title", "description", "target_date", "track", "parent")
STEP_CONTENT_FIELDS = (
    "what",
    "details",
    "kind",
    "responsible",
    "responsible_person",
    "responsible_user",
    "responsible_name",
    "provider",
    "provider_service",
    "starts_on",
    "due_on",
    "timeline",
    "quantity",
    "unit",
    "frequency",
    "costs_money",
    "cost",
    "funder",
    "client_instructions",
    "worker_helps",
    "worker_help",
)


def plan_content(plan: Plan) -> dict[str, Any]:
    """The agreed-upon parts of a plan, keyed so the same goal or step matches across versions."""
    goals = list(Goal.objects.filter(plan=plan).select_related("parent"))
    steps = list(
        Step.objects.filter(goal__plan=plan).select_related(
            "goal", "responsible_person", "responsible_user", "provider", "provider_service"
        )
    )
    return {
        "plan": snapshot(plan, PLAN_CONTENT_FIELDS),
        "goals": {
            str(g.lineage): {**snapshot(g, GOAL_CONTENT_FIELDS), "label": g.title}
            for g in goals
            if g.status != Goal.Status.DISCONTINUED
        },
        "steps": {
            str(s.lineage): {**snapshot(s, STEP_CONTENT_FIELDS), "label": s.what}
            for s in steps
            if s.status != Step.Status.CANCELLED
        },
    }


def content_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """What differs between two plan contents: each added, removed or changed item with its fields."""
    changes: list[dict[str, Any]] = []
    plan_fields = {
        k: [before.get("plan", {}).get(k), v]
        for k, v in after.get("plan", {}).items()
        if before.get("plan", {}).get(k) != v
    }
    if plan_fields:
        changes.append({"kind": "plan", "change": "changed", "label": _("The plan"), "fields": plan_fields})
    for kind in ("goals", "steps"):
        old, new = before.get(kind, {}), after.get(kind, {})
        for key in new.keys() - old.keys():
            changes.append({"kind": kind[:-1], "change": "added", "label": new[key]["label"], "fields": {}})
        for key in old.keys() - new.keys():
            changes.append({"kind": kind[:-1], "change": "removed", "label": old[key]["label"], "fields": {}})
        for key in old.keys() & new.keys():
            fields = {f: [old[key].get(f), v] for f, v in new[key].items() if f != "label" and old[key].get(f) != v}
            if fields:
                changes.append({"kind": kind[:-1], "change": "changed", "label": new[key]["label"], "fields": fields})
    return sorted(changes, key=lambda c: (c["kind"] != "plan", c["kind"], c["label"]))
