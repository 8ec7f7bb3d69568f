"""Admin for council secretaries and moderators.

Statuses never change by editing a field here: ``Idea.status`` is read-only and the change page
links to the status form, which goes through the lifecycle services (history + notifications).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .codes import normalise_code
from .models import (
    ChannelIdentity,
    Council,
    Dialogue,
    Idea,
    IdeaCoauthor,
    Membership,
    Organisation,
    Person,
    Region,
    StatusChange,
    Support,
    Topic,
)
from .permissions import can_change_status
from .search import text_condition

admin.site.site_header = _("Foro Abierto · administración")
admin.site.site_title = _("Foro Abierto")
admin.site.index_title = _("Consejos, diálogos e ideas")
admin.site.site_url = "/"


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["ordinal", "code", "name", "slug"]
    list_display_links = ["name"]
    search_fields = ["name", "code", "slug"]
    ordering = ["ordinal"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "actor_category"]
    list_filter = ["actor_category", "region"]
    search_fields = ["name"]
    list_select_related = ["region"]


class ChannelIdentityInline(admin.TabularInline):
    model = ChannelIdentity
    extra = 0
    fields = ["channel", "external_id", "unreachable_at", "created_at"]
    readonly_fields = ["created_at"]


class MembershipOfPersonInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["council", "organisation"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = [
        "display_name",
        "email",
        "region",
        "organisation",
        "actor_category",
        "language",
        "consent_at",
        "erased_at",
    ]
    list_filter = ["region", "actor_category", "language", "email_notifications"]
    search_fields = ["display_name", "email", "user__username", "organisation__name"]
    list_select_related = ["region", "organisation"]
    autocomplete_fields = ["organisation", "user"]
    readonly_fields = ["created_at", "consent_at", "erased_at"]
    inlines = [ChannelIdentityInline, MembershipOfPersonInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "organisation"]
    fields = ["person", "organisation", "actor_category", "role", "term_start", "term_end"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    list_select_related = ["region"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "council",
        "organisation",
        "actor_category",
        "role",
        "term_start",
        "term_end",
    ]
    list_filter = ["role", "actor_category", "council"]
    search_fields = ["person__display_name", "person__email", "organisation__name", "council__name"]
    list_select_related = ["person", "council", "organisation"]
    autocomplete_fields = ["person", "council", "organisation"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Dialogue)
class DialogueAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "date",
        "region",
        "council",
        "phase",
        "is_active",
        "dot_budget",
    ]
    list_filter = ["phase", "region", "is_active"]
    search_fields = ["title", "place", "facilitators"]
    # The phase moves only through dialogues.services.dialogue_advance (checks, audit, notices).
    readonly_fields = ["phase"]
    list_select_related = ["region", "council"]
    filter_horizontal = ["topics"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["council"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fk_name = "idea"
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "actor", "public_message", "related_idea")
    readonly_fields = fields
    ordering = ["created_at", "id"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[StatusChange]:
        return super().get_queryset(request).select_related("actor", "related_idea")


class CoauthorInline(admin.TabularInline):
    model = IdeaCoauthor
    fk_name = "idea"
    extra = 0
    autocomplete_fields = ["person"]
    readonly_fields = ["via_idea", "created_at"]


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "status", "region", "support_count", "created_at"]
    list_display_links = ["code", "title"]
    list_filter = ["status", "council", "region", "topic", "channel", "dialogue"]
    search_fields = ["title", "body", "=tracking_code"]
    search_help_text = _(
        "Cada palabra en el título o el texto, sin importar mayúsculas ni tildes; o un código "
        "de seguimiento."
    )
    list_select_related = ["region"]
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False  # the count of a big filtered table costs more than the page
    autocomplete_fields = ["author", "topic", "dialogue"]
    raw_id_fields = ["merged_into", "agenda_dialogue"]
    readonly_fields = [
        "code",
        "status",
        "status_form_link",
        "merged_into",
        "council",
        "answer_due",
        "agenda_dialogue",
        "public_answer",
        "support_count",
        "created_at",
        "updated_at",
        "hidden_at",
        "hidden_reason",
    ]
    fieldsets = [
        (None, {"fields": ["code", "title", "body", "original_text"]}),
        (
            _("Estado"),
            {
                "fields": [
                    "status",
                    "status_form_link",
                    "merged_into",
                    "council",
                    "agenda_dialogue",
                    "answer_due",
                    "public_answer",
                    "hidden_at",
                    "hidden_reason",
                ]
            },
        ),
        (
            _("Origen"),
            {
                "fields": [
                    "author",
                    "channel",
                    "region",
                    "topic",
                    "dialogue",
                    "external_source",
                    "external_id",
                ]
            },
        ),
        (_("Cifras"), {"fields": ["support_count", "created_at", "updated_at"]}),
    ]
    inlines = [CoauthorInline, StatusChangeInline]

    def get_search_results(self, request, queryset, search_term):
        # The public search, not the admin's per-field icontains: case and accents ignored,
        # every word in the title or the text, and a tracking code typed as "abcd-efgh" or with
        # I/L/O finds its idea. search_fields above only makes the admin show the search box.

        if not search_term.strip():
            return queryset, False
        condition = text_condition(search_term)
        code = normalise_code(search_term)
        if code:
            condition |= Q(tracking_code=code)
        return queryset.filter(condition), False

    @admin.display(description=_("código de seguimiento"), ordering="tracking_code")
    def code(self, obj: Idea) -> str:
        return obj.formatted_code  # ABCD-EFGH, as on every other page

    @admin.display(description=_("Cambiar estado"))
    def status_form_link(self, obj: Idea) -> str:
        if obj is None or not obj.pk:
            return "—"
        url = reverse("participation:idea_status", args=[obj.formatted_code])
        back = reverse("admin:participation_idea_change", args=[obj.pk])
        return format_html(
            '<a class="button" href="{}?next={}">{}</a>',
            url,
            back,
            _("Cambiar estado con mensaje público…"),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Ideas enter through the services (web, bots, import), which assign the tracking
        # code and record the first history entry.
        return False

    def get_fieldsets(self, request: HttpRequest, obj=None):
        # The status form answers 403 to whoever may not change statuses (a secretary's
        # view-only admin): no button to it for them.
        fieldsets = super().get_fieldsets(request, obj)
        if can_change_status(request.user):
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != "status_form_link"]})
            for name, opts in fieldsets
        ]

    def _council_links(self, request: HttpRequest) -> list[Council]:
        """Where a secretary answers: their councils' pages (moderators have the status form).
        Council secretaries belong to the moderation app, whose IdeaAdmin says which."""
        return []

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {**(extra_context or {}), "council_links": self._council_links(request)}
        return super().changelist_view(request, extra_context)

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url="", extra_context=None
    ):
        extra_context = {**(extra_context or {}), "council_links": self._council_links(request)}
        return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ["idea", "person", "dialogue", "channel", "created_at"]
    list_filter = ["channel", "dialogue"]
    search_fields = ["=idea__tracking_code", "person__display_name"]
    raw_id_fields = ["idea", "person", "dialogue"]
    list_select_related = ["idea", "person", "dialogue"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # supports go through support_add (budget, uniqueness, counter)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # deleting here would leave Idea.support_count wrong


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "idea", "from_status", "to_status", "actor"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["=idea__tracking_code", "idea__title", "public_message"]
    list_select_related = ["idea", "actor"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "idea",
        "from_status",
        "to_status",
        "actor",
        "public_message",
        "system_message",
        "related_idea",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
