"""Example retention rules from local schedules (R-RET-1), marked as examples to configure.

No national retention period for early help records was found (RULES.md R-RET-1: the IRMS
figure is unverified), so these are other councils' published periods for comparable
children's records. The partnership must confirm or replace each one (a new version, on the
retention page) before destroying anything under it. Adults known only as adults have no
rule: their records are kept until the partnership configures one.
"""

from django.db import migrations

EXAMPLES = [
    (
        "care_experienced",
        "date_of_birth",
        75,
        "EXAMPLE TO CONFIGURE. Care leavers' records kept to the 75th birthday in local "
        "retention schedules (Derbyshire, Blackpool, Devon: RULES.md S101, S103-S105). Looked-"
        "after children's case records must be kept to the 75th birthday, or 15 years after "
        "death if they died before 18 (Care Planning, Placement and Case Review (England) "
        "Regulations 2010 reg 50: RULES.md S102). R-RET-1.",
    ),
    (
        "childrens_social_care",
        "last_action",
        35,
        "EXAMPLE TO CONFIGURE. Child protection records kept 35 years after the last contact "
        "in local retention schedules (RULES.md S101, S103-S105). This service cannot tell a "
        "child protection case from a child in need case (local example: to 18, then 3 years "
        "of inactivity), so the longer period applies to anyone children's social care was "
        "involved with. R-RET-1.",
    ),
    (
        "known_as_child",
        "date_of_birth",
        25,
        "EXAMPLE TO CONFIGURE. Children's records kept to the 25th birthday by default in "
        "local retention schedules (RULES.md S101, S103-S105); an unborn baby's counts from "
        "the expected date of delivery. R-RET-1.",
    ),
]


def seed(apps, schema_editor):
    rule = apps.get_model("records", "RetentionRule")
    for record_class, trigger, years, basis in EXAMPLES:
        if not rule.objects.filter(record_class=record_class).exists():
            rule.objects.create(
                record_class=record_class,
                trigger=trigger,
                period_years=years,
                basis=basis,
                is_example=True,
                version=1,
            )


def unseed(apps, schema_editor):
    apps.get_model("records", "RetentionRule").objects.filter(
        is_example=True, version=1, recorded_by__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("records", "0001_subject_access_retention_legal_holds")]

    operations = [migrations.RunPython(seed, unseed)]
