"""Practitioners, the agencies they work for, their teams and their roles."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class AgencyType(models.TextChoices):
    MIDWIFERY = "midwifery", "Midwifery"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    FAMILY_NURSE_PARTNERSHIP = "family_nurse_partnership", "Family Nurse Partnership"
    GP_PRACTICE = "gp_practice", "GP practice"
    CAMHS = "camhs", "Child and adolescent mental health services (CAMHS)"
    ADULT_MENTAL_HEALTH = "adult_mental_health", "Adult mental health"
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    EARLY_HELP = "early_help", "Early help service"
    HOUSING = "housing", "Housing"
    EDUCATION = "education", "Education"
    FAMILY_HUB = "family_hub", "Family hub or children's centre"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse service"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse service"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    FRONT_DOOR = "front_door", "Front door worker"
    HOUSING_OFFICER = "housing_officer", "Housing officer"
    IG_LEAD = "ig_lead", "Information governance lead"
    BOARD_ANALYST = "board_analyst", "Board analyst"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"


# Roles that work with families and so may hold involvements. The board analyst sees
# aggregate figures only and the system administrator manages accounts but never opens a
# family record.
CASEWORK_ROLES = frozenset(
    {Role.PRACTITIONER, Role.TEAM_MANAGER, Role.FRONT_DOOR, Role.HOUSING_OFFICER, Role.IG_LEAD}
)
# Roles that see every family in the partnership because triage is their job.
PARTNERSHIP_WIDE_ROLES = frozenset({Role.FRONT_DOOR})


class Organisation(models.Model):
    """An agency in (or working with) the partnership."""

    name = models.CharField(max_length=200, unique=True)
    agency_type = models.CharField(max_length=40, choices=AgencyType.choices)
    local_authority = models.CharField(max_length=100)
    inside_partnership_area = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a practitioner, a manager, an administrator or an analyst."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def roles(self) -> set[str]:
        return {m.role for m in self.active_memberships()}

    def active_memberships(self) -> list[Membership]:
        cached = getattr(self, "_active_memberships", None)
        if cached is None:
            cached = list(
                self.memberships.filter(ended_on__isnull=True).select_related(
                    "team", "team__organisation"
                )
            )
            self._active_memberships = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))

    def organisation_ids(self) -> set[int]:
        return {m.team.organisation_id for m in self.active_memberships()}


class Membership(models.Model):
    """A practitioner's place in a team, with the role they hold there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["team", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team", "role"],
                condition=models.Q(ended_on__isnull=True),
                name="membership_active_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.team}"
