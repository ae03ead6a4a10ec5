"""The court pages: what a worker sees, what a bad form says and leaves alone, htmx pieces, and what it costs.

Who may open or change each page is the access matrix's job (tests/access); these tests sign in as alice, the
case's worker, or as the national manager, who reads every case and changes none.
"""

from __future__ import annotations

import datetime
import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, translation

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case
from kinplan.court import services
from kinplan.court.models import CourtOrder, Hearing, OrderCondition, OrderTransition
from kinplan.court.tests.factories import CourtOrderFactory, HearingFactory, OrderConditionFactory, days

pytestmark = pytest.mark.django_db

PORIRUA = "Family Court at Porirua"


@pytest.fixture
def signed_in(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


def url(name: str, case: Case, *args: Any) -> str:
    return reverse(f"court:{name}", args=[case.pk, *args])


def text(html: str) -> str:
    """What a reader sees: tags as spaces, entities read, whitespace squeezed (none before punctuation)."""
    seen = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]*>", " ", html))).strip()
    return re.sub(r" ([,.:;])", r"\1", seen)


WATCHED = (CourtOrder, OrderCondition, OrderTransition, Hearing, AuditEvent)


def state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row (and its last change) a court form could write, so a refusal that wrote anything shows up."""
    snapshot = {}
    for model in WATCHED:
        stamped = any(f.name == "updated_at" for f in model._meta.fields)
        snapshot[model.__name__] = sorted(model.objects.values_list("pk", *(["updated_at"] if stamped else [])))
    snapshot["steps"] = sorted(OrderCondition.steps.through.objects.values_list("ordercondition_id", "step_id"))
    return snapshot


def field_error(response, field: str) -> list[str]:
    """The messages shown beside `field` (by its id), as a reader sees them."""
    page = response.content.decode()
    return [text(m) for m in re.findall(rf'<p class="field-error" id="[^"]*{field}_error">(.*?)</p>', page)]


# --- the case page's section ----------------------------------------------------------------------


class TestTheCaseSection:
    def test_orders_in_force_come_first_with_compliance_at_a_glance_and_the_next_hearing(
        self, signed_in, alice, case, order
    ):
        # given an older order discharged, the custody order's conditions checked, and two hearings
        old = CourtOrderFactory(case=case, kind="ce_interim_custody", made_on=days(-300))
        services.order_end(actor=alice, order=old, to="replaced", replaced_by=order)
        first, second = order.conditions.all()
        services.condition_record_compliance(actor=alice, condition=first, compliance="complying")
        services.condition_record_compliance(
            actor=alice, condition=second, compliance="not_complying", note="Has not enrolled."
        )
        HearingFactory(case=case, date=days(40))
        HearingFactory(case=case, date=days(12), purpose="Review of the plan")
        # when
        page = signed_in.get(reverse("cases:detail", args=[case.pk])).content.decode()
        # then
        section = text(page[page.index('id="court-h"') : page.index('id="history-h"')])
        assert f"Next hearing: {days(12):%a %-d %b %Y}, {PORIRUA} — Review of the plan" in section
        custody = section.index("Custody to the chief executive (Oranga Tamariki Act s101)")
        interim = section.index("Interim custody to the chief executive")
        assert custody < interim
        assert "1 not complying 1 complying" in section
        assert "Replaced by another order" in section
        assert url("order_new", case) in page and url("hearing_new", case) in page
        assert url("order", case, order.pk) in page

    def test_a_hearing_whose_outcome_is_not_recorded_says_so(self, signed_in, case):
        hearing = HearingFactory(case=case, date=days(-3))
        page = signed_in.get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert "outcome not recorded" in page
        assert url("hearing_outcome", case, hearing.pk) in page

    def test_a_case_without_orders_says_so(self, signed_in, case):
        page = text(signed_in.get(reverse("cases:detail", args=[case.pk])).content.decode())
        assert "No court orders recorded." in page and "Next hearing: none scheduled" in page

    def test_readers_see_the_orders_but_no_buttons_to_change_them(self, client, national_manager, case, order):
        client.force_login(national_manager)
        page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert url("order", case, order.pk) in page
        assert url("order_new", case) not in page and url("hearing_new", case) not in page

    def test_the_section_costs_two_queries_and_the_case_page_the_same_for_1_order_as_for_6(
        self, signed_in, alice, case, django_assert_num_queries
    ):
        # given one order with two conditions and a hearing
        def add_order(n: int) -> None:
            found = CourtOrderFactory(case=case, made_on=days(-n - 10))
            OrderConditionFactory(order=found)
            OrderConditionFactory(order=found, compliance="met", checked_on=days(-1))
            HearingFactory(case=case, order=found, date=days(n + 5))

        add_order(0)
        from kinplan.court.selectors import court_section

        with django_assert_num_queries(2):  # the orders with their compliance counted; the next hearing
            court_section(case=case)
        with CaptureQueriesContext(connection) as one:
            signed_in.get(reverse("cases:detail", args=[case.pk]))
        # when there are six
        for n in range(1, 6):
            add_order(n)
        # then
        with django_assert_num_queries(len(one.captured_queries)):
            response = signed_in.get(reverse("cases:detail", args=[case.pk]))
        assert len(response.context["court_orders"]) == 6


# --- the order page and the court page ---------------------------------------------------------------


# The order page, 14: the session and the user (2); the case, through what alice may see, and the log of her
# viewing it (2); the order's eight (see ORDER_QUERIES in test_selectors); whether alice may change the case (1);
# and her site, for the navigation (1).
ORDER_PAGE_QUERIES = 16
# The court page, 8: the session and the user, the case and the view log (4); whether alice may change it (1); the
# orders with their compliance counted (1); the hearings (1); her site (1).
COURT_PAGE_QUERIES = 10


class TestTheOrderPage:
    def test_each_condition_shows_its_compliance_and_the_plan_steps_that_satisfy_it_with_their_status(
        self, signed_in, alice, case, order, planned
    ):
        # given
        condition = order.conditions.first()
        services.condition_set_steps(actor=alice, condition=condition, steps=[planned.school])
        services.condition_record_compliance(actor=alice, condition=condition, compliance="complying", note="98%")
        # when
        page = signed_in.get(url("order", case, order.pk)).content.decode()
        # then
        item = page[page.index(f'id="condition-{condition.pk}"') :]
        item = text(item[: item.index("</li>\n</ol>") if "</li>\n</ol>" in item else None])
        assert "Tama goes to school every day. Complying" in item
        assert f"Checked {days(0):%-d %b %Y}: 98%" in item
        assert f"Enrol Tama at Rāwhiti School Planned due {days(20):%-d %b %Y}" in item
        assert f'value="{planned.school.pk}" id="c{condition.pk}_step_{planned.school.pk}" checked' in page
        assert f'value="{planned.course.pk}" id="c{condition.pk}_step_{planned.course.pk}">' in page

    def test_the_order_page_keeps_its_history(self, signed_in, alice, case, order):
        services.order_update(actor=alice, order=order, data={"reference": "FAM-2"})
        page = text(signed_in.get(url("order", case, order.pk)).content.decode())
        assert "court.order.updated" in page and "reference: FAM-2026-091-000123 → FAM-2" in page
        assert "court.condition.added" in page

    def test_an_order_past_its_expiry_asks_to_record_that_it_expired(self, signed_in, alice, case):
        lapsed = services.order_create(
            actor=alice,
            case=case,
            data={"kind": "support", "court": PORIRUA, "made_on": days(-200), "expires_on": days(-1)},
        )
        page = text(signed_in.get(url("order", case, lapsed.pk)).content.decode())
        assert f"This order's expiry date, {days(-1):%-d %b %Y}, has passed. Record that it expired" in page

    def test_the_order_page_costs_the_same_queries_for_1_condition_as_for_6(
        self, signed_in, alice, case, planned, django_assert_num_queries
    ):
        found = CourtOrderFactory(case=case)
        services.condition_set_steps(actor=alice, condition=OrderConditionFactory(order=found), steps=[planned.school])
        with django_assert_num_queries(ORDER_PAGE_QUERIES):
            response = signed_in.get(url("order", case, found.pk))
        assert len(response.context["conditions"]) == 1
        for _ in range(5):
            more = OrderConditionFactory(order=found, compliance="partly_complying", checked_on=days(-2), note="n")
            services.condition_set_steps(actor=alice, condition=more, steps=[planned.school, planned.course])
        HearingFactory(case=case, order=found)
        with django_assert_num_queries(ORDER_PAGE_QUERIES):
            response = signed_in.get(url("order", case, found.pk))
        assert len(response.context["conditions"]) == 6

    def test_the_court_page_costs_the_same_queries_for_1_order_as_for_6(
        self, signed_in, case, django_assert_num_queries
    ):
        OrderConditionFactory(order=CourtOrderFactory(case=case))
        HearingFactory(case=case)
        with django_assert_num_queries(COURT_PAGE_QUERIES):
            signed_in.get(url("case", case))
        for n in range(5):
            OrderConditionFactory(
                order=CourtOrderFactory(case=case, made_on=days(-n - 1)), compliance="met", checked_on=days(0)
            )
            HearingFactory(case=case, date=days(-n - 1), status="held", outcome="Orders continue.")
        with django_assert_num_queries(COURT_PAGE_QUERIES):
            response = signed_in.get(url("case", case))
        assert (len(response.context["orders"]), len(response.context["hearings"])) == (6, 6)

    def test_an_order_of_another_case_is_not_found_through_this_one(self, signed_in, case, charlie_case):
        elsewhere = CourtOrderFactory(case=charlie_case)
        assert signed_in.get(url("order", case, elsewhere.pk)).status_code == 404


# --- recording, correcting and ending an order -------------------------------------------------------


def order_form(**overrides: Any) -> dict[str, Any]:
    return {"kind": "ce_custody", "court": PORIRUA, "made_on": days(-5).isoformat()} | overrides


class TestOrderForms:
    def test_an_order_is_recorded_with_one_condition_a_line_and_opens(self, signed_in, case, child):
        form = order_form(child=child.pk, conditions="School every day\n\n  No contact with Dad  \n")
        response = signed_in.post(url("order_new", case), form)
        found = CourtOrder.objects.get(case=case)
        assert response.status_code == 302 and response.url == url("order", case, found.pk)
        assert [c.text for c in found.conditions.all()] == ["School every day", "No contact with Dad"]

    def test_the_kinds_are_grouped_for_the_worker(self, signed_in, case):
        page = signed_in.get(url("order_new", case)).content.decode()
        assert '<optgroup label="Placing the child in the chief executive&#x27;s care">' in page
        assert '<optgroup label="For the permanent caregiver">' in page

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"made_on": days(2).isoformat()}, "made_on", "An order cannot be made on a date in the future."),
            ({"kind": "parenting"}, "granted_to", "Name the caregiver this order is made for."),
            ({"court": ""}, "court", "This field is required."),
            ({"expires_on": days(-9).isoformat()}, "expires_on", "An order expires after the date it was made."),
        ],
        ids=["made in the future", "caregiver order for nobody", "no court", "expires before made"],
    )
    def test_bad_input_is_refused_by_its_field_and_nothing_is_written(self, signed_in, case, overrides, field, message):
        before = state()
        response = signed_in.post(url("order_new", case), order_form(**overrides, conditions="School"))
        assert response.status_code == 400
        assert field_error(response, field) == [message]
        assert state() == before

    def test_an_order_is_corrected_while_in_force(self, signed_in, case, order, child):
        response = signed_in.post(url("order_edit", case, order.pk), order_form(child=child.pk, reference="FAM-9"))
        assert response.status_code == 302
        order.refresh_from_db()
        assert order.reference == "FAM-9"

    def test_discharging_ends_the_order_and_shows_it(self, signed_in, case, order):
        response = signed_in.post(
            url("order_end", case, order.pk), {"to": "discharged", "ended_on": days(-1).isoformat(), "note": "Home."}
        )
        assert response.status_code == 302
        order.refresh_from_db()
        assert (order.status, order.ended_on) == ("discharged", days(-1))
        page = text(signed_in.get(url("order", case, order.pk)).content.decode())
        assert f"{days(-1):%-d %b %Y} In force → Discharged" in page

    def test_a_discharge_without_its_date_is_refused_by_the_field(self, signed_in, case, order):
        before = state()
        response = signed_in.post(url("order_end", case, order.pk), {"to": "discharged", "ended_on": ""})
        assert response.status_code == 400
        assert field_error(response, "ended_on") == ["Enter the date the court discharged the order."]
        assert state() == before

    def test_an_order_that_has_ended_cannot_be_edited_and_says_why(self, signed_in, alice, case, order, child):
        services.order_discharge(actor=alice, order=order, on=days(0))
        page = signed_in.get(url("order_edit", case, order.pk)).content.decode()
        assert "This court order is discharged: it is kept as it was." in page
        before = state()
        response = signed_in.post(url("order_edit", case, order.pk), order_form(child=child.pk, reference="X"))
        assert response.status_code == 400 and state() == before


# --- conditions: compliance and steps, in place with htmx and as plain posts ------------------------


class TestConditionsInPlace:
    def test_with_htmx_recording_compliance_answers_with_just_the_condition(self, signed_in, case, order):
        condition = order.conditions.first()
        response = signed_in.post(
            url("condition_compliance", case, condition.pk),
            {"compliance": "complying", "checked_on": days(-1).isoformat(), "note": "Seen at school."},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert page.lstrip().startswith(f'<li class="condition compliance-complying" id="condition-{condition.pk}">')
        assert "Saved." in page and "<html" not in page
        condition.refresh_from_db()
        assert (condition.compliance, condition.checked_on) == ("complying", days(-1))

    def test_with_htmx_falling_short_without_a_note_shows_the_message_in_place(self, signed_in, case, order):
        condition = order.conditions.first()
        before = state()
        response = signed_in.post(
            url("condition_compliance", case, condition.pk),
            {"compliance": "not_complying", "note": ""},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 400
        assert "<html" not in response.content.decode()
        assert field_error(response, "note") == [
            "Say what is not being complied with, and what is being done about it."
        ]
        assert '<details class="record" open>' in response.content.decode()
        assert state() == before

    def test_without_htmx_the_same_post_redirects_to_the_condition_on_the_order_page(self, signed_in, case, order):
        condition = order.conditions.first()
        response = signed_in.post(url("condition_compliance", case, condition.pk), {"compliance": "met"})
        assert response.status_code == 302
        assert response.url == url("order", case, order.pk) + f"#condition-{condition.pk}"

    def test_without_htmx_a_refusal_shows_the_condition_page_with_the_message(self, signed_in, case, order):
        condition = order.conditions.first()
        response = signed_in.post(
            url("condition_compliance", case, condition.pk),
            {"compliance": "complying", "checked_on": days(3).isoformat()},
        )
        assert response.status_code == 400
        assert "<html" in response.content.decode()
        assert field_error(response, "checked_on") == ["A check cannot be dated in the future."]

    def test_with_htmx_linking_steps_shows_each_step_with_its_status(self, signed_in, case, order, planned):
        condition = order.conditions.first()
        response = signed_in.post(
            url("condition_steps", case, condition.pk),
            {"steps": [planned.school.pk, planned.course.pk]},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        shown = text(response.content.decode())
        assert "Enrol Tama at Rāwhiti School Planned" in shown
        assert "Mum starts the Incredible Years course Planned" in shown
        assert set(condition.steps.all()) == {planned.school, planned.course}

    def test_unticking_every_step_unlinks_them(self, signed_in, alice, case, order, planned):
        condition = order.conditions.first()
        services.condition_set_steps(actor=alice, condition=condition, steps=[planned.school])
        response = signed_in.post(url("condition_steps", case, condition.pk), {})
        assert response.status_code == 302 and not condition.steps.exists()

    def test_a_step_of_another_case_is_refused_and_nothing_is_linked(self, signed_in, case, order, charlie_case):
        from kinplan.planning.tests.factories import StepFactory

        condition = order.conditions.first()
        before = state()
        response = signed_in.post(
            url("condition_steps", case, condition.pk),
            {"steps": [StepFactory(goal__plan__case=charlie_case).pk]},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 400
        assert "is not one of the available choices" in response.content.decode()
        assert state() == before

    def test_a_condition_is_added_and_its_wording_changed(self, signed_in, case, order):
        response = signed_in.post(url("condition_add", case, order.pk), {"text": "No contact with Dad."})
        added = order.conditions.get(text="No contact with Dad.")
        assert response.url == url("order", case, order.pk) + f"#condition-{added.pk}"
        signed_in.post(url("condition_edit", case, added.pk), {"text": "Supervised contact with Dad only."})
        added.refresh_from_db()
        assert added.text == "Supervised contact with Dad only."

    def test_a_blank_condition_is_refused_by_its_field(self, signed_in, case, order):
        before = state()
        response = signed_in.post(url("condition_add", case, order.pk), {"text": "  "})
        assert response.status_code == 400
        assert field_error(response, "text") == ["Write the condition as the order words it."]
        assert state() == before


# --- hearings --------------------------------------------------------------------------------------


class TestHearingForms:
    def test_a_hearing_about_an_order_starts_with_its_court(self, signed_in, case, order):
        page = signed_in.get(url("hearing_new", case) + f"?order={order.pk}").content.decode()
        assert f'<option value="{order.pk}" selected>' in page and f'value="{PORIRUA}"' in page

    def test_a_hearing_is_scheduled_and_listed(self, signed_in, case, order):
        form = {"order": order.pk, "date": days(9).isoformat(), "time": "10:30", "court": PORIRUA, "purpose": "Review"}
        response = signed_in.post(url("hearing_new", case), form)
        hearing = Hearing.objects.get(case=case)
        assert response.url == url("case", case) + f"#hearing-{hearing.pk}"
        page = text(signed_in.get(url("case", case)).content.decode())
        assert f"{days(9):%a %-d %b %Y} at 10:30 a.m. {PORIRUA} Review" in page

    def test_a_hearing_without_a_date_is_refused_by_its_field(self, signed_in, case):
        before = state()
        response = signed_in.post(url("hearing_new", case), {"court": PORIRUA, "purpose": "Review"})
        assert response.status_code == 400
        assert field_error(response, "date") == ["This field is required."]
        assert state() == before

    def test_the_outcome_is_recorded_and_shown(self, signed_in, case):
        hearing = HearingFactory(case=case, date=days(-1))
        response = signed_in.post(
            url("hearing_outcome", case, hearing.pk), {"status": "held", "outcome": "Orders continue to June."}
        )
        assert response.status_code == 302
        page = text(signed_in.get(url("case", case)).content.decode())
        assert "Held Orders continue to June." in page

    def test_a_held_hearing_needs_its_outcome(self, signed_in, case):
        hearing = HearingFactory(case=case, date=days(-1))
        before = state()
        response = signed_in.post(url("hearing_outcome", case, hearing.pk), {"status": "held", "outcome": ""})
        assert response.status_code == 400
        assert field_error(response, "outcome") == ["Record the outcome: what the court decided or directed."]
        assert state() == before

    def test_a_hearing_that_is_over_cannot_be_changed(self, signed_in, case):
        hearing = HearingFactory(case=case, date=days(-1), status="cancelled", outcome="Judge unwell.")
        page = signed_in.get(url("hearing_edit", case, hearing.pk)).content.decode()
        assert "This hearing is cancelled: it is kept as it was." in page


# --- the caseload: hearings and order reviews appear with the other due dates -------------------------


def caseload_next_due(client: Client, case: Case) -> str:
    page = client.get(reverse("cases:caseload")).content.decode()
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    row = next(r for r in rows if f'href="{reverse("cases:detail", args=[case.pk])}"' in r)
    return text(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[5])


@pytest.fixture
def court_due_dates() -> None:
    """The court's dates as CourtConfig.ready() registers them (a cases test replaces and removes "hearing_due")."""
    from kinplan.court.due_dates import register_due_dates

    register_due_dates()


@pytest.mark.usefixtures("court_due_dates")
class TestTheCaseload:
    def test_a_hearing_is_what_is_due_next_when_it_comes_first(self, signed_in, case):
        Case.objects.filter(pk=case.pk).update(next_review_on=days(30))
        HearingFactory(case=case, date=days(20), status="cancelled", outcome="Not needed")  # not counted
        HearingFactory(case=case, date=days(6))
        assert caseload_next_due(signed_in, case) == f"{days(6):%-d %b %Y} court hearing"

    def test_a_hearing_without_its_outcome_is_overdue(self, signed_in, case):
        HearingFactory(case=case, date=days(-2))
        assert caseload_next_due(signed_in, case) == f"{days(-2):%-d %b %Y} court hearing · overdue"

    def test_an_orders_court_review_or_expiry_is_due_too(self, signed_in, alice, case):
        Case.objects.filter(pk=case.pk).update(next_review_on=days(30))
        CourtOrderFactory(case=case, review_on=days(25), expires_on=days(15))
        ended = CourtOrderFactory(case=case, review_on=days(3))
        services.order_discharge(actor=alice, order=ended, on=days(0))  # an order that has ended is not reviewed
        HearingFactory(case=case, date=days(18))
        assert caseload_next_due(signed_in, case) == f"{days(15):%-d %b %Y} order review"


# --- in Norwegian ---------------------------------------------------------------------------------------


@pytest.fixture
def in_norwegian(client: Client, alice: User) -> Client:
    alice.language = "nb"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    return client


class TestInNorwegian:
    def test_the_court_page_reads_in_norwegian_with_norwegian_dates_and_times(self, in_norwegian, case, order):
        # given a hearing at half past two
        HearingFactory(case=case, order=order, date=days(12), time=datetime.time(14, 30))
        # when
        page = text(in_norwegian.get(url("case", case)).content.decode())
        # then
        with translation.override("nb"):
            made = formats.date_format(order.made_on, "DATE_FORMAT")
            day = formats.date_format(days(12), "D j. N Y")
        assert "Rettsavgjørelser og rettsmøter" in page and "Omsorg til administrerende direktør" in page
        assert f"Avsagt {made}" in page and f"{day} kl. 14:30" in page
        assert "Court orders and hearings" not in page and "Hearings" not in page

    def test_a_refusal_is_said_in_norwegian(self, in_norwegian, case, order):
        # when an order is discharged without a date
        response = in_norwegian.post(url("order_end", case, order.pk), {"to": "discharged", "ended_on": ""})
        # then
        assert response.status_code == 400
        assert field_error(response, "ended_on") == ["Oppgi datoen retten opphevet avgjørelsen."]
