"""Every write of the campaigns and awards. Views, the admin and the demo call these functions, nothing else."""

from campaigns.services.awards import *
from campaigns.services.awards import AWARD_MOVES  # noqa: F401
from campaigns.services.campaigns import *
from campaigns.services.campaigns import CAMPAIGN_FIELDS  # noqa: F401
from campaigns.services.feedback import *
from campaigns.services.feedback import FEEDBACK_MOVES  # noqa: F401
from campaigns.services.follow_up import *
from campaigns.services.registrations import *
from campaigns.services.registrations import REGISTRATION_MOVES  # noqa: F401
from campaigns.services.reviews import *
