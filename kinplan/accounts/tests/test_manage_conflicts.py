"""/manage/: two administrators changing the same record. The second save, made over a change the page did not
show, is refused with a message and writes nothing; the page carries no password hash."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinplan.accounts.models import Team, User
from kinplan.audit.models import AuditEvent
from kinplan.core.concurrency import seen_from_token
from kinplan.core.forms import SEEN_FIELD

pytestmark = pytest.mark.django_db


def as_posted(form) -> dict[str, str]:
    data = {}
    for field in form:
        value = field.value()
        if isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
            continue
        data[field.html_name] = "" if value is None else str(value)
    return data


def test_a_save_over_a_change_made_meanwhile_is_refused(client, administrator, team):
    client.force_login(administrator)
    url = reverse("admin:accounts_team_change", args=[team.pk])
    page = client.get(url)
    assert f'name="{SEEN_FIELD}"' in page.content.decode()
    mine = as_posted(page.context["adminform"].form) | {"name": "East Coast"}
    Team.objects.filter(pk=team.pk).update(name="Eastern Suburbs")  # another administrator saved first
    history = AuditEvent.objects.count()

    refused = client.post(url, mine)

    assert refused.status_code == 200 and "saved this after you opened it" in refused.content.decode()
    assert Team.objects.get(pk=team.pk).name == "Eastern Suburbs"
    assert AuditEvent.objects.count() == history


def test_a_save_from_the_current_version_goes_through(client, administrator, team):
    client.force_login(administrator)
    url = reverse("admin:accounts_team_change", args=[team.pk])
    mine = as_posted(client.get(url).context["adminform"].form) | {"name": "East Coast"}
    assert client.post(url, mine).status_code == 302
    assert Team.objects.get(pk=team.pk).name == "East Coast"


def test_the_users_page_carries_no_password_hash(client, administrator, alice):
    client.force_login(administrator)
    page = client.get(reverse("admin:accounts_user_change", args=[alice.pk]))
    form = page.context["adminform"].form
    assert "password" not in seen_from_token(form[SEEN_FIELD].value()).values
    assert User.objects.get(pk=alice.pk).password not in page.content.decode()
