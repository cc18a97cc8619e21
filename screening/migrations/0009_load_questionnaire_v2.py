"""Ship questionnaire version 2 (DESIGN §6b) as the published default.

It loads the frozen document ``screening/data/questionnaire_v2.json`` (checked against the
SHA-256 below, so a later edit of that file cannot silently change what this migration
loads) through the one document writer, `screening.documents.document_save`, with this
migration's historical models. The flags' notes and matching hints are updated from it (flags
are shared by every version; no version 1 result depends on a note). Version 1 stays published
as version 1.
"""

import hashlib

from django.db import migrations

from screening.documents import DATA_DIR

DOCUMENT = DATA_DIR / "questionnaire_v2.json"
SHA256 = "2677b614fa9a92c297b0457e68c5e554c2bd5976aced9f7b7719e96c72305f8d"


def load(apps, schema_editor):
    import json

    from screening.documents import document_save

    raw = DOCUMENT.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHA256:
        raise RuntimeError(
            f"{DOCUMENT.name} is not the frozen copy this migration ships (sha256 {digest}). "
            "Ship changed rules as a new version instead."
        )
    Questionnaire = apps.get_model("screening", "Questionnaire")
    data = json.loads(raw)
    if _shipped(Questionnaire, data).exists():
        return
    # A database where staff once copied version 1 already has a version 2 (a draft): ship
    # these rules under the next free number instead, published all the same.
    taken = Questionnaire.objects.filter(version=data["version"]).exists()
    document_save(data, version=None if taken else data["version"], publish=True,
                  update_flags=True, models=apps)


def _shipped(Questionnaire, data):
    """The version this migration published (recognised by its notes, not its number)."""
    return Questionnaire.objects.filter(status="published", notes=data["notes"])


def unload(apps, schema_editor):
    import json

    Questionnaire = apps.get_model("screening", "Questionnaire")
    versions = _shipped(Questionnaire, json.loads(DOCUMENT.read_bytes()))
    apps.get_model("screening", "Clause").objects.filter(rule__questionnaire__in=versions).delete()
    apps.get_model("screening", "Clause").objects.filter(
        shown_question__questionnaire__in=versions
    ).delete()
    apps.get_model("screening", "Option").objects.filter(
        question__questionnaire__in=versions
    ).delete()
    for name in ("Question", "Requirement", "Step", "SeverityBand", "Rule",
                 "ScreeningTestCase"):
        apps.get_model("screening", name).objects.filter(questionnaire__in=versions).delete()
    apps.get_model("screening", "Score").objects.filter(questionnaire__in=versions).delete()
    versions.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0008_test_cases_per_version"),
        ("iop", "0010_levelofcare_step_down_data"),
    ]
    operations = [migrations.RunPython(load, unload)]
