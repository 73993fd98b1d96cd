"""The protection census: a minimal verdict per worker, alerts when one worsens, cohorts.

``Census`` (run.py) evaluates the workers whose verdict may have changed, in batches, and
raises ``protection.alert`` events (alerts.py); ``members`` (cohort.py) lists a crisis cohort
from the census, most urgent first; ``AlertService`` (service.py) reads and acknowledges.
"""

from hub.census.alerts import EVENT, Alert
from hub.census.cohort import Cohort, CohortError, members
from hub.census.run import Census, CensusReport, mark_pending
from hub.census.service import AlertService

__all__ = [
    "EVENT",
    "Alert",
    "AlertService",
    "Census",
    "CensusReport",
    "Cohort",
    "CohortError",
    "mark_pending",
    "members",
]
