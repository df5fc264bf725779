from members.notifications import unread_count
from members.selectors import current_unit as _current_unit
from members.selectors import units_with_roles


def current_unit(request):
    """The working unit and the unit switcher's choices, for the layout of every page."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_unit": _current_unit(request),
        "my_units": units_with_roles(request.user),
        "unread_notifications": unread_count(request.user),
    }
