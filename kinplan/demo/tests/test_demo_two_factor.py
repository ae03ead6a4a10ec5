"""The demo follows the production rule (managers and administrators use two-factor) and needs no phone: their
devices are made by seed_demo, and the code page shows a demo user the current code."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import TEST_PASSWORD, UserFactory
from kinplan.accounts.tests.helpers import device_for
from kinplan.audit.models import AuditEvent
from kinplan.demo.selectors import DEMO_EMAIL_DOMAIN, demo_current_code
from kinplan.demo.two_factor import demo_two_factor_devices

Role = User.Role
VERIFY = reverse("accounts:two_factor_verify")
pytestmark = pytest.mark.django_db


def demo_user(username: str, role: str, site, team=None) -> User:
    place = {"team": team} if team else {"team": None, "site": site}
    return UserFactory(username=username, role=role, email=f"{username}{DEMO_EMAIL_DOMAIN}", **place)


@pytest.fixture
def demo_staff(site, team):
    return {
        "mere.site": demo_user("mere.site", Role.SITE_MANAGER, site),
        "helen.national": demo_user("helen.national", Role.NATIONAL_MANAGER, None),
        "admin": demo_user("admin", Role.ADMINISTRATOR, None),
        "aroha.sw": demo_user("aroha.sw", Role.SOCIAL_WORKER, site, team=team),
        "hemi.sup": demo_user("hemi.sup", Role.SUPERVISOR, site, team=team),
    }


def shown_code(page: str) -> str:
    return re.search(r"Demo: the current code is (\d{3}) (\d{3})", page).group(1, 2)


def test_managers_and_the_administrator_get_a_confirmed_device_others_none(demo_staff):
    # when
    added = demo_two_factor_devices()
    # then
    assert added == 3
    with_devices = set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True))
    assert with_devices == {"mere.site", "helen.national", "admin"}
    assert AuditEvent.objects.filter(event="account.two_factor.enabled").count() == 3


def test_running_it_again_adds_nothing(demo_staff):
    demo_two_factor_devices()
    assert demo_two_factor_devices() == 0
    assert TOTPDevice.objects.count() == 3


def test_the_code_page_shows_a_demo_user_a_code_that_works(client, demo_staff, settings):
    # given: the production rule, and the demo's devices
    settings.KINPLAN_TWO_FACTOR_ROLES = ["site_manager", "support_manager", "national_manager", "administrator"]
    demo_two_factor_devices()
    client.post(reverse("accounts:login"), {"username": "mere.site", "password": TEST_PASSWORD})
    # when
    page = client.get(VERIFY).content.decode()
    # then
    first, second = shown_code(page)
    assert client.post(VERIFY, {"code": first + second}).status_code == 302
    assert client.get(reverse("cases:caseload")).status_code == 200


def test_after_its_code_is_used_the_demo_shows_the_next_one(demo_staff):
    # given: seeding used the current step's code
    demo_two_factor_devices()
    device = TOTPDevice.objects.get(user__username="mere.site")
    # then: the code shown is for a later step, which the device still accepts
    code = demo_current_code(demo_staff["mere.site"]).replace(" ", "")
    assert device.verify_token(code)


def test_the_confirm_page_shows_it_too(client, demo_staff):
    demo_two_factor_devices()
    client.force_login(demo_staff["mere.site"])
    assert shown_code(client.get(reverse("accounts:confirm")).content.decode())


def test_no_code_is_shown_to_anyone_outside_the_demo(client, alice):
    device_for(alice)
    client.force_login(alice)
    page = client.get(VERIFY).content.decode()
    assert "Enter your code" in page
    assert "Demo:" not in page
    assert demo_current_code(alice) is None


def test_the_login_page_tells_demo_visitors_about_the_codes(client, demo_staff):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Managers and the administrator use two-factor authentication" in page
    assert "In the demo, the code page shows the current code." in page
