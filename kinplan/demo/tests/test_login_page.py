import pytest

from kinplan.demo.data import DEMO_PASSWORD


@pytest.mark.django_db
def test_outside_the_demo_the_login_page_shows_no_logins(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Log in to Kinplan" in page
    assert DEMO_PASSWORD not in page
