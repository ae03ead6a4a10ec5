"""Drafting a referral: who is referred, to which provider and service, why, what is sent, and the plan step."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.accounts.models import User
from kinplan.audit.services import apply_changes, audit_record, created_changes
from kinplan.cases.models import Case, Participant
from kinplan.providers.permissions import providers_visible_to
from kinplan.referrals.models import Referral
from kinplan.referrals.selectors import plan_steps
from kinplan.referrals.services._common import ensure_can_refer, ensure_drafted

REFERRAL_FIELDS = ("person", "provider", "provider_service", "service_type", "reason", "information_sent", "step")
REQUIRED = {
    "person": gettext_lazy("Choose the family member you are referring."),
    "provider": gettext_lazy("Choose the provider you are referring them to."),
    "reason": gettext_lazy("Say why you are referring them: what you hope the service will help with."),
}


def _check_person(referral: Referral) -> str:
    roles = set(
        Participant.objects.filter(
            case_id=referral.case_id, person_id=referral.person_id, archived_at__isnull=True
        ).values_list("role", flat=True)
    )
    if not roles:
        return _("Choose someone who is part of this case.")
    if roles == {Participant.Role.PROFESSIONAL}:
        return _("Professionals are not referred: choose a family member.")
    return ""


def _check_provider(actor: User, referral: Referral) -> str:
    provider = referral.provider
    if provider.case_id not in (None, referral.case_id) or not providers_visible_to(actor).filter(pk=provider.pk):
        return _("Choose a provider from the directory or one of this case's informal supports.")
    if not provider.is_active:
        return _("%(provider)s is no longer active in the directory: choose another provider.") % {"provider": provider}
    return ""


def _check_service(referral: Referral, changed: set[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    offer = referral.provider_service
    if offer is not None and {"provider", "provider_service"} & changed:
        if offer.provider_id != referral.provider_id:
            errors["provider_service"] = _("Choose a service that %(provider)s offers.") % {
                "provider": referral.provider
            }
        elif not offer.is_active:
            errors["provider_service"] = _("%(provider)s no longer offers %(service)s: choose another service.") % {
                "provider": referral.provider,
                "service": offer.label,
            }
    if referral.service_type_id is None:
        errors["service_type"] = _("Choose the kind of service the referral is for.")
    elif "service_type" in changed and not referral.service_type.is_active:
        errors["service_type"] = _("This service type is retired: choose a current one.")
    return errors


def _check_referral(actor: User, referral: Referral, changed: set[str]) -> None:
    """Everyone named belongs to the case; the provider is active and may be used for it; the service is one the
    provider offers; the plan step is in the case's current plan. Each message lands on its field."""
    errors = {name: REQUIRED[name] for name in ("person", "provider") if getattr(referral, f"{name}_id") is None}
    if not (referral.reason or "").strip():
        errors["reason"] = REQUIRED["reason"]
    if referral.person_id and "person" in changed:
        errors["person"] = _check_person(referral)
    if referral.provider_id and "provider" in changed:
        errors["provider"] = _check_provider(actor, referral)
    if referral.provider_id and not errors.get("provider"):
        errors |= _check_service(referral, changed)
    if referral.step_id and "step" in changed and not plan_steps(case=referral.case).filter(pk=referral.step_id):
        errors["step"] = _("Choose a step of this case's current plan.")
    errors = {name: message for name, message in errors.items() if message}
    if errors:
        raise ValidationError(errors)


def _checked(actor: User, referral: Referral, data: Mapping[str, Any]) -> dict[str, Any]:
    """Check `referral` as it would be with `data`, without touching it. A service chosen from the provider's
    offers sets the service type; a different type sent with it is refused."""
    data = {name: (value.strip() if isinstance(value, str) else value) for name, value in data.items()}
    offer = data.get("provider_service", referral.provider_service)
    if offer is not None:
        if data.get("service_type") not in (None, offer.service_type):
            raise ValidationError(
                {
                    "service_type": _("The service chosen is %(type)s: leave the type out, or choose it.")
                    % {"type": offer.service_type}
                }
            )
        data["service_type"] = offer.service_type
    candidate = copy.copy(referral)
    for name, value in data.items():
        setattr(candidate, name, value)
    changed = {name for name in data if getattr(referral, name, None) != data[name]} if referral.pk else set(data)
    _check_referral(actor, candidate, changed | ({"provider", "person"} if not referral.pk else set()))
    return data


@transaction.atomic
def referral_create(*, actor: User, case: Case, data: Mapping[str, Any]) -> Referral:
    """Draft a referral of a family member to a provider, for a reason. It is sent later, once consent is in."""
    ensure_can_refer(actor, case)
    if case.archived_at is not None or case.status != Case.Status.OPEN:
        raise ValidationError(_("This case is closed: reopen it before referring anyone."))
    now = timezone.now()
    referral = Referral(case=case, created_by=actor, status_on=timezone.localdate(), status_changed_at=now)
    apply_changes(referral, _checked(actor, referral, data), REFERRAL_FIELDS)
    audit_record(
        actor=actor,
        event="referral.created",
        target=referral,
        case=case,
        changes=created_changes(referral, ("status", *REFERRAL_FIELDS)),
    )
    return referral


@transaction.atomic
def referral_update(*, actor: User, referral: Referral, data: Mapping[str, Any]) -> Referral:
    """Change a drafted referral: who, to whom, the service, why, what is sent or the plan step."""
    ensure_can_refer(actor, referral.case)
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    ensure_drafted(referral, _("This referral is %(status)s: the referral can only change before it is sent."))
    changes = apply_changes(referral, _checked(actor, referral, data), REFERRAL_FIELDS)
    if changes:
        audit_record(actor=actor, event="referral.updated", target=referral, case=referral.case, changes=changes)
    return referral
