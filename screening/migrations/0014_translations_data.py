"""The questionnaire's English words move into their ``*_en`` columns (django-modeltranslation
reads them from there), and the shipped version 2 gets its Spanish words
(screening/data/questionnaire_v2_es.json) in place: words only, so its rules and its test
cases are unchanged. Only the version migration 0009 published gets them (recognised by its
notes); drafts copied from it keep what they have."""

import json

from django.db import migrations
from django.db.models import F, Q

from screening.documents import DATA_DIR
from screening.translations import translations_apply

# As registered in screening/translation.py when this migration was written.
FIELDS = {
    "Step": ("title", "intro"),
    "Flag": ("name", "note"),
    "Requirement": ("name", "help_text"),
    "Question": ("text", "help_text", "error_message"),
    "Option": ("label", "explanation"),
    "Score": ("name", "help_text"),
    "ScoreBand": ("label", "meaning"),
    "Rule": ("name", "explanation"),
}


def english_copy(apps, schema_editor):
    for name, fields in FIELDS.items():
        model = apps.get_model("screening", name)
        for field in fields:
            model.objects.filter(Q(**{f"{field}_en__isnull": True}) | Q(**{f"{field}_en": ""})
                                 ).update(**{f"{field}_en": F(field)})


def spanish_add(apps, schema_editor):
    v2 = json.loads((DATA_DIR / "questionnaire_v2.json").read_text(encoding="utf-8"))
    words = json.loads((DATA_DIR / "questionnaire_v2_es.json").read_text(encoding="utf-8"))
    words = {key: value for key, value in words.items() if key not in ("language", "version")}
    Questionnaire = apps.get_model("screening", "Questionnaire")
    for questionnaire in Questionnaire.objects.filter(status="published", notes=v2["notes"]):
        translations_apply(questionnaire, {"es": words}, models=apps)


class Migration(migrations.Migration):

    dependencies = [
        ("screening", "0013_translation_fields"),
    ]

    operations = [
        migrations.RunPython(english_copy, migrations.RunPython.noop),
        migrations.RunPython(spanish_add, migrations.RunPython.noop),
    ]
