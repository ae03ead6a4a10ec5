"""Cases and people from another system's spreadsheet: a dry run that reports every problem row by row, then an
all-or-nothing import through the cases services (which validate and audit each record, as from the pages).

One row is one person in one case; the rows with the same `case_reference` (the old system's) make one case, which
needs a child among them. `docs/spreadsheets.md` documents the columns. People already in Kinplan are found with
search-before-create's own search (`cases.selectors.person_search`: names folded by `core.text.normalise_name`,
so "Tamati" finds "Tāmati"); such a row is reported as a possible duplicate and never merged on its own: the file
says, in `existing_person_id`, the person to use, or "new" for someone else of the same name, or skips the row.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.accounts.models import User
from kinplan.audit.services import audit_record
from kinplan.cases import services as case_services
from kinplan.cases.forms import PersonForm
from kinplan.cases.models import Case, Iwi, Participant, Person
from kinplan.cases.permissions import people_visible_to
from kinplan.cases.selectors import person_search
from kinplan.core.errors import ensure
from kinplan.core.text import normalise_name
from kinplan.spreadsheets.permissions import can_import_cases

MAX_BYTES = 5 * 1024 * 1024
# Each row's duplicate search costs some milliseconds (person_search, as search-before-create): 2,000 rows are
# checked, then imported, well inside the servers' 60-second request limit (docs/scaling.md).
MAX_ROWS = 2000
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # an XLSX is a zip: refuse one that unpacks to far more than it weighs
HEADER_ROW = 1
CASE_NAME_LENGTH = Case._meta.get_field("name").max_length or 200

CASE_COLUMNS = ("case_reference", "case_name", "worker_username", "opened_on", "summary")
PERSON_COLUMNS = (
    "role",
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "iwi",
    "preferred_language",
    "phone",
    "email",
)
CHOICE_COLUMNS = ("existing_person_id", "skip")
COLUMNS = CASE_COLUMNS + PERSON_COLUMNS + CHOICE_COLUMNS
REQUIRED_COLUMNS = ("case_reference", "case_name", "role", "given_name", "family_name")
# The columns as the import page and docs/spreadsheets.md explain them.
COLUMN_HELP = [
    (("case_reference",), gettext_lazy("The case's reference in the old system: the rows that share it are one case.")),
    (("case_name",), gettext_lazy("The case's name (on its first row).")),
    (
        ("worker_username", "opened_on", "summary"),
        gettext_lazy("The allocated social worker's Kinplan username, the day the case opened, and a summary."),
    ),
    (("role",), gettext_lazy("child, parent, whanau, caregiver, household_member, professional or other.")),
    (PERSON_COLUMNS[1:], gettext_lazy("The person, as on their page; several iwi are separated by ;.")),
    (
        ("existing_person_id",),
        gettext_lazy(
            "For a possible duplicate: the id of the person already in Kinplan to use, or “new” if this is someone "
            "else."
        ),
    ),
    (("skip",), gettext_lazy("“yes” leaves the row out.")),
]
NEW_PERSON = "new"
YES = {"yes", "y", "ja", "true", "1", "x"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")


class ImportRefused(ValueError):
    """The file as a whole cannot be read (too big, not CSV or XLSX, no header): the message says what to fix."""


@dataclass
class Problem:
    row: int  # the spreadsheet's row number (the header is row 1); 0 for the file as a whole
    column: str
    message: str
    kind: str = "error"  # or "duplicate"
    matches: list[int] = field(default_factory=list)  # a duplicate's candidates: ids of people the user can open


@dataclass
class PersonRow:
    row: int
    role: str
    details: dict[str, Any]
    iwi: list[Iwi]
    existing: Person | None
    said_new: bool = False  # existing_person_id says "new": the file says this is not who the search finds


@dataclass
class CaseGroup:
    reference: str
    row: int
    name: str = ""
    worker: User | None = None
    opened_on: datetime.date | None = None
    summary: str = ""
    people: list[PersonRow] = field(default_factory=list)
    has_child: bool = False  # a row says child (even one with problems of its own)


@dataclass
class Report:
    rows: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    groups: list[CaseGroup] = field(default_factory=list)
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def cases(self) -> int:
        return len(self.groups)

    @property
    def people(self) -> int:
        return sum(len(g.people) for g in self.groups)

    def add(self, row: int, column: str, message: str, **extra: Any) -> None:
        self.problems.append(Problem(row=row, column=column, message=message, **extra))

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "imported": self.imported,
            "rows": self.rows,
            "cases": self.cases,
            "people": self.people,
            "skipped": self.skipped,
            "problems": [vars(p) for p in self.problems],
        }


# --- reading the file ---------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\x00", "").strip()  # no database stores a NUL character


def _csv_rows(data: bytes) -> Iterable[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”, or upload the .xlsx.")
        ) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text, newline=""), dialect)


def _xlsx_rows(data: bytes) -> Iterable[list[Any]]:
    from openpyxl import load_workbook  # with defusedxml installed, openpyxl parses the XML safely

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise ImportRefused(_("The workbook unpacks to more than 50 MB: split it, or save it as CSV."))
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
        return list(_bounded(sheet.iter_rows(values_only=True, max_col=len(COLUMNS) + 10)))
    except ImportRefused:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportRefused(
            _("The file could not be read as an Excel workbook (.xlsx): save it again, or as CSV.")
        ) from None


def _bounded(rows: Iterable[Any]) -> Iterable[Any]:
    """Rows up to one past the limit (header included), so a longer file is refused without reading it all."""
    for number, row in enumerate(rows, start=1):
        yield row
        if number > MAX_ROWS + 1:
            return


def read_table(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The file's header (column names, normalised) and its non-blank rows by row number."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("The file is larger than 5 MB: split it into smaller files."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw = list(_xlsx_rows(data))
    elif name.endswith((".csv", ".txt")):
        try:
            raw = list(_bounded(_csv_rows(data)))
        except csv.Error as error:
            raise ImportRefused(_("The file could not be read as CSV (%(error)s).") % {"error": error}) from None
    else:
        raise ImportRefused(_("Upload a .csv or .xlsx file."))
    if not raw:
        raise ImportRefused(_("The file is empty: the first row names the columns."))
    header = [_text(cell).lower().replace(" ", "_") for cell in raw[0]]
    rows = []
    for number, cells in enumerate(raw[1:], start=HEADER_ROW + 1):
        values = {header[i]: _text(cell) for i, cell in enumerate(cells) if i < len(header) and header[i]}
        if any(values.values()):
            rows.append((number, values))
    if len(rows) > MAX_ROWS:
        raise ImportRefused(_("The file has more than %(max)s rows: split it into smaller files.") % {"max": MAX_ROWS})
    return header, rows


# --- checking every row -------------------------------------------------------------------------------------


def _date(raw: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 (a date, no time of day)
        except ValueError:
            continue
    raise ValueError(raw)


class Lookups:
    """What the rows name, read in a few queries for the whole file: roles, genders, iwi, workers, people."""

    def __init__(self, actor: User, rows: list[tuple[int, dict[str, str]]]) -> None:
        self.roles = _choices(Participant.Role.choices)
        self.genders = _choices(Person.Gender.choices)
        self.iwi = {normalise_name(i.name): i for i in Iwi.objects.all()}
        usernames = {v.get("worker_username", "") for _, v in rows} - {""}
        self.workers = {
            u.username.lower(): u
            for u in User.objects.filter(
                username__in=usernames,
                site_id=actor.site_id,
                is_active=True,
                role__in=[User.Role.SOCIAL_WORKER, User.Role.SUPERVISOR],
            ).select_related("team")
        }
        ids = {int(v["existing_person_id"]) for _, v in rows if v.get("existing_person_id", "").isdigit()}
        self.people = {p.pk: p for p in people_visible_to(actor).filter(pk__in=ids)}


def _choices(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """A choice's value or label, folded, to its value: 'whanau', 'Whānau / kin' and 'whānau' all say whanau."""
    found: dict[str, str] = {}
    for value, label in choices:
        found[normalise_name(value)] = value
        found[normalise_name(str(label))] = value
        found[normalise_name(str(label).split("(")[0].split("/")[0])] = value
    return found


def _person(report: Report, number: int, values: dict[str, str], lookups: Lookups) -> PersonRow | None:
    """The row's person, checked by the person form the pages use; None (and problems reported) if it fails."""
    before = len(report.problems)
    role = lookups.roles.get(normalise_name(values.get("role", "")))
    if role is None:
        known = ", ".join(Participant.Role.values)
        report.add(
            number,
            "role",
            _("Unknown role “%(role)s”: use one of %(known)s.") % {"role": values.get("role", ""), "known": known},
        )
    data = {name: values.get(name, "") for name in PERSON_COLUMNS if name not in ("role", "iwi")}
    gender = values.get("gender", "")
    data["gender"] = lookups.genders.get(normalise_name(gender), "") if gender else Person.Gender.NOT_STATED
    if gender and not data["gender"]:
        report.add(
            number,
            "gender",
            _("Unknown gender “%(gender)s”: use female, male, another or not_stated.") % {"gender": gender},
        )
    if data["date_of_birth"]:
        try:
            data["date_of_birth"] = _date(data["date_of_birth"]).isoformat()
        except ValueError:
            report.add(number, "date_of_birth", _("Write the date as YYYY-MM-DD, e.g. 2019-03-28."))
            data["date_of_birth"] = ""
    iwi = []
    for name in filter(None, (part.strip() for part in values.get("iwi", "").split(";"))):
        if normalise_name(name) in lookups.iwi:
            iwi.append(lookups.iwi[normalise_name(name)])
        else:
            report.add(
                number,
                "iwi",
                _("Unknown iwi “%(name)s”: use the name as Kinplan lists it; separate several with ;.")
                % {"name": name},
            )
    form = PersonForm(data={**data, "iwi": [i.pk for i in iwi]})
    if not form.is_valid():
        for name, errors in form.errors.items():
            if name != "gender" or not gender or data["gender"]:
                for message in errors:
                    report.add(number, name if name in COLUMNS else "", str(message))
    else:
        _model_rules(report, number, form.details())
    existing = _existing(report, number, values, lookups)
    if len(report.problems) > before:
        return None
    return PersonRow(row=number, role=role or "", details=form.details(), iwi=iwi, existing=existing)


def _model_rules(report: Report, number: int, details: dict[str, Any]) -> None:
    """The person's own rules (a birth date not in the future, nor implausibly long ago), as the service checks."""
    try:
        Person(**details).clean_fields()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                report.add(number, name if name in COLUMNS else "", message)


def _existing(report: Report, number: int, values: dict[str, str], lookups: Lookups) -> Person | None:
    raw = values.get("existing_person_id", "").strip().lower()
    if not raw or raw == NEW_PERSON:
        return None
    person = lookups.people.get(int(raw)) if raw.isdigit() else None
    if person is None:
        report.add(
            number,
            "existing_person_id",
            _("No person with id %(id)s that you can open: give the id from the duplicate report, or write “new”.")
            % {"id": raw},
        )
    return person


def _case(report: Report, group: CaseGroup, values: dict[str, str], lookups: Lookups) -> None:
    """The case's own columns, from the first row of its reference that gives them."""
    number = group.row
    if not group.name and len(values.get("case_name", "")) > CASE_NAME_LENGTH:
        report.add(number, "case_name", _("Shorten the case name to %(n)s characters.") % {"n": CASE_NAME_LENGTH})
    group.name = group.name or values.get("case_name", "")[:CASE_NAME_LENGTH]
    username = values.get("worker_username", "")
    if username and group.worker is None:
        group.worker = lookups.workers.get(username.lower())
        if group.worker is None:
            report.add(
                number,
                "worker_username",
                _("No active social worker or supervisor at your site has the username “%(name)s”.")
                % {"name": username},
            )
    opened = values.get("opened_on", "")
    if opened and group.opened_on is None:
        try:
            group.opened_on = _date(opened)
        except ValueError:
            report.add(number, "opened_on", _("Write the date as YYYY-MM-DD, e.g. 2019-03-28."))
        else:
            if group.opened_on > timezone.localdate():
                report.add(number, "opened_on", _("The case cannot open in the future."))
    group.summary = group.summary or values.get("summary", "")


def _duplicates(report: Report, actor: User, groups: list[CaseGroup]) -> None:
    """Each new person who may already be in Kinplan, or twice in the file, by search-before-create's search."""
    seen: dict[tuple[str, datetime.date | None], int] = {}
    for person in (p for g in groups for p in g.people):
        if person.existing is not None:
            continue
        details = person.details
        name = f"{details['given_name']} {details['family_name']}"
        key = (normalise_name(name), details["date_of_birth"])
        if key in seen:
            report.add(
                person.row, "given_name", _("The same person as row %(row)s.") % {"row": seen[key]}, kind="duplicate"
            )
        seen.setdefault(key, person.row)
        if person.said_new:
            continue
        found = person_search(user=actor, query=name, date_of_birth=details["date_of_birth"], limit=5)
        if found.people:
            described = "; ".join(
                f"#{p.pk} {p.full_name}" + (f" ({p.date_of_birth.isoformat()})" if p.date_of_birth else "")
                for p in found.people
            )
            message = _(
                "Possibly already in Kinplan: %(people)s. Put the id in existing_person_id to use that person, write "
                "“new” there if this is someone else, or “yes” in skip."
            ) % {"people": described}
            report.add(person.row, "given_name", message, kind="duplicate", matches=[p.pk for p in found.people])
        elif found.hidden_matches:
            message = _(
                "Someone of this name and birth date is in a case you cannot open: ask who holds it before adding "
                "them again; write “new” in existing_person_id if this is someone else."
            )
            report.add(person.row, "given_name", message, kind="duplicate")


def check(*, actor: User, data: bytes, filename: str) -> Report:
    """The dry run: every row read and checked as the pages check it, duplicates searched; nothing is written."""
    ensure(can_import_cases(actor), _("Only site managers import cases."))
    header, rows = read_table(data, filename)
    report = Report(rows=len(rows))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    if missing:
        report.add(HEADER_ROW, ", ".join(missing), _("These columns are missing; the first row names the columns."))
    if unknown:
        report.add(
            HEADER_ROW, ", ".join(unknown), _("Unknown columns: check their spelling (see the documented columns).")
        )
    if missing:
        return report
    lookups = Lookups(actor, rows)
    groups: dict[str, CaseGroup] = {}
    for number, values in rows:
        if values.get("skip", "").strip().lower() in YES:
            report.skipped += 1
            continue
        reference = values.get("case_reference", "")
        if not reference:
            report.add(number, "case_reference", _("Give the case's reference in the old system."))
            continue
        group = groups.setdefault(reference, CaseGroup(reference=reference, row=number))
        _case(report, group, values, lookups)
        group.has_child |= lookups.roles.get(normalise_name(values.get("role", ""))) == Participant.Role.CHILD
        person = _person(report, number, values, lookups)
        if person is not None:
            group.people.append(person)
            person.said_new = values.get("existing_person_id", "").strip().lower() == NEW_PERSON
    for group in groups.values():
        if not group.name:
            report.add(group.row, "case_name", _("Give the case a name (on the first row of its reference)."))
        if not group.has_child:
            report.add(
                group.row,
                "role",
                _("Case %(reference)s has no child: one of its rows must be a child.") % {"reference": group.reference},
            )
    report.groups = list(groups.values())
    _duplicates(report, actor, report.groups)
    return report


# --- importing ----------------------------------------------------------------------------------------------


class _RollBack(Exception):
    pass


def _open_case(actor: User, group: CaseGroup) -> Case:
    child = next(p for p in group.people if p.role == Participant.Role.CHILD)
    case = case_services.case_create(
        actor=actor,
        name=group.name,
        child=child.existing,
        child_details=None if child.existing else child.details,
        child_iwi=child.iwi,
        team=group.worker.team if group.worker else None,
        worker=group.worker,
        summary=group.summary,
        opened_on=group.opened_on,
    )
    for person in group.people:
        if person is child:
            continue
        if person.existing is not None:
            case_services.participant_add(actor=actor, case=case, person=person.existing, role=person.role)
        else:
            case_services.person_create(
                actor=actor, case=case, role=person.role, details=person.details, iwi=person.iwi
            )
    return case


def run(*, actor: User, data: bytes, filename: str) -> Report:
    """The import: the dry run first; only a file without a problem is imported, all of it in one transaction, each
    case and person through the cases services (validated and audited as from the pages). If a service refuses a
    row, nothing is saved and the report names that row."""
    report = check(actor=actor, data=data, filename=filename)
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            for group in report.groups:
                try:
                    _open_case(actor, group)
                except (ValidationError, PermissionDenied) as error:
                    for message in getattr(error, "messages", [str(error)]):
                        report.add(group.row, "", message)
                    raise _RollBack from error
            _record_import(actor, report, filename)
    except _RollBack:
        return report
    report.imported = True
    return report


def _record_import(actor: User, report: Report, filename: str) -> None:
    changes = {"file": [None, filename[:200]], "rows": [None, report.rows]}
    changes |= {"cases": [None, report.cases], "people": [None, report.people]}
    audit_record(actor=actor, event="spreadsheet.imported", target=actor, changes=changes)
