"""What the browser tests share besides fixtures: Tui's password, matching a field's label, and Tāmati's family
assessed and ready for a plan."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from kinplan.accounts.models import Organisation, User
from kinplan.accounts.tests.factories import OrganisationFactory, SiteFactory, TeamFactory, UserFactory
from kinplan.assessments import services as assessing
from kinplan.assessments.models import Need
from kinplan.cases import services as cases
from kinplan.cases.models import Case, Participant
from kinplan.permanent_care.tests.factories import Staff

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


def staff_at(site_name: str, team_name: str) -> Staff:
    """Everyone in the permanent care process, by first name: Tui (worker) and Sam (supervisor) in `team_name`,
    Mere managing `site_name`, Pita and Ruth at the support service, Helen the national manager."""
    Role = User.Role
    site = SiteFactory(name=site_name)
    team = TeamFactory(site=site, name=team_name)
    service = OrganisationFactory(name="Permanent Caregiver Support Service", kind=Organisation.Kind.SUPPORT_SERVICE)
    return Staff(
        worker=UserFactory(username="tui", first_name="Tui", last_name="Walker", team=team),
        supervisor=UserFactory(username="sam", role=Role.SUPERVISOR, team=team),
        site_manager=UserFactory(username="mere", role=Role.SITE_MANAGER, team=None, site=site),
        caseworker=UserFactory(
            username="pita", role=Role.SUPPORT_CASEWORKER, team=None, site=None, organisation=service
        ),
        support_manager=UserFactory(
            username="ruth", role=Role.SUPPORT_MANAGER, team=None, site=None, organisation=service
        ),
        national_manager=UserFactory(username="helen", role=Role.NATIONAL_MANAGER, team=None, site=None),
        support_service=service,
    )
