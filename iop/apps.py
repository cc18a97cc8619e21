from django.apps import AppConfig
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
