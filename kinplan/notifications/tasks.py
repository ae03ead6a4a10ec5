"""The background jobs, on django-tasks: the database queue by default, any django-tasks backend at scale."""

from __future__ import annotations

from django_tasks import task

from kinplan.notifications import services


@task()
def run_reminders() -> dict[str, int]:
    """Issue today's reminders and send the e-mail that waits (safe to run often, and on several workers)."""
    return services.run_reminders()
