"""API credentials for machine clients and practitioners, and idempotent-write records."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    """What a token may do. The sharing policy still decides which records it reaches."""

    PEOPLE_READ = "people:read", "Read people, families and involvements"
    PEOPLE_WRITE = "people:write", "Record and change people, families and involvements"
    SEARCH = "search", "Search for people"
    SHARING_READ = "sharing:read", "Read consents and sharing decisions"
    SHARING_WRITE = "sharing:write", "Record and withdraw consent, record decisions, ask advice"
    ASSESSMENTS_READ = (
        "assessments:read",
        "Read requests for support, assessments, levels of need and safer sleep",
    )
    ASSESSMENTS_WRITE = (
        "assessments:write",
        "Request support, decide at the front door, assess, decide levels, record safer sleep",
    )


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 hash is kept; the token itself is shown once.

    The token acts as its user: a practitioner, or a machine-client account that belongs to a
    "Systems" team of its agency, so the sharing policy applies to it as that agency.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    label = models.CharField(max_length=200)
    # The first characters of the token, to recognise it in lists and logs; not a secret.
    prefix = models.CharField(max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix}…)"

    def is_usable(self, now: datetime.datetime) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or now < self.expires_at


class IdempotencyRecord(models.Model):
    """The answer to a POST sent with an Idempotency-Key, kept for a day for replays."""

    # Whose key: "token:<id>" or "user:<id>" (a browser session). Keys never cross clients.
    client = models.CharField(max_length=100)
    key = models.CharField(max_length=200)
    # SHA-256 of method, path and body: the same key with a different request is refused.
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="idempotency_client_key"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.key}"
