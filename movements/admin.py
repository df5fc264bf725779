"""The site administrator keeps the catalogues here; the movement's records change only through the pages."""

from django.contrib import admin

from movements.models import CollectiveModel


@admin.register(CollectiveModel)
class CollectiveModelAdmin(admin.ModelAdmin):
    list_display = ("name", "description")
    search_fields = ("name",)
