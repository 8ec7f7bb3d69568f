"""Admin for moderation records. The audit log and merge records are read-only there."""

from __future__ import annotations

from django.contrib import admin

from .models import AuditEntry, CouncilSecretary, Merge, Report


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
    list_display = ("user", "council", "created_at")
    list_filter = ("council",)
    autocomplete_fields = ("user",)
