"""Write a consistent backup of the database and the media files (members/backups.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the media files into a new folder under --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"),
                            help="Folder that receives the backup's own dated folder (default: var/backups).")

    def handle(self, *args, output, **options):
        try:
            folder = backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(folder))
