"""The team around the family. (The plan, the lead professional and reviews build on this.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TeamAroundFamilyMember(models.Model):
    """A practitioner in the team around a family: one of the sharing policy's access routes."""

    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="team_members"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    role_in_team = models.CharField(max_length=200, blank=True)
    # R-WT-5: exactly one lead professional at a time; the constraint below holds it.
    is_lead_professional = models.BooleanField(default=False)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["family", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "practitioner"],
                condition=models.Q(left_on__isnull=True),
                name="team_member_once_per_family",
            ),
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(is_lead_professional=True, left_on__isnull=True),
                name="one_lead_professional_per_family",
            ),
        ]
        indexes = [models.Index(fields=["practitioner", "left_on"], name="team_member_open")]

    def __str__(self) -> str:
        return f"{self.practitioner} in the team around {self.family}"


class LeadProfessionalHandover(models.Model):
    """One naming or hand-over of the lead professional role (R-WT-5): who from, who to, when, why.

    ``from_member`` is empty the first time a lead professional is named; ``to_member`` is
    empty when the role was ended without a successor. The family's say is kept with it.
    """

    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="lead_professional_handovers"
    )
    from_member = models.ForeignKey(
        TeamAroundFamilyMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_member = models.ForeignKey(
        TeamAroundFamilyMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    family_view = models.TextField()
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Lead professional hand-over for {self.family}"
