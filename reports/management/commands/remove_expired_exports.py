"""Remove the list exports whose keeping period has ended (reports.services.expired_exports_remove). Run daily."""

from django.core.management.base import BaseCommand

from reports.services import expired_exports_remove


class Command(BaseCommand):
    help = "Remove list exports (members, reviews, award proposals) kept longer than DJANGO_LIST_EXPORT_KEEP_DAYS."

    def handle(self, *args, **options):
        self.stdout.write(f"{expired_exports_remove()} list exports removed.")
