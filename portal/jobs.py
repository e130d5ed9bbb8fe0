"""Background jobs: how a worker runs one, shows how far it got, and proves it is alive.

Django's tasks framework queues the work and django-tasks-db keeps the queue in PostgreSQL
(``manage.py db_worker`` runs it: no other server). Each job also has a record of ours
(``portal.models.BackgroundJob``: an import, an export), which the pages read:

- A worker **takes** the job with one conditional UPDATE (``take``), which sets a token of its
  own (``runner``); a second worker, or a second run of the same task, finds it taken and stops.
- While it works, a thread of the worker (``Progress``, on a database connection of its own)
  writes how far it got (``rows_done`` of ``rows_total``, the ``phase``) and a heartbeat every
  ``JOB_BEAT_SECONDS``. The work itself runs in one transaction that others cannot see until it
  commits, so progress could not be written there.
- The work **ends** by moving the record to its final state in that same transaction, and only
  if the record still names this runner (``finish``): a job that was meanwhile marked failed or
  deleted rolls the whole work back. All or nothing, whatever happens around it.
- A worker that **dies** (killed, its machine lost) stops beating; its transaction is rolled
  back by PostgreSQL. Whoever looks at the job after ``JOB_STALE_SECONDS`` without a heartbeat
  marks it failed with a message (``check_alive``): nothing of it was kept. A worker stopped
  by a signal marks its job failed itself (``run``).
"""

import datetime
import logging
import threading
import uuid

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.tasks import task_backends
from django.tasks.base import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone, translation
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


class JobGone(Exception):
    """The job's record no longer names this runner: it was marked failed, or deleted."""


def take(model, pk, state: str, *, to: str | None = None):
    """The job, taken by this worker (and moved to state ``to``), if it is in ``state`` and
    nobody took it yet; else None."""
    runner = uuid.uuid4()
    now = timezone.now()
    taken = model.objects.filter(pk=pk, state=state, runner__isnull=True).update(
        runner=runner, heartbeat_at=now, changed_at=now, phase="", rows_done=0, state=to or state
    )
    if not taken:
        return None
    return model.objects.get(pk=pk)


def finish(job, **fields) -> None:
    """Move the job to its final state, inside the work's transaction, if it is still ours."""
    fields.setdefault("changed_at", timezone.now())
    fields.setdefault("runner", None)
    moved = type(job).objects.filter(pk=job.pk, runner=job.runner).update(**fields)
    if not moved:
        raise JobGone(job.pk)
    for name, value in fields.items():
        setattr(job, name, value)


def fail(job, message: str, **fields) -> None:
    """Mark the job failed with ``message``, if it is still this runner's (outside the work's
    transaction, which was rolled back)."""
    type(job).objects.filter(pk=job.pk, runner=job.runner).update(
        state=job.State.FAILED,
        message=message,
        runner=None,
        changed_at=timezone.now(),
        **fields,
    )


class Progress(threading.Thread):
    """How far a job got, written by a thread on its own connection every ``JOB_BEAT_SECONDS``
    with a heartbeat: the worker's own transaction is invisible to the pages until it commits.

    The work only sets ``phase``, ``total`` and ``done`` (plain attributes: a beat reads whatever
    they hold). A beat skips a record locked by another transaction (the work's own, as it
    finishes) rather than wait for it.
    """

    def __init__(self, job):
        super().__init__(name=f"job-progress-{job.pk}", daemon=True)
        self.job = job
        self.phase, self.total, self.done = "", None, 0
        self._stop = threading.Event()

    def start_phase(self, phase: str, total: int | None = None) -> None:
        self.phase, self.total, self.done = phase, total, 0

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self.join()

    def run(self):
        try:
            while not self._stop.wait(settings.JOB_BEAT_SECONDS):
                self.beat()
        finally:
            connection.close()  # this thread's own connection

    def beat(self) -> None:
        table = connection.ops.quote_name(type(self.job)._meta.db_table)
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET heartbeat_at = now(), phase = %s, rows_done = %s, "
                    f"rows_total = %s WHERE id = (SELECT id FROM {table} WHERE id = %s "
                    f"AND runner = %s FOR UPDATE SKIP LOCKED)",
                    [self.phase, self.done, self.total, self.job.pk, self.job.runner],
                )
        except Exception:
            # A missed beat is no failure; enough of them make the job stale, as they should.
            logger.exception("Job %s: progress not written", self.job.pk)
            connection.close()


def run(job, work) -> None:
    """Run ``work(progress)`` for a job this worker took, in the language of whoever asked for
    it. An exception marks the job failed with a message and is raised again for the worker's
    log; a stop by signal (SystemExit, KeyboardInterrupt) likewise."""
    with translation.override(job.language or settings.LANGUAGE_CODE), Progress(job) as progress:
        try:
            work(progress)
        except JobGone:
            logger.warning("Job %s was taken away from this worker; nothing was kept", job.pk)
        except BaseException as error:
            if isinstance(error, SystemExit | KeyboardInterrupt):
                message = gettext(
                    "The worker was stopped before the job finished: nothing of it was kept."
                )
            else:
                message = gettext(
                    "The job failed unexpectedly: nothing of it was kept. The administrator can "
                    "find the cause in the worker's log."
                )
            fail(job, message)
            raise


def enqueue(task, job, *args) -> None:
    """Queue ``task`` for ``job`` (its first argument is the job's id) and note the task's id.

    Called inside the transaction that made the job, the task is queued as that commits (the
    queue is a table of the same database), so there is never a job without its task."""
    result = task.enqueue(str(job.pk), *args)
    job.task_id = task_reference(result)
    type(job).objects.filter(pk=job.pk).update(task_id=job.task_id)


def task_reference(result) -> str:
    """A queued task as a job keeps it: its backend and its id."""
    return f"{result.backend}/{result.id}"[:64]


def _task_result(job):
    """The job's task as its backend knows it, or None when the backend cannot say; raises
    TaskResultDoesNotExist when the backend no longer has it."""
    alias, _, task_id = job.task_id.partition("/")
    if not task_id:
        return None
    backend = task_backends[alias]
    if not backend.supports_get_result:
        return None
    return backend.get_result(task_id)


def check_alive(job):
    """The job, marked failed first if its worker died: no heartbeat for ``JOB_STALE_SECONDS``,
    or (not yet taken) its task is no longer waiting in the queue."""
    if not job.running:
        return job
    limit = timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    if job.runner is not None:
        dead = job.heartbeat_at is None or job.heartbeat_at < limit
    else:
        dead = job.changed_at < limit and not _still_queued(job)
    if not dead:
        return job
    model = type(job)
    model.objects.filter(pk=job.pk, state=job.state, runner=job.runner).filter(
        changed_at=job.changed_at, heartbeat_at=job.heartbeat_at
    ).update(
        state=model.State.FAILED,
        runner=None,
        changed_at=timezone.now(),
        message=gettext(
            "The worker running this job stopped (it was restarted, or its machine failed) "
            "before the job finished: nothing of it was kept."
        ),
        **job.dead_fields(),
    )
    job.refresh_from_db()
    return job


def _still_queued(job) -> bool:
    """Whether the job's task still waits for a worker (or the backend cannot say)."""
    try:
        result = _task_result(job)
    except TaskResultDoesNotExist:
        return False
    return result is None or result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def queue_position(job) -> int | None:
    """How many tasks wait before this job's (None when the backend cannot say)."""
    try:
        result = _task_result(job)
    except TaskResultDoesNotExist:
        return None
    db_result = getattr(result, "db_result", None)
    if db_result is None or result.status != TaskResultStatus.READY:
        return None
    return type(db_result).objects.ready().filter(enqueued_at__lt=db_result.enqueued_at).count()


def request_for(user) -> HttpRequest:
    """A request made of ``user`` alone, for the admin's own scoping (its querysets, the
    resources it gives) when a worker acts for that user."""
    request = HttpRequest()
    request.method = "GET"
    request.user = user
    return request
