"""Accessibility (WCAG 2.1 A and AA) of every kind of page, as each role sees it.

axe-core (bundled with axe-playwright-python) runs in Debian's Chromium against a live server on
the pages a person reaches: anonymous, participant, moderator and council secretary, in Spanish
and in English, at desktop and phone width. On top of axe's rules, checks axe does not make:
every aria-describedby/aria-labelledby/label points at an element that exists, no id is used
twice, a field's error message is tied to the field (aria-describedby, aria-invalid), and <html
lang> is the page's language. Then the keyboard: Tab from the top reaches the skip link, which
moves focus to the main content; and the live pages (a thread, the moderators' queue) announce
what arrives through polite live regions. docs/accessibility.md says what is checked and what
is not.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from forum.moderation import index
from tests import factories
from tests.browser import chromium
from tests.moderation.moderation_helpers import moderator, secretary
from tests.threads.helpers import citizen, public_thread

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}

# Swagger UI (django-ninja's /api/docs) puts the link and copy buttons of an operation inside the
# operation's own <button>; only a fork of Swagger UI could change that (docs/accessibility.md).
THIRD_PARTY_RULES = {"api docs": ["nested-interactive"]}

# What axe does not check: broken references, repeated ids, errors not tied to their field, lang.
DOM_CHECKS = """(lang) => {
  const problems = [];
  const shown = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) problems.push(`${attr}="${id}" on <${el.localName}
          name="${el.getAttribute("name") || ""}"> points at nothing`.replace(/\\s+/g, " "));
      }
    }
  }
  for (const label of document.querySelectorAll("label[for]")) {
    if (!document.getElementById(label.htmlFor)) problems.push(`label for="${label.htmlFor}"
      points at nothing`.replace(/\\s+/g, " "));
  }
  const seen = new Set();
  for (const el of document.querySelectorAll("[id]")) {
    if (seen.has(el.id)) problems.push(`id "${el.id}" is used twice`);
    seen.add(el.id);
  }
  const described = new Set();
  for (const el of document.querySelectorAll("[aria-describedby]")) {
    el.getAttribute("aria-describedby").split(/\\s+/).forEach((id) => described.add(id));
  }
  for (const list of document.querySelectorAll("main ul.errorlist:not(.nonfield)")) {
    if (shown(list) && !described.has(list.id)) {
      problems.push(`error «${list.textContent.trim().slice(0, 60)}» is not tied to its field`);
    }
  }
  for (const row of document.querySelectorAll("main .field-error")) {
    for (const c of row.querySelectorAll("input:not([type=hidden]), textarea, select")) {
      if (c.getAttribute("aria-invalid") !== "true") {
        problems.push(`field ${c.name} has an error but no aria-invalid="true"`);
      }
    }
  }
  for (const help of document.querySelectorAll("main .helptext")) {
    if (shown(help) && !described.has(help.id)) {
      problems.push(`help «${help.textContent.trim().slice(0, 60)}» is not tied to its field`);
    }
  }
  if (document.documentElement.lang !== lang) {
    problems.push(`<html lang="${document.documentElement.lang}"> on a page in «${lang}»`);
  }
  return problems;
}"""


@pytest.fixture(autouse=True)
def _fresh_index():
    # The duplicate index is process-wide; ids are reused between tests on SQLite.
    index.shared_index().reset()
    yield
    index.shared_index().reset()


@dataclass
class Page:
    """One page to audit: who sees it, where, and what to do there first (submit a form...)."""

    name: str
    role: str  # anonymous, participant, moderator, secretary
    path: str
    action: Callable[[Any], None] | None = None
    ready: str | None = None  # a selector to wait for (pages drawn by a script)
    language: str | None = None  # the page's own language when it has only one


@dataclass
class Finding:
    page: str
    language: str
    viewport: str
    url: str
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"{self.page} [{self.language}, {self.viewport}] {self.url}"
        return "\n".join([head, *(f"    {p}" for p in self.problems)])


def _submit_without_browser_checks(selector: str = "main form[method=post]"):
    """Submit the form as it is, letting the server (not the browser's `required`) refuse it."""

    def act(page) -> None:
        form = page.locator(selector).first
        form.evaluate("f => { f.noValidate = true; }")
        form.locator("button[type=submit]").first.click()
        page.wait_for_load_state("load")

    return act


def _wrong_password(page) -> None:
    page.fill("input[name=username]", "nadie")
    page.fill("input[name=password]", "no-es-la-clave")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")


def _site() -> dict[str, Any]:
    """A small forum with something on every page: ideas in several states (one merged, one
    routed to the secretary's council, one answered), a thread with posts, a report, notices."""
    from forum.moderation import services as moderation
    from forum.participation import services as participation
    from forum.participation.lifecycle import IdeaStatus
    from forum.threads import services as threads

    council = factories.council("biobio")
    mod = moderator("moderadora")
    sec = secretary(council, "secretaria")
    user, person = citizen("participante")
    _other_user, other = citizen("vecina")

    mine = factories.idea(
        author=person, title="Cursos de soldadura en Coronel", body="Para jóvenes"
    )
    twin = factories.idea(title="Más cursos de soldadura en Coronel", body="Con práctica")
    factories.idea(title="Becas de transporte para capacitación en Lota")
    merged = factories.idea(title="Cursos de soldadura para jóvenes de Coronel")
    moderation.idea_merge(canonical=twin, merged=[merged], actor=mod, reason="la misma idea")
    moderation.idea_route_cluster(
        idea=mine, council=council, actor=mod, answer_due=dt.date.today() + dt.timedelta(days=30)
    )
    answered = factories.idea(author=other, title="Orientación laboral en liceos técnicos")
    participation.support_add(idea=answered, person=person)
    moderation.idea_route_cluster(idea=answered, council=council, actor=mod)
    moderation.council_answer(
        idea=answered, outcome=IdeaStatus.ANSWERED_ACCEPTED, answer="Se incluye en 2027.", actor=sec
    )

    thread = public_thread(title="Capacitación en oficios digitales")
    threads.post_create(thread=thread, author=person, body="Propongo **cursos** nocturnos.")
    theirs = threads.post_create(thread=thread, author=other, body="Y con cuidado infantil.")
    moderation.content_report(reporter=person, target=theirs, reason="publicidad")

    # A celebrated dialogue with its results, and one open for ideas.
    from forum.dialogues import services as dialogues

    held = factories.dialogue(title="Diálogo del Biobío", phase="celebration")
    dialogues.guiding_question_add(actor=None, dialogue=held, text="¿Qué oficios faltan?")
    dialogues.session_import(
        actor=None,
        dialogue=held,
        attendees=[person, other],
        votes=[(person, mine), (other, mine)],
        words=[(person, "confianza"), (other, "diálogo")],
        answers=[(person, "excellent", ""), (other, "good", "")],
    )
    factories.idea(author=person, title="Talleres de oficios en Lota", dialogue=held)
    coming = factories.dialogue(title="Diálogo de Lota")
    dialogues.guiding_question_add(actor=None, dialogue=coming, text="¿Qué falta en Lota?")
    from forum.convocation import services as convocation
    from tests.convocation.helpers import org, registry

    registry(1)
    org("Cámara de Comercio de Coronel", convened=[dt.date(2025, 3, 4)])
    dialogue = factories.dialogue(council=council, title="Diálogo de Coronel")
    proposal = convocation.proposal_create(actor=mod, dialogue=dialogue, size=6)
    convocation.proposal_invite(actor=mod, proposal=proposal)

    from tests.threads.servers import session_cookie

    return {
        "held": held,
        "coming": coming,
        "cookies": {
            "participant": session_cookie(user),
            "moderator": session_cookie(mod),
            "secretary": session_cookie(sec),
        },
        "mine": mine,
        "answered": answered,
        "merged": merged,
        "twin": twin,
        "thread": thread,
        "theirs": theirs,
        "council": council,
        "dialogue": factories.dialogue(council=council, title="Diálogo de Biobío"),
        "proposal": proposal,
    }


def _pages(site: dict[str, Any]) -> list[Page]:
    code = site["answered"].formatted_code
    council = site["council"].slug
    mine = site["mine"]
    return [
        Page("home", "anonymous", "/"),
        Page("idea list, filtered", "anonymous", "/ideas/?q=cursos&region=biobio&order=supports"),
        Page("idea list, search too long", "anonymous", "/ideas/?q=" + "x" * 210),
        Page("idea detail", "anonymous", f"/ideas/{code}/"),
        Page("merged idea", "anonymous", f"/ideas/{site['merged'].formatted_code}/"),
        Page("seguir, unknown code", "anonymous", "/seguir/?code=zz"),
        Page("login, wrong password", "anonymous", "/cuenta/entrar/", _wrong_password),
        Page(
            "signup with errors", "anonymous", "/cuenta/registro/", _submit_without_browser_checks()
        ),
        Page("threads", "anonymous", "/hilos/"),
        Page("dialogues", "anonymous", "/dialogos/"),
        Page("dialogue with results", "anonymous", f"/dialogos/{site['held'].slug}/"),
        Page("dialogue open for ideas", "anonymous", f"/dialogos/{site['coming'].slug}/"),
        Page("councils", "anonymous", "/consejos/"),
        Page("council page", "anonymous", f"/consejos/{council}/"),
        Page("thread", "anonymous", f"/hilos/{site['thread'].pk}/"),
        Page("privacy", "anonymous", "/privacidad/"),
        # The API's descriptions are Spanish only (Swagger UI's own labels are English).
        Page("api docs", "anonymous", "/api/docs", ready=".opblock-summary-control", language="es"),
        Page("not found", "anonymous", "/no-existe/"),
        Page("chat", "anonymous", "/chat/"),
        Page("results", "anonymous", "/resultados/"),
        Page("results, map by share answered", "anonymous", "/resultados/?mapa=respondidas"),
        Page("results, region", "anonymous", "/resultados/region/biobio/"),
        Page("results, council", "anonymous", f"/resultados/consejo/{council}/"),
        Page("results, dialogue", "anonymous", f"/resultados/dialogo/{site['dialogue'].slug}/"),
        Page("success metric", "anonymous", "/resultados/metrica/"),
        Page("open data", "anonymous", "/datos/"),
        Page(
            "submit with errors", "participant", "/ideas/nueva/", _submit_without_browser_checks()
        ),
        Page("submitted", "participant", f"/ideas/{mine.formatted_code}/enviada/"),
        Page("mis ideas", "participant", "/mis-ideas/"),
        Page("avisos", "participant", "/avisos/"),
        Page("thread with post form", "participant", f"/hilos/{site['thread'].pk}/"),
        Page(
            "report with errors",
            "participant",
            f"/moderacion/reportar/post/{site['theirs'].pk}/",
            _submit_without_browser_checks(),
        ),
        Page("moderation queue", "moderator", "/moderacion/"),
        Page("moderation idea (merged)", "moderator", f"/moderacion/ideas/{site['merged'].pk}/"),
        Page("merge", "moderator", f"/moderacion/ideas/{site['twin'].pk}/fusionar/"),
        Page("route", "moderator", f"/moderacion/ideas/{site['twin'].pk}/derivar/"),
        Page("reports", "moderator", "/moderacion/reportes/"),
        Page("audit", "moderator", "/moderacion/auditoria/"),
        Page("convocation", "moderator", "/convocatoria/"),
        Page("convocation list", "moderator", f"/convocatoria/propuestas/{site['proposal'].pk}/"),
        Page("convocation, region", "anonymous", "/convocatoria/regiones/biobio/"),
        Page("convocation, national council", "anonymous", "/convocatoria/consejo-nacional/"),
        Page("convocation, council", "anonymous", f"/convocatoria/consejos/{council}/"),
        Page("council", "secretary", f"/moderacion/consejos/{council}/"),
        Page(
            "answer with errors",
            "secretary",
            f"/moderacion/consejos/{council}/ideas/{mine.pk}/responder/",
            _submit_without_browser_checks(),
        ),
    ]


def _context(browser, origin: str, language: str, viewport: dict, cookie: str | None):
    ctx = browser.new_context(
        locale="es-CL" if language == "es" else "en-US",
        viewport=viewport,
        extra_http_headers={"Accept-Language": language},
    )
    if cookie:
        host = origin.split("//", 1)[1].split(":")[0]
        value = cookie.split("=", 1)[1]
        ctx.add_cookies([{"name": "sessionid", "value": value, "domain": host, "path": "/"}])
    return ctx


def _audit(page, axe, language: str, disabled: list[str]) -> list[str]:
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    if disabled:
        options["rules"] = {rule: {"enabled": False} for rule in disabled}
    problems = []
    for v in axe.run(page, options=options).response["violations"]:
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            problems.append(f"axe {v['id']} ({v['impact']}): {target} — {v['help']}")
    return problems + page.evaluate(DOM_CHECKS, language)


def _sweep(origin: str, cookies: dict[str, str], pages: list[Page], runs) -> list[Finding]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    findings = []
    with chromium() as browser:
        for language, viewport_name, viewport, only in runs:
            for role in ("anonymous", "participant", "moderator", "secretary"):
                mine = [p for p in pages if p.role == role and (only is None or p.name in only)]
                if not mine:
                    continue
                ctx = _context(browser, origin, language, viewport, cookies.get(role))
                page = ctx.new_page()
                for p in mine:
                    page.goto(origin + p.path)
                    if p.action:
                        p.action(page)
                    if p.ready:
                        page.wait_for_selector(p.ready, timeout=15000)
                    disabled = THIRD_PARTY_RULES.get(p.name, [])
                    problems = _audit(page, axe, p.language or language, disabled)
                    findings.append(Finding(p.name, language, viewport_name, page.url, problems))
                ctx.close()
    return findings


# Every page in Spanish on a desktop and in English on a phone (each language and each width);
# the pages that change most with the width also in the other two combinations.
EVERY_PAGE = None
WIDTH_SENSITIVE = {"home", "idea list, filtered", "submit with errors", "thread with post form"}
RUNS = [
    ("es", "desktop", DESKTOP, EVERY_PAGE),
    ("en", "phone", PHONE, EVERY_PAGE),
    ("es", "phone", PHONE, WIDTH_SENSITIVE | {"moderation queue", "council"}),
    ("en", "desktop", DESKTOP, WIDTH_SENSITIVE),
]
if os.environ.get("A11Y_ALL_COMBINATIONS"):  # every page in all four (docs/accessibility.md)
    RUNS = [(lang, name, size, EVERY_PAGE) for lang, name, size, _only in RUNS]


def test_every_kind_of_page_meets_wcag_21_aa_for_every_role(live_server) -> None:
    site = _site()  # the ORM before Playwright starts its event loop
    pages = _pages(site)
    findings = _sweep(live_server.url, site["cookies"], pages, RUNS)
    planned = sum(len([p for p in pages if only is None or p.name in only]) for *_, only in RUNS)
    assert len({(f.page, f.language, f.viewport) for f in findings}) == planned
    failing = [f for f in findings if f.problems]
    assert not failing, "accessibility problems:\n" + "\n".join(str(f) for f in failing)


def test_tab_from_the_top_reaches_the_skip_link_which_moves_focus_to_main(live_server) -> None:
    """A keyboard user's first Tab shows «Saltar al contenido»; Enter puts focus on <main>, and
    the next Tab goes to the first link or field of the content, past the navigation."""
    site = _site()
    focused = """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
      return {tag: e.localName, id: e.id, text: e.textContent.trim(), inMain: !!e.closest("main"),
              visible: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
                       && r.left < innerWidth && r.top < innerHeight,
              ring: getComputedStyle(e).outlineStyle !== "none"}; }"""
    cases = [
        ("es", DESKTOP, None, "/", "Saltar al contenido"),
        ("en", PHONE, None, "/ideas/", "Skip to content"),
        ("es", PHONE, "participant", "/ideas/nueva/", "Saltar al contenido"),
        ("en", DESKTOP, "moderator", "/moderacion/", "Skip to content"),
    ]
    with chromium() as browser:
        for language, viewport, role, path, skip_text in cases:
            cookie = site["cookies"].get(role) if role else None
            ctx = _context(browser, live_server.url, language, viewport, cookie)
            page = ctx.new_page()
            page.goto(live_server.url + path)
            where = (language, viewport["width"], role, path)
            page.keyboard.press("Tab")
            first = page.evaluate(focused)
            assert first["text"] == skip_text, where
            assert first["visible"], (where, first)
            assert first["ring"], (where, first)
            page.keyboard.press("Enter")
            assert page.evaluate(focused)["id"] == "main", where
            page.keyboard.press("Tab")
            after = page.evaluate(focused)
            assert after["inMain"], (where, after)
            assert after["visible"], (where, after)
            assert after["ring"], (where, after)
            ctx.close()


# The live pages need the WebSocket server (daphne), which must see the test database.
@pytest.mark.postgres
def test_live_pages_announce_new_items_politely() -> None:
    """A screen reader hears what arrives without a reload: on a thread, «Nuevo mensaje de
    alicia» for the others (not for alicia), and in the moderators' queue the «1 idea nueva»
    banner, which appears inside a polite live region that was in the page from the start (a
    region that appears together with its text is often not read)."""
    from playwright.sync_api import expect

    from tests.threads.servers import session_cookie, start_daphne

    alice, alice_person = citizen("alicia")
    # The name she chose to show (a username is never shown: issue 18, item 6).
    alice_person.display_name = "Alicia"
    alice_person.save(update_fields=["display_name"])
    bruno, _b = citizen("bruno")
    thread = public_thread(title="Cursos nocturnos en Concepción")
    cookies = {
        "alice": session_cookie(alice),
        "bruno": session_cookie(bruno),
        "moderator": session_cookie(moderator("moderadora")),
    }
    in_region = """(id) => { const el = document.getElementById(id);
      const region = el.closest('[role=status][aria-live=polite]');
      return region !== null && region !== el && !region.closest('[hidden]'); }"""
    daphne = start_daphne()
    try:
        with chromium() as browser:

            def open_page(who: str, path: str, live: str):
                ctx = _context(browser, daphne.origin, "es", PHONE, cookies[who])
                page = ctx.new_page()
                page.goto(daphne.origin + path)
                expect(page.locator(live)).to_have_count(1, timeout=15000)
                return page

            reader = open_page("bruno", f"/hilos/{thread.pk}/", "#thread[data-live='1']")
            writer = open_page("alice", f"/hilos/{thread.pk}/", "#thread[data-live='1']")
            announce = reader.locator("#posts-announce[role=status][aria-live=polite]")
            expect(announce).to_have_text("")
            assert reader.evaluate(in_region, "live-status")
            writer.fill("textarea[name=body]", "¿Y si fueran los sábados?")
            writer.click("#post-form button[type=submit]")
            expect(announce).to_have_text("Nuevo mensaje de Alicia", timeout=10000)
            expect(writer.locator("#posts article.post")).to_have_count(1)
            writer.wait_for_timeout(1200)  # the announcement waits 0.8 s to group arrivals
            expect(writer.locator("#posts-announce")).to_have_text("")

            queue = open_page("moderator", "/moderacion/", "#live-banner")
            assert queue.evaluate(in_region, "live-banner")
            # Sent or caught up: queue.js asks for what it missed when its socket opens.
            writer.goto(daphne.origin + "/ideas/nueva/")
            writer.fill("#id_title", "Talleres de oficios los sábados en Lota")
            writer.locator("main form[method=post] button[type=submit]").click()
            expect(queue.locator("#live-banner")).to_contain_text("1 idea nueva", timeout=10000)
            assert queue.evaluate(in_region, "live-banner")
    except Exception:
        print("daphne:", daphne.output())
        raise
    finally:
        daphne.stop()


@pytest.mark.postgres
def test_the_web_chat_on_a_phone_meets_wcag_21_aa_once_the_bot_has_written() -> None:
    """On a phone the chat's log scrolls once the bot has said a few things (the privacy notice
    alone fills it); a keyboard must reach it to scroll it (axe: scrollable-region-focusable).
    That needs the real chat (daphne and its WebSocket), so it is audited here."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    from tests.threads.servers import start_daphne

    daphne = start_daphne()
    try:
        with chromium() as browser:
            for language in ("es", "en"):
                page = _context(browser, daphne.origin, language, PHONE, None).new_page()
                page.goto(daphne.origin + "/chat/")
                log = page.locator("#chat-log")
                expect(log).to_contain_text("21.719", timeout=15000)
                page.locator("#chat-buttons button").first.click()
                # The bot answers the consent with the language question and its buttons.
                language_buttons = page.locator("#chat-buttons button").filter(has_text="English")
                expect(language_buttons).to_have_count(1, timeout=10000)
                assert log.evaluate("el => el.scrollHeight > el.clientHeight"), "log too short"
                problems = _audit(page, Axe(), language, [])
                assert not problems, f"/chat/ ({language}, phone):\n" + "\n".join(problems)
                page.context.close()
    except Exception:
        print("daphne:", daphne.output())
        raise
    finally:
        daphne.stop()
