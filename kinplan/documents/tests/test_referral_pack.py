"""The referral pack: what the provider receives with a referral — who, why, for which service, the information
sent and the consent to share it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from kinplan.audit.models import RecordView
from kinplan.documents.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pack(module_db: Any) -> SimpleNamespace:
    """Hine's referral to Te Whare Ora, sent with her written consent; read through the API with a token."""
    from kinplan.accounts.services import api_token_create

    worker = b.social_worker()
    case = b.family_case(worker)
    referral = b.referral_to_provider(case)
    _token, raw = api_token_create(actor=worker, name="printing", read_only=True)
    url = f"/api/v1/referrals/{referral.pk}/pack.pdf"
    response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    return SimpleNamespace(
        url=url,
        response=response,
        read=b.read_pdf(response.content),
        views=list(RecordView.objects.filter(user=worker).values_list("channel", "path")),
    )


def test_it_is_an_inline_pdf_on_a4_pages_with_the_header_and_page_numbers(pack):
    assert pack.response.status_code == 200
    assert pack.response["Content-Type"] == "application/pdf"
    assert pack.response["Content-Disposition"].startswith('inline; filename="referral-pack-kp-d00042-')
    b.assert_printed_well(pack.read, f"{b.ORGANISATION} · {b.SITE}", "Referral to Te Whare Ora", "KP-D00042")


def test_it_says_to_whom_from_whom_and_for_which_service(pack):
    seen = pack.read.text
    assert "Incredible Years" in seen
    assert f"Status Sent Sent on {b.TODAY:%-d %b %Y}" in seen
    assert "Te Whare Ora" in seen and "3 Kenepuru Drive, Porirua" in seen and "04 555 0199" in seen
    assert "Aroha Tane" in seen and "04 555 0100" in seen and "aroha.tane@kahui.example" in seen
    assert "Draft" not in seen


def test_it_carries_the_person_the_reason_the_information_sent_and_the_consent(pack):
    seen = pack.read.text
    assert "Name Hine Ngata" in seen
    assert "2 Jun 1990" in seen
    assert "Preferred language Te reo Māori" in seen
    assert "021 555 0101" in seen
    assert "Hine asked for help with Tāmati's bedtimes and tantrums." in seen
    assert "Information sent Name: Hine Ngata Phone: 021 555 0101 Reason: parenting support for her son, 7." in seen
    assert "Name, phone and the reason for the referral." in seen
    assert f"Valid until {b.days(180):%-d %b %Y}" in seen


def test_reading_it_through_the_api_is_logged_as_an_api_view(pack):
    assert pack.views == [("api", pack.url)]
