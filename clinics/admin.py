from django.contrib import admin

from .models import AuditEvent, Clinic, FamilyMember, Invitation, StaffMembership


class ClinicScopedAdmin(admin.ModelAdmin):
    """Rows of the clinics this staff member works at (admins: all), and only those clinics in the clinic
    filter and the clinic drop-down: another clinic's name is not shown either."""

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(clinic__in=Clinic.objects.for_staff(request.user))

    def get_list_filter(self, request):
        return [("clinic", admin.RelatedOnlyFieldListFilter) if f == "clinic" else f for f in self.list_filter]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "clinic":
            kwargs["queryset"] = Clinic.objects.for_staff(request.user).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StaffInline(admin.TabularInline):
    model = StaffMembership
    autocomplete_fields = ["user"]  # pick staff by typing part of their name or email (accounts.admin search)
    extra = 1


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "join_code", "contact_phone", "created_at"]
    search_fields = ["name", "slug", "join_code"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["courses"]
    inlines = [StaffInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=Clinic.objects.for_staff(request.user))

    def view_on_site(self, obj):
        return obj.get_absolute_url()

    def save_formset(self, request, form, formset, change):
        # Role changes made in admin go into the audit trail too.
        from .services import record

        instances = formset.save()
        for membership in instances:
            if isinstance(membership, StaffMembership):
                record(
                    actor=request.user,
                    clinic=membership.clinic,
                    action=AuditEvent.Action.STAFF_ROLE,
                    user=membership.user_id,
                    new=membership.role,
                    via="admin",
                )
        for obj in formset.deleted_objects:
            if isinstance(obj, StaffMembership):
                record(
                    actor=request.user,
                    clinic=obj.clinic,
                    action=AuditEvent.Action.STAFF_REMOVE,
                    user=obj.user_id,
                    via="admin",
                )


@admin.register(FamilyMember)
class FamilyMemberAdmin(ClinicScopedAdmin):
    list_display = ["user", "clinic", "joined_at"]
    list_filter = ["clinic"]
    search_fields = ["user__email", "user__display_name"]
    list_select_related = ["user", "clinic"]
    raw_id_fields = ["user", "invitation"]


@admin.register(Invitation)
class InvitationAdmin(ClinicScopedAdmin):
    list_display = ["email", "clinic", "language", "status", "created_at", "expires_at", "send_count"]
    list_filter = ["status", "language", "clinic"]
    search_fields = ["email", "name"]
    list_select_related = ["clinic"]
    raw_id_fields = ["invited_by"]


@admin.register(AuditEvent)
class AuditEventAdmin(ClinicScopedAdmin):
    list_display = ["created_at", "actor_email", "clinic", "action"]
    list_filter = ["action", "clinic"]
    search_fields = ["actor_email"]
    readonly_fields = ["created_at", "actor", "actor_email", "clinic", "action", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
