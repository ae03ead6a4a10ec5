"""Shared model bases."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.encoding import force_str


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: Any) -> Any:
        """`get_<field>_display()`, translating only the label shown. Django's own makes every choice hashable
        first, and hashing a lazy label translates it: a plan page of 100 steps translated some 2,000 labels to
        show 400. Values here are strings and numbers; anything unhashable goes Django's way."""
        value = getattr(self, field.attname)
        try:
            return force_str(dict(field.flatchoices).get(value, value), strings_only=True)
        except TypeError:
            return super()._get_FIELD_display(field)  # type: ignore[misc]


class ArchivableModel(TimeStampedModel):
    """Users never hard-delete: a record is archived, and archived rows drop out of lists."""

    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class TransitionLog(models.Model):
    """An append-only record of one status change: who, when, and why. Each workflow adds the record it
    belongs to and its own `from_status` / `to_status` choices."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"  # type: ignore[attr-defined]
