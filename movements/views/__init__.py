"""The movement year's pages, one module per subject; urls.py names them through this package."""

from movements.views.activities import *  # noqa: F401,F403
from movements.views.collectives import *  # noqa: F401,F403
from movements.views.commitments import *  # noqa: F401,F403
from movements.views.evidence import *  # noqa: F401,F403
from movements.views.initiatives import *  # noqa: F401,F403
from movements.views.projects import *  # noqa: F401,F403
from movements.views.years import *  # noqa: F401,F403
