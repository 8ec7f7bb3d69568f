"""Admin for the convocation registry: value chains and each region's priority chains (the
Estrategia Regional de Desarrollo), organisations' convocation profiles and contacts, and the
convocations of every participatory space (entered by staff). Lists and seats are read-only
here: they change only through the rule and the convocation pages (audited swaps)."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    Contact,
    Convocation,
    Delegation,
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
