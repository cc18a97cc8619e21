"""Fill the new fields for version 1 from its frozen document (screening/data/
questionnaire_v1.json): age ranges on the age answers, the optional matching questions, the
test cases belonging to version 1, and the flags' kinds of note and matching hints. Nothing
that decides a version 1 result changes."""

import json
from pathlib import Path

from django.db import migrations

DOCUMENT = Path(__file__).resolve().parents[1] / "data" / "questionnaire_v1.json"


def load(apps, schema_editor):
    document = json.loads(DOCUMENT.read_text("utf-8"))
    Questionnaire = apps.get_model("screening", "Questionnaire")
    Option = apps.get_model("screening", "Option")
    Flag = apps.get_model("screening", "Flag")
    TestCase = apps.get_model("screening", "ScreeningTestCase")
    Service = apps.get_model("iop", "Service")
    Population = apps.get_model("iop", "Population")

    for order, data in enumerate(document["flags"]):
        flag = Flag.objects.filter(key=data["key"]).first()
        if flag is None:
            continue
        flag.note_kind = data["note_kind"]
        flag.order = order
        flag.rank_features = data["rank_features"]
        flag.save()
        flag.rank_services.set(Service.objects.filter(slug__in=data["rank_services"]))
        flag.rank_populations.set(Population.objects.filter(slug__in=data["rank_populations"]))

    v1 = Questionnaire.objects.filter(version=document["version"]).first()
    if v1 is None:
        TestCase.objects.filter(questionnaire__isnull=True).delete()
        return
    Questionnaire.objects.filter(pk=v1.pk).update(extras=document["extras"])
    for question in document["questions"]:
        for option in question["options"]:
            if option["age_min"] is not None or option["age_max"] is not None:
                Option.objects.filter(
                    question__questionnaire=v1, question__key=question["key"],
                    value=option["value"],
                ).update(age_min=option["age_min"], age_max=option["age_max"])
    # Every test case so far was written for version 1.
    TestCase.objects.filter(questionnaire__isnull=True).update(questionnaire=v1)


def unload(apps, schema_editor):
    apps.get_model("screening", "ScreeningTestCase").objects.update(questionnaire=None)
    Flag = apps.get_model("screening", "Flag")
    Flag.rank_services.through.objects.all().delete()
    Flag.rank_populations.through.objects.all().delete()
    Flag.objects.update(note_kind="", order=0, rank_features=[])


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0006_questionnaire_v2_schema"),
        ("iop", "0010_levelofcare_step_down_data"),
    ]
    operations = [migrations.RunPython(load, unload)]
