"""The admin keeps the award catalogue. Campaigns, awards and feedback points change only through their pages and services, so
the admin shows them read-only."""

from django.contrib import admin

from campaigns.models import Award, AwardTitle, Campaign, FeedbackPoint


@admin.register(AwardTitle)
class AwardTitleAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "level", "issuing_body", "for_people", "for_collectives", "is_active")
    list_filter = ("kind", "level", "is_active")
    search_fields = ("name",)

    def has_delete_permission(self, request, obj=None):
        # A title once given stays in the history of those who received it; retire it with "in use" instead.
        return obj is None or not obj.awards.exists()


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "starts_on", "ends_on", "state")
    list_filter = ("state",)
    search_fields = ("title",)


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("recipient_name", "title", "year", "state", "decision_number", "is_published")
    list_filter = ("state", "year", "is_published")
    search_fields = ("recipient_name", "decision_number")


@admin.register(FeedbackPoint)
class FeedbackPointAdmin(ReadOnlyAdmin):
    # The opinions themselves carry contacts: they are read on the unit's pages, through the access policy.
    list_display = ("name", "unit", "kind", "is_open", "created_at")
    list_filter = ("kind", "is_open")
    search_fields = ("name",)
