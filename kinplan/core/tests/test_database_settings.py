"""The database settings read from the environment: the primary, the read replica for reports, and the options for
a connection pooler (docs/scaling.md)."""

from __future__ import annotations

import runpy

import pytest
from django.conf import settings as django_settings

from kinplan.core.db import reports_database

PRIMARY = "postgres://kinplan@db-primary:5432/kinplan"
REPLICA = "postgres://kinplan_reader@db-replica:5432/kinplan"


@pytest.fixture
def base_settings(monkeypatch):
    """config/settings/base.py as it reads with the given environment (run afresh: Django's own settings stay)."""

    def read(**environment: str) -> dict:
        for name in ("DATABASE_URL", "DATABASE_REPLICA_URL", "DJANGO_DISABLE_SERVER_SIDE_CURSORS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(django_settings.BASE_DIR / "config" / "settings" / "base.py"))

    return read


def test_without_a_replica_reports_read_the_primary(base_settings):
    base = base_settings(DATABASE_URL=PRIMARY)
    assert list(base["DATABASES"]) == ["default"]
    assert base["KINPLAN_REPORTS_DATABASE"] == "default"
    assert reports_database() == "default"  # the test settings' choice too, whatever the environment


def test_database_replica_url_adds_the_reports_alias_with_the_primarys_options(base_settings):
    base = base_settings(DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL=REPLICA)
    primary, replica = base["DATABASES"]["default"], base["DATABASES"]["reports"]
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == ("db-replica", "kinplan_reader", "kinplan")
    assert replica["OPTIONS"] == primary["OPTIONS"]  # the same name-search threshold
    assert replica["CONN_MAX_AGE"] == primary["CONN_MAX_AGE"] and replica["CONN_HEALTH_CHECKS"]
    assert replica["TEST"] == {"MIRROR": "default"}  # tests never create a database for it
    assert base["KINPLAN_REPORTS_DATABASE"] == "reports"


def test_server_side_cursors_are_used_unless_a_pooler_forbids_them(base_settings):
    assert base_settings(DATABASE_URL=PRIMARY)["DATABASES"]["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False
    pooled = base_settings(
        DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL=REPLICA, DJANGO_DISABLE_SERVER_SIDE_CURSORS="true"
    )["DATABASES"]
    assert pooled["default"]["DISABLE_SERVER_SIDE_CURSORS"] is pooled["reports"]["DISABLE_SERVER_SIDE_CURSORS"] is True
