"""The meetings routes in the access matrix (see routes.py for the tables and helpers)."""

from __future__ import annotations

import datetime
from typing import Any

from tests.access.routes import CASE_READ, CASE_WRITE, TODAY, Route, api, case_pk, page_and_form, web
from tests.access.world import World

NEXT_WEEK = (datetime.datetime.now().astimezone() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT10:00")


def x(name: str) -> Any:
    """The pk of `world.extra[name]`."""
    return lambda w: w.extra[name].pk


def details(w: World) -> dict[str, Any]:
    return {"kind": "family_group_conference", "starts_at": NEXT_WEEK, "place": "Marae", "purpose": "Decide care."}


MEETING = (case_pk, x("meeting"))
READY = (case_pk, x("ready_meeting"))
HELD = (case_pk, x("held_meeting"))

WEB: list[Route] = [
    *page_and_form("meetings:new", web("meetings:new", case_pk), details),
    Route("meetings:detail", web("meetings:detail", *MEETING), CASE_READ),
    Route("meetings:record", web("meetings:record", *HELD), CASE_READ),
    *page_and_form("meetings:change", web("meetings:change", *MEETING), lambda w: details(w) | {"decisions": ""}),
    *page_and_form(
        "meetings:move",
        web("meetings:move", *READY, lambda w: "held"),
        lambda w: {"decisions": "Tāmati stays with Nan.", "note": ""},
    ),
    Route(
        "meetings:move",
        web("meetings:move", *MEETING, lambda w: "cancelled"),
        CASE_WRITE,
        "POST",
        lambda w: {"note": "Nan is unwell."},
        ok=302,
    ),
    *page_and_form(
        "meetings:support_role",
        web("meetings:support_role", *MEETING),
        lambda w: {"explained_by": w.users["alice"].pk, "explained_on": TODAY.isoformat()},
    ),
    Route("meetings:invite_team", web("meetings:invite_team", *MEETING), CASE_WRITE, "POST", ok=302),
    *page_and_form(
        "meetings:participant_new",
        web("meetings:participant_new", *MEETING),
        lambda w: {"name": "Rawiri Kereama", "role": "lawyer_for_child", "participation": "not_recorded"},
    ),
    Route(
        "meetings:participant_row",
        web("meetings:participant_row", *MEETING, x("meeting_nan")),
        CASE_READ,
        ok=302,
    ),
    *page_and_form(
        "meetings:participation",
        web("meetings:participation", *MEETING, x("meeting_nan")),
        lambda w: {"participation": "in_writing", "views": "Nan can have the children on weekends."},
    ),
    *page_and_form(
        "meetings:outcome",
        web("meetings:outcome", *HELD, x("held_mother")),
        lambda w: {"method": "letter", "sent_on": TODAY.isoformat()},
    ),
    *page_and_form(
        "meetings:action_new",
        web("meetings:action_new", *MEETING),
        lambda w: {"what": "Call the school", "who_name": "Nan"},
    ),
    *page_and_form(
        "meetings:action_step",
        web("meetings:action_step", *HELD, x("held_action")),
        lambda w: {"goal": w.goal.pk},
    ),
    *page_and_form(
        "meetings:action_done",
        web("meetings:action_done", *HELD, x("held_action")),
        lambda w: {"done_on": TODAY.isoformat()},
    ),
]

M = {"meeting_id": x("meeting")}

API: list[Route] = [
    api("GET", "/cases/{case_id}/meetings", CASE_READ, case_id=case_pk),
    api(
        "POST",
        "/cases/{case_id}/meetings",
        CASE_WRITE,
        lambda w: {"kind": "planning", "starts_at": NEXT_WEEK, "place": "Marae", "purpose": "Plan."},
        ok=201,
        case_id=case_pk,
    ),
    api("GET", "/meetings/{meeting_id}", CASE_READ, **M),
    api("PATCH", "/meetings/{meeting_id}", CASE_WRITE, lambda w: {"place": "Nan's house"}, **M),
    api(
        "POST",
        "/meetings/{meeting_id}/transition",
        CASE_WRITE,
        lambda w: {"to": "held"},
        meeting_id=x("ready_meeting"),
    ),
    api(
        "POST",
        "/meetings/{meeting_id}/support-role",
        CASE_WRITE,
        lambda w: {"explained_by_id": w.users["alice"].pk, "explained_on": TODAY.isoformat()},
        **M,
    ),
    api(
        "POST",
        "/meetings/{meeting_id}/participants",
        CASE_WRITE,
        lambda w: {"name": "Rawiri Kereama", "role": "lawyer_for_child"},
        ok=201,
        **M,
    ),
    api("POST", "/meetings/{meeting_id}/invite-team", CASE_WRITE, **M),
    api(
        "POST",
        "/meetings/{meeting_id}/participants/{participant_id}/participation",
        CASE_WRITE,
        lambda w: {"participation": "phone", "views": "Happy with the plan."},
        **M,
        participant_id=x("meeting_nan"),
    ),
    api(
        "POST",
        "/meetings/{meeting_id}/participants/{participant_id}/outcome",
        CASE_WRITE,
        lambda w: {"method": "email"},
        meeting_id=x("held_meeting"),
        participant_id=x("held_mother"),
    ),
    api(
        "POST",
        "/meetings/{meeting_id}/actions",
        CASE_WRITE,
        lambda w: {"what": "Call the school", "who_name": "Nan"},
        ok=201,
        **M,
    ),
    api(
        "POST",
        "/meetings/{meeting_id}/actions/{action_id}/done",
        CASE_WRITE,
        meeting_id=x("held_meeting"),
        action_id=x("held_action"),
    ),
    api(
        "POST",
        "/meetings/{meeting_id}/actions/{action_id}/plan-step",
        CASE_WRITE,
        lambda w: {"goal_id": w.goal.pk},
        ok=201,
        meeting_id=x("held_meeting"),
        action_id=x("held_action"),
    ),
]

ROUTES: list[Route] = WEB + API
