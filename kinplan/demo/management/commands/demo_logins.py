"""Print the demo logins, one line each, grouped by role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinplan.accounts.models import User
from kinplan.demo.data import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo users' logins."

    def handle(self, *args: Any, **options: Any) -> None:
        users = (
            User.objects.filter(email__endswith="@demo.kinplan.invalid")
            .select_related("site", "team")
            .order_by("site__name", "username")
        )
        if not users:
            self.stdout.write("No demo users: run `manage.py seed_demo` first.")
            return
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for role, label in User.Role.choices:
            names = [
                f"{u.username}{f' ({u.site.name.split()[-1]})' if u.site else ''}" for u in users if u.role == role
            ]
            if names:
                self.stdout.write(f"  {label:<28} {', '.join(names)}")
        if TOTPDevice.objects.filter(user__in=users, confirmed=True).exists():
            self.stdout.write(
                "Managers and the administrator also enter a two-factor code after the password: "
                "in the demo, the code page shows it."
            )
