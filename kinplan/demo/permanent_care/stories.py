"""The demo's fourteen permanent care stories: who leads each and how far its arrangement goes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Story:
    worker: str
    goal: str  # a key of PATHS: how far the arrangement goes
    caseworker: str = "pita.pcw"


# Fourteen families whose Nan intends to care for a child permanently, one at each stage: a referral still being
# prepared with the details it lacks, referred, allocated, planning with what still stands before court, ready for
# court, awaiting approval, not approved at rungs 1, 3 and 6 of the escalation ladder, resolved with changes still
# to discuss with the whānau, approved and waiting for the court, sent to the support service, in place with
# purchases and deliveries, and closed after review with further support. Every demo login has something waiting
# for it (`selectors.waiting_for`).
STORIES = (
    Story("aroha.sw", "referral_gaps"),
    Story("aroha.sw", "awaiting_approval"),  # mere.site signs off; ruth.psm approves
    Story("aroha.sw", "rung_3"),  # hemi.sup's case consult
    Story("aroha.sw", "in_place"),  # pita.pcw's review is due
    Story("james.sw", "referred"),  # ruth.psm allocates
    Story("sione.sw", "allocated"),  # pita.pcw records the discussion
    Story("tama.sw", "planning", "emma.pcw"),
    Story("lucy.sw", "changes", "emma.pcw"),
    Story("priya.sw", "ready_for_court"),
    Story("kiri.sw", "rung_6", "emma.pcw"),  # helen.national's determination
    Story("ngaire.sw", "approved", "emma.pcw"),
    Story("liam.sw", "closed", "emma.pcw"),
    Story("chen.sw", "rung_1"),
    Story("wiremu.sw", "sent"),  # pita.pcw sends the letter
)

_BASE = ["send", "allocate", "discuss"]
_PLANNED = [*_BASE, "plan", "meeting", "agree", "ready"]
_SUBMITTED = [*_PLANNED, "submit"]
_REFUSED = [*_SUBMITTED, "site_signs", "refuse"]
_APPROVED = [*_SUBMITTED, "site_signs", "approve"]
_SENT = [*_APPROVED, "discharge", "hand_over"]
PATHS: dict[str, list[str]] = {
    "referral_gaps": ["lodger"],
    "referred": ["send"],
    "allocated": ["send", "allocate"],
    "planning": [*_BASE, "plan_begun"],
    "ready_for_court": _PLANNED,
    "awaiting_approval": _SUBMITTED,
    "rung_1": _REFUSED,
    "rung_3": [*_REFUSED, "escalate:1", "escalate:2", "consult_booked"],
    "rung_6": [*_REFUSED, "escalate:1", "escalate:2", "escalate:3", "escalate:4", "escalate:5"],
    "changes": [*_REFUSED, "escalate:1", "changes_agreed", "change_plan", "follow_ups"],
    "approved": [*_APPROVED, "discharge_hearing"],
    "sent": _SENT,
    "in_place": [*_SENT, "letter", "purchases"],
    "closed": [*_SENT, "letter", "purchases", "review", "further"],
}
# Days from today to the discharge of the chief executive's orders (the plan's start), for the stories after it.
DISCHARGED = {"sent": (3, 10), "in_place": (150, 190), "closed": (330, 350)}
