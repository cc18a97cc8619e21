from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.apps import AuthConfig as DjangoAuthConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class IopConfig(AppConfig):
    default = True  # "iop" in INSTALLED_APPS: this module has several AppConfig classes
    name = "iop"
    verbose_name = _("Program catalogue")

    def ready(self):
        from iop import checks, signals  # noqa: F401 - checks registers on import

        signals.connect()  # search index, cached filter choices and crisis lines


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the staff site (optional second factor, iop.admin_site)."""

    default = False  # "iop" itself stays IopConfig
    default_site = "iop.admin_site.StaffAdminSite"


# Third-party apps under plain names on staff screens (labels, models and migrations unchanged).


class AuthConfig(DjangoAuthConfig):
    verbose_name = _("Staff accounts")


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in protection")


class TOTPConfig(TOTPAppConfig):
    verbose_name = _("Two-step sign-in")
