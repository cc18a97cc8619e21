"""Load the reference data: the six levels of care, the service catalogue,
populations, payment options, languages, accreditations and crisis lines.

Idempotent (keyed on code/slug), so re-running never duplicates rows.
"""

from django.db import migrations

from iop import reference_data as ref


def load(apps, schema_editor):
    LevelOfCare = apps.get_model("iop", "LevelOfCare")
    for level in ref.LEVELS:
        LevelOfCare.objects.update_or_create(
            code=level["code"],
            defaults={key: value for key, value in level.items() if key != "code"},
        )
    Service = apps.get_model("iop", "Service")
    for service in ref.SERVICES:
        Service.objects.update_or_create(
            slug=service["slug"],
            defaults={k: service[k] for k in ("name", "category", "description")},
        )
    for model_name, rows in (
        ("Population", ref.POPULATIONS),
        ("PaymentOption", ref.PAYMENT_OPTIONS),
        ("Accreditation", ref.ACCREDITATIONS),
    ):
        model = apps.get_model("iop", model_name)
        for row in rows:
            model.objects.update_or_create(
                slug=row["slug"], defaults={k: v for k, v in row.items() if k != "slug"}
            )
    Language = apps.get_model("iop", "Language")
    for row in ref.LANGUAGES:
        Language.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    CrisisResource = apps.get_model("iop", "CrisisResource")
    for row in ref.CRISIS_RESOURCES:
        CrisisResource.objects.update_or_create(
            slug=row["slug"], defaults={k: v for k, v in row.items() if k != "slug"}
        )


def unload(apps, schema_editor):
    for model_name in (
        "CrisisResource", "Language", "Accreditation", "PaymentOption", "Population",
        "Service", "LevelOfCare",
    ):
        apps.get_model("iop", model_name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("iop", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
