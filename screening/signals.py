"""Keep published questionnaire versions unchangeable, and the cached rules fresh.

Connected in ``ScreeningConfig.ready``.

- Many-to-many changes (the flags of an option, a score band or a combination rule; a
  requirement's levels and remedies) are refused when the row belongs to a published version,
  from either side of the relation, with the same ``ValidationError`` (code
  ``published_locked``) as ``LockedWhenPublished``.
- A service, flag or level a published version refers to cannot be deleted (that would drop
  it from the version silently; a flag counts as used by an option, a score band or a rule);
  a service's slug cannot change while a published version names it as a remedy (the rules
  refer to remedies by slug).
- The cached live rules are cleared when a service, flag or level changes.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils.translation import gettext as _

from iop.models import LevelOfCare, Service
from screening.models import (
    Flag,
    LockedWhenPublished,
    Option,
    Questionnaire,
    Requirement,
    Rule,
    ScoreBand,
)

PUBLISHED = Questionnaire.Status.PUBLISHED


def _locked_error(versions) -> ValidationError:
    return ValidationError(
        _("Version %(version)s is published and cannot be changed. Copy it to a draft."),
        code="published_locked",
        params={"version": ", ".join(str(v) for v in sorted(set(versions)))},
    )


# --------------------------------------------------------------------------- many-to-many

# through model -> (model that owns the field, its name, lookup to the version's status)
_LOCKED_M2M = {
    Option.flags.through: (Option, "flags", "question__questionnaire"),
    Requirement.applies_to.through: (Requirement, "applies_to", "questionnaire"),
    Requirement.remedies.through: (Requirement, "remedies", "questionnaire"),
    ScoreBand.flags.through: (ScoreBand, "flags", "score__questionnaire"),
    Rule.flags.through: (Rule, "flags", "questionnaire"),
}


def refuse_m2m_change_when_published(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if pk_set is not None and not pk_set:
        return  # nothing actually changes
    owner, field_name, questionnaire = _LOCKED_M2M[sender]
    if not reverse:
        instance._refuse_if_published()
        return
    # From the other side (flag.options.add(...)): the owners in pk_set, or all of them.
    rows = owner.objects.filter(**{f"{questionnaire}__status": PUBLISHED})
    rows = rows.filter(pk__in=pk_set) if pk_set is not None else rows.filter(
        **{field_name: instance}
    )
    versions = list(rows.values_list(f"{questionnaire}__version", flat=True))
    if versions:
        raise _locked_error(versions)


# --------------------------------------------------------------------------- referenced rows


def _published_uses(obj):
    """The published rules that refer to this service (remedy), level of care or flag, each
    as (rows, lookup from those rows to their version number)."""
    if isinstance(obj, Service | LevelOfCare):
        field = "remedies" if isinstance(obj, Service) else "applies_to"
        return [(
            Requirement.objects.select_related("questionnaire")
            .filter(**{field: obj}, questionnaire__status=PUBLISHED),
            "questionnaire__version",
        )]
    return [
        (Option.objects.select_related("question__questionnaire")
         .filter(flags=obj, question__questionnaire__status=PUBLISHED),
         "question__questionnaire__version"),
        (ScoreBand.objects.select_related("score__questionnaire")
         .filter(flags=obj, score__questionnaire__status=PUBLISHED),
         "score__questionnaire__version"),
        (Rule.objects.select_related("questionnaire")
         .filter(flags=obj, questionnaire__status=PUBLISHED),
         "questionnaire__version"),
    ]


def _version_of(row) -> int:
    if isinstance(row, Option):
        return row.question.questionnaire.version
    if isinstance(row, ScoreBand):
        return row.score.questionnaire.version
    return row.questionnaire.version


def published_versions_using(obj) -> list[int]:
    """Published versions that refer to this service (remedy), flag or level of care."""
    return sorted({
        version
        for rows, lookup in _published_uses(obj)
        for version in rows.values_list(lookup, flat=True)
    })


def published_rows_using(obj) -> list:
    """The rules of published versions that refer to ``obj`` (for the admin's delete page):
    requirements for a service or level; options, score bands and rules for a flag."""
    return [row for rows, _lookup in _published_uses(obj) for row in rows.distinct()]


def published_row_label(row) -> str:
    """One such row in words, with its version (for the admin's delete page)."""
    if isinstance(row, Option):
        what = _("answer “%(label)s” to question %(key)s") % {
            "label": row.label, "key": row.question.key}
    elif isinstance(row, ScoreBand):
        what = _("band %(low)s–%(high)s of score “%(score)s”") % {
            "low": row.min_points, "high": row.max_points, "score": row.score.name}
    elif isinstance(row, Rule):
        what = _("combination rule “%(name)s”") % {"name": row.name}
    else:
        what = str(row)
    return _("%(what)s (published screening version %(version)s)") % {
        "what": what, "version": _version_of(row)}


def refuse_deleting_what_published_rules_use(sender, instance, **kwargs):
    rows = published_rows_using(instance)
    if rows:
        raise ProtectedError(
            _("“%(name)s” is used by published screening version %(versions)s and cannot be "
              "deleted.") % {
                "name": instance,
                "versions": ", ".join(str(v) for v in sorted({_version_of(r) for r in rows})),
            },
            set(rows),
        )


def service_slug_error(service, new_slug: str) -> ValidationError | None:
    """The error for renaming the slug of a service that published rules name, else None."""
    if service.pk is None:
        return None
    old_slug = Service.objects.filter(pk=service.pk).values_list("slug", flat=True).first()
    if old_slug is None or old_slug == new_slug:
        return None
    versions = published_versions_using(service)
    if not versions:
        return None
    return ValidationError(
        _("Published screening version %(versions)s suggests this service by its slug "
          "“%(slug)s”, so the slug cannot change. You can still change the name."),
        code="remedy_slug_locked",
        params={"versions": ", ".join(str(v) for v in versions), "slug": old_slug},
    )


def service_usage_answer(sender, service, **kwargs) -> list[str]:
    """Answers iop.usage.service_usage: the published rules that suggest this service."""
    return [published_row_label(row) for row in published_rows_using(service)]


def service_slug_check_answer(sender, service, new_slug, **kwargs) -> ValidationError | None:
    """Answers iop.usage.service_slug_check: published rules name remedies by slug."""
    return service_slug_error(service, new_slug)


def refuse_service_slug_change(sender, instance, raw=False, **kwargs):
    if raw:
        return
    error = service_slug_error(instance, instance.slug)
    if error is not None:
        raise error


# --------------------------------------------------------------------------- cached rules


def clear_rules_cache(sender, raw=False, **kwargs):
    """Now and again once the edit commits: a request between the two would otherwise cache
    the rows as they were, with no expiry (the admin saves inside one transaction, and a
    flag's matching hints after the flag itself)."""
    if raw:
        return
    from screening.rules import rules_cache_clear

    rules_cache_clear()
    transaction.on_commit(rules_cache_clear)


def clear_rules_cache_on_m2m(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        clear_rules_cache(sender)


def refuse_deleting_published_rows(sender, instance, **kwargs):
    """Also for deletes that skip Model.delete(): querysets and cascades."""
    if isinstance(instance, Questionnaire):
        if instance.is_published:
            raise _locked_error([instance.version])
    else:
        instance._refuse_if_published()


def connect() -> None:
    for model in (Questionnaire, *LockedWhenPublished.__subclasses__()):
        pre_delete.connect(
            refuse_deleting_published_rows, sender=model,
            dispatch_uid=f"screening_locked_delete_{model._meta.label_lower}",
        )
    for through in _LOCKED_M2M:
        m2m_changed.connect(
            refuse_m2m_change_when_published, sender=through,
            dispatch_uid=f"screening_locked_m2m_{through._meta.label_lower}",
        )
    for model in (Service, Flag, LevelOfCare):
        pre_delete.connect(
            refuse_deleting_what_published_rules_use, sender=model,
            dispatch_uid=f"screening_protect_{model._meta.label_lower}",
        )
        post_save.connect(clear_rules_cache, sender=model,
                          dispatch_uid=f"screening_rules_{model._meta.label_lower}_saved")
        post_delete.connect(clear_rules_cache, sender=model,
                            dispatch_uid=f"screening_rules_{model._meta.label_lower}_deleted")
    for through in (Flag.rank_services.through, Flag.rank_populations.through):
        m2m_changed.connect(clear_rules_cache_on_m2m, sender=through,
                            dispatch_uid=f"screening_rules_{through._meta.label_lower}")
    pre_save.connect(refuse_service_slug_change, sender=Service,
                     dispatch_uid="screening_service_slug")
