import django_filters
from django.utils.translation import gettext_lazy as _

from members.access import Action, policy
from members.filters import UnitDrillDownFilterSet
from members.models import Unit
from members.selectors import current_unit
from movements.models import ProjectKind, ProjectState, YouthProject


def _units(request):
    if request is None:
        return Unit.objects.none()
    units = policy.units(request.user, Action.VIEW_PROJECTS)
    unit = current_unit(request)
    return units.filter(unit.subtree_q()) if unit is not None else units


class ProjectFilter(UnitDrillDownFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ProjectKind.choices, empty_label=_("Any kind"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=ProjectState.choices, empty_label=_("Any state"))
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=_units, method="filter_unit",
                                            empty_label=_("All my units"))

    class Meta:
        model = YouthProject
        fields = ("year", "kind", "state", "unit")

    def filter_unit(self, queryset, name, unit):
        return queryset.filter(unit.subtree_q("unit__path"))
