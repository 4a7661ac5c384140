from django.contrib import admin

from .models import AuditEvent, Clinic, FamilyMember, Invitation, StaffMembership


class StaffInline(admin.TabularInline):
    model = StaffMembership
    raw_id_fields = ["user"]
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
class FamilyMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "clinic", "joined_at"]
    list_filter = ["clinic"]
    search_fields = ["user__email", "user__display_name"]
    list_select_related = ["user", "clinic"]
    raw_id_fields = ["user", "invitation"]

    def get_queryset(self, request):
        return FamilyMember.objects.for_staff(request.user).select_related("user", "clinic")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "clinic", "status", "created_at", "expires_at", "send_count"]
    list_filter = ["status", "clinic"]
    search_fields = ["email", "name"]
    list_select_related = ["clinic"]
    raw_id_fields = ["invited_by"]

    def get_queryset(self, request):
        return Invitation.objects.for_staff(request.user).select_related("clinic")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_email", "clinic", "action"]
    list_filter = ["action", "clinic"]
    search_fields = ["actor_email"]
    readonly_fields = ["created_at", "actor", "actor_email", "clinic", "action", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
