from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Screening")

    def ready(self):
        from iop.models import LevelOfCare
        from screening.models import Flag

        def clear(**_kwargs):
            from screening.rules import rules_cache_clear

            rules_cache_clear()

        post_save.connect(clear, sender=Flag, dispatch_uid="screening_flag_saved", weak=False)
        post_save.connect(
            clear, sender=LevelOfCare, dispatch_uid="screening_level_saved", weak=False
        )
