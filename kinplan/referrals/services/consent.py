"""Consent to a referral: who gave it, to share what, from when until when, and how."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.audit.services import apply_changes, audit_record, created_changes, diff, snapshot
from kinplan.referrals.models import Consent, Referral
from kinplan.referrals.selectors import consent_givers
from kinplan.referrals.services._common import ensure_can_refer, ensure_drafted

CONSENT_FIELDS = ("given_by", "shares", "given_on", "expires_on", "method")


def _giver_error(referral: Referral, given_by: Any) -> str:
    if given_by is None:
        return _("Choose who gave consent.")
    if consent_givers(case=referral.case, person=referral.person).filter(pk=given_by.pk).exists():
        return ""
    if given_by.pk == referral.person_id:
        return _("%(person)s is no longer part of this case.") % {"person": given_by}
    if referral.case.participants.filter(person=referral.person, role="child", archived_at__isnull=True).exists():
        return _("Consent for %(person)s is given by them or by their parent, guardian or caregiver in this case.") % {
            "person": referral.person
        }
    return _("Only %(person)s can consent to their own referral.") % {"person": referral.person}


def _date_errors(data: Mapping[str, Any]) -> dict[str, str]:
    given_on, expires_on, today = data.get("given_on"), data.get("expires_on"), timezone.localdate()
    errors: dict[str, str] = {}
    if given_on is None:
        errors["given_on"] = _("Enter the day consent was given.")
    elif given_on > today:
        errors["given_on"] = _("Consent cannot be given on a day in the future.")
    if expires_on is None:
        errors["expires_on"] = _("Enter the day the consent is valid until.")
    elif given_on is not None and expires_on <= given_on:
        errors["expires_on"] = _("Consent must be valid until a day after it was given.")
    elif expires_on < today:
        errors["expires_on"] = _("This consent has already expired: record a current one.")
    return errors


def _check_consent(referral: Referral, data: Mapping[str, Any]) -> None:
    """The giver may consent for the person referred; what may be shared is said; the dates make sense."""
    errors = {"given_by": _giver_error(referral, data.get("given_by"))} | _date_errors(data)
    if not (data.get("shares") or "").strip():
        errors["shares"] = _("Say what may be shared with the provider.")
    if not data.get("method"):
        errors["method"] = _("Choose how consent was given.")
    errors = {name: message for name, message in errors.items() if message}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def consent_record(*, actor: User, referral: Referral, data: Mapping[str, Any]) -> Consent:
    """Record consent to a drafted referral. A new consent replaces the current one, which is kept as it was."""
    ensure_can_refer(actor, referral.case)
    referral = Referral.objects.select_for_update().select_related("case", "person").get(pk=referral.pk)
    ensure_drafted(referral, _("This referral is %(status)s: its consent can only change before it is sent."))
    unknown = set(data) - set(CONSENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    _check_consent(referral, data)
    previous = referral.consents.filter(is_current=True).select_related("given_by").first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current", "updated_at"])
    consent = Consent(referral=referral, recorded_by=actor)
    apply_changes(consent, data, CONSENT_FIELDS)
    if previous is None:
        event, changes = "referral.consent.recorded", created_changes(consent, CONSENT_FIELDS)
    else:
        event, changes = (
            "referral.consent.replaced",
            diff(snapshot(previous, CONSENT_FIELDS), snapshot(consent, CONSENT_FIELDS)),
        )
    audit_record(actor=actor, event=event, target=referral, case=referral.case, changes=changes)
    return consent
