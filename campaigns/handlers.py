"""What campaigns/ does when something happens in another app (connected in CampaignsConfig.ready)."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from campaigns.models import Award, AwardState, CampaignState, Registration, RegistrationState
from members import audit
from members.signals import member_moved

REGISTRATION_FOLLOWED = audit.register_action("campaign.registration_followed_member",
                                              _("Registration moved with the member to their new unit"))
AWARD_FOLLOWED = audit.register_action("award.followed_member", _("Award proposal moved with the member to their "
                                                                  "new unit"))


@receiver(member_moved, dispatch_uid="campaigns.member_moved")
def follow_the_member(sender, *, actor, member, from_unit, to_unit, **kwargs) -> dict:
    """A member's registration in a running campaign that the branch has not approved yet, and an award still
    only proposed for them, go with them to the new unit when that unit takes part (the campaign or the
    proposal reaches it): the new branch takes them up and the old one no longer sees them.

    What stays the record of the unit where it was made: an approved registration (the old union may already
    have forwarded it in its totals; moving it would count it twice), a finished campaign, a decided award."""
    registrations = [registration for registration in Registration.objects.select_for_update(of=("self",)).filter(
        member=member, unit=from_unit, campaign__state=CampaignState.LAUNCHED,
        state__in=[RegistrationState.DRAFT, RegistrationState.SUBMITTED, RegistrationState.RETURNED],
    ).select_related("campaign__unit") if to_unit.is_within(registration.campaign.unit)]
    awards = [award for award in Award.objects.select_for_update(of=("self",)).filter(
        member=member, unit=from_unit, state=AwardState.PROPOSED).select_related("proposing_unit")
        if to_unit.is_within(award.proposing_unit)]
    for rows, action in ((registrations, REGISTRATION_FOLLOWED), (awards, AWARD_FOLLOWED)):
        for row in rows:
            type(row).objects.filter(pk=row.pk).update(unit=to_unit)
            audit.record(action=action, actor=actor, unit=to_unit, target=row, before={"unit": str(from_unit)},
                         after={"unit": str(to_unit)})
    return {key: len(rows) for key, rows in (("registrations_moved", registrations),
                                             ("award_proposals_moved", awards)) if rows}
