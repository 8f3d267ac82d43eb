"""Persons (including unborn babies), their addresses, families and agency involvement."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models

from earlyhelp.people import rules


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INDETERMINATE = "indeterminate", "Indeterminate"
    NOT_KNOWN = "not_known", "Not known"


class Person(models.Model):
    """A person known to the partnership: an adult, a child or an unborn baby.

    An unborn baby has an expected date of delivery and no date of birth; at birth the same
    record becomes the child (people.services.person_record_birth), so its history stays with it.
    The NHS number is the consistent identifier (R-CW-1).
    """

    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    # Search keys: upper-case, accents and punctuation removed (people.rules.name_key).
    given_name_key = models.CharField(max_length=100, blank=True, db_index=True)
    family_name_key = models.CharField(max_length=100, db_index=True)
    is_unborn = models.BooleanField(default=False)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_delivery = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, default=Sex.NOT_KNOWN)
    # NULL, not "", when unknown: the unique constraint applies only where a number exists.
    nhs_number = models.CharField(max_length=10, null=True, blank=True)  # noqa: DJ001
    nhs_number_source = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: a change based on an older version is refused, never merged.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"],
                condition=models.Q(nhs_number__isnull=False),
                name="person_nhs_number_unique",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        is_unborn=True,
                        date_of_birth__isnull=True,
                        expected_date_of_delivery__isnull=False,
                    )
                    | models.Q(is_unborn=False, date_of_birth__isnull=False)
                ),
                name="person_born_or_expected",
            ),
        ]
        indexes = [
            models.Index(fields=["family_name_key", "date_of_birth"], name="person_name_dob"),
            models.Index(fields=["family_name_key", "given_name_key"], name="person_names"),
            models.Index(fields=["date_of_birth"], name="person_dob"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.is_unborn and not self.given_name:
            return f"Unborn baby {self.family_name}".strip()
        return f"{self.given_name} {self.family_name}".strip()

    def age_on(self, on: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return None
        return rules.age_on(self.date_of_birth, on)

    def is_child_on(self, on: datetime.date) -> bool:
        """R-WT-9: anyone under 18 (including a parent under 18) is a child in their own right."""
        return self.is_unborn or rules.is_child(self.date_of_birth, on)


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    given_name_key = models.CharField(max_length=100, blank=True)
    family_name_key = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "person aliases"

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class SearchName(models.Model):
    """Each distinct name key once, so fuzzy matching scans names, not people.

    On PostgreSQL a trigram index (migration 0002, PostgreSQL only) makes a typo search over
    this small table fast; the matches are then joined to persons through the btree indexes
    on the name keys (platform notes).
    """

    value = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.value


class AccommodationType(models.TextChoices):
    OWNER_OCCUPIED = "owner_occupied", "Owner occupied"
    SOCIAL_RENT = "social_rent", "Social rented"
    PRIVATE_RENT = "private_rent", "Private rented"
    WITH_FAMILY = "with_family", "Living with family or friends"
    SUPPORTED = "supported", "Supported accommodation"
    TEMPORARY = "temporary", "Temporary accommodation"
    BED_AND_BREAKFAST = "bed_and_breakfast", "Bed and breakfast"
    HOSTEL = "hostel", "Hostel or refuge"
    NO_FIXED_ABODE = "no_fixed_abode", "No fixed abode"
    OTHER = "other", "Other"


class Address(models.Model):
    """One address in a person's history. The current address has no moved-out date."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, db_index=True)
    local_authority = models.CharField(max_length=100)
    inside_partnership_area = models.BooleanField(default=True)
    accommodation_type = models.CharField(
        max_length=30, choices=AccommodationType.choices, default=AccommodationType.OTHER
    )
    moved_in_on = models.DateField()
    moved_out_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-moved_in_on"]
        verbose_name_plural = "addresses"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(moved_out_on__isnull=True)
                | models.Q(moved_out_on__gte=models.F("moved_in_on")),
                name="address_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_1}, {self.town} {self.postcode}"


class Family(models.Model):
    """A household: the people who live together or care for the children."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "families"
        indexes = [models.Index(fields=["name", "id"], name="family_name_order")]

    def __str__(self) -> str:
        return self.name


class Relationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    PARTNER_OF_PARENT = "partner_of_parent", "Partner of a parent"
    CHILD = "child", "Child"
    UNBORN_BABY = "unborn_baby", "Unborn baby"
    SIBLING = "sibling", "Sibling"
    GRANDPARENT = "grandparent", "Grandparent"
    OTHER_CARER = "other_carer", "Other carer"


PARENT_RELATIONSHIPS = frozenset(
    {Relationship.MOTHER, Relationship.FATHER, Relationship.PARTNER_OF_PARENT}
)


class FamilyMember(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="family_members")
    relationship = models.CharField(max_length=30, choices=Relationship.choices)
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["family", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "person"],
                condition=models.Q(left_on__isnull=True),
                name="family_member_active_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()}) in {self.family}"


class Involvement(models.Model):
    """An agency working with a person or a family: the legitimate relationship for access."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="involvements"
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="involvements"
    )
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, null=True, blank=True, related_name="involvements"
    )
    service = models.CharField(max_length=200)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, family__isnull=True)
                | models.Q(person__isnull=True, family__isnull=False),
                name="involvement_person_or_family",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="involvement_dates_in_order",
            ),
        ]
        indexes = [
            # Covering indexes for the sharing policy: which families and persons an agency
            # works with today, answered from the index alone.
            models.Index(
                fields=["organisation", "family"],
                include=["started_on", "ended_on"],
                condition=models.Q(family__isnull=False),
                name="involvement_org_family",
            ),
            models.Index(
                fields=["organisation", "person"],
                include=["started_on", "ended_on"],
                condition=models.Q(person__isnull=False),
                name="involvement_org_person",
            ),
        ]

    def __str__(self) -> str:
        subject = self.person or self.family
        return f"{self.organisation} with {subject}"
