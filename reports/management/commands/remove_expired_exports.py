"""Remove the list exports whose keeping period has ended, and files a killed job left outside the archive
(reports.services). Run daily."""

from django.core.management.base import BaseCommand

from reports.services import expired_exports_remove, orphan_files_remove


class Command(BaseCommand):
    help = "Remove list exports (members, reviews, award proposals) kept longer than DJANGO_LIST_EXPORT_KEEP_DAYS."

    def handle(self, *args, **options):
        self.stdout.write(f"{expired_exports_remove()} list exports removed.")
        self.stdout.write(f"{orphan_files_remove()} files that never reached the archive removed.")
