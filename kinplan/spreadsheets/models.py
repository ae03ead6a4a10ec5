"""A file the import's dry run checked, kept until its importer confirms it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PendingImport(models.Model):
    """Kept in the database, not on one app server's disk, so whichever server answers the confirmation finds it
    (docs/scaling.md: app servers keep no files). Removed once imported, or after a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)  # SHA-256 of the file: the confirmation names the file by it
    filename = models.CharField(max_length=200)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "digest"], name="spreadsheets_pendingimport_one_per_file")
        ]

    def __str__(self) -> str:
        return self.filename
