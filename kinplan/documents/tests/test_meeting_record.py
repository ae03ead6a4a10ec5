"""The meeting record: who took part and how, their views, the decisions and the actions; a long participant
table repeats its header on each page and loses no one."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kinplan.audit.models import RecordView
from kinplan.documents.tests import builders as b
from kinplan.meetings import services as meetings
from kinplan.meetings.models import MeetingParticipant

pytestmark = pytest.mark.django_db

GUESTS = 30
HEADER = "Who Took part Their views Outcome sent"


@pytest.fixture(scope="module")
def record(module_db: Any) -> SimpleNamespace:
    """A held family group conference with Hine, Nan, the lawyer for child and 30 more whānau who each gave
    their view by phone; downloaded from its page."""
    worker = b.social_worker()
    case = b.family_case(worker)
    meeting = b.held_meeting(case)
    for n in range(1, GUESTS + 1):
        meetings.participant_add(
            actor=worker,
            meeting=meeting,
            name=f"Guest {n:02d}",
            role="whanau",
            participation=MeetingParticipant.Participation.PHONE,
            views=f"Guest {n:02d} says the whānau can help with school pick-ups and weekend care. " * 2,
        )
    client = Client()
    client.force_login(worker)
    url = reverse("documents:meeting_record", args=[case.pk, meeting.pk])
    response = client.get(url)
    return SimpleNamespace(
        url=url,
        response=response,
        read=b.read_pdf(response.content),
        views=list(RecordView.objects.filter(user=worker).values_list("channel", "path")),
    )


def test_it_is_an_inline_pdf_on_a4_pages_with_the_header_and_page_numbers(record):
    assert record.response["Content-Type"] == "application/pdf"
    assert record.response["Content-Disposition"].startswith('inline; filename="meeting-record-kp-d00042-')
    title = f"Family group conference, {b.days(-2):%-d %b %Y}"
    b.assert_printed_well(record.read, f"{b.ORGANISATION} · {b.SITE}", title, "KP-D00042")


def test_it_says_who_took_part_and_how_with_their_views(record):
    seen = record.read.text
    assert "Hine Ngata Parent Required In person “I want Tāmati home by Christmas.”" in seen
    assert "Mere Ngata" in seen and "By phone" in seen and "I can have him after school." in seen
    assert "Ana Lee" in seen and "Did not take part" in seen
    assert f"Sent {b.TODAY:%-d %b %Y} by Aroha Tane (email)" in seen  # the outcome, to the one not there


def test_it_gives_the_decisions_and_the_actions(record):
    seen = record.read.text
    assert "Decisions Tāmati stays with Nan on weekdays until the programme ends." in seen
    assert f"Enrol Tāmati at Nan's local school Mere Ngata {b.days(10):%-d %b %Y} Open" in seen
    assert "Book the first programme session Aroha Tane" in seen


def test_a_long_table_repeats_its_header_on_each_page_and_cuts_no_row(record):
    pages = [page for page in record.read.pages if "Guest " in page]
    assert len(pages) >= 2
    for page in pages:
        assert HEADER in page
    for n in range(1, GUESTS + 1):
        assert record.read.text.count(f"Guest {n:02d} says") == 2, n  # both sentences of the view, once each
        assert sum(f"Guest {n:02d} Whānau" in page for page in record.read.pages) == 1, n


def test_the_download_is_logged_as_a_view_of_the_childs_record(record):
    assert record.views == [("web", record.url)]
