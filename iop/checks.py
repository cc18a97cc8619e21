"""System checks for the catalogue's data (``manage.py check`` runs them)."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils.translation import gettext as _


@register(Tags.database)
def locations_without_coordinates(app_configs=None, databases=None, **kwargs):
    """Locations without latitude and longitude never show up in ZIP ("near me") searches.

    A database check: `manage.py check --database default` (and `migrate`) run it; plain
    `check` does not touch the database.
    """
    if not databases or "default" not in databases:
        return []
    from iop.models import Location

    try:
        missing = Location.objects.filter(latitude__isnull=True) | Location.objects.filter(
            longitude__isnull=True
        )
        count = missing.count()
        examples = list(missing.select_related("program").order_by("pk")[:10])
    except DatabaseError:  # not migrated yet
        return []
    if not count:
        return []
    names = "; ".join(f"#{location.pk} {location.program.name} ({location}) " for location
                      in examples).strip()
    return [Warning(
        _("%(count)d location(s) have no latitude and longitude, so ZIP searches never find "
          "them: %(names)s%(more)s") % {
            "count": count, "names": names, "more": "…" if count > len(examples) else ""},
        hint=_("Open each one in the admin (Locations) and save it: an empty position is "
               "filled in from the ZIP code. Or enter the latitude and longitude."),
        obj="iop.Location",
        id="iop.W001",
    )]
