"""The rule's reasons and shortfalls as sentences in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.participation.models import ActorCategory

from .models import AtRiskGroup


def category_label(category: str) -> str:
    return str(dict(ActorCategory.choices).get(category, category))


def reason_sentence(reason: Mapping[str, Any]) -> str:
    """«rota: no convocada desde 2025-03; …» from a seat's stored reason."""
    if reason.get("swapped"):
        return _("cambio del equipo (motivo en el registro de auditoría)")
    since = reason.get("since") or ""
    parts = [
        _("rota: no convocada desde %(month)s") % {"month": since}
        if since
        else _("rota: nunca convocada")
    ]
    count = int(reason.get("convened_12m") or 0)
    if reason.get("fatigued"):
        parts.append(
            ngettext(
                "%(n)s convocatoria en 12 meses, sobre el tope: nadie más podía ocupar el cupo",
                "%(n)s convocatorias en 12 meses, sobre el tope: nadie más podía ocupar el cupo",
                count,
            )
            % {"n": count}
        )
    elif count:
        parts.append(
            ngettext("%(n)s convocatoria en 12 meses", "%(n)s convocatorias en 12 meses", count)
            % {"n": count}
        )
    if reason.get("priority_chain"):
        parts.append(_("cadena prioritaria: %(chain)s") % {"chain": reason["priority_chain"]})
    if reason.get("at_risk_group"):
        group = dict(AtRiskGroup.choices).get(reason["at_risk_group"], reason["at_risk_group"])
        parts.append(_("representa a: %(group)s") % {"group": group})
    if reason.get("territory"):
        parts.append(_("suma el territorio: %(place)s") % {"place": reason["territory"]})
    if reason.get("replaces_declined"):
        parts.append(_("ocupa un cupo que otra organización no pudo tomar"))
    return "; ".join(str(p) for p in parts)


def shortfall_sentence(shortfall: Mapping[str, Any]) -> str:
    facts = {
        "category": category_label(str(shortfall.get("category", ""))),
        "missing": shortfall.get("missing", 0),
        "available": shortfall.get("available", 0),
    }
    if not facts["available"]:
        return _("%(category)s: no hay organizaciones registradas de esta categoría.") % facts
    return (
        _(
            "%(category)s: faltan %(missing)s cupos; solo hay %(available)s organizaciones "
            "registradas de esta categoría."
        )
        % facts
    )


def category_roles() -> list[tuple[str, str]]:
    """What each category is there to bring (the report's first finding: nobody knew)."""
    return [
        (
            category_label(ActorCategory.EMPLOYERS),
            _(
                "Dice qué trabajadores y qué competencias necesitan las empresas de la región, "
                "hoy y en los próximos años."
            ),
        ),
        (
            category_label(ActorCategory.SELF_EMPLOYMENT),
            _(
                "Trae las necesidades de capacitación de quienes trabajan por cuenta propia y "
                "de las microempresas en las cadenas de valor prioritarias de la región."
            ),
        ),
        (
            category_label(ActorCategory.EXCLUSION_GROUPS),
            _(
                "Representa e interpreta a los grupos en riesgo de quedar fuera del mercado "
                "laboral (mujeres, jóvenes, personas con discapacidad, migrantes, pueblos "
                "indígenas, personas mayores…)."
            ),
        ),
        (
            category_label(ActorCategory.TRAINING_PROVIDERS),
            _(
                "Cuenta qué capacitación e intermediación laboral se ofrece, qué funciona y "
                "qué falta para responder a lo anterior."
            ),
        ),
        (
            category_label(ActorCategory.PUBLIC_SECTOR),
            _(
                "Conecta lo conversado con los programas y presupuestos públicos, y responde "
                "por lo que el Estado puede hacer."
            ),
        ),
    ]
