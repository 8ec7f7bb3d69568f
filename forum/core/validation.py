"""``full_clean`` without asking the database what the caller already holds.

Django's ``Model.full_clean`` checks every non-null foreign key with a query (``SELECT 1 …
WHERE pk = …``). A service that builds a row from objects it has just read or created knows
they exist, and the database's foreign-key constraint refuses the insert anyway if one
vanished meanwhile. :func:`full_clean` skips that query for a foreign key whose object is on
the instance (loaded, with a primary key), and does everything else ``full_clean`` does:
field validation, ``clean()``, unique checks and constraints, errors gathered per field.

In the demo's load (1,820 ideas, 4,000 status changes, 1,100 threads) these were 13,000
queries.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


def _held_foreign_keys(instance: models.Model) -> set[str]:
    held = set()
    field: Any
    for field in instance._meta.concrete_fields:
        if not ((field.many_to_one or field.one_to_one) and field.is_cached(instance)):
            continue
        related = field.get_cached_value(instance)
        if related is not None and related.pk is not None and not related._state.adding:
            held.add(field.name)
    return held


def _failed(errors: dict) -> set[str]:
    return {name for name in errors if name != NON_FIELD_ERRORS}


def full_clean(
    instance: models.Model,
    *,
    validate_unique: bool = True,
    validate_constraints: bool = True,
) -> None:
    """``instance.full_clean()``, minus the existence query of each held foreign key."""
    errors: dict = {}
    held = _held_foreign_keys(instance)
    try:
        instance.clean_fields(exclude=held)
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    # As Django does: unique checks and constraints only for fields that passed.
    if validate_unique:
        try:
            instance.validate_unique(exclude=_failed(errors))
        except ValidationError as e:
            errors = e.update_error_dict(errors)
    if validate_constraints:
        try:
            instance.validate_constraints(exclude=_failed(errors))
        except ValidationError as e:
            errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
