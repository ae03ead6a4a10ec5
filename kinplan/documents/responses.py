"""Each document as a PDF response, for the pages (views.py) and the API (api.py) alike: the caller has found the
case and the record through the same permission checks as the record's page, which logged the view."""

from __future__ import annotations

from django.http import HttpResponse

from kinplan.cases.models import Case
from kinplan.documents import selectors
from kinplan.documents.pdf import pdf_response, render_document
from kinplan.meetings.models import Meeting
from kinplan.permanent_care.models import SupportArrangement
from kinplan.planning.models import Plan
from kinplan.referrals.models import Referral


def _reference(case: Case) -> str:
    return case.reference or str(case.pk)


def family_plan(case: Case, plan: Plan, *, language: str | None = None) -> HttpResponse:
    """The family's plan, in the language asked for, else the family's own where Kinplan ships it."""
    chosen = selectors.family_language(case, language)
    pdf = render_document(
        "documents/family_plan.html", lambda: selectors.family_plan_context(case, plan), language=chosen
    )
    return pdf_response(pdf, "family-plan", _reference(case), f"v{plan.version}", chosen)


def service_plan(case: Case, plan: Plan, *, language: str | None = None) -> HttpResponse:
    pdf = render_document(
        "documents/service_plan.html",
        lambda: selectors.service_plan_context(case, plan),
        language=selectors.shipped_language(language),
    )
    return pdf_response(pdf, "service-plan", _reference(case), f"v{plan.version}")


def support_plan(case: Case, arrangement: SupportArrangement, *, language: str | None = None) -> HttpResponse:
    pdf = render_document(
        "documents/support_plan.html",
        lambda: selectors.support_plan_context(case, arrangement),
        language=selectors.shipped_language(language),
    )
    return pdf_response(pdf, "permanent-care-support-plan", _reference(case), arrangement.pk)


def referral_pack(case: Case, referral: Referral, *, language: str | None = None) -> HttpResponse:
    pdf = render_document(
        "documents/referral_pack.html",
        lambda: selectors.referral_pack_context(case, referral),
        language=selectors.shipped_language(language),
    )
    return pdf_response(pdf, "referral-pack", _reference(case), referral.pk)


def meeting_record(case: Case, meeting: Meeting, *, language: str | None = None) -> HttpResponse:
    pdf = render_document(
        "documents/meeting_record.html",
        lambda: selectors.meeting_record_context(case, meeting),
        language=selectors.shipped_language(language),
    )
    return pdf_response(pdf, "meeting-record", _reference(case), f"{meeting.local_date:%Y-%m-%d}")
