"""Reads: the caseload and search-before-create."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kinplan.cases import selectors, services
from kinplan.cases.models import Case, Person
from kinplan.cases.tests.factories import CaseFactory, ParticipantFactory, PersonFactory


def test_search_ignores_case_macrons_and_diacritics(alice):
    tamati = PersonFactory(given_name="Tāmati", family_name="Whānau")
    soren = PersonFactory(given_name="Søren", family_name="Kierkegaard")
    CaseFactory(worker=alice, child=tamati)
    CaseFactory(worker=alice, child=soren)
    assert selectors.person_search(user=alice, query="tamati").people == [tamati]
    assert selectors.person_search(user=alice, query="WHANAU").people == [tamati]
    assert selectors.person_search(user=alice, query="soren kierk").people == [soren]
    assert selectors.person_search(user=alice, query="whānau tāmati").people == [tamati]


def test_search_counts_but_never_shows_people_the_user_cannot_open(alice, charlie):
    CaseFactory(worker=charlie, child=PersonFactory(given_name="Tāmati", family_name="Parata"))
    result = selectors.person_search(user=alice, query="Tamati Parata")
    assert result.people == []
    assert result.hidden_matches == 1


def test_search_narrows_by_date_of_birth(alice):
    born = datetime.date(2015, 5, 5)
    twin_a = PersonFactory(given_name="Ana", family_name="Latu", date_of_birth=born)
    other = PersonFactory(given_name="Ana", family_name="Latu", date_of_birth=datetime.date(1990, 1, 1))
    case = CaseFactory(worker=alice, child=twin_a)
    ParticipantFactory(case=case, person=other, role="parent")
    assert selectors.person_search(user=alice, query="ana latu", date_of_birth=born).people == [twin_a]


def test_an_empty_search_finds_nothing(alice, case):
    assert selectors.person_search(user=alice, query="  ").people == []


def test_archived_people_are_not_offered(alice):
    gone = PersonFactory(given_name="Rāwiri", family_name="Hēnare")
    CaseFactory(worker=alice, child=gone)
    Person.objects.filter(pk=gone.pk).update(archived_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    assert selectors.person_search(user=alice, query="rawiri").people == []


def test_the_caseload_searches_child_names_without_macrons(alice):
    wanted = CaseFactory(worker=alice, name="Case A", child=PersonFactory(given_name="Ngāwai", family_name="Te Rangi"))
    CaseFactory(worker=alice, name="Case B")
    found = selectors.caseload(user=alice, scope=selectors.Scope.MINE, search="ngawai")
    assert list(found) == [wanted]


def test_the_caseload_of_a_supervisor_is_the_team_and_of_a_worker_their_own(alice, bob, supervisor):
    mine, bobs = CaseFactory(worker=alice), CaseFactory(worker=bob)
    assert set(selectors.caseload(user=supervisor, scope=selectors.Scope.TEAM)) == {mine, bobs}
    assert list(selectors.caseload(user=alice, scope=selectors.Scope.MINE)) == [mine]


def test_the_caseload_loads_children_in_a_fixed_number_of_queries(alice, django_assert_num_queries):
    for _ in range(3):
        CaseFactory(worker=alice)
    with django_assert_num_queries(2):
        few = [
            (c.name, [p.person.age for p in c.child_participants]) for c in selectors.caseload(user=alice, scope="mine")
        ]
    for _ in range(20):
        CaseFactory(worker=alice)
    with django_assert_num_queries(2):
        many = [
            (c.name, [p.person.age for p in c.child_participants]) for c in selectors.caseload(user=alice, scope="mine")
        ]
    assert len(few) == 3 and len(many) == 23


def test_a_date_registered_by_another_app_becomes_the_next_due_with_its_label(alice, case):
    # given an app that says every case has a hearing tomorrow, and a case review next week
    from django.db.models import DateField, Value

    from kinplan.cases import due_dates

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(next_review_on=tomorrow + datetime.timedelta(days=6))
    due_dates.register_due_date(
        name="test_only_due", label="court hearing", expression=lambda today: Value(tomorrow, output_field=DateField())
    )
    try:
        # when the caseload is read
        listed = selectors.caseload(user=alice, scope="mine").get(pk=case.pk)
        label = due_dates.next_due_label(listed)
    finally:
        del due_dates._sources["test_only_due"]
    # then the hearing is what is due next
    assert (listed.next_due, label) == (tomorrow, "court hearing")


POSTGRESQL_ONLY = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram search is PostgreSQL's")


@POSTGRESQL_ONLY
def test_on_postgresql_a_small_typo_still_finds_the_person_best_match_first(alice):
    tamati = PersonFactory(given_name="Tāmati", family_name="Ngata")
    tamiti = PersonFactory(given_name="Tamiti", family_name="Ngata")
    aroha = PersonFactory(given_name="Aroha", family_name="Ngata")
    for person in (tamati, tamiti, aroha):
        CaseFactory(worker=alice, child=person)
    assert selectors.person_search(user=alice, query="tamiti ngata").people == [tamiti, tamati]
    assert selectors.person_search(user=alice, query="Tāmati Ngatta").people[0] == tamati


@POSTGRESQL_ONLY
def test_on_postgresql_name_search_reads_the_trigram_index(alice):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        query = Person.objects.filter(selectors.name_matches(["tamiti"])).values("pk").query
        sql, params = query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "cases_person_search_name_trgm" in plan


def test_short_words_and_sqlite_match_only_as_typed(alice):
    ana = PersonFactory(given_name="Ana", family_name="Latu")
    CaseFactory(worker=alice, child=ana)
    assert selectors.person_search(user=alice, query="ana").people == [ana]
    assert selectors.person_search(user=alice, query="anu").people == []


def test_matches_out_of_reach_are_counted_up_to_a_limit(alice, charlie, monkeypatch):
    monkeypatch.setattr(selectors, "HIDDEN_MATCHES_COUNTED_TO", 2)
    for _ in range(2):
        CaseFactory(worker=charlie, child=PersonFactory(given_name="Tāmati", family_name="Parata"))
    exactly = selectors.person_search(user=alice, query="Tamati Parata")
    assert (exactly.hidden_matches, exactly.more_hidden_matches) == (2, False)
    CaseFactory(worker=charlie, child=PersonFactory(given_name="Tāmati", family_name="Parata"))
    more = selectors.person_search(user=alice, query="Tamati Parata")
    assert (more.hidden_matches, more.more_hidden_matches) == (2, True)


def test_the_page_says_when_there_are_more_matches_out_of_reach_than_counted(client, alice, charlie, monkeypatch):
    monkeypatch.setattr(selectors, "HIDDEN_MATCHES_COUNTED_TO", 1)
    for _ in range(2):
        CaseFactory(worker=charlie, child=PersonFactory(given_name="Tāmati", family_name="Parata"))
    client.force_login(alice)
    page = client.get(reverse("cases:person_search"), {"q": "Tamati Parata"}).content.decode()
    assert "More than 1 possible matches in records you cannot open" in page


def test_a_national_manager_is_told_of_matches_in_restricted_cases_only(alice, supervisor, national_manager):
    shown_case = CaseFactory(worker=alice, child=PersonFactory(given_name="Tāmati", family_name="Parata"))
    restricted = CaseFactory(worker=alice, child=PersonFactory(given_name="Tāmati", family_name="Parata"))
    services.case_restriction_set(actor=supervisor, case=restricted, restricted=True, reason="Mum works here.")
    result = selectors.person_search(user=national_manager, query="Tamati Parata")
    assert [p.pk for p in result.people] == [shown_case.participants.get(role="child").person_id]
    assert (result.hidden_matches, result.more_hidden_matches) == (1, False)


def test_plan_progress_counts_the_current_plans_steps_and_leaves_cases_without_a_plan_at_nothing(alice):
    from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory

    today = datetime.date(2026, 7, 1)
    planned, unplanned = CaseFactory(worker=alice), CaseFactory(worker=alice)
    old = PlanFactory(case=planned, is_current=False, status="closed")
    StepFactory(goal=GoalFactory(plan=old), due_on=datetime.date(2026, 1, 1))  # a superseded plan's step: not counted
    goal = GoalFactory(plan=PlanFactory(case=planned, version=2))
    StepFactory(goal=goal, status="done", result="Done", completed_on=today)
    StepFactory(goal=goal, status="planned", due_on=today - datetime.timedelta(days=1))  # overdue
    StepFactory(goal=goal, status="in_progress", due_on=today)  # due today: not yet overdue
    StepFactory(goal=goal, status="cancelled", due_on=today - datetime.timedelta(days=9))  # neither counted nor late

    cases = selectors.with_plan_progress(Case.objects.filter(pk__in=[planned.pk, unplanned.pk]), today)

    progress = {
        case.pk: (case.plan_status, case.plan_steps, case.plan_steps_done, case.plan_steps_overdue) for case in cases
    }
    assert progress == {planned.pk: ("draft", 3, 1, 1), unplanned.pk: (None, 0, 0, 0)}
