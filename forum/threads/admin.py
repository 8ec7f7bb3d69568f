from django.contrib import admin

from .models import AgendaItem, Follow, Post, PostRevision, Thread


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "council", "meeting_date"]
    list_filter = ["council"]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "visibility", "council", "last_post_at"]
    list_filter = ["kind", "visibility", "council"]
    search_fields = ["title"]
    raw_id_fields = ["idea", "agenda_item", "dialogue"]


class RevisionInline(admin.TabularInline):
    model = PostRevision
    extra = 0
    readonly_fields = ["body", "created_at"]
    can_delete = False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    # Posts change only through services (history, events); the admin only reads them.
    list_display = ["id", "thread", "author", "created_at", "is_minutes", "hidden_at", "deleted_at"]
    list_filter = ["is_minutes"]
    search_fields = ["body"]
    readonly_fields = [
        "thread",
        "author",
        "body",
        "body_html",
        "reply_to",
        "is_minutes",
        "created_at",
        "edited_at",
        "deleted_at",
        "hidden_at",
        "hidden_reason",
        "hidden_by",
    ]
    inlines = [RevisionInline]

    def has_add_permission(self, request):
        return False


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["thread", "person", "created_at"]
    raw_id_fields = ["thread", "person"]
