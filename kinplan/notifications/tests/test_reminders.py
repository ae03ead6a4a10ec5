"""Reminders: what is found, who gets it, in which language, and that each is issued and e-mailed once."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from kinplan.notifications import services
from kinplan.notifications.models import Notification, ReminderKind, ReminderPreference
from kinplan.permanent_care import services as pc
from kinplan.permanent_care.models import ApprovalDecision, SupportArrangement
from kinplan.permanent_care.tests.factories import arrangement_at
from kinplan.planning.models import Step
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory
from kinplan.referrals.models import Referral
from kinplan.referrals.tests.factories import ReferralFactory

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def plan(case):
    return PlanFactory(case=case)


def step_due(plan, on, **extra):
    return StepFactory(goal=GoalFactory(plan=plan), due_on=on, what=extra.pop("what", "Book the GP visit"), **extra)


def mine(user, kind=None):
    notifications = Notification.objects.filter(recipient=user)
    return notifications.filter(kind=kind) if kind else notifications


def test_a_step_due_soon_reminds_its_worker_once(alice, plan):
    step_due(plan, days(2))
    assert services.issue_reminders() == 1
    assert services.issue_reminders() == 0
    [reminder] = mine(alice)
    assert reminder.kind == ReminderKind.STEP_DUE_SOON
    assert "Book the GP visit" in reminder.title and plan.case.reference in reminder.title
    assert reminder.url == f"/cases/{plan.case.pk}/plan/"
    assert reminder.in_app and reminder.email_state == Notification.EmailState.NOT_WANTED


def test_a_step_due_later_or_done_reminds_nobody(alice, plan):
    step_due(plan, days(10))
    step_due(plan, days(1), status=Step.Status.DONE, result="Seen", completed_on=TODAY)
    step_due(plan, days(-3), status=Step.Status.CANCELLED)
    assert services.issue_reminders() == 0


def test_an_overdue_step_reminds_the_worker_and_the_person_doing_it(alice, bob, plan):
    step_due(plan, days(-4), responsible_user=bob)
    services.issue_reminders()
    assert mine(alice, ReminderKind.STEP_OVERDUE).count() == 1
    assert mine(bob, ReminderKind.STEP_OVERDUE).count() == 1


def test_a_new_due_date_is_a_new_reminder(alice, plan):
    step = step_due(plan, days(1))
    services.issue_reminders()
    Step.objects.filter(pk=step.pk).update(due_on=days(3))
    services.issue_reminders()
    assert mine(alice, ReminderKind.STEP_DUE_SOON).count() == 2


def test_steps_of_a_closed_case_or_an_old_plan_version_remind_nobody(alice, plan):
    step_due(plan, days(1))
    plan.case.status = "closed"
    plan.case.closed_on = TODAY
    plan.case.save()
    assert services.issue_reminders() == 0


def test_plan_and_case_reviews_coming_up(alice, plan, case):
    plan.next_review_on = days(5)
    plan.save()
    case.next_review_on = days(6)
    case.save()
    services.issue_reminders()
    titles = sorted(mine(alice, ReminderKind.REVIEW_COMING_UP).values_list("title", flat=True))
    assert len(titles) == 2
    assert titles[0].startswith("Case review on") and titles[1].startswith("Plan review on")


def test_a_referral_waiting_too_long_reminds_the_worker(alice, case, settings):
    ReferralFactory(case=case, status=Referral.Status.SENT, sent_on=days(-settings.KINPLAN_REFERRAL_ANSWER_DAYS - 1))
    ReferralFactory(case=case, status=Referral.Status.SENT, sent_on=days(-1))
    services.issue_reminders()
    [reminder] = mine(alice, ReminderKind.REFERRAL_WAITING)
    assert "no answer since" in reminder.title


def test_preferences_choose_where_a_reminder_goes(alice, plan):
    alice.email = "alice@example.org"
    alice.save()
    ReminderPreference.objects.create(user=alice, kind=ReminderKind.STEP_DUE_SOON, in_app=False, by_email=True)
    ReminderPreference.objects.create(user=alice, kind=ReminderKind.STEP_OVERDUE, in_app=False, by_email=False)
    step_due(plan, days(1))
    step_due(plan, days(-1))
    services.issue_reminders()
    [reminder] = mine(alice)
    assert reminder.kind == ReminderKind.STEP_DUE_SOON
    assert not reminder.in_app and reminder.email_state == Notification.EmailState.PENDING


def test_email_is_sent_once_and_marked(alice, plan):
    alice.email = "alice@example.org"
    alice.save()
    ReminderPreference.objects.create(user=alice, kind=ReminderKind.STEP_DUE_SOON, in_app=True, by_email=True)
    step_due(plan, days(1))
    assert services.run_reminders() == {"issued": 1, "emailed": 1}
    assert services.run_reminders() == {"issued": 0, "emailed": 0}
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "Book the GP visit" in message.subject
    assert f"/cases/{plan.case.pk}/plan/" in message.body
    assert mine(alice).get().email_state == Notification.EmailState.SENT


def test_no_email_for_someone_without_an_address(alice, plan):
    ReminderPreference.objects.create(user=alice, kind=ReminderKind.STEP_DUE_SOON, in_app=False, by_email=True)
    step_due(plan, days(1))
    assert services.issue_reminders() == 0


def test_a_worker_that_dies_while_sending_loses_no_email(alice, plan):
    """The worker dies while sending the second: the first stays sent, and the next run sends only the second."""
    alice.email = "alice@example.org"
    alice.save()
    ReminderPreference.objects.create(user=alice, kind=ReminderKind.STEP_DUE_SOON, in_app=True, by_email=True)
    step_due(plan, days(1), what="First")
    step_due(plan, days(2), what="Second")
    services.issue_reminders()
    with (
        mock.patch("kinplan.notifications.services.send_mail", side_effect=[1, SystemExit("killed")]),
        pytest.raises(SystemExit),
    ):
        services.send_pending_emails()
    assert mine(alice).filter(email_state=Notification.EmailState.PENDING).count() == 1
    assert services.send_pending_emails() == 1
    assert mine(alice).filter(email_state=Notification.EmailState.SENT).count() == 2


def test_another_worker_inserting_the_same_reminder_meanwhile_makes_no_duplicate(alice, plan):
    """Two workers find the same step at once: the second's insert meets the first's row and is dropped."""
    step_due(plan, days(1))
    real_choice_for = services.choice_for
    raced = []

    def other_worker_first(*args, **kwargs):
        if not raced:
            raced.append(True)
            Notification.objects.create(
                recipient=alice, kind=ReminderKind.STEP_DUE_SOON, key=_only_key(plan), title="from the other worker"
            )
        return real_choice_for(*args, **kwargs)

    with mock.patch("kinplan.notifications.services.choice_for", side_effect=other_worker_first):
        services.issue_reminders()
    assert mine(alice).count() == 1


def _only_key(plan):
    step = Step.objects.get(goal__plan=plan)
    return f"step_due_soon:step:{step.pk}:{step.due_on.isoformat()}"


def test_reminders_are_written_in_the_recipients_language(alice, plan):
    alice.language = "nb"
    alice.save()
    step_due(plan, days(-2))
    services.issue_reminders()
    assert mine(alice).get().title.startswith("Forfalt siden")


# --- permanent care -----------------------------------------------------------------------------------


def _waiting_since(arrangement, days_ago):
    arrangement.transitions.filter(to_status=SupportArrangement.Status.AWAITING_APPROVAL).update(
        at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def test_an_approval_waiting_too_long_reminds_the_managers_who_have_not_decided(staff, family, settings):
    a = arrangement_at(SupportArrangement.Status.AWAITING_APPROVAL, family, staff)
    _waiting_since(a, settings.KINPLAN_REMINDER_APPROVAL_DAYS - 1)
    services.issue_reminders()
    assert not Notification.objects.filter(kind=ReminderKind.APPROVAL_WAITING).exists()

    _waiting_since(a, settings.KINPLAN_REMINDER_APPROVAL_DAYS + 1)
    pc.approval_decide(actor=staff.site_manager, arrangement=a, decision=ApprovalDecision.Decision.APPROVED)
    services.issue_reminders()
    recipients = set(
        Notification.objects.filter(kind=ReminderKind.APPROVAL_WAITING).values_list("recipient", flat=True)
    )
    assert recipients == {staff.support_manager.pk}


def test_a_permanent_care_review_reminds_its_reviewer(staff, family, settings):
    a = arrangement_at(SupportArrangement.Status.IN_PLACE, family, staff)
    SupportArrangement.objects.filter(pk=a.pk).update(
        starts_on=days(-5), ends_on=days(355), review_on=days(settings.KINPLAN_REMINDER_PERMANENT_CARE_REVIEW_DAYS)
    )
    services.issue_reminders()
    [reminder] = Notification.objects.filter(kind=ReminderKind.PERMANENT_CARE_REVIEW)
    assert reminder.recipient_id == a.reviewer_id
    assert reminder.url == f"/cases/{a.case_id}/permanent-care/{a.pk}/"


def test_an_unallocated_permanent_care_referral_reminds_the_service_managers(staff, family, settings):
    a = arrangement_at(SupportArrangement.Status.REFERRED, family, staff)
    SupportArrangement.objects.filter(pk=a.pk).update(
        referred_at=timezone.now() - datetime.timedelta(days=settings.KINPLAN_REFERRAL_ANSWER_DAYS + 1)
    )
    services.issue_reminders()
    [reminder] = Notification.objects.filter(kind=ReminderKind.REFERRAL_WAITING)
    assert reminder.recipient_id == staff.support_manager.pk


def test_settings_refuse_an_unknown_kind_of_reminder_and_change_nothing(alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.save_settings(user=alice, language="nb", choices={"no_such_kind": services.DEFAULT_CHOICE})
    assert "no_such_kind" in str(refused.value.message_dict["reminders"])
    alice.refresh_from_db()
    assert alice.language == "" and not ReminderPreference.objects.exists()
