"""The acknowledgement letter (seed 003): the support service writes to the permanent caregiver once it has the
plan, setting out the supports, the review date and whom to contact. Rendered from the plan as a PDF."""

from __future__ import annotations

from django.template.loader import render_to_string

from kinplan.documents.pdf import render_pdf
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.selectors import letter_context


def letter_html(arrangement: SupportArrangement) -> str:
    return render_to_string("permanent_care/letter.html", letter_context(arrangement))


def letter_pdf(arrangement: SupportArrangement) -> bytes:
    """The letter as an A4 PDF: a header, the supports, the review date, contacts and page numbers."""
    return render_pdf("permanent_care/letter.html", letter_context(arrangement))
