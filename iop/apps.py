from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class IopConfig(AppConfig):
    name = "iop"
    verbose_name = _("Program catalogue")

    def ready(self):
        from iop import signals

        signals.connect()  # search index, cached filter choices and crisis lines


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the staff site (optional second factor, iop.admin_site)."""

    default = False  # "iop" itself stays IopConfig
    default_site = "iop.admin_site.StaffAdminSite"
