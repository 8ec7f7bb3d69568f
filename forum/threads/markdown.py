"""The safe Markdown subset of posts: paragraphs, emphasis, lists and links. Nothing else.

markdown-it-py renders with raw HTML disabled and only the rules listed below enabled; links
are limited to http, https and mailto. The output then goes through an nh3 (ammonia) allow-list
as defence in depth, so whatever a post contains, what reaches a page is inert.

:func:`html_to_tree` turns the sanitised HTML into a small JSON tree, so the page's script can
build DOM nodes with ``createElement``/``textContent`` and never parses HTML.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "br"}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener ugc"


def _validate_link(url: str) -> bool:
    scheme, sep, _rest = url.strip().partition(":")
    return bool(sep) and scheme.lower() in ALLOWED_SCHEMES


def _build() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "breaks": True, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "list", "newline", "escape", "autolink"])
    md.validateLink = _validate_link  # type: ignore[method-assign]
    return md


_md = _build()


def render(source: str) -> str:
    """Markdown source → sanitised HTML (safe to put in a page unescaped)."""
    raw = _md.render(source or "")
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes=ALLOWED_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: list[Any] = []
        self.stack: list[list[Any]] = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            return
        node: dict[str, Any] = {"tag": tag}
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if _validate_link(href):
                node["href"] = href
        if tag == "br":
            self.stack[-1].append(node)
            return
        node["children"] = []
        self.stack[-1].append(node)
        self.stack.append(node["children"])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in ALLOWED_TAGS and tag != "br" and len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data:
            self.stack[-1].append(data)


def html_to_tree(safe_html: str) -> list[Any]:
    """Sanitised HTML → nested list of strings (text) and ``{"tag", "href"?, "children"}``."""
    builder = _TreeBuilder()
    builder.feed(safe_html or "")
    builder.close()
    return builder.root


def excerpt(source: str, limit: int = 140) -> str:
    """A plain-text excerpt of a post (for notifications and quotes)."""
    text = " ".join(_plain(html_to_tree(render(source))).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _plain(nodes: list[Any]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        else:
            out.append(_plain(node.get("children", [])))
            out.append(" ")
    return "".join(out)
