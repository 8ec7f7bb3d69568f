from django.contrib import admin

from .models import (
    AgendaPoint,
    CheckIn,
    ClosingWord,
    DialogueSpace,
    GuidingQuestion,
    PhaseChange,
    PhasePlan,
    Seat,
    SurveyAnswer,
    Table,
    TableIdea,
    Vote,
)


@admin.register(DialogueSpace)
class DialogueSpaceAdmin(admin.ModelAdmin):
    list_display = ["dialogue", "starts_at", "session_code", "results_published_at"]
    search_fields = ["dialogue__title", "session_code"]
    raw_id_fields = ["dialogue"]


@admin.register(PhaseChange)
class PhaseChangeAdmin(admin.ModelAdmin):
    # The phase moves only through services.dialogue_advance (checks, audit, notices).
    list_display = ["dialogue", "from_phase", "to_phase", "actor", "created_at"]
    list_filter = ["to_phase"]
    readonly_fields = ["dialogue", "from_phase", "to_phase", "actor", "note", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PhasePlan)
class PhasePlanAdmin(admin.ModelAdmin):
    list_display = ["dialogue", "phase", "starts_on", "ends_on"]
    list_filter = ["phase"]


@admin.register(GuidingQuestion)
class GuidingQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "dialogue", "position"]
    search_fields = ["text"]


@admin.register(AgendaPoint)
class AgendaPointAdmin(admin.ModelAdmin):
    list_display = ["title", "dialogue", "position", "agenda_item"]
    raw_id_fields = ["source_idea", "agenda_item", "thread"]


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    raw_id_fields = ["person", "organisation", "dialogue"]


@admin.register(Table)
class TableAdmin(admin.ModelAdmin):
    list_display = ["dialogue", "number", "facilitator"]
    raw_id_fields = ["facilitator"]
    inlines = [SeatInline]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ["table", "person", "organisation", "actor_category"]
    list_filter = ["actor_category"]
    raw_id_fields = ["person", "organisation", "table", "dialogue"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["dialogue", "person", "actor_category", "method", "created_at"]
    list_filter = ["method", "actor_category"]
    raw_id_fields = ["person", "organisation"]


@admin.register(TableIdea)
class TableIdeaAdmin(admin.ModelAdmin):
    list_display = ["table", "idea", "created_at"]
    raw_id_fields = ["idea", "entered_by"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["dialogue", "idea", "person", "created_at"]
    raw_id_fields = ["idea", "person"]


@admin.register(ClosingWord)
class ClosingWordAdmin(admin.ModelAdmin):
    list_display = ["word", "dialogue", "created_at"]
    raw_id_fields = ["person"]


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(admin.ModelAdmin):
    list_display = ["dialogue", "rating", "created_at"]
    list_filter = ["rating"]
    raw_id_fields = ["person"]
