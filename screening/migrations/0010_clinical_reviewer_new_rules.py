"""Give the "Clinical reviewer" role the rule models questionnaire version 2 added (DESIGN §6b,
§7): scores and their bands, combination rules and their conditions (which are also the
"shown only when" conditions of questions), and reading their change history.

Content editors get nothing here: the screening rules are not their work. Permissions are
created first, so this works on a fresh database (as in 0004_staff_roles).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Clinical reviewer"
CRUD = ("add", "change", "delete", "view")
MODELS = {
    "score": CRUD,
    "scoreband": CRUD,
    "rule": CRUD,
    "clause": CRUD,
    "historicalscore": ("view",),
    "historicalscoreband": ("view",),
    "historicalrule": ("view",),
    "historicalclause": ("view",),
}


def _permissions(apps, db):
    app_config = apps.get_app_config("screening")
    app_config.models_module = True  # migration app configs have none; permissions need it
    create_permissions(app_config, verbosity=0, using=db, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(db).get(
            content_type__app_label="screening", content_type__model=model,
            codename=f"{action}_{model}",
        )
        for model, actions in MODELS.items()
        for action in actions
    ]


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.using(db).get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps, db))


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(db).filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps, db))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("screening", "0009_load_questionnaire_v2"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
