"""Who may read, write, strike out and mark confidential which case notes.

Reading: everyone who may open the case reads its notes, except confidential ones: those are for the statutory
staff on the case (its social worker, supervisor and site manager: `can_see_confidential`) and the note's author.
For everyone else a confidential note does not exist: it is left out of lists, pages, the API and documents, and
opening it is a 404; lists say only how many were left out.

Writing: whoever may change the case, and the support caseworker allocated to it (the support service records its
own work with the caregiver, seed 003). Notes are never edited: a wrong one is struck out, by its author or by the
case's supervisor or site manager. Marking a note confidential protects it, so its author and anyone who reads
confidential notes on the case may do it; making it readable again is for its author, the supervisor and the site
manager.

The `*_on_open_case` helpers answer without a query for a case the caller already let the user open (the case
page, a list); the predicates check the case as well.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from kinplan.accounts.models import User
from kinplan.cases.models import Case
from kinplan.cases.permissions import CASE_EDITOR_ROLES, can_see_confidential, can_view_case
from kinplan.notes.models import CaseNote

Role = User.Role

# The roles that strike out anyone's note, and make a confidential note readable again, on the cases they change.
NOTE_OVERSEER_ROLES = frozenset({Role.SUPERVISOR, Role.SITE_MANAGER})


# --- on a case the user may open (no query) ------------------------------------------------------------


def sees_confidential_on_open_case(user: User) -> bool:
    """Whether `user` reads every confidential note of a case they may open (their role decides)."""
    return bool(can_see_confidential(user))


def note_visibility(user: User) -> Q:
    """The filter over a case's notes that `user` (who may open the case) may read."""
    if sees_confidential_on_open_case(user):
        return Q()
    return Q(is_confidential=False) | Q(written_by_id=user.pk)


def may_write_on_open_case(user: User, case: Case) -> bool:
    if not user.is_authenticated:
        return False
    if user.role in CASE_EDITOR_ROLES:
        return True
    return user.role == Role.SUPPORT_CASEWORKER and case.support_worker_id == user.pk


def may_read_on_open_case(user: User, note: CaseNote) -> bool:
    return not note.is_confidential or note.written_by_id == user.pk or sees_confidential_on_open_case(user)


def _is_author(user: User, note: CaseNote) -> bool:
    return note.written_by_id == user.pk and may_write_on_open_case(user, note.case)


def may_strike_out_on_open_case(user: User, note: CaseNote) -> bool:
    """Whether `user` may strike out `note` (whether it still stands is the service's check)."""
    if not may_read_on_open_case(user, note):
        return False
    return _is_author(user, note) or user.role in NOTE_OVERSEER_ROLES


def may_mark_confidential_on_open_case(user: User, note: CaseNote) -> bool:
    return _is_author(user, note) or sees_confidential_on_open_case(user)


def may_lift_confidential_on_open_case(user: User, note: CaseNote) -> bool:
    return may_read_on_open_case(user, note) and (_is_author(user, note) or user.role in NOTE_OVERSEER_ROLES)


def may_change_confidentiality_on_open_case(user: User, note: CaseNote) -> bool:
    """Whether `user` may mark `note` confidential (when it is not) or make it readable (when it is)."""
    if note.is_confidential:
        return may_lift_confidential_on_open_case(user, note)
    return may_mark_confidential_on_open_case(user, note)


# --- predicates ---------------------------------------------------------------------------------------


@rules.predicate
def can_write_notes(user: User, case: Case) -> bool:
    return case is not None and may_write_on_open_case(user, case) and can_view_case(user, case)


@rules.predicate
def can_read_note(user: User, note: CaseNote) -> bool:
    return note is not None and can_view_case(user, note.case) and may_read_on_open_case(user, note)


@rules.predicate
def can_strike_out_note(user: User, note: CaseNote) -> bool:
    return note is not None and can_view_case(user, note.case) and may_strike_out_on_open_case(user, note)


@rules.predicate
def can_mark_note_confidential(user: User, note: CaseNote) -> bool:
    return note is not None and can_view_case(user, note.case) and may_mark_confidential_on_open_case(user, note)


@rules.predicate
def can_lift_note_confidential(user: User, note: CaseNote) -> bool:
    return note is not None and can_view_case(user, note.case) and may_lift_confidential_on_open_case(user, note)


rules.add_perm("notes.add_casenote", can_write_notes)
rules.add_perm("notes.view_casenote", can_read_note)
rules.add_perm("notes.strike_out_casenote", can_strike_out_note)
rules.add_perm("notes.mark_confidential_casenote", can_mark_note_confidential)
rules.add_perm("notes.lift_confidential_casenote", can_lift_note_confidential)
