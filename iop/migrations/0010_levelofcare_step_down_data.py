"""Each level's usual next step (DESIGN §6 rule 6): IOP after residential care and after
medically managed withdrawal. It used to be a constant in the screening code."""

from django.db import migrations

STEP_DOWN = {"residential": "iop", "withdrawal_management": "iop"}


def load(apps, schema_editor):
    LevelOfCare = apps.get_model("iop", "LevelOfCare")
    levels = {level.code: level for level in LevelOfCare.objects.all()}
    for code, after in STEP_DOWN.items():
        if code in levels and after in levels:
            LevelOfCare.objects.filter(pk=levels[code].pk).update(step_down=levels[after])


def unload(apps, schema_editor):
    apps.get_model("iop", "LevelOfCare").objects.update(step_down=None)


class Migration(migrations.Migration):
    dependencies = [("iop", "0009_levelofcare_step_down")]
    operations = [migrations.RunPython(load, unload)]
