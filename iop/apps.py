from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class IopConfig(AppConfig):
    name = "iop"
    verbose_name = _("Program catalogue")

    def ready(self):
        from iop.crisis import crisis_cache_clear
        from iop.models import CrisisResource

        post_save.connect(crisis_cache_clear, sender=CrisisResource, dispatch_uid="crisis_save")
        post_delete.connect(crisis_cache_clear, sender=CrisisResource, dispatch_uid="crisis_del")

        from iop import signals

        signals.connect()  # search index and cached filter choices


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the staff site (optional second factor, iop.admin_site)."""

    default = False  # "iop" itself stays IopConfig
    default_site = "iop.admin_site.StaffAdminSite"
