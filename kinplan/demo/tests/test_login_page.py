"""The login page is the demo's first-run page: what Kinplan is, each demo login with its role, site and what to try
first, and a one-click "Sign in as …" for each; in a real installation it is only the login form."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import UserFactory
from kinplan.demo.data import DEMO_PASSWORD
from kinplan.demo.selectors import DEMO_EMAIL_DOMAIN
from kinplan.demo.two_factor import demo_two_factor_devices

Role = User.Role
LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")
pytestmark = pytest.mark.django_db


def demo_user(username: str, role: str, site=None, team=None, email_domain: str = DEMO_EMAIL_DOMAIN, **names) -> User:
    place = {"team": team} if team else {"team": None, "site": site}
    user = UserFactory(username=username, role=role, email=f"{username}{email_domain}", **place, **names)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@pytest.fixture
def demo_staff(site, team):
    return {
        "aroha.sw": demo_user("aroha.sw", Role.SOCIAL_WORKER, site, team, first_name="Aroha", last_name="Tāwhai"),
        "hemi.sup": demo_user("hemi.sup", Role.SUPERVISOR, site, team, first_name="Hemi", last_name="Anderson"),
        "mere.site": demo_user("mere.site", Role.SITE_MANAGER, site, first_name="Mere", last_name="Thompson"),
        "ruth.psm": demo_user("ruth.psm", Role.SUPPORT_MANAGER, first_name="Ruth", last_name="Whānau"),
        "helen.national": demo_user("helen.national", Role.NATIONAL_MANAGER, first_name="Helen", last_name="Tāwhai"),
        "admin": demo_user("admin", Role.ADMINISTRATOR, first_name="Admin", last_name="Taylor"),
    }


def sign_in_forms(page: str) -> dict[str, str]:
    """Each one-click form on the page, by the username it signs in as."""
    forms = re.findall(r"<form [^>]*>.*?</form>", page, flags=re.S)
    found = {}
    for form in forms:
        if "Sign in as" in form:
            found[re.search(r'name="username" value="([^"]+)"', form).group(1)] = form
    return found


def test_outside_the_demo_the_login_page_shows_no_logins(client):
    page = client.get(LOGIN).content.decode()
    assert "Log in to Kinplan" in page
    assert DEMO_PASSWORD not in page
    assert "Sign in as" not in page
    assert "Welcome to the Kinplan demo" not in page


def test_a_real_installation_with_the_same_usernames_offers_no_one_click_sign_in(client, site, team):
    # given: real people who happen to have the demo's usernames (and even its password), with real addresses
    demo_user("aroha.sw", Role.SOCIAL_WORKER, site, team, email_domain="@council.example.nz")
    demo_user("mere.site", Role.SITE_MANAGER, site, email_domain="@council.example.nz")
    # when
    page = client.get(LOGIN).content.decode()
    # then: only the login form, with no password on the page and no sign-in without one
    assert "Log in to Kinplan" in page
    assert "Sign in as" not in page
    assert DEMO_PASSWORD not in page
    assert "Welcome to the Kinplan demo" not in page
    assert sign_in_forms(page) == {}
    assert "autofocus" in page  # the username box is focused as usual


def test_the_demo_login_page_explains_kinplan_and_each_login(client, demo_staff):
    page = client.get(LOGIN).content.decode()
    assert '<h1 id="demo-h">Welcome to the Kinplan demo</h1>' in page
    assert "Kinplan is case management and service planning for child-welfare social work." in page
    assert f"<code>{DEMO_PASSWORD}</code>" in page
    # each login, with its role, site and what to try first
    assert "Aroha Tāwhai" in page and "Social worker · Wellington" in page
    assert "her own caseload: open a case, then its service plan, and mark a step done." in page
    assert "Supervisor · Wellington" in page and "then Overdue" in page
    assert "Site manager · Wellington" in page
    assert "Support-service manager · the support service" in page
    assert "National manager · every site" in page
    assert "Manage users, sites, teams and reference lists (no case records)." in page
    assert "the next page shows the demo code" in page
    # and the ordinary form below, without the focus that would scroll past the logins
    assert "Or log in with a username" in page
    assert "autofocus" not in page


def test_each_demo_login_has_a_one_click_sign_in_with_the_shared_password(client, demo_staff):
    forms = sign_in_forms(client.get(LOGIN).content.decode())
    assert list(forms) == ["aroha.sw", "hemi.sup", "mere.site", "ruth.psm", "helen.national", "admin"]
    for form in forms.values():
        assert f'action="{LOGIN}"' in form and 'method="post"' in form
        assert f'name="password" value="{DEMO_PASSWORD}"' in form
        assert "csrfmiddlewaretoken" in form
    assert "Sign in as Aroha Tāwhai" in forms["aroha.sw"]


def test_the_one_click_sign_in_signs_a_social_worker_in(client, demo_staff):
    # when: the button's form is posted as it stands
    response = client.post(LOGIN, {"username": "aroha.sw", "password": DEMO_PASSWORD, "next": ""})
    # then
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == demo_staff["aroha.sw"].pk
    assert client.get(reverse("cases:caseload")).status_code == 200


def test_the_one_click_sign_in_takes_a_manager_to_the_code_page_which_shows_the_code(client, demo_staff, settings):
    # given: the production rule, and the demo's devices
    settings.KINPLAN_TWO_FACTOR_ROLES = ["site_manager", "support_manager", "national_manager", "administrator"]
    demo_two_factor_devices()
    # when
    response = client.post(LOGIN, {"username": "mere.site", "password": DEMO_PASSWORD, "next": ""}, follow=True)
    # then
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    page = response.content.decode()
    code = re.search(r"Demo: the current code is (\d{3}) (\d{3})", page).group(1, 2)
    assert client.post(VERIFY, {"code": "".join(code)}).status_code == 302
    assert client.get(reverse("cases:caseload")).status_code == 200


def test_after_a_wrong_password_the_error_comes_first_and_the_logins_follow(client, demo_staff):
    response = client.post(LOGIN, {"username": "aroha.sw", "password": "not it"})
    page = response.content.decode()
    assert page.index("did not match") < page.index('<h2 id="demo-h">')
    assert "<h1>Log in to Kinplan</h1>" in page
    assert '<h2 id="demo-h">Welcome to the Kinplan demo</h2>' in page
    assert "Sign in as Aroha Tāwhai" in page
