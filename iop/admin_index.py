"""The staff admin's index and sidebar, grouped by task instead of by Django app.

Staff look for "the listings" or "the screening rules", not for "iop" or "axes". Each group
lists its models in the order of the work; a model of an app not named here lands in the
group of its app, or under "Other" at the end. Audit-history models (read-only lists of
"historical" rows) are reached from an object's History button, not from the index.
"""

from django.utils.translation import gettext_lazy as _

# (key, title, models in order); "app_label.model_name".
TASK_GROUPS = [
    ("listings", _("Listings"), [
        "iop.program", "reports.listingreport", "iop.location", "iop.service",
        "iop.population", "iop.paymentoption", "iop.language", "iop.accreditation",
    ]),
    ("screening-rules", _("Screening rules"), [
        "screening.questionnaire", "screening.question", "screening.rule", "screening.score",
        "screening.requirement", "screening.severityband", "screening.flag",
        "screening.screeningtestcase", "screening.screeningoutcome",
    ]),
    ("site-texts", _("Site texts"), ["iop.levelofcare", "iop.crisisresource"]),
    ("people-security", _("People and security"), [
        "auth.user", "auth.group", "otp_totp.totpdevice", "axes.accessattempt",
        "axes.accessfailurelog", "axes.accesslog",
    ]),
]
APP_GROUPS = {
    "iop": "listings", "reports": "listings", "hsds": "listings", "import_export": "listings",
    "screening": "screening-rules",
    "auth": "people-security", "axes": "people-security", "otp_totp": "people-security",
    "django_otp": "people-security",
}
OTHER = ("other", _("Other"))

# Plain names for third-party models whose own names are codes or jargon.
MODEL_NAMES = {
    "otp_totp.totpdevice": _("Authenticator apps (everyone’s)"),
    "axes.accessattempt": _("Paused sign-ins (wrong passwords)"),
    "axes.accessfailurelog": _("Failed sign-ins"),
    "axes.accesslog": _("Sign-in log"),
}


def _key(app_label: str, model: dict) -> str:
    return f"{app_label}.{model['object_name'].lower()}"


def _visible_models(app: dict) -> list[dict]:
    models = []
    for model in app["models"]:
        if model["object_name"].startswith("Historical"):
            continue
        name = MODEL_NAMES.get(_key(app["app_label"], model))
        models.append({**model, "name": name} if name else model)
    return models


def app_list_plain(app_list: list[dict]) -> list[dict]:
    """Django's per-app list (an app's own index page), without history models and with
    plain model names."""
    result = []
    for app in app_list:
        models = _visible_models(app)
        if models:
            result.append({**app, "models": models})
    return result


def app_list_by_task(app_list: list[dict]) -> list[dict]:
    """Django's per-app list regrouped by task (the index and the sidebar)."""
    order = {key: (g, i) for g, (_k, _t, keys) in enumerate(TASK_GROUPS)
             for i, key in enumerate(keys)}
    group_keys = [key for key, _title, _models in TASK_GROUPS]
    buckets: dict[str, list[tuple]] = {key: [] for key in [*group_keys, OTHER[0]]}
    for app in app_list:
        for model in _visible_models(app):
            key = _key(app["app_label"], model)
            if key in order:
                group_index, position = order[key]
                group = group_keys[group_index]
            else:
                group, position = APP_GROUPS.get(app["app_label"], OTHER[0]), len(order)
            buckets[group].append((position, str(model["name"]).lower(), model, app))
    titles = {key: title for key, title, _models in TASK_GROUPS} | {OTHER[0]: OTHER[1]}
    result = []
    for group, rows in buckets.items():
        if not rows:
            continue
        rows.sort(key=lambda row: row[:2])
        result.append({
            "name": titles[group],
            "app_label": group,
            "app_url": "",  # a task group has no page of its own
            "has_module_perms": True,
            "models": [{**model, "app_label": app["app_label"]} for *_r, model, app in rows],
        })
    return result
