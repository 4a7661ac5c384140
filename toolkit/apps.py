from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitConfig(AppConfig):
    """Caregiver toolkit: the personal safety plan and the treatment-day checklist."""

    name = "toolkit"
    verbose_name = _("Caregiver toolkit")

    def ready(self):
        from accounts.personal_data import register_exporter

        from .personal_data import export_toolkit_data

        register_exporter(export_toolkit_data)
