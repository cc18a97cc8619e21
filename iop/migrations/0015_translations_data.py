"""The content's English words move into their ``*_en`` columns (django-modeltranslation
reads them from there), and the shipped reference rows get their Spanish words
(iop/data/reference_es.json). Spanish already written by staff is kept."""

import json
from pathlib import Path

from django.db import migrations
from django.db.models import F, Q

SPANISH = Path(__file__).resolve().parents[1] / "data" / "reference_es.json"

# As registered in iop/translation.py when this migration was written.
FIELDS = {
    "LevelOfCare": ("name", "summary", "description", "hours_note", "setting", "who_it_fits",
                    "relative_cost"),
    "Service": ("name", "description"),
    "Population": ("name",),
    "PaymentOption": ("name",),
    "Accreditation": ("name", "description"),
    "Language": ("name",),
    "Program": ("summary", "description", "accepting_note"),
    "ProgramService": ("note",),
    "Location": ("note",),
    "CrisisResource": ("name", "description"),
}
# reference_es.json part -> (model, the field its keys name)
PARTS = {
    "levels": ("LevelOfCare", "code"),
    "services": ("Service", "slug"),
    "populations": ("Population", "slug"),
    "payment_options": ("PaymentOption", "slug"),
    "accreditations": ("Accreditation", "slug"),
    "languages": ("Language", "code"),
    "crisis_resources": ("CrisisResource", "slug"),
}


def english_copy(apps, schema_editor):
    for name, fields in FIELDS.items():
        model = apps.get_model("iop", name)
        for field in fields:
            model.objects.filter(Q(**{f"{field}_en__isnull": True}) | Q(**{f"{field}_en": ""})
                                 ).update(**{f"{field}_en": F(field)})


def spanish_add(apps, schema_editor):
    data = json.loads(SPANISH.read_text(encoding="utf-8"))
    for part, (name, key) in PARTS.items():
        model = apps.get_model("iop", name)
        for code, words in data.get(part, {}).items():
            for field, text in words.items():
                if field in FIELDS[name] and text:
                    model.objects.filter(**{key: code}).filter(
                        Q(**{f"{field}_es__isnull": True}) | Q(**{f"{field}_es": ""})
                    ).update(**{f"{field}_es": text})


class Migration(migrations.Migration):

    dependencies = [
        ("iop", "0014_translation_fields"),
    ]

    operations = [
        migrations.RunPython(english_copy, migrations.RunPython.noop),
        migrations.RunPython(spanish_add, migrations.RunPython.noop),
    ]
