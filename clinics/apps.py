from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicsConfig(AppConfig):
    name = "clinics"
    verbose_name = _("Clinics")

    def ready(self):
        from accounts.personal_data import register_before_delete, register_exporter

        from .personal_data import export_clinic_data, forget_clinic_rows

        register_exporter(export_clinic_data)
        register_before_delete(forget_clinic_rows)

        from django.db.models.signals import post_delete, post_save

        from config.caches import forget_clinic_link

        from .models import StaffMembership

        def staff_roles_changed(sender, instance, **kwargs):
            forget_clinic_link(instance.user_id)

        post_save.connect(
            staff_roles_changed, sender=StaffMembership, weak=False, dispatch_uid="forget_clinic_link_save"
        )
        post_delete.connect(
            staff_roles_changed, sender=StaffMembership, weak=False, dispatch_uid="forget_clinic_link_delete"
        )

        from django.db.models.signals import m2m_changed

        from config.caches import forget_clinic_families

        from .models import Clinic

        def assigned_courses_changed(sender, instance, action, reverse, pk_set, **kwargs):
            # A clinic's courses were set (from the clinic) or a course's clinics (from the course): the cached
            # scope, report and family list of each clinic concerned are rebuilt.
            if not action.startswith("post_"):
                return
            if not reverse:
                clinic_ids = [instance.pk]
            elif pk_set is not None:
                clinic_ids = pk_set
            else:  # course.clinics.clear() does not say which clinics it had
                clinic_ids = Clinic.objects.values_list("pk", flat=True)
            for clinic_id in clinic_ids:
                forget_clinic_families(clinic_id)

        m2m_changed.connect(
            assigned_courses_changed, sender=Clinic.courses.through, weak=False, dispatch_uid="clinic_courses_changed"
        )

        from allauth.account.signals import email_confirmed, user_signed_up

        from .views import finish_join_on_confirmation, remember_join_on_sign_up

        # A join agreed before signing up survives confirming the address in another browser.
        user_signed_up.connect(remember_join_on_sign_up, weak=False, dispatch_uid="clinics_remember_join")
        email_confirmed.connect(finish_join_on_confirmation, weak=False, dispatch_uid="clinics_finish_join")

        from django.apps import apps

        if apps.is_installed("anymail"):  # a provider reports bounces and complaints (settings.ANYMAIL_PROVIDER)
            from anymail.signals import tracking

            from .tasks import invitation_bounced

            tracking.connect(invitation_bounced, weak=False, dispatch_uid="clinics_invitation_bounced")
