"""Remove the personal details of closed records whose retention has ended (members/retention.py). Run daily."""

from django.core.management.base import BaseCommand

from members.retention import due_for_pseudonymising, member_pseudonymise


class Command(BaseCommand):
    help = "Pseudonymise closed member records whose retention period has ended."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what is due; change nothing.")

    def handle(self, *args, dry_run, **options):
        due = due_for_pseudonymising()
        if dry_run:
            for member in due:
                self.stdout.write(f"{member.pk}\t{member.unit.code}\t{member.get_status_display()}\t{member.closed_on}")
            self.stdout.write(f"{len(due)} records are due.")
            return
        for member in due:
            member_pseudonymise(member)
        self.stdout.write(f"{len(due)} records pseudonymised.")
