from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Delivery, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("channel", "address", "status", "attempts", "available_at", "sent_at", "last_error")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReadFilter(admin.SimpleListFilter):
    title = _("leída")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("yes", _("Sí")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "person", "idea", "created_at", "read_at")
    list_filter = ("kind", ReadFilter)
    list_select_related = ("person", "idea")
    search_fields = ("person__display_name", "person__email", "idea__tracking_code")
    date_hierarchy = "created_at"
    raw_id_fields = ("person", "idea")
    readonly_fields = ("created_at",)
    inlines = [DeliveryInline]


@admin.action(description=_("Reintentar ahora"))
def retry_now(modeladmin, request, queryset):
    count = services.delivery_retry_now(deliveries=queryset.values_list("pk", flat=True))
    modeladmin.message_user(
        request,
        ngettext("%(n)d entrega vuelve a la cola.", "%(n)d entregas vuelven a la cola.", count)
        % {"n": count},
        messages.SUCCESS,
    )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "notification",
        "channel",
        "address",
        "status",
        "attempts",
        "available_at",
        "sent_at",
        "last_error_short",
    )
    list_filter = ("status", "channel")
    list_select_related = ("notification__person",)
    search_fields = ("address", "last_error")
    raw_id_fields = ("notification",)
    readonly_fields = ("leased_until", "lease_token", "sent_at", "created_at")
    actions = [retry_now]

    @admin.display(description=_("último error"))
    def last_error_short(self, obj: Delivery) -> str:
        return obj.last_error[:80]
