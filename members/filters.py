import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.access import Action, policy
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


class MemberFilter(django_filters.FilterSet):
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
