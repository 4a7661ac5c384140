from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "clinics"

    def ready(self):
        from accounts.personal_data import register_exporter

        from .personal_data import export_clinic_data

        register_exporter(export_clinic_data)

        from django.db.models.signals import post_delete, post_save

        from .context_processors import forget_clinic_link
        from .models import StaffMembership

        post_save.connect(forget_clinic_link, sender=StaffMembership, dispatch_uid="forget_clinic_link_save")
        post_delete.connect(forget_clinic_link, sender=StaffMembership, dispatch_uid="forget_clinic_link_delete")
