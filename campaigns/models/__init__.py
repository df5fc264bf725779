"""The models of the campaigns app, one module per subject: campaigns and awards; the people's feedback."""

from campaigns.models.campaigns import *  # noqa: F403
from campaigns.models.feedback import *  # noqa: F403
