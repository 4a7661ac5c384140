from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "clinics"

    def ready(self):
        from accounts.personal_data import register_exporter

        from .personal_data import export_clinic_data

        register_exporter(export_clinic_data)
