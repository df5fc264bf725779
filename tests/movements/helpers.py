"""Data the movement tests build: a year's dates, a member's pledges, a commitment in a given state."""

import datetime

from members.models import Member
from movements.models import Commitment, CommitmentState, Criterion, MovementYear, Pledge


def year_dates(today: datetime.date, *, registration_open: bool = True, evaluation_open: bool = False) -> dict:
    delta = datetime.timedelta
    if registration_open:
        registration = (today - delta(days=30), today + delta(days=30))
    else:
        registration = (today - delta(days=60), today - delta(days=1))
    evaluation = (today - delta(days=1), today + delta(days=20)) if evaluation_open else (
        today + delta(days=61), today + delta(days=80))
    return {
        "registration_opens": registration[0], "registration_closes": registration[1],
        "evidence_opens": today - delta(days=20), "evidence_closes": today + delta(days=60),
        "evaluation_opens": evaluation[0], "evaluation_closes": evaluation[1],
    }


def pledge_values(movement_year: MovementYear, sector: str = "health") -> list[dict]:
    """One pledge under each responsibility, as a member's form would give them."""
    values = []
    for responsibility in ("work", "people", "self"):
        criterion = Criterion.objects.filter(movement_year=movement_year, responsibility=responsibility,
                                             applies_to__in=["both", sector]).first()
        values.append({"criterion": criterion, "text": f"Cam kết {responsibility}", "target_kind": "number",
                       "target_value": 10, "target_unit": "hồ sơ",
                       "due_date": datetime.date(movement_year.year, 12, 1)})
    return values


def make_commitment(member: Member, movement_year: MovementYear, state=CommitmentState.SUBMITTED) -> Commitment:
    commitment = Commitment.objects.create(member=member, movement_year=movement_year, state=state)
    for values in pledge_values(movement_year):
        Pledge.objects.create(commitment=commitment, **values)
    return commitment

