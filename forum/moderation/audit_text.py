"""The audit log in words: which fields an action changed, from what to what, in the reader's
language («Estado: Recibida → Fusionada»), instead of the stored before/after JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.participation.codes import format_code
from forum.participation.lifecycle import IdeaStatus

# Every key the moderation services write (services/*.py); an unknown key (an older or newer
# action) shows with its underscores as spaces rather than being dropped.
FIELD_LABELS: dict[str, Promise] = {
    "agenda_dialogue": gettext_lazy("Diálogo en cuya agenda está"),
    "answer": gettext_lazy("Respuesta"),
    "answer_due": gettext_lazy("Plazo de respuesta"),
    "body": gettext_lazy("Texto"),
    "canonical": gettext_lazy("Idea canónica"),
    "canonical_text_restored": gettext_lazy("Texto de la idea canónica repuesto"),
    "channel": gettext_lazy("Canal"),
    "cluster": gettext_lazy("Ideas fusionadas en ella"),
    "code": gettext_lazy("Código"),
    "council": gettext_lazy("Consejo"),
    "dialogue": gettext_lazy("Diálogo"),
    "hidden": gettext_lazy("Oculta"),
    "hidden_reason": gettext_lazy("Motivo para ocultar"),
    "merge_id": gettext_lazy("Fusión"),
    "merge_ids": gettext_lazy("Fusiones"),
    "merged": gettext_lazy("Idea fusionada"),
    "merged_into": gettext_lazy("Fusionada en"),
    "open_reports": gettext_lazy("Reportes abiertos"),
    "region": gettext_lazy("Región"),
    "status": gettext_lazy("Estado"),
    "support_count": gettext_lazy("Apoyos"),
    "title": gettext_lazy("Título"),
    "topic": gettext_lazy("Tema"),
    "user": gettext_lazy("Persona"),
}
_STATUS_LABELS = dict(IdeaStatus.choices)
# Internal row ids a reader can do nothing with.
_INTERNAL_KEYS = frozenset({"merge_id", "merge_ids"})
# Values that are ideas' ids: shown by their tracking code.
_IDEA_ID_KEYS = frozenset({"merged_into"})
# Values that are (unformatted) tracking codes.
_CODE_KEYS = frozenset({"code", "cluster"})


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def field_label(key: str) -> str:
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ")


def idea_ids(entry_before: Any, entry_after: Any) -> set[int]:
    """The ids of ideas a before/after pair names (to look their codes up in one query)."""
    found: set[int] = set()
    for side in (entry_before, entry_after):
        for path, value in _flatten(side):
            if path and path[-1] in _IDEA_ID_KEYS and isinstance(value, int):
                found.add(value)
            if len(path) >= 2 and path[-2].isdigit():
                found.add(int(path[-2]))
    return found


def changes(
    before: Any,
    after: Any,
    *,
    codes: Mapping[int, str],
    councils: Mapping[Any, str] | None = None,
) -> list[Change]:
    """The fields whose value differs between ``before`` and ``after``, in words; ``codes``
    maps idea ids to their tracking codes, ``councils`` council ids and slugs to names."""
    old = dict(_flatten(before))
    new = dict(_flatten(after))
    out = []
    for path in dict.fromkeys([*old, *new]):
        key = path[-1] if path else ""
        if key in _INTERNAL_KEYS:
            continue
        if path not in old and new.get(path) in (None, "", [], False):
            continue  # nothing was there and nothing is: not a change
        texts = [
            value_text(key, side.get(path), codes=codes, councils=councils) for side in (old, new)
        ]
        if texts[0] == texts[1]:
            continue
        out.append(Change(field=_path_label(path, codes), before=texts[0], after=texts[1]))
    return out


def _path_label(path: tuple[str, ...], codes: Mapping[int, str]) -> str:
    parts = []
    for part in path:
        if part.isdigit():  # {"merged": {"<idea id>": {...}}}
            code = codes.get(int(part))
            parts.append(format_code(code) if code else f"#{part}")
        else:
            parts.append(field_label(part))
    return " · ".join(parts)


def value_text(
    key: str, value: Any, *, codes: Mapping[int, str], councils: Mapping[Any, str] | None = None
) -> str:
    """One stored value as a reader reads it: «sí», «no», «—», a status's name, a date, a
    tracking code."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("sí") if value else _("no")
    if key in _IDEA_ID_KEYS and isinstance(value, int):
        code = codes.get(value)
        return format_code(code) if code else f"#{value}"
    if key == "council" and councils and value in councils:
        return councils[value]
    if key == "status" and value in _STATUS_LABELS:
        return str(_STATUS_LABELS[value])
    if key in _CODE_KEYS:
        items = value if isinstance(value, list) else [value]
        return ", ".join(_code_text(str(v)) for v in items)
    if isinstance(value, list):
        return ", ".join(value_text("", v, codes=codes) for v in value)
    if isinstance(value, str) and key == "answer_due":
        try:
            return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return str(value)


def _code_text(code: str) -> str:
    return format_code(code) if len(code) == 8 and code.isalnum() else code


def _flatten(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _flatten(inner, (*path, str(key)))
    else:
        yield path, value
