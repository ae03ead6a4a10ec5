"""Retention: closed cases are due for review once closed longer than KINPLAN_RETENTION_YEARS, at their site's
manager's; keeping one puts it away until the date chosen; an erasure waiting or done takes it off the list."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kinplan.audit.models import AuditEvent
from kinplan.privacy import services
from kinplan.privacy.models import RetentionReview
from kinplan.privacy.selectors import cases_due_for_retention_review, years_before

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def due(user, today=TODAY) -> list:
    return list(cases_due_for_retention_review(user, today))


class TestWhatIsDue:
    def test_a_case_closed_longer_than_the_period_is_due_and_a_recent_one_is_not(
        self, site_manager, old_case, recent_closed_case, case
    ):
        assert due(site_manager) == [old_case]

    def test_the_period_is_a_setting(self, settings, site_manager, old_case, recent_closed_case):
        settings.KINPLAN_RETENTION_YEARS = 1
        assert set(due(site_manager)) == {old_case, recent_closed_case}

    def test_only_the_site_manager_of_the_cases_site_sees_it(
        self, other_site_manager, national_manager, alice, old_case
    ):
        assert due(other_site_manager) == due(national_manager) == due(alice) == []

    def test_a_case_kept_is_not_due_until_its_keep_date(self, site_manager, old_case):
        # given
        services.retention_keep(actor=site_manager, case=old_case, years=2, reason="Sibling's case still open.")
        # then
        assert due(site_manager) == []
        assert due(site_manager, TODAY + datetime.timedelta(days=3 * 366)) == [old_case]

    def test_a_case_with_an_erasure_waiting_is_not_due(self, site_manager, old_case):
        services.erasure_request_create(actor=site_manager, case=old_case, reason="Retention period over.")
        assert due(site_manager) == []

    def test_the_29th_of_february_falls_back_to_the_28th(self):
        assert years_before(datetime.date(2028, 2, 29), 7) == datetime.date(2021, 2, 28)


class TestKeeping:
    def test_keeping_records_the_decision_and_history(self, site_manager, old_case):
        review = services.retention_keep(actor=site_manager, case=old_case, years=3, reason="Court may reopen.")
        assert review.outcome == RetentionReview.Outcome.KEEP
        assert review.keep_until.year == TODAY.year + 3
        assert AuditEvent.objects.filter(event="privacy.retention.kept", case=old_case).exists()

    def test_another_sites_manager_may_not_keep_it(self, other_site_manager, old_case):
        with pytest.raises(PermissionDenied):
            services.retention_keep(actor=other_site_manager, case=old_case, years=3, reason="No.")

    @pytest.mark.parametrize("years", [0, 26])
    def test_the_years_are_bounded(self, site_manager, old_case, years):
        with pytest.raises(ValidationError):
            services.retention_keep(actor=site_manager, case=old_case, years=years, reason="Because.")

    def test_a_reason_is_needed(self, site_manager, old_case):
        with pytest.raises(ValidationError):
            services.retention_keep(actor=site_manager, case=old_case, years=1, reason=" ")


class TestThePages:
    def test_the_review_page_lists_the_sites_due_cases(self, client, site_manager, old_case):
        client.force_login(site_manager)
        response = client.get(reverse("privacy:retention"))
        assert response.status_code == 200
        assert old_case.reference in response.content.decode()

    def test_a_social_worker_is_refused(self, client, alice, old_case):
        client.force_login(alice)
        assert client.get(reverse("privacy:retention")).status_code == 403

    def test_keeping_from_the_page(self, client, site_manager, old_case):
        client.force_login(site_manager)
        url = reverse("privacy:retention_keep", args=[old_case.pk])
        response = client.post(url, {"years": "2", "reason": "A sibling's case is open."})
        assert response.status_code == 302
        assert RetentionReview.objects.filter(case=old_case, outcome="keep").exists()

    def test_bad_input_shows_the_form_again(self, client, site_manager, old_case):
        client.force_login(site_manager)
        response = client.post(reverse("privacy:retention_keep", args=[old_case.pk]), {"years": "99"})
        assert response.status_code == 400
        assert not RetentionReview.objects.exists()

    def test_the_api_lists_and_keeps(self, client, site_manager, old_case):
        client.force_login(site_manager)
        assert [row["reference"] for row in client.get("/api/v1/privacy/retention").json()] == [old_case.reference]
        response = client.post(
            f"/api/v1/privacy/retention/{old_case.pk}/keep",
            {"years": 1, "reason": "Court may reopen."},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content


class TestTheReminder:
    def test_site_managers_are_reminded_once_a_month_while_cases_are_due(
        self, site_manager, other_site_manager, old_case
    ):
        from kinplan.notifications.reminders import retention_reviews_due

        # when
        [reminder] = list(retention_reviews_due(TODAY))
        # then
        assert (reminder.recipient_id, reminder.params) == (site_manager.pk, {"count": 1})
        assert reminder.url == reverse("privacy:retention")
        assert reminder.key.endswith(f"{TODAY:%Y-%m}")

    def test_no_reminder_when_nothing_is_due(self, site_manager, recent_closed_case):
        from kinplan.notifications.reminders import retention_reviews_due

        assert list(retention_reviews_due(TODAY)) == []
