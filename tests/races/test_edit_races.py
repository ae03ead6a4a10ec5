"""Two people saving the same record at the same moment, each from the version they opened: one save goes
through, the other is shown the merge; neither overwrites the other unseen."""

from __future__ import annotations

from kinplan.cases import services as case_services
from kinplan.cases.models import Household
from kinplan.core.concurrency import Seen, editing, field_values
from kinplan.planning import services
from kinplan.planning.models import Step
from kinplan.planning.services import steps as step_services
from tests.races.helpers import RACE, at_once

pytestmark = RACE


def save_from_what_was_seen(actor, step: Step, what: str):
    seen = Seen(label="planning.step", pk=str(step.pk), values=field_values(step, ["what", "details"]))

    def save():
        with editing(seen):
            return step_services.step_update(actor=actor, step=Step.objects.get(pk=step.pk), data={"what": what})

    return save


def test_two_saves_of_the_same_step_at_once_keep_one_and_refuse_the_other(alice, supervisor, case, slow_history):
    # given a step both opened
    plan = services.plan_create(actor=alice, case=case, data={"permanency_goal": "reunification"})
    goal = services.goal_add(actor=alice, plan=plan, data={"title": "A safe home"})
    step = services.step_add(
        actor=alice, goal=goal, data={"what": "Visit", "responsible": "worker", "responsible_user": alice}
    )
    slow_history(step_services)
    # when both save their own words at once
    outcome = at_once(
        save_from_what_was_seen(alice, step, "Visit on Tuesday"),
        save_from_what_was_seen(supervisor, step, "Visit with the nurse"),
    )
    # then one is kept and the other is refused, told what is saved now
    kept = outcome.once()
    assert Step.objects.get(pk=step.pk).what == kept.what
    assert outcome.refused[0].current.what == kept.what


def test_two_saves_of_a_record_its_service_does_not_lock_still_keep_one(alice, supervisor, case, slow_history):
    # given a household both opened (its service takes no lock of its own: the version check does)
    household = Household.objects.create(case=case, name="Nan's", address="1 Kowhai Road")
    slow_history(case_services)

    def save(actor, address):
        seen = Seen(label="cases.household", pk=str(household.pk), values=field_values(household, ["address"]))

        def run():
            with editing(seen):
                fresh = Household.objects.get(pk=household.pk)
                return case_services.household_update(actor=actor, household=fresh, data={"address": address})

        return run

    # when both change the address at once
    outcome = at_once(save(alice, "2 Rimu Street"), save(supervisor, "3 Totara Lane"))
    # then one is kept and the other is refused
    kept = outcome.once()
    assert Household.objects.get(pk=household.pk).address == kept.address
