"""Questionnaire version 2 gains a message per question for when it is left unanswered, and
two optional extra questions that only find programs: how far the person could travel and
their exact age (screening/data/questionnaire_v2_additions.json). Neither changes a level of
care, so the published version 2 takes them in place. Only the version migration 0009
published changes; drafts copied from it keep what they have.
"""

import json

from django.db import migrations, models

from screening.documents import DATA_DIR


def _v2():
    return (json.loads((DATA_DIR / "questionnaire_v2.json").read_text()),
            json.loads((DATA_DIR / "questionnaire_v2_additions.json").read_text()))


def _shipped_v2(apps, v2):
    """The version migration 0009 published (recognised by its notes, not its number)."""
    return apps.get_model("screening", "Questionnaire").objects.filter(
        status="published", notes=v2["notes"]
    )


def add(apps, schema_editor):
    v2, additions = _v2()
    texts = {question["key"]: question["text"] for question in v2["questions"]}
    Question = apps.get_model("screening", "Question")
    v2_extras = [extra["key"] for extra in v2["extras"]]
    for questionnaire in _shipped_v2(apps, v2):
        for key, message in additions["errors"].items():
            Question.objects.filter(
                questionnaire=questionnaire, key=key, text=texts[key], error_message=""
            ).update(error_message=message)
        extras = list(questionnaire.extras or [])
        if [extra.get("key") for extra in extras] != v2_extras:
            continue  # extras changed since (not possible for a published version, but safe)
        at = v2_extras.index(additions["extras_after"]) + 1
        questionnaire.extras = extras[:at] + additions["extras"] + extras[at:]
        questionnaire.save(update_fields=["extras"])


def remove(apps, schema_editor):
    v2, additions = _v2()
    new_keys = {extra["key"] for extra in additions["extras"]}
    for questionnaire in _shipped_v2(apps, v2):
        extras = [extra for extra in questionnaire.extras or [] if extra.get("key") not in new_keys]
        if extras != list(questionnaire.extras or []):
            questionnaire.extras = extras
            questionnaire.save(update_fields=["extras"])


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0011_option_values_may_start_with_a_digit'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalquestion',
            name='error_message',
            field=models.CharField(blank=True, default='', db_default='', help_text='Shown when a person goes on without answering, for example “Choose how often you drank in the past month”. Say what to do. Leave empty for a general message.', max_length=200, verbose_name='message when not answered'),
        ),
        migrations.AddField(
            model_name='question',
            name='error_message',
            field=models.CharField(blank=True, default='', db_default='', help_text='Shown when a person goes on without answering, for example “Choose how often you drank in the past month”. Say what to do. Leave empty for a general message.', max_length=200, verbose_name='message when not answered'),
        ),
        migrations.RunPython(add, remove),
    ]
