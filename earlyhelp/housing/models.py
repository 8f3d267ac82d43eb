"""Housing as a safeguarding partner: the priority policy, housing cases, the risk to the
child, placements with their suitability, approval, notice and hand-over, and duty-to-refer
referrals (R-HOU-1 to R-HOU-9, R-CL-3, R-CL-5).

Deadlines are stored (the notice's due date, the bed-and-breakfast limit); statuses such as
"overdue" are derived on read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.housing import rules


class PriorityPolicy(models.Model):
    """One signed-off version of the partnership's young-parent priority policy (R-HOU-1).

    Loaded from a checked file (``manage.py housing_priority_policy_load``) and never changed:
    each decision keeps the version it was made under.
    """

    partnership = models.CharField(max_length=200)
    version = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    in_force_from = models.DateField()
    document = models.JSONField()
    document_sha256 = models.CharField(max_length=64)
    signed_off_by = models.CharField(max_length=200)
    signed_off_role = models.CharField(max_length=200)
    signed_off_on = models.DateField()
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-in_force_from", "-loaded_at"]
        verbose_name_plural = "priority policies"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "version"], name="housing_policy_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class CaseKind(models.TextChoices):
    APPLICATION = "application", "Housing register application"
    HOMELESSNESS = "homelessness", "Homelessness case (Part 7)"


class HousingCase(models.Model):
    """A housing application or homelessness case for a family's household.

    The vulnerabilities (policy codes) can be need-to-know: ``category`` is the information
    category of the most sensitive one, and readers the sharing policy does not allow see
    only that housing holds it (R-IS-12).
    """

    family = models.ForeignKey(
        "people.Family", on_delete=models.PROTECT, related_name="housing_cases"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="housing_cases"
    )  # the applicant: the young parent
    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    reference = models.CharField(max_length=50, blank=True)
    housing_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="housing_cases"
    )
    source_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    homeless = models.BooleanField(default=False)
    pregnant = models.BooleanField(default=False)
    vulnerabilities = models.JSONField(default=list)
    category = models.ForeignKey(
        "sharing.InformationCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # R-HOU-6: a homeless 16/17-year-old is referred for a Children Act assessment first.
    children_act_referral_on = models.DateField(null=True, blank=True)
    relevant_child_or_owed_s20 = models.BooleanField(default=False)
    # R-CL-3, R-CL-5
    care_leaver = models.BooleanField(default=False)
    local_offer = models.TextField(blank=True)
    corporate_parenting = models.TextField(blank=True)
    # The priority decision (R-HOU-1, R-HOU-5), explained, with the policy it was made under.
    policy = models.ForeignKey(PriorityPolicy, on_delete=models.PROTECT, related_name="+")
    young_parent_priority = models.BooleanField(default=False)
    in_area_required = models.BooleanField(default=False)
    priority_needs = models.JSONField(default=list)
    priority_explanation = models.TextField()
    priority_decided_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["housing_officer", "closed_on"], name="housing_case_officer")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.person}"


class ChildImpactAssessment(models.Model):
    """R-HOU-8: the risk to the child, recorded apart from the risk to the tenancy."""

    case = models.ForeignKey(HousingCase, on_delete=models.CASCADE, related_name="child_impacts")
    sleeping_space = models.TextField()  # where the baby sleeps; is there a cot
    overcrowding = models.TextField(blank=True)
    distance_from_support = models.TextField(blank=True)
    isolation = models.TextField(blank=True)
    child_risk = models.CharField(max_length=10)
    tenancy_risk = models.CharField(max_length=10)
    tenancy_notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField()

    class Meta:
        ordering = ["-recorded_on", "-id"]

    def __str__(self) -> str:
        return f"Risk to the child {self.child_risk}, to the tenancy {self.tenancy_risk}"


class PlacementStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for suitability and approval"
    CONFIRMED = "confirmed", "Confirmed"
    ENDED = "ended", "Ended"


PLACEMENT_TYPE_CHOICES = list(rules.PLACEMENT_TYPE_LABELS.items())


class Placement(models.Model):
    """Where the household is placed: address, authority, in the area or not, type, dates."""

    case = models.ForeignKey(HousingCase, on_delete=models.PROTECT, related_name="placements")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, blank=True)
    local_authority = models.CharField(max_length=100)
    in_area = models.BooleanField()
    placement_type = models.CharField(max_length=30, choices=PLACEMENT_TYPE_CHOICES)
    start_on = models.DateField()
    end_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=PlacementStatus.choices)
    needs_approval = models.BooleanField(default=False)
    no_alternative_reason = models.TextField(blank=True)  # R-HOU-4
    # R-HOU-3: the Part 7 function an out-of-area placement is made under (for the notice).
    part7_function = models.CharField(max_length=10, blank=True)
    # R-HOU-4: the last day of bed and breakfast for a pregnant household or one with children.
    bed_and_breakfast_limit_on = models.DateField(null=True, blank=True)
    # R-HOU-7: a tenant under 18 holds on trust; an adult trustee, and a review at 18.
    tenant = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    under_18_tenant = models.BooleanField(default=False)
    trustee = models.CharField(max_length=200, blank=True)
    tenancy_review_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)
    confirmed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="housing_placement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=PlacementStatus.CONFIRMED, needs_approval=True)
                | models.Q(approved_by__isnull=False),
                name="housing_placement_approved_if_needed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_1}, {self.town} ({self.local_authority})"

    @property
    def address(self) -> str:
        parts = [self.line_1, self.line_2, self.town, self.postcode]
        return ", ".join(p for p in parts if p)


class SuitabilityAssessment(models.Model):
    """R-HOU-2: an out-of-area offer against the 2012 Order's location factors, and why
    nothing nearer was available."""

    placement = models.OneToOneField(
        Placement, on_delete=models.CASCADE, related_name="suitability"
    )
    distance_from_district = models.TextField()
    disruption_to_work_care_education = models.TextField()
    access_to_medical_and_support = models.TextField()
    local_services_and_transport = models.TextField()
    why_nothing_nearer = models.TextField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField()

    def __str__(self) -> str:
        return f"Suitability of placement {self.placement_id}"


class ReceivingAuthorityNotice(models.Model):
    """R-HOU-3: the s208 notice to the receiving authority, in writing within 14 days."""

    placement = models.OneToOneField(Placement, on_delete=models.PROTECT, related_name="notice")
    receiving_authority = models.CharField(max_length=100)
    part7_function = models.CharField(max_length=200)
    due_on = models.DateField()
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Notice to {self.receiving_authority}, due {self.due_on}"


class HandoverService(models.TextChoices):
    HEALTH_VISITING = "health_visiting", "Health visiting"
    FAMILY_NURSE_PARTNERSHIP = "family_nurse_partnership", "Family Nurse Partnership"
    CHILDRENS_SERVICES = "childrens_services", "Children's services (early help or social care)"


class SupportHandover(models.Model):
    """R-HOU-3 (D): the family's support handed to the receiving area's services; visible to
    the team around the family."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="handovers")
    service = models.CharField(max_length=30, choices=HandoverService.choices)
    receiving_team = models.CharField(max_length=200)
    contact = models.CharField(max_length=200, blank=True)
    handed_over_on = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["handed_over_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_service_display()}: {self.receiving_team}"


class DutyToRefer(models.Model):
    """R-HOU-9: a s213B referral with the person's consent to the housing authority they
    chose. A referral is not an application."""

    family = models.ForeignKey(
        "people.Family", on_delete=models.PROTECT, related_name="housing_referrals"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    referring_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    consent = models.BooleanField()
    chosen_authority = models.CharField(max_length=100)
    homeless_now = models.BooleanField()
    homeless_on = models.DateField(null=True, blank=True)
    referred_on = models.DateField()
    notes = models.TextField(blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent=True), name="housing_referral_needs_consent"
            )
        ]

    def __str__(self) -> str:
        return f"Duty to refer {self.person} to {self.chosen_authority}"
