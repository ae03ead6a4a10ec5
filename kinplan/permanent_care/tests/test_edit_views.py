"""Changing an objective or a support from its own page: prefilled, saved through the service, and refused with
why (nothing written) when the change breaks a rule, the user may only read the plan, or its content is fixed."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.forms import BaseForm
from django.test import Client
from django.urls import reverse

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent
from kinplan.permanent_care import services
from kinplan.permanent_care.forms import ItemForm, ObjectiveForm
from kinplan.permanent_care.models import Objective, SupportArrangement, SupportItem
from kinplan.permanent_care.tests.factories import arrangement_at, build_plan, family_for_permanent_care

pytestmark = pytest.mark.django_db

S = SupportArrangement.Status


def url(name: str, a: SupportArrangement, *args: Any) -> str:
    return reverse(f"permanent_care:{name}", args=[a.case_id, a.pk, *args])


def text(html: bytes) -> str:
    """What a reader sees: no tags, entities read, whitespace squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]*>", " ", html.decode()))).strip()


def as_posted(form: BaseForm, **changes: Any) -> dict[str, str]:
    """What the browser posts from the prefilled form, with `changes` typed in."""
    body = {}
    for name in form.fields:
        value = changes[name] if name in changes else form[name].value()
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        body[name] = "" if value is None else str(value)
    return body


def item_body(item: SupportItem, **changes: Any) -> dict[str, str]:
    return as_posted(ItemForm(instance=item, case=item.objective.arrangement.case), **changes)


def objective_body(objective: Objective, **changes: Any) -> dict[str, str]:
    return as_posted(ObjectiveForm(instance=objective, case=objective.arrangement.case), **changes)


def state() -> list[tuple[Any, ...]]:
    """Every row a change could write, so a refusal that wrote anything shows up."""
    return [
        *SupportArrangement.objects.order_by("pk").values_list("pk", "agreement_round", "updated_at"),
        *Objective.objects.order_by("pk").values_list("pk", "need_id", "title", "updated_at"),
        *SupportItem.objects.order_by("pk").values_list("pk", "provider_id", "quantity", "cost", "updated_at"),
        AuditEvent.objects.count(),
    ]


@pytest.fixture
def planned(staff, family) -> SupportArrangement:
    """A plan being worked on, with its dates, one objective and two supports (counselling, marae visits)."""
    return build_plan(arrangement_at(S.PLANNING, family, staff), family, staff)


def counselling(a: SupportArrangement) -> SupportItem:
    return SupportItem.objects.select_related("objective__arrangement__case").get(
        objective__arrangement=a, what="Trauma counselling for Aroha"
    )


def objective_of(a: SupportArrangement) -> Objective:
    return Objective.objects.select_related("arrangement__case").get(arrangement=a)


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


class TestChangingASupport:
    def test_the_form_comes_prefilled_with_the_support(self, client, staff, planned):
        # given
        item = counselling(planned)
        # when
        response = signed_in(client, staff.worker).get(url("item_edit", planned, item.pk))
        # then
        assert response.status_code == 200
        html = response.content.decode()
        assert 'value="Trauma counselling for Aroha"' in html
        assert 'name="quantity" value="10.00"' in html

    def test_the_owner_changes_its_quantity_and_cost_and_it_is_in_history(self, client, staff, planned):
        # given
        item = counselling(planned)
        # when
        response = signed_in(client, staff.worker).post(
            url("item_edit", planned, item.pk), item_body(item, quantity="6", cost="720")
        )
        # then
        assert response.status_code == 302
        assert response.url == url("arrangement", planned) + f"#objective-{item.objective_id}"
        item.refresh_from_db()
        assert (item.quantity, item.cost) == (Decimal("6"), Decimal("720"))
        event = AuditEvent.objects.get(event="permanent_care.item.updated", target_id=str(item.pk))
        assert event.actor == staff.worker
        assert {"quantity", "cost"} <= set(event.changes)

    def test_fewer_sessions_on_the_prefilled_form_are_repriced_at_the_services_rate(self, client, staff, planned):
        # given 10 sessions at $120
        item = counselling(planned)
        # when
        response = signed_in(client, staff.worker).post(
            url("item_edit", planned, item.pk), item_body(item, quantity="6")
        )
        # then
        assert response.status_code == 302
        item.refresh_from_db()
        assert (item.quantity, item.cost) == (Decimal("6"), Decimal("720"))

    def test_taking_away_who_provides_it_is_refused_as_a_contingency_and_nothing_changes(self, client, staff, planned):
        # given
        item = counselling(planned)
        before = state()
        # when
        response = signed_in(client, staff.worker).post(
            url("item_edit", planned, item.pk), item_body(item, provider="", provider_service="", provider_name="")
        )
        # then
        assert response.status_code == 400
        seen = text(response.content)
        assert "This is a contingency arrangement, so it cannot be in the plan" in seen
        assert "It names no one" in seen
        assert state() == before

    def test_once_the_plan_is_ready_for_court_a_change_is_refused_with_why(self, client, staff, family):
        # given
        a = arrangement_at(S.READY_FOR_COURT, family, staff)
        item = counselling(a)
        before = state()
        client = signed_in(client, staff.worker)
        # when
        shown = client.get(url("item_edit", a, item.pk))
        response = client.post(url("item_edit", a, item.pk), item_body(item, quantity="6"))
        # then
        assert "its content is fixed" in text(shown.content)
        assert response.status_code == 400
        seen = text(response.content)
        assert "its content is fixed. Reopen planning to change it; everyone is then asked to agree again." in seen
        assert seen.count("its content is fixed") == 1
        assert state() == before

    def test_a_reader_who_cannot_lead_the_plan_is_refused(self, client, staff, planned):
        # given
        item = counselling(planned)
        before = state()
        client = signed_in(client, staff.national_manager)
        # when
        shown = client.get(url("item_edit", planned, item.pk))
        posted = client.post(url("item_edit", planned, item.pk), item_body(item, quantity="6"))
        # then
        assert (shown.status_code, posted.status_code) == (403, 403)
        assert state() == before

    def test_an_outsider_gets_404(self, client, charlie, planned):
        # given
        item = counselling(planned)
        before = state()
        client = signed_in(client, charlie)
        # when
        shown = client.get(url("item_edit", planned, item.pk))
        posted = client.post(url("item_edit", planned, item.pk), item_body(item, quantity="6"))
        # then
        assert (shown.status_code, posted.status_code) == (404, 404)
        assert state() == before

    def test_a_removed_support_or_one_of_another_plan_is_not_found(self, client, staff, planned):
        # given
        item = counselling(planned)
        services.item_remove(actor=staff.worker, item=item)
        elsewhere = family_for_permanent_care(staff.worker)
        other = build_plan(arrangement_at(S.PLANNING, elsewhere, staff), elsewhere, staff)
        client = signed_in(client, staff.worker)
        # then
        assert client.get(url("item_edit", planned, item.pk)).status_code == 404
        assert client.get(url("item_edit", planned, counselling(other).pk)).status_code == 404


class TestChangingAnObjective:
    def test_the_owner_rewords_it(self, client, staff, planned):
        # given
        objective = objective_of(planned)
        # when
        response = signed_in(client, staff.worker).post(
            url("objective_edit", planned, objective.pk), objective_body(objective, title="Aroha sleeps well")
        )
        # then
        assert response.status_code == 302
        assert response.url == url("arrangement", planned) + f"#objective-{objective.pk}"
        objective.refresh_from_db()
        assert objective.title == "Aroha sleeps well"
        assert AuditEvent.objects.filter(event="permanent_care.objective.updated", target_id=str(objective.pk)).exists()

    def test_the_need_of_another_case_is_refused_and_nothing_changes(self, client, staff, planned):
        # given
        objective = objective_of(planned)
        elsewhere = family_for_permanent_care(staff.worker).needs[0]
        before = state()
        # when
        response = signed_in(client, staff.worker).post(
            url("objective_edit", planned, objective.pk), objective_body(objective, need=elsewhere.pk)
        )
        # then
        assert response.status_code == 400
        assert "Select a valid choice" in text(response.content)
        assert state() == before

    def test_a_reader_is_refused_and_an_outsider_does_not_find_it(self, client, staff, charlie, planned):
        objective = objective_of(planned)
        edit = url("objective_edit", planned, objective.pk)
        assert signed_in(client, staff.national_manager).get(edit).status_code == 403
        assert signed_in(client, charlie).post(edit, objective_body(objective, title="x")).status_code == 404


class TestTheChangeLinks:
    def test_they_show_while_the_content_can_change_and_to_those_who_lead(self, client, staff, planned):
        # given
        item, objective = counselling(planned), objective_of(planned)
        links = [url("item_edit", planned, item.pk), url("objective_edit", planned, objective.pk)]
        ready = arrangement_at(S.READY_FOR_COURT, family_for_permanent_care(staff.worker), staff)
        # when
        lead = signed_in(client, staff.worker).get(url("arrangement", planned)).content.decode()
        reader = signed_in(client, staff.national_manager).get(url("arrangement", planned)).content.decode()
        fixed = signed_in(client, staff.worker).get(url("arrangement", ready)).content.decode()
        # then
        assert all(link in lead for link in links)
        assert not any(link in reader for link in links)
        assert "/edit/" not in fixed
