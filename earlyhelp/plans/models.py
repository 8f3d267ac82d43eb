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
