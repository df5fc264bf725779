from functools import partial

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import SimpleLazyObject

from members.access import Action, policy
from members.notifications import unread_count_for
from members.selectors import current_unit as _current_unit
from members.selectors import units_with_roles


class UnitRights:
    """What the person may do in the working unit, asked of the access policy when a template first wants it:
    ``{% if may.VIEW_MEMBERS %}`` shows a menu entry only to those the page would not refuse."""

    def __init__(self, user, unit):
        self.user, self.unit, self.answers = user, unit, {}

    def __getitem__(self, name):
        if name not in Action.__members__:  # a KeyError would be swallowed by the template: a typo must show
            raise ImproperlyConfigured(f"No action {name!r} in members.access.Action")
        if name not in self.answers:
            self.answers[name] = self.unit is not None and policy.can(self.user, Action[name], self.unit)
        return self.answers[name]


def current_unit(request):
    """The working unit and the unit switcher's choices, for the layout of every page."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    unit = _current_unit(request)
    return {
        "current_unit": unit,
        "may": UnitRights(request.user, unit),
        # What ``may`` answers from (the roles and their units, with the working unit's path): the menu is kept
        # under it, not drawn again for every change of data.
        "reader_reach": SimpleLazyObject(partial(policy.reach, request.user)),
        "my_units": units_with_roles(request.user),
        "unread_notifications": unread_count_for(request),
    }
