"""Content editors (the people who keep listings right) see and resolve problem reports and
read their history. Permissions are created first, so this works on a fresh database. It runs
after the migration that creates the staff roles (screening 0004), which sets each role's
permissions from scratch."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editor"
PERMISSIONS = {
    "listingreport": ("change", "delete", "view"),
    "historicallistingreport": ("view",),
}


def _permissions(apps, db):
    app_config = apps.get_app_config("reports")
    app_config.models_module = True  # migration app configs have none; permissions need it
    create_permissions(app_config, verbosity=0, using=db, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(db).get(
            content_type__app_label="reports", content_type__model=model,
            codename=f"{action}_{model}",
        )
        for model, actions in PERMISSIONS.items()
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
        ("reports", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("screening", "0004_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
