"""The case import: a dry run that reports every problem by row and column and writes nothing; an import that saves
all of a clean file or nothing; duplicates found by search-before-create's search; limits refused with a message."""

from __future__ import annotations

import io

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Iwi, Participant, Person
from kinplan.cases.tests.factories import CaseFactory, PersonFactory
from kinplan.spreadsheets import imports

HEADER = "case_reference,case_name,role,given_name,family_name,date_of_birth,gender,iwi,worker_username,opened_on"


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *lines]).encode("utf-8")


def check(user, data: bytes, filename: str = "cases.csv"):
    return imports.check(actor=user, data=data, filename=filename)


def run(user, data: bytes, filename: str = "cases.csv"):
    return imports.run(actor=user, data=data, filename=filename)


@pytest.fixture
def good(alice):
    return csv_file(
        "OLD-1,Ngata whānau,child,Tāmati,Ngata,2019-03-28,male,Ngāti Porou,alice,2024-02-01",
        "OLD-1,Ngata whānau,parent,Mere,Ngata,1990-05-02,female,,,",
        "OLD-2,Olsen family,child,Søren,Olsen,2018-07-15,,,,",
    )


@pytest.fixture(autouse=True)
def iwi(db):
    return Iwi.objects.get_or_create(name="Ngāti Porou")[0]


def test_a_clean_file_checks_with_no_problem_and_writes_nothing(site_manager, good):
    # when
    report = check(site_manager, good)
    # then
    assert report.ok and (report.rows, report.cases, report.people) == (3, 2, 3)
    assert not Case.objects.exists() and not Person.objects.exists()


def test_the_import_opens_each_case_with_its_people_audited_as_from_the_pages(site_manager, alice, good, iwi):
    # when
    report = run(site_manager, good)
    # then
    assert report.imported
    case = Case.objects.get(name="Ngata whānau")
    assert case.site_id == site_manager.site_id and case.worker == alice and case.team == alice.team
    assert str(case.opened_on) == "2024-02-01"
    roles = {(p.person.given_name, p.role) for p in case.participants.select_related("person")}
    assert roles == {("Tāmati", Participant.Role.CHILD), ("Mere", Participant.Role.PARENT)}
    assert list(Person.objects.get(given_name="Tāmati").iwi.all()) == [iwi]
    assert AuditEvent.objects.filter(event="case.created").count() == 2
    assert AuditEvent.objects.filter(event="person.created").count() == 3
    assert AuditEvent.objects.get(event="spreadsheet.imported").changes["cases"] == [None, 2]


def test_the_dry_run_reports_every_bad_row_with_its_column_and_reason(site_manager, alice):
    # given
    data = csv_file(
        "OLD-1,Ngata whānau,child,Tāmati,Ngata,28/03/2019,male,,alice,",
        "OLD-1,Ngata whānau,auntie,Aroha,Ngata,,,,,",
        "OLD-2,Olsen family,child,,Olsen,not a date,purple,Nowhere iwi,nobody,",
        "OLD-3,Lone parent,parent,Kiri,Parata,,,,,",
        ",No reference,child,Ana,Smith,,,,,",
        "OLD-4,Future child,child,Ana,Future,2999-01-01,,,,",
    )
    # when
    report = check(site_manager, data)
    # then
    found = {(p.row, p.column) for p in report.problems}
    assert (3, "role") in found
    assert {(4, "given_name"), (4, "date_of_birth"), (4, "gender"), (4, "iwi"), (4, "worker_username")} <= found
    assert (5, "role") in found  # OLD-3 has no child
    assert (6, "case_reference") in found
    assert (7, "date_of_birth") in found
    assert (2, "date_of_birth") not in found  # 28/03/2019 is a date too
    assert all(p.message for p in report.problems)
    assert not Case.objects.exists() and not Person.objects.exists()


def test_the_import_is_all_or_nothing(site_manager, alice):
    # given: the first case is fine, the second row is not
    data = csv_file(
        "OLD-1,Ngata whānau,child,Tāmati,Ngata,2019-03-28,male,,alice,",
        "OLD-2,Olsen family,child,Søren,Olsen,not a date,,,,",
    )
    # when
    report = run(site_manager, data)
    # then
    assert not report.imported and [(p.row, p.column) for p in report.problems] == [(3, "date_of_birth")]
    assert not Case.objects.exists() and not Person.objects.exists()


def test_a_refusal_by_the_services_rolls_back_every_case(site_manager, alice, good, monkeypatch):
    # given: the services refuse the second case (a rule the dry run does not know)
    from django.core.exceptions import ValidationError

    real = imports.case_services.case_create
    calls = []

    def refuse_second(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 2:
            raise ValidationError({"name": "Refused."})
        return real(**kwargs)

    monkeypatch.setattr(imports.case_services, "case_create", refuse_second)
    # when
    report = run(site_manager, good)
    # then
    assert not report.imported and report.problems[0].row == 4
    assert not Case.objects.exists() and not Person.objects.exists()
    assert not AuditEvent.objects.filter(event__in=["case.created", "spreadsheet.imported"]).exists()


def test_a_second_import_of_the_same_file_finds_every_row_a_duplicate(site_manager, good):
    # given
    assert run(site_manager, good).imported
    # when
    report = run(site_manager, good)
    # then
    assert not report.imported
    assert {p.row for p in report.problems if p.kind == "duplicate"} == {2, 3, 4}
    assert Case.objects.count() == 2


def test_a_duplicate_is_found_whatever_the_macrons_and_accents(site_manager, alice):
    # given: Tāmati is in one of the site's cases; the old system spelled him without the macron
    tamati = PersonFactory(given_name="Tāmati", family_name="Ngata", date_of_birth="2019-03-28")
    CaseFactory(worker=alice, child=tamati)
    # when
    report = check(site_manager, csv_file("OLD-1,Ngata whanau,child,Tamati,Ngata,2019-03-28,,,,"))
    # then
    [problem] = report.problems
    assert problem.kind == "duplicate" and problem.matches == [tamati.pk] and f"#{tamati.pk}" in problem.message


def test_a_duplicate_is_used_when_the_file_names_its_id_or_created_when_it_says_new(site_manager, alice):
    # given
    tamati = PersonFactory(given_name="Tāmati", family_name="Ngata", date_of_birth="2019-03-28")
    CaseFactory(worker=alice, child=tamati)
    header = HEADER + ",existing_person_id,skip"
    data = csv_file(
        f"OLD-1,Ngata whanau,child,Tamati,Ngata,2019-03-28,,,,,{tamati.pk},",
        "OLD-2,Another Tamati,child,Tamati,Ngata,2019-03-28,,,,,new,",
        "OLD-3,Skipped,child,Tamati,Ngata,2019-03-28,,,,,,yes",
        header=header,
    )
    # when
    report = run(site_manager, data)
    # then
    assert report.imported and report.skipped == 1
    assert Case.objects.get(name="Ngata whanau").participants.get().person == tamati
    assert Person.objects.filter(search_name="tamati ngata").count() == 2


def test_an_id_the_importer_may_not_open_is_refused(site_manager, charlie_case):
    hidden = charlie_case.participants.get().person
    data = csv_file(f"OLD-1,X,child,A,B,,,,,,{hidden.pk}", header=HEADER + ",existing_person_id")
    [problem] = check(site_manager, data).problems
    assert problem.column == "existing_person_id"


def test_the_same_person_twice_in_the_file_is_reported(site_manager):
    data = csv_file("OLD-1,A,child,Ana,Smith,2019-01-01,,,,", "OLD-2,B,child,Āna,Smith,2019-01-01,,,,")
    [problem] = check(site_manager, data).problems
    assert problem.row == 3 and problem.kind == "duplicate"


def test_an_xlsx_file_imports_like_a_csv_and_formulas_are_read_as_text(site_manager):
    # given
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["OLD-1", "=1+1", "child", "Ana", "Smith", None, None, None, None, None])
    out = io.BytesIO()
    workbook.save(out)
    # when
    report = run(site_manager, out.getvalue(), "cases.xlsx")
    # then
    assert report.imported and Case.objects.get().name == "=1+1"


@pytest.mark.parametrize(
    ("data", "filename", "says"),
    [
        (b"x" * (imports.MAX_BYTES + 1), "big.csv", "5 MB"),
        (csv_file(*["OLD-1,A,child,Ana,Smith,,,,,"] * (imports.MAX_ROWS + 1)), "long.csv", f"{imports.MAX_ROWS} rows"),
        (b"not a zip", "cases.xlsx", "Excel"),
        ("Tāmati".encode("utf-16"), "cases.csv", "UTF-8"),
        (b"", "cases.csv", "empty"),
        (b"a,b", "cases.pdf", ".csv or .xlsx"),
        (b'case_reference\n"' + b"x" * 200_000 + b'"', "cases.csv", "CSV"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_what_to_fix(site_manager, data, filename, says):
    with pytest.raises(imports.ImportRefused, match=says):
        check(site_manager, data, filename)


def test_missing_columns_are_named(site_manager):
    [problem] = check(site_manager, b"case_reference,given_name\nOLD-1,Ana").problems
    assert problem.row == 1 and "case_name" in problem.column and "family_name" in problem.column


@pytest.mark.parametrize("who", ["alice", "supervisor", "administrator", "national_manager"])
def test_only_site_managers_import(request, who, good):
    with pytest.raises(PermissionDenied):
        check(request.getfixturevalue(who), good)


def test_the_documented_example_file_checks_cleanly(site_manager, alice, bob):
    # given
    example = django_settings.BASE_DIR / "docs" / "examples" / "cases-import-example.csv"
    # when
    report = check(site_manager, example.read_bytes())
    # then
    assert report.problems == [] and (report.cases, report.people) == (2, 6)


def test_a_nul_character_or_an_overlong_case_name_is_no_500(site_manager):
    data = csv_file("OLD-1," + "N" * 250 + ",child,A\x00na,Smith,,,,,")
    report = check(site_manager, data)
    assert [(p.row, p.column) for p in report.problems] == [(2, "case_name")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.lists(
        st.lists(st.text(max_size=12), min_size=0, max_size=6).map(lambda cells: ",".join(cells)), max_size=4
    ),
    raw=st.binary(max_size=60),
)
def test_whatever_the_file_holds_the_answer_is_a_report_or_a_refusal(site_manager, body, raw):
    for data in (csv_file(*body).replace(b"\r", b""), raw):
        try:
            report = check(site_manager, data)
        except imports.ImportRefused as refused:
            assert str(refused)
        else:
            assert all(p.message for p in report.problems)
    assert not Case.objects.exists()
