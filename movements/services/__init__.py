"""Every write of the movement year. Views, the admin and the demo call these functions, nothing else."""

from movements.services.activities import *  # noqa: F401,F403
from movements.services.base import OWNER, Transition  # noqa: F401
from movements.services.collectives import *  # noqa: F401,F403
from movements.services.commitments import *  # noqa: F401,F403
from movements.services.commitments import (  # noqa: F401
    AMENDED_FIELDS,
    COMMITMENT_TRANSITIONS,
    PLEDGE_FIELDS,
    may_change_commitment,
)
from movements.services.evidence import *  # noqa: F401,F403
from movements.services.initiatives import *  # noqa: F401,F403
from movements.services.initiatives import INITIATIVE_TRANSITIONS  # noqa: F401
from movements.services.projects import *  # noqa: F401,F403
from movements.services.projects import PROJECT_TRANSITIONS  # noqa: F401
from movements.services.years import *  # noqa: F401,F403
