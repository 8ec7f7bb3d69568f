"""Staff pages of the CSV imports: upload a file (organisations, or other spaces'
convocations), then follow its background job (:mod:`.imports`) on a page that refreshes by
itself while it runs (no JavaScript) and lists every rejected row with its line and reason."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from . import csvimport, imports, services
from .forms import ImportForm
from .models import ImportJob
from .views import staff_required

COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    ImportJob.Kind.ORGANISATIONS: (
        csvimport.REQUIRED,
        (
            "territorio",
            "cadena",
            "tamano",
            "grupo_riesgo",
            "contacto_nombre",
            "contacto_correo",
            "contacto_telegram",
            "contacto_whatsapp",
            "consentimiento",
        ),
    ),
    ImportJob.Kind.CONVOCATIONS: (csvimport.CONVOCATION_REQUIRED, ()),
}


@staff_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            job = imports.import_job_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                file_name=file.name,
                data=file.read(imports.MAX_BYTES + 1),
                delimiter=form.cleaned_data["delimiter"],
                language=get_language() or "es",
            )
        except services.ConvocationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("convocation:import_job", pk=job.pk)
    return render(
        request,
        "convocation/import.html",
        {
            "form": form,
            "columns": [(label, COLUMNS[kind]) for kind, label in ImportJob.Kind.choices],
            "jobs": ImportJob.objects.defer("content")[:20],
        },
    )


@staff_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=pk)
    running = job.status in (
        ImportJob.Status.PENDING,
        ImportJob.Status.RUNNING,
        ImportJob.Status.FAILED,
    )
    return render(
        request,
        "convocation/import_job.html",
        {
            "job": job,
            "running": running,
            "rejected": job.rejected_rows.all() if not running else [],
            "rejected_count": job.rejected_rows.count(),
        },
    )
