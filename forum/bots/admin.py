from django.contrib import admin

from .models import ChatMessage, Conversation, InboundUpdate


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("channel", "external_id", "state", "person", "updated_at")
    list_filter = ("channel", "state")
    search_fields = ("external_id",)
    raw_id_fields = ("person",)


@admin.register(InboundUpdate)
class InboundUpdateAdmin(admin.ModelAdmin):
    list_display = ("platform", "update_id", "status", "attempts", "created_at")
    list_filter = ("platform", "status")
    search_fields = ("update_id",)
    readonly_fields = ("payload", "error")


@admin.register(ChatMessage)
class ChatMessageAdmin(admin.ModelAdmin):
    list_display = ("conversation", "direction", "status", "attempts", "created_at")
    list_filter = ("status", "direction")
    raw_id_fields = ("conversation",)
