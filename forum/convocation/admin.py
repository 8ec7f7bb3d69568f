"""Admin for the convocation registry: value chains and each region's priority chains (the
Estrategia Regional de Desarrollo), organisations' convocation profiles and contacts, and the
convocations of every participatory space (entered by staff). Lists and seats are read-only
here: they change only through the rule and the convocation pages (audited swaps)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    Contact,
    Convocation,
    Delegation,
    ImportJob,
    ImportRejectedRow,
    Invitation,
    OrganisationProfile,
    PriorityChain,
    Proposal,
    Seat,
    ValueChain,
)


@admin.register(ValueChain)
class ValueChainAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(PriorityChain)
class PriorityChainAdmin(admin.ModelAdmin):
    list_display = ("region", "chain", "source")
    list_filter = ("region",)
    autocomplete_fields = ("chain",)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    raw_id_fields = ("person",)


@admin.register(OrganisationProfile)
class OrganisationProfileAdmin(admin.ModelAdmin):
    list_display = ("organisation", "territory", "value_chain", "size", "at_risk_group", "active")
    list_filter = ("organisation__region", "organisation__actor_category", "size", "at_risk_group")
    search_fields = ("organisation__name", "territory")
    raw_id_fields = ("organisation",)
    filter_horizontal = ("other_regions",)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("organisation", "person", "role")
    search_fields = ("organisation__name", "person__display_name")
    raw_id_fields = ("organisation", "person")


@admin.register(Convocation)
class ConvocationAdmin(admin.ModelAdmin):
    list_display = ("date", "organisation", "space_name", "dialogue", "council", "source")
    list_filter = ("source", "organisation__region", "organisation__actor_category")
    search_fields = ("organisation__name", "space_name")
    date_hierarchy = "date"
    raw_id_fields = ("organisation", "dialogue", "council")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    fields = ("position", "organisation", "category", "state", "note")
    readonly_fields = fields
    can_delete = False


@admin.register(Proposal)
class ProposalAdmin(ReadOnly):
    list_display = ("__str__", "region", "date", "size", "created_at")
    inlines = [SeatInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnly):
    list_display = ("seat", "person", "answer", "answered_at", "reminded_at", "attended_at")
    list_filter = ("answer",)


@admin.register(Delegation)
class DelegationAdmin(ReadOnly):
    list_display = ("name", "invitation", "state", "created_at", "answered_at")
    list_filter = ("state",)


class RejectedRowInline(admin.TabularInline):
    model = ImportRejectedRow
    extra = 0
    fields = ("line", "name", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnly):
    """The CSV imports uploaded on the staff page: what each brought in, and every row it did not
    take with the reason (the file's own text stays out of the page)."""

    list_display = (
        "file_name",
        "kind",
        "status",
        "progress",
        "created",
        "rejected",
        "created_by",
        "created_at",
    )
    list_filter = ("kind", "status")
    search_fields = ("file_name",)
    date_hierarchy = "created_at"
    fields = (
        "file_name",
        "kind",
        "status",
        "progress",
        "created",
        "rejected",
        "created_by",
        "created_at",
        "processed_at",
        "error",
        "staff_page",
    )
    readonly_fields = fields
    inlines = [RejectedRowInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("content")
            .select_related("created_by")
            .annotate(rejected_count=Count("rejected_rows"))
        )

    @admin.display(description=_("avance"))
    def progress(self, job: ImportJob) -> str:
        return _("%(done)s de %(total)s filas (%(percent)s %%)") % {
            "done": job.processed,
            "total": job.total,
            "percent": job.percent,
        }

    @admin.display(description=_("filas rechazadas"))
    def rejected(self, job: ImportJob) -> int:
        return job.rejected_count  # type: ignore[attr-defined]

    @admin.display(description=_("en la página de importación"))
    def staff_page(self, job: ImportJob) -> str:
        url = reverse("convocation:import_job", args=[job.pk])
        return format_html('<a href="{}">{}</a>', url, _("Ver el avance y las filas rechazadas"))
