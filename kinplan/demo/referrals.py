"""Demo referrals for a family (see extensions.py).

About a third of the open, planned families have referred a parent or caregiver to a provider — the one a
service step of their plan names, or one serving their area — with consent, and the referral has got as far
as its story: still a draft, sent and waiting (some too long), waitlisted, accepted, started, completed,
declined or withdrawn. Everything goes through the referrals services, dated as it happened.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from kinplan.accounts.models import User
from kinplan.cases.models import Case, Participant
from kinplan.core.text import normalise_name
from kinplan.planning.models import Step
from kinplan.providers.models import Provider, ProviderService, ServiceType
from kinplan.referrals import selectors, services
from kinplan.referrals.models import Referral

Status = Referral.Status
SHARE = 0.34  # of the open families with a plan

# weight, days since sent (low, high), then each move: (status, days after the previous one, note)
STORIES: list[tuple[int, tuple[int, int], list[tuple[str, int, str]]]] = [
    (10, (0, 0), []),  # a draft, consent still to record
    (14, (1, 8), [(Status.SENT, 0, "")]),
    (12, (13, 30), [(Status.SENT, 0, "Emailed the intake team.")]),  # no answer: waiting too long
    (7, (14, 25), [(Status.SENT, 0, ""), (Status.ACKNOWLEDGED, 2, "Intake coordinator rang back.")]),
    (7, (60, 80), [(Status.SENT, 0, ""), (Status.WAITLISTED, 6, "Waitlist for the next intake.")]),  # too long
    (6, (15, 30), [(Status.SENT, 0, ""), (Status.WAITLISTED, 5, "About six weeks' wait.")]),
    (10, (15, 35), [(Status.SENT, 0, ""), (Status.ACKNOWLEDGED, 2, ""), (Status.ACCEPTED, 5, "First session booked.")]),
    (
        14,
        (30, 70),
        [(Status.SENT, 0, ""), (Status.ACCEPTED, 6, ""), (Status.STARTED, 14, "Attended the first session.")],
    ),
    (
        8,
        (100, 160),
        [
            (Status.SENT, 0, ""),
            (Status.ACCEPTED, 7, ""),
            (Status.STARTED, 14, ""),
            (Status.COMPLETED, 70, "Finished the programme; certificate given."),
        ],
    ),
    (6, (20, 40), [(Status.SENT, 0, ""), (Status.DECLINED, 9, "Outside their area; suggested another provider.")]),
    (4, (15, 40), [(Status.WITHDRAWN, 10, "Whānau now supported by their marae instead.")]),
]
REASONS = {
    "parenting_programme": "To build confidence with routines and behaviour at home.",
    "budgeting": "Rent arrears and power bills are the main stressor; a budget plan would help.",
    "family_violence": "Safety planning and support after the incident in the assessment.",
}


def add_to_case(ctx: Any, case: Case, worker: User) -> None:
    """Add realistic referrals to `case`, made through the referrals services as `worker`."""
    rng: random.Random = ctx.rng
    if case.status != Case.Status.OPEN or not case.plans.filter(is_current=True).exists() or rng.random() >= SHARE:
        return
    person = _parent_or_caregiver(rng, case)
    chosen = _provider_and_service(rng, ctx, case)
    if person is None or chosen is None:
        return
    provider, offer, step = chosen
    weights = [story[0] for story in STORIES]
    _, (low, high), moves = rng.choices(STORIES, weights=weights)[0]
    _refer(rng, ctx.today, case, worker, person, provider, offer, step, ago=rng.randint(low, high), moves=moves)


def _parent_or_caregiver(rng: random.Random, case: Case) -> Any:
    adults = case.participants.filter(
        role__in=[Participant.Role.PARENT, Participant.Role.CAREGIVER], archived_at__isnull=True
    ).select_related("person")
    people = [p.person for p in adults]
    return rng.choice(people) if people else None


def _provider_and_service(
    rng: random.Random, ctx: Any, case: Case
) -> tuple[Provider, ProviderService | None, Step | None] | None:
    """The provider a service step of the plan names, else an active directory provider serving the case's area."""
    steps = list(
        Step.objects.filter(
            goal__plan__case=case,
            goal__plan__is_current=True,
            provider__case__isnull=True,
            provider__is_active=True,
        ).select_related("provider", "provider_service")
    )
    if steps:
        step = rng.choice(steps)
        offer = step.provider_service or step.provider.services.filter(is_active=True).first()
        return step.provider, offer, step
    providers = [p for p in (ctx.directory or {}).values() if p.is_active and p.case_id is None] or list(
        Provider.objects.filter(case__isnull=True, is_active=True)
    )
    place = {w for w in normalise_name(f"{case.site.name} {case.site.region}").split() if len(w) > 4}
    nearby = [p for p in providers if place & set(normalise_name(p.area_served).split())] or providers
    if not nearby:
        return None
    provider = rng.choice(nearby)
    return provider, provider.services.filter(is_active=True).first(), None


def _refer(
    rng: random.Random,
    today: datetime.date,
    case: Case,
    worker: User,
    person: Any,
    provider: Provider,
    offer: ProviderService | None,
    step: Step | None,
    *,
    ago: int,
    moves: list[tuple[str, int, str]],
) -> None:
    service_type = offer.service_type if offer else ServiceType.objects.filter(offers__provider=provider).first()
    if service_type is None:
        return
    reason = REASONS.get(service_type.code, f"{person.given_name} asked for support; this service fits the plan.")
    data = {
        "person": person,
        "provider": provider,
        "provider_service": offer,
        "reason": reason,
        "information_sent": selectors.information_draft(person=person, reason=reason, today=today),
        "step": step,
        "service_type": service_type,
    }
    referral = services.referral_create(actor=worker, case=case, data=data)
    if not moves and rng.random() < 0.5:
        return  # a draft: consent not yet recorded
    sent_on = today - datetime.timedelta(days=ago)
    services.consent_record(
        actor=worker,
        referral=referral,
        data={
            "given_by": person,
            "shares": "Name, date of birth, contact details and the reason for the referral.",
            "given_on": sent_on - datetime.timedelta(days=rng.randint(0, 4)),
            "expires_on": sent_on + datetime.timedelta(days=365),
            "method": rng.choice(["verbal", "in_writing", "electronic"]),
        },
    )
    on = sent_on
    for to, after, note in moves:
        on = min(on + datetime.timedelta(days=after), today)
        services.referral_transition(actor=worker, referral=referral, to=to, note=note, on=on)
