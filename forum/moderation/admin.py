"""Admin for moderation records. The audit log and merge records are read-only there."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from forum.participation import admin as participation_admin
from forum.participation.models import Council, Idea
from forum.participation.permissions import can_change_status

from . import services
from .models import AuditEntry, CouncilSecretary, Merge, Report
from .permissions import answerable_councils

# The ideas' admin, with the councils a secretary answers for (this app's CouncilSecretary).
admin.site.unregister(Idea)


@admin.register(Idea)
class IdeaAdmin(participation_admin.IdeaAdmin):
    def save_model(self, request: HttpRequest, obj: Idea, form, change: bool) -> None:
        """A correction is audited like every other staff action (who, what before, after)."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        services.idea_edit(idea=obj, fields=form.changed_data, actor=request.user)

    def _council_links(self, request: HttpRequest) -> list[Council]:
        if can_change_status(request.user):
            return []
        return answerable_councils(request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "target_type", "target_id")
    list_filter = ("action", "target_type")
    search_fields = ("target_id", "reason")
    date_hierarchy = "created_at"


@admin.register(Merge)
class MergeAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "merged", "canonical", "actor", "undone_at")
    raw_id_fields = ("canonical", "merged")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "reporter", "content_type", "object_id", "reason", "resolved_at")
    list_filter = ("content_type", "resolved_at")


@admin.register(CouncilSecretary)
class CouncilSecretaryAdmin(admin.ModelAdmin):
    """Adding a secretary here also gives the person the "Secretaría de consejo" role, and both
    adding and removing are written to the audit log (through the moderation services)."""

    list_display = ("user", "council", "created_at")
    list_filter = ("council",)
    autocomplete_fields = ("user",)

    def has_change_permission(self, request, obj=None) -> bool:
        # A secretaryship is added or removed, never moved to another council in place.
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        link = services.council_secretary_assign(
            user=obj.user, council=obj.council, actor=request.user
        )
        obj.pk = link.pk

    def delete_model(self, request, obj) -> None:
        services.council_secretary_remove(link=obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for link in queryset.select_related("user", "council"):
            services.council_secretary_remove(link=link, actor=request.user)
