"""Import organisations (and their contact) from a CSV: every row created or rejected with its
reason, duplicates found by name with the moderation matcher's Spanish normalisation and a fuzzy
score (rapidfuzz), against the registry and the file's earlier rows.

Columns (header names; only ``nombre``, ``region`` and ``categoria`` are required):
``nombre, region, categoria, territorio, cadena, tamano, grupo_riesgo, contacto_nombre,
contacto_correo, contacto_telegram, contacto_whatsapp, consentimiento``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from forum.core.validation import full_clean
from forum.moderation.matcher import normalize
from forum.participation.models import (
    ActorCategory,
    Channel,
    ChannelIdentity,
    Organisation,
    Person,
    Region,
)

from .models import AtRiskGroup, Contact, Convocation, OrganisationProfile, Size, ValueChain

REQUIRED = ("nombre", "region", "categoria")
# Same organisation when the normalised names score at least this (0-100, token sort ratio):
# «Fundación Trabajo para un Hermano» = «Fundacion Trabajo Para un Hermano Ltda.».
DUPLICATE_SCORE = 92.0
_LEGAL = re.compile(r"\b(s\.?\s?a\.?|ltda\.?|spa|e\.?i\.?r\.?l\.?|limitada)\s*$", re.IGNORECASE)
_PHONE = re.compile(r"\+?\d{8,15}")


def name_key(name: str) -> str:
    """The name as compared: legal form dropped, then the matcher's normalisation."""
    return normalize(_LEGAL.sub("", name.strip()), html_input=False) or name.strip().casefold()


@dataclass
class ImportReport:
    created: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (row, name, reason)


def _choice(value: str, choices: Iterable[tuple[str, Any]]) -> str | None:
    folded = normalize(value, html_input=False)
    for key, label in choices:
        if value == key or folded == normalize(str(label), html_input=False):
            return key
    return None


def _regions() -> dict[str, Region]:
    out: dict[str, Region] = {}
    for r in Region.objects.all():
        for key in (r.slug, r.code, r.name):
            out[normalize(key, html_input=False)] = r
            out[key.casefold()] = r
    return out


class _Names:
    """Known names by region, for the fuzzy duplicate check."""

    def __init__(self) -> None:
        self.by_region: dict[int, tuple[list[str], list[str]]] = {}
        for region_id, name in Organisation.objects.values_list("region_id", "name"):
            self.add(region_id, name)

    def add(self, region_id: int | None, name: str) -> None:
        keys, names = self.by_region.setdefault(region_id or 0, ([], []))
        keys.append(name_key(name))
        names.append(name)

    def duplicate_of(self, region_id: int, name: str) -> tuple[str, float] | None:
        keys, names = self.by_region.get(region_id, ([], []))
        if not keys:
            return None
        found = process.extractOne(
            name_key(name), keys, scorer=fuzz.token_sort_ratio, score_cutoff=DUPLICATE_SCORE
        )
        return None if found is None else (names[found[2]], float(found[1]))


# Called inside each row's transaction with (row number, name, reason or ""): a background
# import records its progress there, so a row and its progress are written together.
Checkpoint = Callable[[int, str, str], None]


def organisations_import(
    *,
    actor,
    rows: Iterable[Mapping[str, str]],
    total: int = 0,
    progress: Callable[[int], None] | None = None,
    start: int = 1,
    checkpoint: Checkpoint | None = None,
) -> ImportReport:
    """Create each valid, new organisation with its profile and contact (one transaction per
    row, so a bad row never undoes the good ones). ``progress(n)`` after each row; rows are
    numbered from ``start``."""
    report = ImportReport()
    regions = _regions()
    names = _Names()
    chains = {c.name.casefold(): c for c in ValueChain.objects.all()}
    for n, raw in enumerate(rows, start=start):
        row = {k.strip().casefold(): (v or "").strip() for k, v in raw.items() if k}
        name = row.get("nombre", "")
        with transaction.atomic():
            reason = _import_row(row, regions, names, chains)
            if checkpoint is not None:
                checkpoint(n, name, reason)
        if reason:
            report.rejected.append((n, name, reason))
        else:
            report.created += 1
        if progress is not None:
            progress(n)
    return report


class _Rejected(Exception):
    """A row that cannot be imported; its message is the reason shown in the report."""


@dataclass(frozen=True)
class _Valid:
    """A row's checked values, ready to be saved."""

    name: str
    region: Region
    category: str
    size: str
    group: str
    email: str
    whatsapp: str
    telegram: str
    consent_at: dt.datetime | None


def _import_row(row, regions, names: _Names, chains) -> str:
    """Create the row's organisation; the reason it was rejected, or "" when it was created."""
    try:
        valid = _validated(row, regions)
    except _Rejected as exc:
        return str(exc)
    dup = names.duplicate_of(valid.region.pk, valid.name)
    if dup is not None:
        return _("duplicada de «%(other)s» (similitud %(score).0f)") % {
            "other": dup[0],
            "score": dup[1],
        }
    try:
        with transaction.atomic():
            _create(row, valid, chains)
    except (ValidationError, IntegrityError) as exc:
        return _("no se pudo guardar: %(error)s") % {"error": exc}
    names.add(valid.region.pk, valid.name)
    return ""


def _validated(row, regions) -> _Valid:
    """The row's values, checked in column order; :class:`_Rejected` at the first bad one."""
    missing = [c for c in REQUIRED if not row.get(c)]
    if missing:
        raise _Rejected(_("faltan datos: %(cols)s") % {"cols": ", ".join(missing)})
    region = regions.get(row["region"].casefold()) or regions.get(
        normalize(row["region"], html_input=False)
    )
    if region is None:
        raise _Rejected(_("región desconocida: %(value)s") % {"value": row["region"]})
    category = _choice(row["categoria"], ActorCategory.choices)
    if category is None:
        raise _Rejected(_("categoría desconocida: %(value)s") % {"value": row["categoria"]})
    size = _choice(row["tamano"], Size.choices) if row.get("tamano") else ""
    if size is None:
        raise _Rejected(_("tamaño desconocido: %(value)s") % {"value": row["tamano"]})
    group = _choice(row["grupo_riesgo"], AtRiskGroup.choices) if row.get("grupo_riesgo") else ""
    if group is None:
        raise _Rejected(_("grupo desconocido: %(value)s") % {"value": row["grupo_riesgo"]})
    email, whatsapp, telegram = _contact_addresses(row)
    return _Valid(
        name=row["nombre"][:200],
        region=region,
        category=category,
        size=size,
        group=group,
        email=email,
        whatsapp=whatsapp,
        telegram=telegram,
        consent_at=_consent_at(row.get("consentimiento", "")),
    )


def _contact_addresses(row) -> tuple[str, str, str]:
    """The contact's e-mail, WhatsApp number and Telegram chat id, each "" when not given."""
    email = row.get("contacto_correo", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _Rejected(_("correo no válido: %(value)s") % {"value": email}) from None
    whatsapp = re.sub(r"[\s().-]", "", row.get("contacto_whatsapp", ""))
    if whatsapp and not _PHONE.fullmatch(whatsapp):
        raise _Rejected(_("número de WhatsApp no válido: %(value)s") % {"value": whatsapp})
    telegram = row.get("contacto_telegram", "")
    if telegram and not telegram.lstrip("-").isdecimal():
        raise _Rejected(_("el contacto de Telegram debe ser el id numérico del chat"))
    return email, whatsapp, telegram


def _consent_at(consent: str) -> dt.datetime | None:
    """When the contact consented: «sí» is now, a date is that day; None when not given."""
    if not consent:
        return None
    day = parse_date(consent) if consent[:1].isdigit() else None
    if consent.casefold() in ("si", "sí", "yes", "x"):
        return timezone.now()
    if day is not None:
        return timezone.make_aware(
            timezone.datetime(day.year, day.month, day.day)  # type: ignore[attr-defined]
        )
    raise _Rejected(_("consentimiento no válido: %(value)s (sí o una fecha)") % {"value": consent})


def _create(row, valid: _Valid, chains) -> None:
    """Save the organisation, its profile and, when the row names one, its contact."""
    org = Organisation(name=valid.name, region=valid.region, actor_category=valid.category)
    full_clean(org)
    org.save()
    chain = None
    if row.get("cadena"):
        chain = chains.get(row["cadena"].casefold())
        if chain is None:
            chain = ValueChain.objects.create(name=row["cadena"][:120])
            chains[chain.name.casefold()] = chain
    OrganisationProfile.objects.create(
        organisation=org,
        territory=row.get("territorio", "")[:100],
        value_chain=chain,
        size=valid.size,
        at_risk_group=valid.group,
    )
    if row.get("contacto_nombre") or valid.email or valid.whatsapp or valid.telegram:
        person = Person.objects.create(
            display_name=row.get("contacto_nombre", "")[:150],
            email=valid.email,
            region=valid.region,
            organisation=org,
            actor_category=valid.category,
            consent_at=valid.consent_at,
        )
        for channel, ext in (
            (Channel.TELEGRAM, valid.telegram),
            (Channel.WHATSAPP, valid.whatsapp),
        ):
            if ext:
                ChannelIdentity.objects.create(
                    person=person, channel=channel, external_id=ext.lstrip("+")
                )
        Contact.objects.create(organisation=org, person=person)


CONVOCATION_REQUIRED = ("organizacion", "region", "fecha", "espacio")


def convocations_import(
    *,
    actor,
    rows: Iterable[Mapping[str, str]],
    progress: Callable[[int], None] | None = None,
    start: int = 1,
    checkpoint: Checkpoint | None = None,
) -> ImportReport:
    """Record other spaces' convocations (``organizacion, region, fecha, espacio``): the
    organisation is found by name in its region, as the duplicate check compares names (legal
    form dropped, normalised, fuzzy score ≥ 92). Every row not recorded is reported."""
    report = ImportReport()
    regions = _regions()
    names = _Names()
    ids: dict[tuple[int, str], int] = {
        (region_id or 0, name): pk
        for pk, region_id, name in Organisation.objects.values_list("pk", "region_id", "name")
    }
    for n, raw in enumerate(rows, start=start):
        row = {k.strip().casefold(): (v or "").strip() for k, v in raw.items() if k}
        with transaction.atomic():
            reason = _convocation_row(row, regions, names, ids)
            if checkpoint is not None:
                checkpoint(n, row.get("organizacion", ""), reason)
        if reason:
            report.rejected.append((n, row.get("organizacion", ""), reason))
        else:
            report.created += 1
        if progress is not None:
            progress(n)
    return report


def _convocation_row(row, regions, names: _Names, ids) -> str:
    missing = [c for c in CONVOCATION_REQUIRED if not row.get(c)]
    if missing:
        return _("faltan datos: %(cols)s") % {"cols": ", ".join(missing)}
    region = regions.get(row["region"].casefold()) or regions.get(
        normalize(row["region"], html_input=False)
    )
    if region is None:
        return _("región desconocida: %(value)s") % {"value": row["region"]}
    day = parse_date(row["fecha"]) if row["fecha"][:1].isdigit() else None
    if day is None:
        return _("fecha no válida: %(value)s (AAAA-MM-DD)") % {"value": row["fecha"]}
    found = names.duplicate_of(region.pk, row["organizacion"])
    if found is None:
        return _("organización no registrada en la región: %(value)s") % {
            "value": row["organizacion"]
        }
    Convocation.objects.create(
        organisation_id=ids[(region.pk, found[0])],
        date=day,
        space_name=row["espacio"][:200],
        source=Convocation.Source.IMPORTED,
    )
    return ""
