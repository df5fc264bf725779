import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.access import Action, policy
from members.forms import LARGEST_KEY
from members.models import Member, MemberStatus, Unit
from members.selectors import current_unit
from members.text import fold


def _units_in_scope(request):
    """The units offered in the filter: those under the unit the person is working in."""
    if request is None:
        return Unit.objects.none()
    units = policy.units(request.user, Action.VIEW_MEMBERS)
    unit = current_unit(request)
    return units.filter(unit.subtree_q()) if unit is not None else units


class UnitDrillDownFilterSet(django_filters.FilterSet):
    """A list filtered by a unit of the person's subtree, which may hold hundreds of units (thousands in a city
    union): the list to choose from is the way down from the unit chosen (its line of units from the one worked
    in, and the units right under it), so that the page stays small; any unit of the subtree is still accepted
    (a link from a unit's page names a branch directly)."""

    @property
    def form(self):
        form = super().form
        field = form.fields["unit"]
        if not getattr(field, "narrowed", False):
            field.narrowed = True
            field.widget.choices = [("", field.empty_label), *(
                (unit.pk, field.label_from_instance(unit)) for unit in self._way_down(field.queryset, form))]
        return form

    def _way_down(self, units, form):
        chosen = str(form.data.get("unit", ""))
        anchor = (units.filter(pk=chosen).first() if chosen.isascii() and chosen.isdigit()
                  and int(chosen) <= LARGEST_KEY else None)
        if anchor is None:
            anchor = current_unit(self.request) if self.request is not None else None
        if anchor is None:
            return units.order_by("path")
        line = [anchor.path[:end] for end in range(Unit.steplen, len(anchor.path) + 1, Unit.steplen)]
        return units.filter(Q(path__in=line) | Q(depth=anchor.depth + 1, path__startswith=anchor.path)).order_by(
            "path")


class MemberFilter(UnitDrillDownFilterSet):
    q = django_filters.CharFilter(label=_("Name or card number"), method="filter_text")
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=_units_in_scope, method="filter_unit", empty_label=_("All my units")
    )
    position = django_filters.CharFilter(label=_("Position"), lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MemberStatus.choices, empty_label=_("Any status"))

    class Meta:
        model = Member
        fields = ("q", "unit", "position", "status")

    def filter_text(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(search_name__contains=fold(text)) | Q(card_number__icontains=text))

    def filter_unit(self, queryset, name, unit):
        # A unit stands for its whole subtree: choosing a grassroots union lists all its branches' members.
        return queryset.filter(unit.subtree_q("unit__path"))
