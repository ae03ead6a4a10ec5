"""What the browser tests share besides fixtures: Tui's password, matching a field's label, and Tāmati's family
assessed and ready for a plan."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.assessments import services as assessing
from kinplan.assessments.models import Need
from kinplan.cases import services as cases
from kinplan.cases.models import Case, Participant

PASSWORD = "tui-walker-e2e-2026"  # the `worker` fixture's (tests/e2e/conftest.py)


def label(text: str) -> re.Pattern[str]:
    """A field's label, with or without the required-field mark after it."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def assessed_ngata_case(worker: User) -> tuple[Case, Need]:
    """Tāmati's case: Mum in the team, and a completed assessment that found a housing need."""
    today = timezone.localdate()
    case = cases.case_create(
        actor=worker,
        name="Ngata whānau",
        child_details={"given_name": "Tāmati", "family_name": "Ngata", "date_of_birth": datetime.date(2019, 4, 2)},
        opened_on=today - datetime.timedelta(days=30),
    )
    mum = cases.person_create(
        actor=worker, case=case, role=Participant.Role.PARENT, details={"given_name": "Hine", "family_name": "Ngata"}
    ).person
    cases.team_member_add(actor=worker, case=case, role="parent", person=mum)
    assessment = assessing.assessment_create(actor=worker, case=case, data={"assessed_on": today})
    factor = assessing.risk_factor_set(
        actor=worker, assessment=assessment, factor="housing", rating="high", evidence="A notice to leave."
    )
    need = assessing.need_add(
        actor=worker, assessment=assessment, data={"title": "A safe, stable home", "risk_factor": factor}
    )
    assessing.assessment_update(
        actor=worker,
        assessment=assessment,
        data={"overall_risk": "high", "risk_reasoning": "No home in four weeks.", "safety_decision": "safe_with_plan"},
    )
    assessing.assessment_complete(actor=worker, assessment=assessment)
    return case, need
