from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _rules_cache_clear_after_migrate(sender, **kwargs):
    """Data migrations change rules and flags without the models' signals (a new version, a
    revised note): forget every cached version after `migrate`, whatever store the cache is."""
    from screening.rules import rules_cache_clear

    try:
        rules_cache_clear()
    except Exception:  # noqa: BLE001 — a cache or table not there yet must not stop migrate
        return


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Screening")

    def ready(self):
        from screening import signals

        # Published versions stay unchanged (m2m, referenced services, flags and levels);
        # the cached live rules are cleared when a service, flag or level changes.
        signals.connect()
        # The catalogue asks who uses a service (its admin's delete page and slug field);
        # it never imports this app, so this app answers through iop.usage.
        from iop import usage

        usage.service_usage.connect(signals.service_usage_answer,
                                    dispatch_uid="screening_service_usage")
        usage.service_slug_check.connect(signals.service_slug_check_answer,
                                         dispatch_uid="screening_service_slug_check")
        post_migrate.connect(_rules_cache_clear_after_migrate, sender=self)
