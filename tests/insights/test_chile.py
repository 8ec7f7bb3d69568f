"""The census figures behind the map's «ideas per 100,000 inhabitants» shading."""

from __future__ import annotations

from forum.insights.chile import NATIONAL_TOTAL, POPULATION, POPULATION_CHECKED
from forum.participation.models import Region


def test_the_sixteen_regions_add_up_to_the_census_national_total():
    assert len(POPULATION) == 16
    assert sum(POPULATION.values()) == NATIONAL_TOTAL == 18_480_432


def test_every_region_says_where_its_figure_was_checked_or_that_it_was_not():
    assert set(POPULATION_CHECKED) == set(POPULATION)
    unchecked = sorted(slug for slug, source in POPULATION_CHECKED.items() if source is None)
    # Only the figures not found published alone remain, and they are named in the module's
    # docstring; a new unchecked figure must be named there too.
    assert unchecked == ["arica-y-parinacota", "los-rios", "ohiggins"]


def test_every_region_on_the_platform_has_a_population(db):
    slugs = set(Region.objects.values_list("slug", flat=True))
    assert slugs, "the regions are created by a data migration"
    assert slugs <= set(POPULATION)
