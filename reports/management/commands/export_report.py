from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from members.models import Unit
from reports.exporters import LIST_EXPORTERS
from reports.models import YearEndReport
from reports.tasks import list_file, year_end_files


class Command(BaseCommand):
    help = ("Write a report for a user, unit and year, as the pages would: the scope is the user's. "
            "--report year_end|awards|members --format pdf|xlsx")

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="the user name whose rights decide what is counted")
        parser.add_argument("--unit", required=True, help="the unit's code, e.g. bvndgd")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--report", choices=["year_end", "awards", "members"], default="year_end")
        parser.add_argument("--format", choices=["pdf", "xlsx"], required=True)
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args, user, unit, year, report, format, output, **options):
        try:
            actor = get_user_model().objects.get(username=user, is_active=True)
            target = Unit.objects.get(code=unit, is_active=True)
        except (get_user_model().DoesNotExist, Unit.DoesNotExist) as error:
            raise CommandError(str(error)) from None
        try:
            if report == "year_end":
                # An issued report prints its number and narrative; otherwise the draft the portal would start from.
                year_end = (YearEndReport.objects.filter(unit=target, year=year).first()
                            or YearEndReport(unit=target, year=year))
                [(_title, content, _extension, _type)] = year_end_files(year_end, actor, formats=(format,))
            else:
                exporter = LIST_EXPORTERS[report].from_params(actor, target, {"year": year, "status": "active"})
                _title, content, _extension, _type = list_file(exporter, format)
        except (PermissionDenied, Http404):
            raise CommandError(f"{user} may not see the reports of {unit}.") from None
        Path(output).write_bytes(content)
        self.stdout.write(f"{output}: {len(content):,} bytes")
