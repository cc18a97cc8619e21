"""Keep derived data fresh when staff edit the catalogue (connected in IopConfig.ready).

- the stored full-text vector of a program (PostgreSQL) when it, its services or its
  locations change, or when a service is renamed;
- the cached option lists of the program filters when a lookup changes;
- the cached crisis lines when staff edit them.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from iop.cache import row_changed
from iop.crisis import crisis_cache_clear
from iop.filters import filter_choices_clear
from iop.models import (
    CrisisResource,
    Language,
    LevelOfCare,
    Location,
    PaymentOption,
    Population,
    Program,
    ProgramService,
    Service,
)
from iop.services import program_search_index_changed


def _reindex(program_ids) -> None:
    # At once (or at the end of a search_index_batch), inside the caller's transaction: the
    # update sees its uncommitted rows and rolls back with it. (Costs nothing on SQLite,
    # where there is no stored vector.)
    program_search_index_changed(program_ids)


def program_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _reindex([instance.pk])


def program_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _reindex([instance.program_id])


def service_renaming(sender, instance, raw=False, **kwargs):
    """Note the name before the save: only a new name changes the programs' search text."""
    instance._name_before = None if raw or instance.pk is None else (
        Service.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    )


def service_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created and getattr(instance, "_name_before", None) != instance.name:
        _reindex(list(instance.program_services.values_list("program_id", flat=True)))


def program_services_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        if reverse:
            _reindex(list(pk_set or []))
        else:
            _reindex([instance.pk])


def lookup_changed(sender, **kwargs):
    # Again on commit: a request between the save and the commit may re-cache the old rows.
    filter_choices_clear()
    transaction.on_commit(filter_choices_clear, using=kwargs.get("using"))


def crisis_changed(sender, **kwargs):
    crisis_cache_clear()
    transaction.on_commit(crisis_cache_clear, using=kwargs.get("using"))


def connect() -> None:
    post_save.connect(program_saved, sender=Program, dispatch_uid="iop_search_program")
    for model in (ProgramService, Location):
        post_save.connect(program_part_changed, sender=model,
                          dispatch_uid=f"iop_search_{model.__name__}_save")
        post_delete.connect(program_part_changed, sender=model,
                            dispatch_uid=f"iop_search_{model.__name__}_delete")
    pre_save.connect(service_renaming, sender=Service, dispatch_uid="iop_search_service_name")
    post_save.connect(service_saved, sender=Service, dispatch_uid="iop_search_service")
    m2m_changed.connect(program_services_m2m_changed, sender=Program.services.through,
                        dispatch_uid="iop_search_services_m2m")
    for model in (LevelOfCare, Service, Population, PaymentOption, Language):
        post_save.connect(lookup_changed, sender=model,
                          dispatch_uid=f"iop_choices_{model.__name__}_save")
        post_delete.connect(lookup_changed, sender=model,
                            dispatch_uid=f"iop_choices_{model.__name__}_delete")
    # Every cached catalogue page (iop.cache): any row of a catalogue app, any m2m set.
    post_save.connect(row_changed, dispatch_uid="iop_pages_save")
    post_delete.connect(row_changed, dispatch_uid="iop_pages_delete")
    m2m_changed.connect(row_changed, dispatch_uid="iop_pages_m2m")
    post_save.connect(crisis_changed, sender=CrisisResource, dispatch_uid="crisis_save")
    post_delete.connect(crisis_changed, sender=CrisisResource, dispatch_uid="crisis_del")
