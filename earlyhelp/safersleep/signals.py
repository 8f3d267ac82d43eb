"""Keep each baby's mandated reviews tracked (R-HCP-1) without the people app knowing.

When a child or an unborn baby joins a family its reviews are scheduled; when a person is
saved with a date of birth (the birth recorded on the unborn baby's own row) its open reviews
are counted from the birth. Both are idempotent and cheap when nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from earlyhelp.people.models import FamilyMember, Person
from earlyhelp.safersleep import services


@receiver(post_save, sender=FamilyMember, dispatch_uid="safersleep_member_joined")
def member_joined(sender: type, instance: FamilyMember, created: bool, **kwargs: Any) -> None:
    if (
        created
        and instance.left_on is None
        and instance.relationship in services.BABY_RELATIONSHIPS
        and not kwargs.get("raw")
    ):
        services.contacts_schedule(person=instance.person, today=timezone.localdate())


@receiver(post_save, sender=Person, dispatch_uid="safersleep_person_saved")
def person_saved(sender: type, instance: Person, created: bool, **kwargs: Any) -> None:
    if not created and not kwargs.get("raw") and instance.date_of_birth is not None:
        services.contacts_reschedule(person=instance)
