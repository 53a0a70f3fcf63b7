"""The nightly rematch inside `spoormatch serve`, when SPOORMATCH_REMATCH_SCHEDULE is set.

APScheduler runs :func:`service.rematch.run_rematch` on a cron expression
("0 2 * * *": every night at 02:00, in the server's local time zone) in a
background thread of the API process. The run takes the same lock as the
command line, so a cron job on another machine and this one never overlap; the
one that comes second logs that and waits for its next turn. Inside the server
the run uses one process (forking a threaded web server is unsafe) and the
server's encoder; for large populations prefer the cron line with workers.
"""

from __future__ import annotations

import logging
from typing import Any

from matching.settings import Settings
from service.db import Database

log = logging.getLogger("service.scheduler")


def check_schedule(expression: str) -> None:
    """ValueError naming the setting when the cron expression cannot be read."""
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(expression)
    except ValueError as exc:
        raise ValueError(f"SPOORMATCH_REMATCH_SCHEDULE: {expression!r} is not a cron expression "
                         f"(minute hour day month weekday): {exc}") from None


def start(settings: Settings, db: Database, encoder: Any = None):
    """A started BackgroundScheduler, or None when no schedule is set."""
    expression = settings.rematch_schedule.strip()
    if not expression:
        return None
    check_schedule(expression)
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger

    def job() -> None:
        from service.rematch import RematchBusy, RematchOptions, run_rematch

        try:
            summary = run_rematch(db, settings, encoder, RematchOptions.from_settings(settings, workers=1))
            log.info("scheduled rematch done:\n%s", summary.format())
        except RematchBusy as exc:
            log.info("scheduled rematch not started: %s", exc)
        except Exception:
            log.exception("scheduled rematch failed; the previous results stay served")

    scheduler = BackgroundScheduler()
    # coalesce + one instance: a server that slept through several nights runs once, not many times.
    scheduler.add_job(job, CronTrigger.from_crontab(expression), id="rematch", coalesce=True, max_instances=1,
                      misfire_grace_time=3600)
    scheduler.start()
    log.info("rematch scheduled: %s", expression)
    return scheduler
