"""The apps Passerelle installs from others, named in the back office's languages.

django-tasks-db and Axes name their apps in English only ("Tasks Database
Backend", "Axes"); these configurations give them names an officer understands,
in English and in French. Listed in ``INSTALLED_APPS`` in their place.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")


class LoginProtectionConfig(AxesAppConfig):
    verbose_name = _("Login protection")
