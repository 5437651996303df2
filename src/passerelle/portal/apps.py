from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "passerelle.portal"
    label = "portal"
    verbose_name = _("Public portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from passerelle.core.signals import records_bulk_loaded

        from .caching import record_signal_receiver, records_changed

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(record_signal_receiver, dispatch_uid=f"portal-cache-{signal!r}")
        records_bulk_loaded.connect(
            lambda **kwargs: records_changed(), weak=False, dispatch_uid="portal-cache-bulk"
        )
