"""Audit of changes and record of every look at personal data, both tamper-evident."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from earlyhelp.core.chain import ChainedEvent, ChainHead

__all__ = ["AccessAction", "AccessEvent", "AuditEvent", "ChainHead"]


class AuditEvent(ChainedEvent):
    """A change, written in the same transaction as the change it describes.

    Append-only and hash-chained (core.chain); PostgreSQL refuses UPDATE and DELETE.
    """

    # No index of its own on actor or on at: every index here is paid on every write and
    # again on every seal, so the logs keep only the indexes their readers use (the object's
    # history; a practitioner's looks by time).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
    )
    # For machine clients of the API, the client's name (the token's label).
    client = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=500, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            # The sealer looks for unsealed rows after every commit.
            models.Index(
                fields=["id"], condition=models.Q(row_hash__isnull=True), name="audit_unsealed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}"


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    DENIED = "denied", "Refused (missing or no access)"


class AccessEvent(ChainedEvent):
    """Someone looked at (or tried to look at) personal data, and the route that let them.

    Append-only and hash-chained like AuditEvent.
    """

    # No index of its own on actor or on at: every index here is paid on every write and
    # again on every seal, so the logs keep only the indexes their readers use (the object's
    # history; a practitioner's looks by time).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
    )
    client = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=AccessAction.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    # Which access route allowed it (sharing.policies.Route), empty when refused.
    route = models.CharField(max_length=40, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    path = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="access_object"),
            models.Index(fields=["actor", "at"], name="access_actor"),
            models.Index(
                fields=["id"], condition=models.Q(row_hash__isnull=True), name="access_unsealed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}"
