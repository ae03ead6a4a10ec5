"""Subject access: everything Kinplan holds about a person, with other people's confidential matters withheld
and counted; who may export it; and every export recorded."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from kinplan.accounts.signin import PROVED_AT
from kinplan.accounts.tests.helpers import age_session
from kinplan.audit.models import AuditEvent, RecordView
from kinplan.cases.models import Participant
from kinplan.cases.tests.factories import CaseFactory
from kinplan.privacy.permissions import can_export_subject_access
from kinplan.privacy.selectors import subject_access_record
from kinplan.privacy.tests.conftest import HOUSEHOLD_ADDRESS, MOTHER_NOTES, PLAIN_NOTE, SECRET_NOTE, STEP_WHAT

pytestmark = pytest.mark.django_db


def _section(record, key):
    return next(section for section in record["sections"] if section["key"] == key)


@pytest.fixture
def record(site_manager, mother, mothers_step, mothers_notes):
    return subject_access_record(mother, for_user=site_manager)


class TestTheRecord:
    def test_it_holds_the_persons_own_details(self, record, mother):
        assert record["format"] == "kinplan-subject-access-1"
        assert record["person"]["given_name"] == "Hinemoa"
        assert record["person"]["email"] == "hinemoa@example.org"
        assert record["generated_by"]["role"] == "site_manager"

    def test_it_lists_each_case_with_role_relationships_and_household(self, record, case):
        [item] = _section(record, "cases")["items"]
        assert item["case"] == case.reference
        assert item["role"] == "parent"
        assert item["participation_notes"] == MOTHER_NOTES
        assert item["relationships"][0]["kind"] == "mother"

    def test_a_withheld_household_address_is_left_out_and_counted(self, record):
        [item] = _section(record, "cases")["items"]
        assert item["household"]["address_withheld"] is True
        assert HOUSEHOLD_ADDRESS not in json.dumps(record, default=str)
        assert record["withheld"]["withheld_addresses"] == 1

    def test_records_that_name_them_are_found_by_walking_the_models(self, record):
        steps = _section(record, "records:planning.step")
        assert [item["fields"]["what"] for item in steps["items"]] == [STEP_WHAT]
        assert steps["items"][0]["why"] == ["responsible_person"]

    def test_notes_about_them_are_there_but_confidential_ones_are_withheld_and_counted(self, record):
        notes = _section(record, "case_notes")["items"]
        assert [note["text"] for note in notes] == [PLAIN_NOTE]
        assert SECRET_NOTE not in json.dumps(record, default=str)
        assert record["withheld"]["confidential_case_notes"] == 1
        assert record["withheld"]["total"] == 2
        assert record["withheld_message"] == "2 items withheld because they concern other people or are confidential."

    def test_their_history_and_who_looked_at_them_are_there(self, client, site_manager, mother, mothers_notes):
        # given someone looked at her person page
        client.force_login(site_manager)
        client.get(reverse("cases:person", args=[mother.pk]))
        # when
        record = subject_access_record(mother, for_user=site_manager)
        # then
        assert _section(record, "access_log")["items"][0]["by"] == str(site_manager)
        assert isinstance(_section(record, "history")["items"], list)

    def test_the_assessments_of_a_childs_case_are_about_the_child(self, site_manager, case):
        from kinplan.assessments.tests.factories import AssessmentFactory
        from kinplan.cases.tests.factories import child_of

        # given
        AssessmentFactory(case=case, strengths="Loves kapa haka.")
        # when
        record = subject_access_record(child_of(case), for_user=site_manager)
        # then
        [assessment] = _section(record, "records:assessments.assessment")["items"]
        assert assessment["why"] == ["about_the_child"]
        assert assessment["fields"]["strengths"] == "Loves kapa haka."

    def test_cases_the_exporter_may_not_open_are_counted_not_shown(self, site_manager, charlie, mother):
        # given Mum also takes part in a case at another site
        other = CaseFactory(worker=charlie, name="Elsewhere whānau")
        Participant.objects.create(case=other, person=mother, role=Participant.Role.PARENT)
        # when
        record = subject_access_record(mother, for_user=site_manager)
        # then
        assert [item["case"] for item in _section(record, "cases")["items"]] != [other.reference]
        assert record["withheld"]["cases_outside_your_access"] == 1


class TestWhoMayExport:
    @pytest.mark.parametrize("who", ["site_manager", "national_manager"])
    def test_managers_who_may_open_a_case_of_theirs_may(self, request, who, mother):
        assert can_export_subject_access(request.getfixturevalue(who), mother)

    @pytest.mark.parametrize("who", ["alice", "supervisor", "other_site_manager", "administrator"])
    def test_others_may_not(self, request, who, mother):
        assert not can_export_subject_access(request.getfixturevalue(who), mother)


class TestTheDownloads:
    def test_the_json_download_is_recorded_in_history_and_the_access_log(self, client, site_manager, mother):
        # given
        client.force_login(site_manager)
        # when
        response = client.get(reverse("privacy:subject_access_json", args=[mother.pk]))
        # then
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert json.loads(response.content)["person"]["family_name"] == "Tawhiri"
        event = AuditEvent.objects.get(event="privacy.subject_access_exported")
        assert (event.target_id, event.changes["format"]) == (str(mother.pk), [None, "json"])
        assert RecordView.objects.filter(person=mother, user=site_manager, path__endswith=".json").exists()

    def test_the_pdf_download_is_a_pdf(self, client, national_manager, mother, mothers_step, mothers_notes):
        client.force_login(national_manager)
        response = client.get(reverse("privacy:subject_access_pdf", args=[mother.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert AuditEvent.objects.filter(event="privacy.subject_access_exported", changes__format=[None, "pdf"])

    def test_the_pdf_is_rendered_in_norwegian_too(self, client, national_manager, mother):
        client.force_login(national_manager)
        response = client.get(reverse("privacy:subject_access_pdf", args=[mother.pk]), HTTP_ACCEPT_LANGUAGE="nb")
        assert response.status_code == 200

    def test_the_export_page_shows_what_is_withheld(self, client, site_manager, mother, mothers_notes):
        client.force_login(site_manager)
        response = client.get(reverse("privacy:subject_access", args=[mother.pk]))
        assert response.status_code == 200
        assert "withheld because they concern other people" in response.content.decode()

    def test_a_social_worker_is_refused_and_nothing_is_recorded(self, client, alice, mother):
        client.force_login(alice)
        response = client.get(reverse("privacy:subject_access_json", args=[mother.pk]))
        assert response.status_code == 403
        assert not AuditEvent.objects.filter(event="privacy.subject_access_exported").exists()

    def test_an_old_sign_in_is_asked_to_confirm_first(self, client, site_manager, mother):
        # given
        client.force_login(site_manager)
        age_session(client, PROVED_AT, seconds=60 * 60)
        # when
        response = client.get(reverse("privacy:subject_access_json", args=[mother.pk]))
        # then
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:confirm"))
        assert not AuditEvent.objects.filter(event="privacy.subject_access_exported").exists()

    def test_the_api_gives_the_same_record_and_records_it(self, client, national_manager, mother):
        client.force_login(national_manager)
        response = client.get(f"/api/v1/privacy/people/{mother.pk}/subject-access")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["person"]["given_name"] == "Hinemoa"
        assert {"cases", "history", "access_log"} <= {section["key"] for section in body["sections"]}
        assert RecordView.objects.filter(person=mother, user=national_manager, channel="api").exists()


class TestThePersonPageButtons:
    """The snippet the person page uses to offer the export and the erasure (kinplan/cases person_detail.html)."""

    SNIPPET = (
        "{% load rules %}{% has_perm 'privacy.export_subject_access' user person as can_export %}"
        "{% has_perm 'privacy.request_person_erasure' user person as can_erase %}"
        "{{ can_export }} {{ can_erase }}"
    )

    @pytest.mark.parametrize(
        ("who", "shown"),
        [("site_manager", "True True"), ("national_manager", "True True"), ("alice", "False False")],
    )
    def test_only_managers_are_offered_them(self, request, who, shown, mother):
        from django.template import Context, Template

        user = request.getfixturevalue(who)
        assert Template(self.SNIPPET).render(Context({"user": user, "person": mother})) == shown
