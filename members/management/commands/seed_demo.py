from django.core.management.base import BaseCommand
from django.db import connection

from campaigns.demo import load_demo_campaigns, load_demo_feedback, load_scale_campaign
from members.demo import DEMO_PASSWORD, load_demo, load_scale
from members.models import Unit, UnitKind
from movements.demo import load_demo_year, load_scale_year

# Sector unions in the benchmark tree, each of 100 branches of 100 members.
SECTOR_UNIONS_AT_SCALE = {"city": 5, "metro": 50}


class Command(BaseCommand):
    help = ("Load the demo units, members and accounts (safe to run again); --scale city adds a city-sized tree "
            "with a year of work, --scale metro ten times that.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", *SECTOR_UNIONS_AT_SCALE], default="demo",
                            help="city: about 500 branches and 50,000 members more, with their commitments, "
                                 "projects, activities and a city-wide campaign, for benchmarks; metro: 10 times "
                                 "that.")

    def handle(self, *args, scale, **options):
        result = load_demo()
        self.stdout.write(f"Demo: {result['units']} units, {result['members_created']} members added.")
        if load_demo_year() is not None:
            self.stdout.write("Demo movement year opened, with commitments in every state.")
        if load_demo_campaigns():
            self.stdout.write("Demo campaigns loaded in every phase, with reviews, awards and an honour board.")
        if load_demo_feedback():
            self.stdout.write("Demo feedback points loaded, with a few months of the people's opinions.")
        if scale in SECTOR_UNIONS_AT_SCALE:
            present = Unit.objects.filter(code__startswith="scale-s", kind=UnitKind.SECTOR).count()
            if present and present != SECTOR_UNIONS_AT_SCALE[scale]:
                self.stderr.write(f"This database holds another scale ({present} sector unions): {scale} needs an "
                                  "empty database.")
                return
            result = load_scale(sectors=SECTOR_UNIONS_AT_SCALE[scale])
            self.stdout.write(f"Scale {scale}: {result['units']} units, {result['members_created']} members added.")
            work = load_scale_year()
            self.stdout.write("Their year: " + ", ".join(f"{count} {name}" for name, count in work.items()) + ".")
            self.stdout.write(f"City-wide campaign: {load_scale_campaign()} branches registered.")
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner: a table whose pages hold only dead rows (rolled-back work, a
            # flush) may have been analysed as "0 rows", and PostgreSQL then joins the thousands just loaded by
            # nested loops, for minutes.
            # The portal's own tables only: a deployment's user may not own the rest.
            tables = connection.introspection.django_table_names(only_existing=True)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(map(connection.ops.quote_name, tables)))  # nosec B608
        self.stdout.write(f"Demo accounts: admin, thanhdoan, thuongvu, bithu, bithu2, doanvien / {DEMO_PASSWORD}")
