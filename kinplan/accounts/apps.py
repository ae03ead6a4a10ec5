from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kinplan.accounts"
    verbose_name = _("Users, sites and teams")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from kinplan.accounts.signin import record_sign_in

        user_logged_in.connect(record_sign_in, dispatch_uid="kinplan.accounts.record_sign_in")
