from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "kinplan.referrals"
    verbose_name = "Referrals"
