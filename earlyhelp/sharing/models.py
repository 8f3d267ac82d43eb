"""Sharing bases (consent, sharing without consent), need-to-know categories, information held,
break-glass access, and the disclosure log.

Rules: R-IS-1 to R-IS-13, R-CW-2, R-CW-3 (../shared/product/RULES.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.core.chain import ChainedEvent


class InformationCategory(models.Model):
    """A need-to-know category (R-IS-4, R-IS-12): configurable, seeded with the usual six.

    Information in a category is shown only to someone whose sharing basis covers the
    category and whose agency needs it; everyone else sees at most ``flag_text``.
    """

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    # Shown instead of the detail where the policy allows a flag, e.g. "Care-experienced:
    # yes, ask the lead professional" (R-IS-12). Blank: no flag, nothing at all is shown.
    flag_text = models.CharField(max_length=200, blank=True)
    # Agency types (accounts.AgencyType) whose work needs the detail.
    needed_by_agency_types = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "information categories"

    def __str__(self) -> str:
        return self.name


class InformationItem(models.Model):
    """Something an agency knows about a person, recorded so that others can see it in time.

    Without a category it is general information, shown to everyone who may see the person.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="information_items"
    )
    category = models.ForeignKey(
        InformationCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    source_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Who told us. A confidential referrer is redacted in anything shared (R-IS-5).
    referrer = models.CharField(max_length=200, blank=True)
    referrer_confidential = models.BooleanField(default=False)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return self.summary


class ConsentGiver(models.TextChoices):
    PARENT = "parent", "A parent or carer with parental responsibility"
    YOUNG_PERSON = "young_person", "The young person, judged competent to decide"


class Consent(models.Model):
    """Agreement to share, with its scope (R-IS-13). Withdrawal takes effect at once."""

    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="consents")
    given_by = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    giver_kind = models.CharField(max_length=20, choices=ConsentGiver.choices)
    # R-IS-13: a child with sufficient understanding consents for themselves; record why.
    competence_judgement = models.TextField(blank=True)
    covers_people = models.ManyToManyField("people.Person", related_name="consents_covering")
    categories = models.ManyToManyField(InformationCategory, blank=True, related_name="+")
    organisations = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="consents"
    )
    # Agency types it covers are rows of ConsentAgencyType, so the policy can filter on them
    # in SQL on both databases.
    purpose = models.CharField(max_length=500)
    starts_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("starts_on")),
                name="consent_expires_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["family", "withdrawn_at"], name="consent_family")]

    def __str__(self) -> str:
        return f"Consent from {self.given_by} ({self.purpose})"


class ConsentAgencyType(models.Model):
    """A kind of agency a consent covers (every agency of that type), e.g. all GP practices."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="agency_types")
    agency_type = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consent", "agency_type"], name="consent_agency_type")
        ]

    def __str__(self) -> str:
        return self.agency_type


class NoConsentReason(models.TextChoices):
    """R-IS-2: why sharing goes ahead without consent."""

    CANNOT_BE_GIVEN = "cannot_be_given", "Consent cannot be given"
    CANNOT_REASONABLY_BE_OBTAINED = (
        "cannot_reasonably_be_obtained",
        "Consent cannot reasonably be expected to be obtained",
    )
    WOULD_PREJUDICE_PROTECTION = (
        "would_prejudice_protection",
        "Asking would put the child's protection at risk",
    )


class LawfulBasis(models.TextChoices):
    """R-IS-8 and R-IS-9: the catalogue of bases for sharing."""

    PUBLIC_TASK_SAFEGUARDING = (
        "art6_1e_art9_2g_sch1_para18",
        "UK GDPR Art 6(1)(e) public task; Art 9(2)(g) with DPA 2018 Sch 1 para 18 "
        "(safeguarding of children and individuals at risk)",
    )
    PUBLIC_TASK_HEALTH = (
        "art6_1e_art9_2h_sch1_para2",
        "UK GDPR Art 6(1)(e) public task; Art 9(2)(h) with DPA 2018 Sch 1 para 2 "
        "(health or social care)",
    )
    PUBLIC_TASK_EMPLOYMENT_SOCIAL_PROTECTION = (
        "art6_1e_art9_2b_sch1_para1",
        "UK GDPR Art 6(1)(e) public task; Art 9(2)(b) with DPA 2018 Sch 1 para 1 "
        "(employment, social security and social protection)",
    )
    LAW_ENFORCEMENT = (
        "dpa_part3_sch8_para4",
        "DPA 2018 Part 3 (law enforcement) with Sch 8 para 4 (safeguarding)",
    )
    CONSENT = "consent", "Consent of the person (or a parent for a child who cannot consent)"


class Regime(models.TextChoices):
    """R-IS-9: police processing for law enforcement falls under DPA 2018 Part 3."""

    UK_GDPR = "uk_gdpr", "UK GDPR and DPA 2018 Part 2"
    LAW_ENFORCEMENT = "dpa_part3", "DPA 2018 Part 3 (law enforcement)"


class NotSharingReason(models.TextChoices):
    NOT_NECESSARY = "not_necessary", "Not necessary or not proportionate for the purpose"
    NOT_RELEVANT = "not_relevant", "Not relevant to the recipient's work"
    CONSENT_REFUSED = "consent_refused", "Consent refused and no other lawful basis applies"
    # R-CW-3: once s4 of the Children's Wellbeing and Schools Act 2026 is in force, this is
    # the only reason that allows not sharing.
    MORE_DETRIMENTAL = (
        "more_detrimental_to_child",
        "Sharing would be more detrimental to the child than not sharing",
    )


class SharingDecision(models.Model):
    """A decision to share, or not to share, and why (R-IS-1). Never changed once recorded.

    A decision to share with agencies is also a sharing basis: it lets practitioners of
    those agencies see the family (and the categories it names) until ``access_until``.
    """

    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="sharing_decisions"
    )
    about_people = models.ManyToManyField("people.Person", related_name="+")
    share = models.BooleanField(help_text="True: share. False: a recorded decision not to share.")
    what = models.TextField()
    purpose = models.CharField(max_length=500)
    recipients = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="sharing_decisions"
    )
    categories = models.ManyToManyField(InformationCategory, blank=True, related_name="+")
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    no_consent_reason = models.CharField(max_length=40, choices=NoConsentReason.choices, blank=True)
    lawful_basis = models.CharField(max_length=40, choices=LawfulBasis.choices, blank=True)
    regime = models.CharField(max_length=20, choices=Regime.choices, default=Regime.UK_GDPR)
    not_sharing_reason = models.CharField(
        max_length=40, choices=NotSharingReason.choices, blank=True
    )
    reasons = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    access_until = models.DateField(null=True, blank=True)
    # R-IS-3: the family is told unless that is unsafe, and then the reason is recorded.
    unsafe_to_inform_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            # R-IS-2: sharing without consent always has a reason and a lawful basis.
            models.CheckConstraint(
                condition=models.Q(share=False)
                | models.Q(consent__isnull=False)
                | (~models.Q(no_consent_reason="") & ~models.Q(lawful_basis="")),
                name="sharing_without_consent_has_reason_and_basis",
            ),
            models.CheckConstraint(
                condition=models.Q(share=True) | ~models.Q(not_sharing_reason=""),
                name="not_sharing_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{'Share' if self.share else 'Do not share'}: {self.purpose}"


class InformFamilyTask(models.Model):
    """R-IS-3: tell the family what was shared, with whom and why."""

    decision = models.OneToOneField(
        SharingDecision, on_delete=models.CASCADE, related_name="inform_family_task"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Inform the family: {self.decision}"


class AdviceRequest(models.Model):
    """R-IS-6: "not sure" goes to the information governance lead; it never blocks a share."""

    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField()
    urgent = models.BooleanField(default=False)
    asked_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return self.question[:60]


class BreakGlassReview(models.TextChoices):
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified"


class BreakGlassGrant(models.Model):
    """Time-limited emergency access to a family, with a written reason, always reviewed."""

    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, related_name="break_glass_grants"
    )
    reason = models.TextField()
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    review = models.CharField(max_length=20, choices=BreakGlassReview.choices, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["practitioner", "expires_at"], name="break_glass_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("opened_at")),
                name="break_glass_expires_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"Break-glass by {self.practitioner} on {self.family}"


class DisclosureKind(models.TextChoices):
    SHARE = "share", "Shared with another agency"
    EXPORT = "export", "Exported"
    PRINT = "print", "Printed"
    API_READ = "api_read", "Read by a partner system"
    SUBJECT_ACCESS = "subject_access", "Disclosed to the person (subject access)"


class Disclosure(ChainedEvent):
    """The disclosure log: what left the service, to whom, for what and on what basis.

    Append-only and hash-chained like the audit log.
    """

    kind = models.CharField(max_length=20, choices=DisclosureKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    client = models.CharField(max_length=200, blank=True)
    family_id_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    person_id_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    what = models.CharField(max_length=500)
    recipient = models.CharField(max_length=300)
    purpose = models.CharField(max_length=500)
    basis = models.CharField(max_length=300)
    decision_id_ref = models.BigIntegerField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(row_hash__isnull=True), name="disclosure_unsealed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.what} to {self.recipient}"
