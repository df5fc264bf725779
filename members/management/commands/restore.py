"""Restore a backup into an empty database and media folder, and check it (members/backups.py)."""

from django.core.management.base import BaseCommand, CommandError

from members.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder (made by `manage.py backup`) into an empty database and media folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup's folder, e.g. var/backups/20261127-030000.")

    def handle(self, *args, folder, **options):
        try:
            result = restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {result['rows']} rows in {result['tables']} tables and {result['files']} files; "
                          "they match the backup.")
