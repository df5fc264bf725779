from django import template
from django.utils import timezone

from movements.models import Attendance
from movements.selectors import member_participation

register = template.Library()


@register.simple_tag
def member_solutions(member):
    """What a member took part in: projects, activities, initiatives, collectives (for their page).

    The page that shows it has already asked the access policy for the member; these are the member's own records.
    """
    year = timezone.localdate().year
    return {
        "projects": member.youth_projects.select_related("unit").order_by("-year", "-id")[:10],
        "initiatives": member.initiatives.order_by("-year", "-id")[:10],
        "collectives": member.collectives.select_related("model").order_by("-year", "-id")[:10],
        "attendances": Attendance.objects.filter(member=member).select_related("activity")
        .order_by("-activity__starts_at")[:10],
        "participation": member_participation(member, year),
        "year": year,
    }
