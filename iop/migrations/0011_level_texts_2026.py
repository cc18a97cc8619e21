"""Corrected level-of-care texts (iop/data/level_texts.json): partial hospitalization
described as the structured day program it is, medically managed withdrawal saying that
medication for opioid use disorder can start there and continue after, US spelling."""

import json
from pathlib import Path

from django.db import migrations

TEXTS = Path(__file__).resolve().parents[1] / "data" / "level_texts.json"
FIELDS = ("summary", "description", "who_it_fits")


def load(apps, schema_editor):
    LevelOfCare = apps.get_model("iop", "LevelOfCare")
    for code, texts in json.loads(TEXTS.read_text("utf-8")).items():
        LevelOfCare.objects.filter(code=code).update(
            **{field: value for field, value in texts.items() if field in FIELDS}
        )


class Migration(migrations.Migration):
    dependencies = [("iop", "0010_levelofcare_step_down_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
