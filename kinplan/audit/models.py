"""Append-only history of every change, and a log of every view of a child's record.

Each is a hash chain (see chain.py): an entry's `chain_hash` covers its content and the entry before it, so an
entry changed, removed or slipped in afterwards shows when `manage.py audit_verify` walks the chain. Rows are
written only by the writers in services.py and never updated or deleted, except by redaction for erasure
(`audit_redact`), which blanks the content but keeps the links. On PostgreSQL, triggers enforce the same
(migration 0004).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(RuntimeError):
    """An attempt to change or delete a history or access-log entry."""


REFUSAL = "%s entries are append-only: they are never changed or deleted (erasure uses audit_redact)."


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses the bulk update and delete a queryset offers; `_redact` is the redaction service's own door."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(REFUSAL % self.model.__name__)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(REFUSAL % self.model.__name__)

    def _redact(self, **kwargs: Any) -> int:
        """Only for kinplan.audit.services.audit_redact / record_view_redact."""
        return super().update(**kwargs)


class AppendOnlyModel(models.Model):
    """A row that is written once and then only read."""

    seq = models.PositiveBigIntegerField(unique=True, editable=False)  # place in the chain: 1, 2, 3, … no gaps
    content_digest = models.CharField(max_length=64, editable=False)  # sha256 of the content (chain.py)
    chain_hash = models.CharField(max_length=64, editable=False)  # sha256 of the entry before + seq + digest
    redacted_at = models.DateTimeField(null=True, blank=True, editable=False)  # content blanked for erasure

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(REFUSAL % type(self).__name__)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(REFUSAL % type(self).__name__)


class AuditEvent(AppendOnlyModel):
    """One change: who, when, what, and each field's before/after."""

    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    event = models.CharField(max_length=100)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=300)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at"], name="audit_event_case_at"),
            models.Index(fields=["target_type", "target_id"], name="audit_event_target"),
            models.Index(fields=["actor", "-seq"], name="audit_event_actor_seq"),
            models.Index(fields=["event", "-seq"], name="audit_event_event_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.event} {self.target_label}"


class RecordView(AppendOnlyModel):
    """One view of a child's record (a case page, a person page or an API read)."""

    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=10, default="web")  # web or api
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at"], name="audit_view_case_at"),
            models.Index(fields=["user", "-seq"], name="audit_view_user_seq"),
            models.Index(fields=["person", "-seq"], name="audit_view_person_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} viewed case {self.case_id} person {self.person_id}"


class AuditChainHead(models.Model):
    """The last link of a chain ("history" or "access"): writers lock it, so concurrent writers make one chain."""

    name = models.CharField(max_length=20, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    chain_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.name
