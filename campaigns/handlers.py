"""What campaigns/ does when something happens in another app (connected in CampaignsConfig.ready)."""

from django.dispatch import receiver

from campaigns.models import Award, AwardState, CampaignState, Registration
from members.signals import member_moved


@receiver(member_moved, dispatch_uid="campaigns.member_moved")
def follow_the_member(sender, *, member, from_unit, to_unit, **kwargs) -> dict:
    """A member's registration in a running campaign, and an award still only proposed for them, go with them
    to the new unit when that unit takes part (the campaign or the proposal reaches it): the new branch follows
    them and the old one no longer sees them. A finished campaign and a decided award stay the record of the unit
    where they were made; their figures were counted there, and the frozen review rows keep the name."""
    registrations = [registration.pk for registration in Registration.objects.select_for_update(of=("self",)).filter(
        member=member, unit=from_unit, campaign__state=CampaignState.LAUNCHED).select_related("campaign__unit")
        if to_unit.is_within(registration.campaign.unit)]
    awards = [award.pk for award in Award.objects.select_for_update(of=("self",)).filter(
        member=member, unit=from_unit, state=AwardState.PROPOSED).select_related("proposing_unit")
        if to_unit.is_within(award.proposing_unit)]
    Registration.objects.filter(pk__in=registrations).update(unit=to_unit)
    Award.objects.filter(pk__in=awards).update(unit=to_unit)
    return {key: count for key, count in (("registrations_moved", len(registrations)),
                                          ("award_proposals_moved", len(awards))) if count}
