from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from core import page_cache


def _catalogue_changed(**kwargs: object) -> None:
    # The public pages kept in this process show the catalogue (core/page_cache.py); the other
    # processes' copies expire within PUBLIC_PAGE_CACHE_SECONDS.
    page_cache.clear()


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = _("Permits")

    def ready(self) -> None:
        for model in self.get_models():
            post_save.connect(_catalogue_changed, sender=model, dispatch_uid=f"pages-{model}")
            post_delete.connect(_catalogue_changed, sender=model, dispatch_uid=f"pages-{model}-")
