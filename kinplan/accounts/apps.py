from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kinplan.accounts"
    verbose_name = "Users, sites and teams"
