"""The six need-to-know categories every partnership starts with (R-IS-4, R-IS-12).

Partnerships change the list, the flags and which agencies need each category as data.
"""

from django.db import migrations

CATEGORIES = [
    (
        "care_history",
        "Care history",
        "Care-experienced: yes, ask the lead professional",
        [
            "childrens_social_care",
            "early_help",
            "family_nurse_partnership",
            "health_visiting",
            "midwifery",
        ],
    ),
    (
        "mental_health",
        "Mental health",
        "",
        [
            "adult_mental_health",
            "camhs",
            "childrens_social_care",
            "family_nurse_partnership",
            "gp_practice",
            "health_visiting",
            "midwifery",
        ],
    ),
    (
        "sexual_health",
        "Sexual health",
        "",
        ["family_nurse_partnership", "gp_practice", "midwifery"],
    ),
    (
        "domestic_abuse",
        "Domestic abuse",
        "Domestic abuse is known: speak to the lead professional before a home visit",
        [
            "childrens_social_care",
            "domestic_abuse",
            "early_help",
            "family_nurse_partnership",
            "health_visiting",
            "housing",
            "midwifery",
            "police",
        ],
    ),
    (
        "criminal_intelligence",
        "Criminal and police intelligence",
        "",
        ["childrens_social_care", "police"],
    ),
    (
        "substance_use",
        "Substance use",
        "",
        [
            "adult_mental_health",
            "childrens_social_care",
            "family_nurse_partnership",
            "gp_practice",
            "health_visiting",
            "midwifery",
            "substance_misuse",
        ],
    ),
]


def seed(apps, schema_editor):
    category = apps.get_model("sharing", "InformationCategory")
    for code, name, flag, agency_types in CATEGORIES:
        category.objects.update_or_create(
            code=code,
            defaults={"name": name, "flag_text": flag, "needed_by_agency_types": agency_types},
        )


def unseed(apps, schema_editor):
    apps.get_model("sharing", "InformationCategory").objects.filter(
        code__in=[c[0] for c in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_sharing_bases_categories_break_glass_disclosures")]

    operations = [migrations.RunPython(seed, unseed)]
