"""What a family's walk through the permanent care services shares across its steps: its people and dates."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from kinplan.accounts.models import Organisation, User
from kinplan.cases.models import Case, Household, Person
from kinplan.demo.court import COURTS, sitting
from kinplan.demo.permanent_care.content import IWI_PROVIDERS
from kinplan.demo.permanent_care.stories import DISCHARGED, Story
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.selectors import one_year_after
from kinplan.providers.models import Provider

Role = User.Role


class WalkBase:
    """One family's story as it stands: the people who act in it, the plan's dates and the family's providers."""

    nan: Person  # the caregiver, set with the household
    home: Household
    child: Person
    arrangement: SupportArrangement

    def __init__(self, ctx: Any, story: Story, case: Case, worker: User, support: Organisation) -> None:
        self.rng: random.Random = ctx.rng
        self.ctx, self.story, self.case, self.worker, self.support = ctx, story, case, worker, support
        self.today: datetime.date = ctx.today
        self.caseworker = User.objects.get(username=story.caseworker)
        self.manager = User.objects.get(organisation=support, role=Role.SUPPORT_MANAGER)
        self.site_manager = User.objects.get(role=Role.SITE_MANAGER, site=case.site)
        self.region = case.site.region
        self.court = self.rng.choice(COURTS.get(self.region, COURTS["Wellington"]))
        self.caseworker_attends = self.rng.random() < 0.75
        self.koro_name = ""
        self.culture = "other"  # set with the child
        self.siblings: list[Person] = []
        self.dates()

    def days(self, n: int, start: datetime.date | None = None) -> datetime.date:
        return (start or self.today) + datetime.timedelta(days=n)

    # The services date some steps by the clock (the referral, the approval decisions, hand-over), so the
    # caseworker's discussion, the escalation steps and the acknowledgement letter are dated today; the plan's own
    # dates (the discharge of the chief executive's orders, the supports, purchases, deliveries and the review) are
    # spread around today.
    def dates(self) -> None:
        """The plan runs from the discharge (a court sitting day) for up to a year, reviewed inside that span."""
        if self.story.goal in DISCHARGED:
            low, high = DISCHARGED[self.story.goal]
            self.starts = sitting(self.days(-self.rng.randint(low, high)), self.today)
        else:
            self.starts = sitting(self.days(self.rng.randint(21, 70)), self.today)
        self.ends = one_year_after(self.starts) - datetime.timedelta(days=1)
        self.review_on = {
            "in_place": self.days(self.rng.randint(5, 12)),  # due for the caseworker's review
            "closed": self.days(-self.rng.randint(10, 20)),
        }.get(self.story.goal, self.days(182, self.starts))
        before = self.starts if self.starts < self.today else self.today
        self.noticed = max(self.case.opened_on, self.days(-self.rng.randint(100, 140), before))
        self.met_on = max(self.case.opened_on, self.days(-self.rng.randint(30, 45), self.starts), self.noticed)
        if self.met_on >= self.today:
            self.met_on = max(self.case.opened_on, self.days(-self.rng.randint(1, 6)))
        self.filed_on = min(self.days(self.rng.randint(1, 5), self.met_on), self.today)

    @property
    def iwi_provider(self) -> Provider:
        return self.ctx.directory.get(IWI_PROVIDERS.get(self.region, "Te Whare Tiaki")) or Provider.objects.get(
            name=IWI_PROVIDERS.get(self.region, "Te Whare Tiaki"), case__isnull=True
        )

    @property
    def counsellor(self) -> Provider:
        """Kaupapa Māori counselling with the Iwi provider, unless a Pasifika or local service fits better."""
        name = None
        if self.culture == "pasifika" and self.region != "Canterbury":
            name = "Pasifika Family Services"
        elif self.culture == "other" and self.region == "Canterbury":
            name = "Canterbury Family Counselling"
        return self.ctx.directory.get(name) or self.iwi_provider

    def meeting_data(self, kind: str, day: datetime.date, hour: int) -> dict[str, Any]:
        moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())
        if day <= self.today:
            moment = min(moment, timezone.now() - datetime.timedelta(hours=2))
        return {
            "kind": kind,
            "starts_at": moment,
            "place": self.rng.choice([f"{self.nan.given_name}'s home", "The marae wharekai", "Whānau room"]),
            "purpose": f"Plan the support {self.nan.given_name} and {self.child.given_name} need in the first year "
            "after the chief executive's orders are discharged.",
        }
