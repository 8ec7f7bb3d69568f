"""Translations: complete catalogs, same placeholders, and the compiled catalog really used.

Catalogs live in ``locale/<lang>/LC_MESSAGES/{django,djangojs}.po``; ``make test`` compiles them
with Babel first. When the ``.mo`` files are missing or older than the ``.po`` (plain ``pytest``
after editing a catalog), this module compiles them the same way and reloads Django's
translation cache, so what is tested is always what ``make run`` would serve.
"""

from __future__ import annotations

import importlib.util
import json
import os
import tempfile
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import override_settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
DOMAINS = ("django", "djangojs")

_spec = importlib.util.spec_from_file_location("fill_catalogs", LOCALE / "fill_catalogs.py")
assert _spec is not None
assert _spec.loader is not None
fill_catalogs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fill_catalogs)


def _catalog(lang: str, domain: str):
    with (LOCALE / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
        return read_po(fh, locale=lang, domain=domain)


def _entries(lang: str, domain: str):
    return [m for m in _catalog(lang, domain) if m.id]


def _existing_domains(lang: str) -> list[str]:
    return [d for d in DOMAINS if (LOCALE / lang / "LC_MESSAGES" / f"{d}.po").exists()]


def _compile_if_stale() -> None:
    for lang in ("es", "en"):
        for domain in _existing_domains(lang):
            po = LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
            mo = po.with_suffix(".mo")
            if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            catalog = _catalog(lang, domain)
            fd, tmp = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
            with os.fdopen(fd, "wb") as fh:
                write_mo(fh, catalog)
            os.replace(tmp, mo)


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs():
    _compile_if_stale()
    # Re-setting LOCALE_PATHS makes Django drop its cached translation objects (test signal
    # ``language_changed``), so the catalogs just compiled are the ones loaded.
    with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
        yield


# --- the catalogs themselves -------------------------------------------------------------------


def test_placeholder_extraction():
    assert fill_catalogs.placeholders("%(n)s de %(total)d, 100%% y %s") == (
        {"%(n)s", "%(total)d", "%s"},
        set(),
    )
    assert fill_catalogs.placeholders("Hola {name}, {{literal}} {0}") == (set(), {"{name}", "{0}"})


def test_catalog_headers_are_not_fuzzy():
    # Babel refuses to compile a catalog whose header is fuzzy: English would silently vanish.
    for lang in ("es", "en"):
        for domain in _existing_domains(lang):
            catalog = _catalog(lang, domain)
            assert not catalog.fuzzy, f"{lang}/{domain}.po header is marked fuzzy"
            assert str(catalog.locale) == lang


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_english_entry_is_translated_with_the_same_placeholders(domain):
    if domain not in _existing_domains("en"):
        pytest.skip(f"no {domain} catalog")
    problems = {
        fill_catalogs.key_of(m): fill_catalogs.problems_of(m)
        for m in _entries("en", domain)
        if fill_catalogs.problems_of(m)
    }
    assert problems == {}, "run locale/fill_catalogs.py and translate in locale/en_memory.json"


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_spanish_entry_is_filled(domain):
    if domain not in _existing_domains("es"):
        pytest.skip(f"no {domain} catalog")
    empty = [
        fill_catalogs.key_of(m)
        for m in _entries("es", domain)
        if m.fuzzy or not all(fill_catalogs.strings_of(m))
    ]
    assert empty == []


def test_no_stale_previous_msgids_left_in_the_catalogs():
    """``#| msgid`` lines (msgmerge's fuzzy-match hint) go once fill_catalogs.py fills an entry."""
    for lang in ("es", "en"):
        for domain in _existing_domains(lang):
            stale = [
                fill_catalogs.key_of(m)
                for m in _entries(lang, domain)
                if not m.fuzzy and any(c.startswith("|") for c in m.user_comments)
            ]
            assert stale == [], f"run locale/fill_catalogs.py ({lang}/{domain}.po)"


def test_english_translations_are_kept_in_the_memory():
    """A translation typed only into the .po would be lost when a string moves."""
    memory = json.loads((LOCALE / "en_memory.json").read_text(encoding="utf-8"))
    for domain in _existing_domains("en"):
        missing = [
            fill_catalogs.key_of(m)
            for m in _entries("en", domain)
            if fill_catalogs.key_of(m) not in memory
        ]
        assert missing == [], f"{domain}: add these to locale/en_memory.json"


def test_both_languages_have_the_same_entries():
    for domain in _existing_domains("en"):
        en = {fill_catalogs.key_of(m) for m in _entries("en", domain)}
        es = {fill_catalogs.key_of(m) for m in _entries("es", domain)}
        assert en == es, "re-run `make messages` for both languages"


# --- the compiled catalogs in use --------------------------------------------------------------


def test_status_label_in_english_and_spanish():
    from forum.participation.lifecycle import IdeaStatus

    with translation.override("en"):
        assert str(IdeaStatus.RECEIVED.label) == "Received"
        assert str(IdeaStatus.MERGED.label) == "Merged with another idea"
    with translation.override("es"):
        assert str(IdeaStatus.RECEIVED.label) == "Recibida"


def test_plural_forms_in_english():
    with translation.override("en"):
        assert translation.ngettext("%(n)s mensaje", "%(n)s mensajes", 1) % {"n": 1} == "1 message"
        assert translation.ngettext("%(n)s mensaje", "%(n)s mensajes", 3) % {"n": 3} == "3 messages"


@pytest.mark.django_db
def test_home_page_follows_accept_language(client):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    html = english.content.decode()
    assert '<html lang="en">' in html
    assert "Your ideas for jobs in your region" in html
    assert "Tus ideas para el empleo en tu región" not in html

    spanish = client.get("/", HTTP_ACCEPT_LANGUAGE="es-CL,es;q=0.9")
    html = spanish.content.decode()
    assert '<html lang="es">' in html
    assert "Tus ideas para el empleo en tu región" in html
    assert "Your ideas for jobs in your region" not in html


@pytest.mark.django_db
def test_language_switch_sticks_across_requests(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="en">' in html
    assert "Your ideas for jobs in your region" in html

    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="es">' in html
    assert "Tus ideas para el empleo en tu región" in html


@pytest.mark.django_db
def test_javascript_catalog_serves_english(client):
    if "djangojs" not in _existing_domains("en"):
        pytest.skip("no djangojs catalog")
    english = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '"En vivo": "Live"' in english
    spanish = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Live" not in spanish


# --- notifications: one catalog, every text in both languages ----------------------------------


def test_no_app_keeps_its_own_catalog():
    """``makemessages`` writes an app's strings into the app's ``locale/`` when it has one, and
    ``fill_catalogs.py`` / ``make compilemessages`` only look at the project ``locale/``."""
    app_catalogs = sorted(str(p) for p in (Path(settings.BASE_DIR) / "forum").glob("**/locale"))
    assert app_catalogs == [], "move these strings into locale/ (docs/i18n.md)"


def _notification(kind: str):
    import datetime as dt

    from forum.notifications.models import Notification

    payload = {
        "code": "AAAA1111",
        "title": "Más OTEC en Aysén",
        "from": "received",
        "to": "in_review",
        "message": "Ya existe.",
        "canonical_code": "BBBB2222",
        "canonical_title": "OTEC en la Patagonia",
        "reason": "Misma propuesta",
        "thread_id": 3,
        "thread_title": "Foro virtual Biobío",
        "post_id": 12,
        "excerpt": "¿Cuándo abren los cursos?",
    }
    created = dt.datetime(2026, 11, 23, 22, 52, tzinfo=dt.UTC)
    return Notification(kind=kind, payload=payload, created_at=created)


def _notification_kinds():
    from forum.notifications.models import Notification

    return [k.value for k in Notification.Kind]


@pytest.mark.parametrize("kind", _notification_kinds())
def test_every_notification_kind_is_english_for_an_english_reader(kind):
    from forum.notifications.render import render_notification

    note = _notification(kind)
    es = render_notification(note, "es")
    en = render_notification(note, "en")

    assert es.text.endswith(f"Ver más: {es.url}")
    assert en.text.endswith(f"See more: {en.url}")
    # Every sentence of the English text is translated (only the user's own words stay).
    assert en.subject != es.subject
    for es_line, en_line in zip(es.body.split("\n\n"), en.body.split("\n\n"), strict=True):
        if es_line == f"«{note.payload['excerpt']}»":  # the quoted post stays as written
            assert en_line == es_line
        else:
            assert en_line != es_line, f"not translated: {es_line!r}"
    with translation.override("en"):
        assert str(note.get_kind_display()) != kind
    with translation.override("es"):
        spanish_label = str(note.get_kind_display())
    with translation.override("en"):
        assert str(note.get_kind_display()) != spanish_label


def test_notification_models_and_inbox_words_in_english():
    from forum.notifications.models import Delivery, Notification

    with translation.override("en"):
        assert str(Notification._meta.verbose_name_plural) == "notifications"
        assert str(Delivery.Status.SKIPPED.label) == "Skipped (recipient unreachable)"
        # The inbox's "newer page" link and the idea list's "newest first" order share a
        # Spanish word, not an English one.
        assert translation.pgettext("paginación", "Más recientes") == "Newer"
        assert translation.gettext("Más recientes") == "Newest"
        assert (
            translation.ngettext("%(n)s aviso sin leer", "%(n)s avisos sin leer", 2) % {"n": 2}
            == "2 unread notifications"
        )


# --- "apoyo": the model's name and the idea list's count are two entries -----------------------


def test_support_model_name_and_support_count_are_translated_separately():
    from forum.participation.models import Support

    keys = {fill_catalogs.key_of(m) for m in _entries("en", "django")}
    assert {"modelo\x04apoyo", "contador\x04apoyo"} <= keys
    assert "apoyo" not in keys  # a bare msgid would merge with the plural again
    with translation.override("en"):
        assert str(Support._meta.verbose_name) == "support"
        assert translation.npgettext("contador", "apoyo", "apoyos", 1) == "support"
        assert translation.npgettext("contador", "apoyo", "apoyos", 3) == "supports"
    with translation.override("es"):
        assert str(Support._meta.verbose_name) == "apoyo"


@pytest.mark.django_db
def test_idea_list_counts_supports_in_english(client):
    import re

    from forum.participation import services
    from tests import factories

    idea = factories.idea(title="Intérpretes de lengua de señas")
    for _ in range(2):
        services.support_add(idea=idea, person=factories.person())
    idea.refresh_from_db()

    english = client.get("/ideas/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = client.get("/ideas/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    count = idea.support_count
    assert count >= 2
    assert re.search(rf'<span class="support-count">{count}</span> supports</span>', english)
    assert re.search(rf'<span class="support-count">{count}</span> apoyos</span>', spanish)
