"""Staff roles (DESIGN §7): each group has only the permissions its work needs.

- Content editor: programs, their locations and services, the services list, level-of-care
  texts (the guide pages), lookups, crisis lines; can read their change history.
- Clinical reviewer: the screening rules (questionnaire versions, steps, questions, options,
  requirements, severity bands, flags), the test cases, publishing, and outcome statistics.

Permissions are created here first, so this works on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("add", "change", "delete", "view")

ROLES = {
    "Content editor": {
        "iop": {
            "program": CRUD,
            "location": CRUD,
            "programservice": CRUD,
            "service": CRUD,
            "crisisresource": CRUD,
            "levelofcare": ("change", "view"),
            "population": ("add", "change", "view"),
            "paymentoption": ("add", "change", "view"),
            "accreditation": ("add", "change", "view"),
            "language": ("add", "change", "view"),
            "historicalprogram": ("view",),
            "historicallocation": ("view",),
            "historicalprogramservice": ("view",),
            "historicalservice": ("view",),
            "historicalcrisisresource": ("view",),
            "historicallevelofcare": ("view",),
        },
    },
    "Clinical reviewer": {
        "screening": {
            "questionnaire": (*CRUD, "publish"),
            "step": CRUD,
            "question": CRUD,
            "option": CRUD,
            "requirement": CRUD,
            "severityband": CRUD,
            "flag": CRUD,
            "screeningtestcase": CRUD,
            "screeningoutcome": ("view",),
            "historicalquestionnaire": ("view",),
            "historicalstep": ("view",),
            "historicalquestion": ("view",),
            "historicaloption": ("view",),
            "historicalrequirement": ("view",),
            "historicalseverityband": ("view",),
            "historicalflag": ("view",),
            "historicalscreeningtestcase": ("view",),
        },
        "iop": {"levelofcare": ("view",), "service": ("view",)},
    },
}


def _codename(action: str, model: str) -> str:
    return "publish_questionnaire" if action == "publish" else f"{action}_{model}"


def roles_create(apps, schema_editor):
    db = schema_editor.connection.alias
    for label in ("iop", "screening"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True  # migration app configs have none; permissions need it
        create_permissions(app_config, verbosity=0, using=db, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, apps_models in ROLES.items():
        group, _created = Group.objects.using(db).get_or_create(name=name)
        permissions = []
        for app_label, models in apps_models.items():
            for model, actions in models.items():
                for action in actions:
                    permissions.append(Permission.objects.using(db).get(
                        content_type__app_label=app_label,
                        content_type__model=model,
                        codename=_codename(action, model),
                    ))
        group.permissions.set(permissions)


def roles_delete(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("iop", "0005_history"),
        ("screening", "0003_history"),
    ]

    operations = [migrations.RunPython(roles_create, roles_delete)]
