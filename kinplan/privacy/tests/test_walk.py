"""The generic walk: every relation to a person is found, each case record knows its case, and only free text
is erased."""

from __future__ import annotations

from django.apps import apps

from kinplan.cases.models import Case, Person
from kinplan.privacy.walk import (
    ERASED,
    case_owned_models,
    case_path,
    erased_value,
    free_text_fields,
    person_lookups,
    walked_models,
)


def _label(model) -> str:
    return model._meta.label_lower


def test_every_foreign_key_to_a_person_in_kinplan_is_walked():
    # given every relation to a person that Kinplan's own apps declare (audit and privacy excepted)
    declared = {
        (_label(model), field.name)
        for model in apps.get_models()
        if model.__module__.startswith("kinplan.") and model._meta.app_label not in ("audit", "privacy")
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is Person
    }
    # when
    walked = {(_label(model), lookup) for model, lookup in person_lookups()}
    # then each is walked, and the people's places in a case lead to them too
    assert declared <= walked
    assert {("planning.step", "responsible_person"), ("court.courtorder", "granted_to")} <= walked
    assert {("planning.agreement", "member__person"), ("meetings.meetingparticipant", "team_member__person")} <= walked


def test_a_record_belongs_to_its_case_through_required_keys():
    paths = {_label(model): path for model, path in case_owned_models()}
    assert paths["cases.case"] == "pk"
    assert paths["planning.step"] == "goal__plan__case"  # not the case of the provider it names
    assert paths["permanent_care.delivery"] == "purchase__arrangement__case"
    assert paths["providers.provider"] == "case"  # an informal support: its case is optional
    assert case_path(apps.get_model("accounts", "User")) is None


def test_history_and_the_privacy_records_are_not_walked():
    labels = {_label(model) for model in walked_models()}
    assert "audit.auditevent" not in labels
    assert "privacy.erasurerequest" not in labels
    assert "cases.person" in labels


def test_only_free_text_is_erased_and_identifiers_stay():
    names = {field.name for field in free_text_fields(Case)}
    assert names == {"name", "summary", "restricted_reason"}
    assert "reference" not in names and "status" not in names


def test_an_erased_value_keeps_empty_fields_empty_and_required_ones_filled():
    summary, name = Case._meta.get_field("summary"), Case._meta.get_field("name")
    email = Person._meta.get_field("email")
    assert erased_value(summary, "") == ""
    assert erased_value(name, "Ngata whānau") == ERASED
    assert erased_value(email, "mum@example.org") == ""
