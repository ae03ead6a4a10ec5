"""Each export's filters read from a request, as its page reads them, shared by the web views and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.cases.models import Case
from kinplan.cases.selectors import scopes_for
from kinplan.planning.selectors import plan_for_case
from kinplan.spreadsheets import selectors
from kinplan.spreadsheets.services import export_record
from kinplan.spreadsheets.tables import CSV, FORMATS, Table

REFERRAL_SHOWS = ("live", "waiting", "all")


def chosen_format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", CSV)
    return fmt if fmt in FORMATS else CSV


def _scope(user: User, asked: str | None) -> str:
    scopes = scopes_for(user)
    return asked if asked in scopes else (scopes[0] if scopes else "")


@dataclass(frozen=True)
class CaseloadFilter:
    scope: str
    status: str
    search: str

    @classmethod
    def from_query(cls, user: User, query: dict[str, str]) -> CaseloadFilter:
        """The caseload page's tab, status and search, read as that page reads them."""
        status = query.get("status", Case.Status.OPEN)
        status = status if status in {*Case.Status.values, ""} else Case.Status.OPEN
        return cls(scope=_scope(user, query.get("scope")), status=status, search=query.get("q", "").strip()[:100])


def caseload_export(user: User, query: dict[str, str]) -> Table:
    """The caseload as filtered, logged as one history entry naming the export and its number of rows."""
    chosen = CaseloadFilter.from_query(user, query)
    if not chosen.scope:
        table = Table(title=str(_("Caseload")), columns=selectors.CASELOAD_COLUMNS)
    else:
        table = selectors.caseload_table(user=user, scope=chosen.scope, status=chosen.status, search=chosen.search)
    filters = {"scope": chosen.scope, "status": chosen.status, "q": chosen.search}
    export_record(actor=user, export="caseload", rows=len(table.rows), filters=filters)
    return table


def referrals_export(user: User, query: dict[str, str]) -> Table:
    """The referrals list as filtered, logged as one history entry naming the export and its number of rows."""
    scope = _scope(user, query.get("scope"))
    show = query.get("show") if query.get("show") in REFERRAL_SHOWS else "live"
    if not scope:
        table = Table(title=str(_("Referrals")), columns=selectors.REFERRAL_COLUMNS)
    else:
        table = selectors.referrals_table(user=user, scope=scope, show=show)
    export_record(actor=user, export="referrals", rows=len(table.rows), filters={"scope": scope, "show": show})
    return table


def plan_export(case: Case, version: str | None) -> Table:
    """The case's current plan (or ?version=N) for a case already found (and its view logged)."""
    try:
        number = int(version) if version else None
    except ValueError:
        raise Http404(_("No such version.")) from None
    plan = plan_for_case(case=case, version=number)
    if plan is None:
        raise Http404(_("This case has no plan yet."))
    return selectors.plan_table(plan=plan)
