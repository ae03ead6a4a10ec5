"""Every change to referrals: drafting one, its consent, and its moves from drafted to an end."""

from kinplan.referrals.services.consent import consent_record
from kinplan.referrals.services.referrals import REFERRAL_FIELDS, referral_create, referral_update
from kinplan.referrals.services.transitions import referral_transition

__all__ = ["REFERRAL_FIELDS", "consent_record", "referral_create", "referral_transition", "referral_update"]
