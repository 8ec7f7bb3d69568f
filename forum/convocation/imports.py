"""The staff page's CSV imports (organisations, or other spaces' convocations) as background
jobs on the one job mechanism (:mod:`forum.core.jobs`): ``manage.py work`` runs the kind
``convocation_imports``.

The upload is checked at once (UTF-8 text without NUL bytes, a CSV whose header has the
required columns, at least one row) and stored whole in :class:`~.models.ImportJob`, so a
restart loses nothing. The worker claims a job with a lease and imports it row by row with the
same code as the commands (:mod:`.csvimport`: deduplication by name with the fuzzy matcher);
each row commits together with the job's progress and its rejection, if any, and extends the
lease. A worker that dies is taken over after the lease from the next row: nothing is imported
twice. An unexpected error is retried with backoff, then the job is dead and the page says so.
"""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forum.core import jobs
from forum.moderation.services.common import Actor, user_of

from . import csvimport, csvread
from .models import ImportJob, ImportRejectedRow
from .services import ConvocationError

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
LEASE_SECONDS = 120.0
MAX_ATTEMPTS = 3

REQUIRED: dict[str, tuple[str, ...]] = {
    ImportJob.Kind.ORGANISATIONS: csvimport.REQUIRED,
    ImportJob.Kind.CONVOCATIONS: csvimport.CONVOCATION_REQUIRED,
}

QUEUE = jobs.Queue(
    name="convocation_imports",
    model=ImportJob,
    ready=(ImportJob.Status.PENDING, ImportJob.Status.FAILED),
    done=ImportJob.Status.DONE,
    dead=ImportJob.Status.DEAD,
    leased=ImportJob.Status.RUNNING,
    error_field="error",
    order=("id",),
    max_attempts=lambda: MAX_ATTEMPTS,
    backoff_cap=300.0,
)


def import_job_create(
    *,
    actor: Actor,
    kind: str,
    file_name: str,
    data: bytes,
    delimiter: str = ",",
    language: str = "es",
) -> ImportJob:
    """Check an uploaded file and queue its import. :class:`ConvocationError` says what is
    wrong with a file that cannot be imported; nothing is stored then."""
    if kind not in REQUIRED:
        raise ConvocationError(_("Elige qué importar."))
    if len(data) > MAX_BYTES:
        raise ConvocationError(
            _("El archivo pesa más de %(mb)d MB: divídelo en partes.") % {"mb": MAX_BYTES >> 20}
        )
    try:
        text = csvread.decode(data)
        rows = csvread.parse(text, delimiter=delimiter, required=REQUIRED[kind])
    except csvread.CsvProblem as exc:
        raise ConvocationError(str(exc)) from exc
    if not rows:
        raise ConvocationError(_("El archivo no tiene filas de datos bajo el encabezado."))
    return ImportJob.objects.create(
        kind=kind,
        file_name=(file_name or "importacion.csv")[:200],
        content=text,
        delimiter=delimiter,
        language=language if language in ("es", "en") else "es",
        total=len(rows),
        created_by=user_of(actor),
        available_at=timezone.now(),
    )


class LeaseLost(Exception):
    """Another worker took the job over (this one was too slow): stop without writing."""


def import_job_run(pk: int, token: str) -> None:
    """Import a claimed job from its next row to the end, then mark it done."""
    job = ImportJob.objects.get(pk=pk)
    rows = csvread.parse(job.content, delimiter=job.delimiter, required=REQUIRED[job.kind])
    lines = [line for line, _raw in rows]

    def checkpoint(n: int, name: str, reason: str) -> None:
        if reason:
            ImportRejectedRow.objects.create(
                job_id=pk, line=lines[n - 1], name=name[:200], reason=reason
            )
        created = F("created") + (0 if reason else 1)
        if not QUEUE.renew(pk, token, lease_seconds=LEASE_SECONDS, processed=n, created=created):
            raise LeaseLost

    run = (
        csvimport.organisations_import
        if job.kind == ImportJob.Kind.ORGANISATIONS
        else csvimport.convocations_import
    )
    start = job.processed
    with translation.override(job.language):
        run(
            actor=job.created_by,
            rows=[raw for _line, raw in rows[start:]],
            start=start + 1,
            checkpoint=checkpoint,
        )
    QUEUE.finish(pk, token)


class ImportsJob:
    """``manage.py work --kind convocation_imports``: one uploaded file per step."""

    def step(self) -> int:
        claim = QUEUE.claim(limit=1, lease_seconds=LEASE_SECONDS)
        for pk in claim.ids:
            try:
                import_job_run(pk, claim.token)
            except LeaseLost:
                logger.warning("convocation_imports: lease of job %s lost, left to its taker", pk)
            except jobs.outage_errors():
                raise
            except Exception as exc:
                logger.exception("convocation_imports: job %s failed", pk)
                attempts = ImportJob.objects.filter(pk=pk).values_list("attempts", flat=True)[0]
                QUEUE.retry(
                    pk,
                    attempts=attempts + 1,
                    error=f"{type(exc).__name__}: {exc}",
                    token=claim.token,
                )
        return len(claim.ids) + len(claim.dead)

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass
