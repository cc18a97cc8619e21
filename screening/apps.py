from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Screening")

    def ready(self):
        from screening import signals

        # Published versions stay unchanged (m2m, referenced services, flags and levels);
        # the cached live rules are cleared when a service, flag or level changes.
        signals.connect()
