"""The threshold framework as loaded (R-WT-2) and levels-of-need decisions (R-LON-1, R-LON-2).

A framework version, its levels, domains and indicators never change once loaded: a new
version is loaded beside it, and every decision keeps the version it was made under, so
loading a new framework never changes a past decision. Decisions are never edited either: a
new decision follows the last one, stepping up or down (with a handover) or staying.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from earlyhelp.levels.rules import DIRECTION_LABELS, Direction


class FrameworkImmutable(Exception):
    """A loaded threshold framework, and a recorded decision, are never changed."""


class _Immutable(models.Model):
    """Written once; changing or deleting raises FrameworkImmutable."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise FrameworkImmutable(f"{self._meta.verbose_name} cannot be changed once saved")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FrameworkImmutable(f"{self._meta.verbose_name} cannot be deleted")


class ThresholdFramework(_Immutable):
    """One version of a partnership's threshold document, with its sign-off (R-WT-2)."""

    partnership = models.CharField(max_length=200)
    version = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    in_force_from = models.DateField()
    derived_items_enabled = models.BooleanField(default=False)
    # The cumulative-concern rule (rules.level_suggest, step 4).
    cumulative_enabled = models.BooleanField(default=True)
    cumulative_min_indicators = models.PositiveSmallIntegerField(default=3)
    cumulative_min_domains = models.PositiveSmallIntegerField(default=2)
    cumulative_from_level = models.CharField(max_length=30)
    cumulative_up_to_level = models.CharField(max_length=30)
    cumulative_description = models.TextField(blank=True)
    # The file exactly as loaded, and its fingerprint.
    document = models.JSONField()
    document_sha256 = models.CharField(max_length=64)
    signed_off_by = models.CharField(max_length=200)
    signed_off_role = models.CharField(max_length=200)
    signed_off_on = models.DateField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-in_force_from", "-loaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "version"], name="levels_framework_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: levels of need version {self.version}"


class FrameworkLevel(_Immutable):
    framework = models.ForeignKey(
        ThresholdFramework, on_delete=models.PROTECT, related_name="levels"
    )
    code = models.CharField(max_length=30)
    rank = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    typical_response = models.TextField(blank=True)
    sources = models.JSONField(default=list)

    class Meta:
        ordering = ["framework", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="levels_level_code_unique"),
            models.UniqueConstraint(fields=["framework", "rank"], name="levels_level_rank_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class FrameworkDomain(_Immutable):
    framework = models.ForeignKey(
        ThresholdFramework, on_delete=models.PROTECT, related_name="domains"
    )
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="levels_domain_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class FrameworkIndicator(_Immutable):
    framework = models.ForeignKey(
        ThresholdFramework, on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField(max_length=30)
    domain = models.ForeignKey(FrameworkDomain, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(FrameworkLevel, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=500)
    guidance = models.TextField(blank=True)
    sources = models.JSONField(default=list)
    tags = models.JSONField(default=list)
    # Who may read a decision's use of this indicator follows the sharing policy (R-IS-12).
    category = models.ForeignKey(
        "sharing.InformationCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sets_level = models.BooleanField(default=True)
    derived = models.BooleanField(default=False)
    in_use = models.BooleanField(default=True)
    implies = models.JSONField(default=list)
    escalates_to = models.JSONField(default=list)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="levels_indicator_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"


DIRECTION_CHOICES = [(d.value, DIRECTION_LABELS[d]) for d in Direction]


class LevelDecision(_Immutable):
    """A recorded levels-of-need decision about a family, or one of its members (R-LON-1).

    The indicators support the decision and never set it: the suggestion and its reasons are
    kept beside the level the practitioner decided, with their rationale, under the framework
    version in force. Stepping up or down from the previous decision records the handover
    and the practitioner receiving the family (R-LON-2).
    """

    family = models.ForeignKey(
        "people.Family", on_delete=models.PROTECT, related_name="level_decisions"
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="level_decisions",
    )
    framework = models.ForeignKey(
        ThresholdFramework, on_delete=models.PROTECT, related_name="decisions"
    )
    suggested_level = models.ForeignKey(FrameworkLevel, on_delete=models.PROTECT, related_name="+")
    # rules.Reason.as_json() for each line of the explanation, as shown when deciding.
    suggestion_reasons = models.JSONField(default=list)
    decided_level = models.ForeignKey(FrameworkLevel, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next"
    )
    direction = models.CharField(max_length=10, choices=DIRECTION_CHOICES)
    handover = models.TextField(blank=True)
    receiving_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="level_handovers_received",
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["family", "-decided_at"], name="levels_decision_family")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(rationale=""), name="levels_decision_rationale_required"
            ),
            # R-LON-2: a step up or down has its handover and receiving practitioner.
            models.CheckConstraint(
                condition=~models.Q(direction__in=["up", "down"])
                | (~models.Q(handover="") & models.Q(receiving_practitioner__isnull=False)),
                name="levels_decision_step_has_handover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_id}: {self.decided_level_id} ({self.direction})"

    @property
    def differs_from_suggestion(self) -> bool:
        return self.decided_level_id != self.suggested_level_id

    @property
    def is_step(self) -> bool:
        return self.direction in {Direction.UP, Direction.DOWN}


class LevelDecisionIndicator(_Immutable):
    """An indicator a decision rests on: recorded by the practitioner, or implied by one.

    Carries the person it is about (the decision's person, if any), the need-to-know category
    and the agency that recorded it, so reads can apply sharing.policies.category_readable.
    """

    decision = models.ForeignKey(LevelDecision, on_delete=models.PROTECT, related_name="indicators")
    indicator = models.ForeignKey(FrameworkIndicator, on_delete=models.PROTECT, related_name="+")
    implied_by = models.CharField(max_length=30, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(
        "sharing.InformationCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["decision", "indicator__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "indicator"], name="levels_decision_indicator_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.indicator_id}"
