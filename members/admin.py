"""The site administrator's screens. Every change goes through members.services, as the pages' changes do."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from members import services
from members.audit import action_label
from members.models import AuditEntry, Member, RoleAssignment, Unit, UnitKind


def _report_refusal(request, error: Exception) -> None:
    messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))


class UnitAdminForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        label=_("Parent unit"), queryset=Unit.objects.all(), required=False,
        help_text=_("Leave empty only for a top-level unit (the city union)."),
    )

    class Meta:
        model = Unit
        fields = ("parent", *services.UNIT_FIELDS)

    def clean(self):
        cleaned_data = super().clean()
        parent = cleaned_data.get("parent") if self.instance.pk is None else Unit.objects.get_parent(self.instance)
        if cleaned_data.get("kind"):
            try:
                services.validate_unit_placement(parent=parent, kind=cleaned_data["kind"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ("indented_name", "code", "kind", "sector", "is_active")
    list_filter = ("kind", "sector", "is_active")
    search_fields = ("name", "code")

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit):
        return f"{'— ' * (unit.depth - 1)}{unit.name}"

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if obj is None else [name for name in fields if name != "parent"]

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in services.UNIT_FIELDS}
        if change:
            services.unit_update(actor=request.user, unit=obj, **values)
        else:
            obj.pk = services.unit_create(actor=request.user, parent=form.cleaned_data["parent"], **values).pk

    def has_delete_permission(self, request, obj=None):
        # Units carry years of history; they are deactivated, never deleted.
        return False


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("full_name", "card_number", "unit", "position", "status", "user")
    list_filter = ("status", "gender", "is_union_member")
    search_fields = ("full_name", "search_name", "card_number", "email")
    list_select_related = ("unit", "user")
    raw_id_fields = ("user",)
    fields = ("unit", "user", *services.MEMBER_FIELDS, "status")
    actions = ("deactivate_selected",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            # Members belong to branches; unions above them have none of their own.
            kwargs["queryset"] = Unit.objects.filter(kind=UnitKind.BRANCH, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # A change of unit is a transfer and a change of status has a reason: both have their own pages.
        return ("unit", "status", "user") if obj is not None else ("status",)

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in services.MEMBER_FIELDS}
        if change:
            services.member_update(actor=request.user, member=obj, **values)
        else:
            obj.pk = services.member_create(actor=request.user, unit=form.cleaned_data["unit"],
                                            user=form.cleaned_data["user"], **values).pk

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Deactivate the selected members"))
    def deactivate_selected(self, request, queryset):
        done = 0
        for member in queryset.filter(status="active"):
            try:
                services.member_deactivate(actor=request.user, member=member, reason=str(_("Deactivated in the admin")))
                done += 1
            except (ValidationError, PermissionDenied) as error:
                _report_refusal(request, error)
        self.message_user(request, _("%(count)d members deactivated.") % {"count": done})


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name")
    raw_id_fields = ("user",)
    list_select_related = ("user", "unit")
    actions = ("revoke_selected",)

    def has_change_permission(self, request, obj=None):
        # An assignment is given or taken back, never edited, so that the audit log tells the whole story.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        assignment = services.role_assign(actor=request.user, user=form.cleaned_data["user"],
                                          unit=form.cleaned_data["unit"], role=form.cleaned_data["role"])
        obj.pk = assignment.pk

    def delete_model(self, request, obj):
        services.role_revoke(actor=request.user, assignment=obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Revoke the selected roles"))
    def revoke_selected(self, request, queryset):
        for assignment in queryset.select_related("user", "unit"):
            services.role_revoke(actor=request.user, assignment=assignment)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action_name", "actor_name", "target_repr", "unit")
    list_filter = ("action",)
    search_fields = ("target_repr", "actor_name", "note")
    list_select_related = ("unit",)
    date_hierarchy = "created_at"

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, entry):
        return action_label(entry.action)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
