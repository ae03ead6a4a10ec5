"""The referral pack (seed 003): what the social worker sends the support service, and the details missing."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.cases.models import Participant, Person, Relationship, age_on
from kinplan.core.text import normalise_name
from kinplan.permanent_care.models import (
    SupportArrangement,
)

# --- the referral pack (seed 003: what the social worker sends the support service) -------------------------


def _person_facts(person: Person, today: datetime.date) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.full_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "age": age_on(person.date_of_birth, today),
        "gender": person.get_gender_display() if person.gender != Person.Gender.NOT_STATED else None,
        "ethnicity": person.ethnicity or None,
        "iwi": [iwi.name for iwi in person.iwi.all()],
    }


def caregiver_household_members(arrangement: SupportArrangement) -> list[Participant]:
    """Everyone else in the caregiver's household in this case (the caregiver and the child excluded)."""
    home = (
        Participant.objects.filter(case=arrangement.case, person=arrangement.caregiver, archived_at__isnull=True)
        .values_list("household_id", flat=True)
        .first()
    )
    if home is None:
        return []
    return list(
        Participant.objects.filter(case=arrangement.case, household_id=home, archived_at__isnull=True)
        .exclude(person__in=[arrangement.caregiver_id, arrangement.child_id])
        .select_related("person")
        .prefetch_related("person__iwi")
    )


def _relationships_to(arrangement: SupportArrangement) -> dict[int, str]:
    rows = Relationship.objects.filter(case=arrangement.case, child=arrangement.child, archived_at__isnull=True)
    return {row.person_id: row.get_kind_display() for row in rows}


def referral_pack(arrangement: SupportArrangement) -> dict[str, Any]:
    """The referral as it would be sent: the child, the caregiver, and every other household member — all
    taken from the case, none retyped."""
    today = timezone.localdate()
    relationship = _relationships_to(arrangement)
    caregiver = arrangement.caregiver
    home = Participant.objects.filter(case=arrangement.case, person=caregiver, archived_at__isnull=True).first()
    return {
        "case_reference": arrangement.case.reference,
        "child": _person_facts(arrangement.child, today),
        "caregiver": _person_facts(caregiver, today)
        | {
            "relationship_to_child": relationship.get(caregiver.pk),
            "address": (home.household.address if home and home.household else "") or caregiver.address or None,
            "phone": caregiver.phone or None,
            "email": caregiver.email or None,
            "household": home.household.name if home and home.household else None,
        },
        "household_members": [
            _person_facts(member.person, today) | {"relationship_to_child": relationship.get(member.person_id)}
            for member in caregiver_household_members(arrangement)
        ],
        "social_worker": str(arrangement.case.worker) if arrangement.case.worker_id else None,
        "site": str(arrangement.case.site),
        "intention_noted_on": arrangement.intention_noted_on.isoformat(),
        "notes": arrangement.referral_notes,
    }


def _is_maori(ethnicity: str | None) -> bool:
    return "maori" in normalise_name(ethnicity or "")


# Each required detail, as the gap reads when it is missing (whole sentences, for translation).
CHILD_DETAILS = (
    ("date_of_birth", gettext_lazy("The child's date of birth (%(name)s).")),
    ("gender", gettext_lazy("The child's gender (%(name)s).")),
    ("ethnicity", gettext_lazy("The child's ethnicity (%(name)s).")),
)
CAREGIVER_DETAILS = (
    ("date_of_birth", gettext_lazy("The caregiver's date of birth (%(name)s).")),
    ("ethnicity", gettext_lazy("The caregiver's ethnicity (%(name)s).")),
)
MEMBER_DETAILS = (
    ("date_of_birth", gettext_lazy("%(name)s (household member): date of birth.")),
    ("ethnicity", gettext_lazy("%(name)s (household member): ethnicity.")),
    ("relationship_to_child", gettext_lazy("%(name)s (household member): relationship to the child.")),
)


def referral_gaps(pack: dict[str, Any]) -> list[str]:
    """Each required detail missing from the pack, said so the worker knows what to record and where."""
    gaps = []
    child, caregiver = pack["child"], pack["caregiver"]
    for key, gap in CHILD_DETAILS:
        if not child[key]:
            gaps.append(gap % {"name": child["name"]})
    if _is_maori(child["ethnicity"]) and not child["iwi"]:
        gaps.append(_("The child's Iwi (%(name)s is Māori; record their Iwi affiliation).") % {"name": child["name"]})
    if not caregiver["address"]:
        gaps.append(_("The caregiver's address (%(name)s).") % {"name": caregiver["name"]})
    if not (caregiver["phone"] or caregiver["email"]):
        gaps.append(_("A phone number or email for the caregiver (%(name)s).") % {"name": caregiver["name"]})
    for key, gap in CAREGIVER_DETAILS:
        if not caregiver[key]:
            gaps.append(gap % {"name": caregiver["name"]})
    if not caregiver["relationship_to_child"]:
        gaps.append(_("How the caregiver (%(name)s) is related to the child.") % {"name": caregiver["name"]})
    if not caregiver["household"]:
        gaps.append(_("The household the caregiver (%(name)s) lives in.") % {"name": caregiver["name"]})
    for member in pack["household_members"]:
        for key, gap in MEMBER_DETAILS:
            if not member[key]:
                gaps.append(gap % {"name": member["name"]})
    return gaps
