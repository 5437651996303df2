from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "passerelle.access"
    label = "access"
    verbose_name = _("Accounts and audit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import audit, reminders, roles

        audit.connect()
        reminders.connect()
        post_migrate.connect(roles.after_migrate, sender=self, dispatch_uid="access-roles")
