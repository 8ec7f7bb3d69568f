"""Charts drawn on the server as small, accessible SVG (docs/insights.md says why no library).

Every chart is an ``<svg role="img">`` named by its ``<title>`` and ``<desc>`` (through
``aria-labelledby``); the page puts the same data beside it as a table or a list. Colours and
sizes are SVG presentation attributes (``fill``, ``font-size``), never ``style``: the site's
Content-Security-Policy (``style-src 'self'``) blocks inline style attributes and elements, and
presentation attributes are not styles. No script, no external font, no ``<foreignObject>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from . import chile

PRIMARY = "#0b5cab"  # --primary in site.css: 6.3:1 on white
SECOND = "#8a5a00"  # --warning: 5.2:1 on white
TEXT = "#1b1f24"
GRID = "#c9d0d7"
# Light to dark; the lightest still 1.5:1 against the white page, region edges are white lines.
SHADES = ["#dbe9f7", "#a9cbec", "#6fa6dc", "#2f77c0", "#0b4a8a"]
WORD_COLOURS = ["#0b5cab", "#1e6b34", "#8a5a00", "#6b2c91", "#b3261e", "#1b1f24"]


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _open(uid: str, width: float, height: float, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="{uid}-t {uid}-d" class="chart" '
        f'font-family="system-ui, sans-serif" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{uid}-t">{_e(title)}</title><desc id="{uid}-d">{_e(desc)}</desc>'
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as the reader sees it ("42", "38 %")


def bar_chart(uid: str, title: str, desc: str, bars: Sequence[Bar]) -> SafeString:
    """Horizontal bars, one row per item, the label above its bar and the value at its end."""
    width, row, left = 600, 34, 4
    top = max((b.value for b in bars), default=0) or 1
    height = max(row * len(bars), row)
    parts = [_open(uid, width, height, title, desc)]
    for i, bar in enumerate(bars):
        y = i * row
        length = (width - 90) * bar.value / top
        parts.append(
            f'<text x="{left}" y="{y + 12}" font-size="12" fill="{TEXT}">'
            f"{_e(bar.label[:80])}</text>"
            f'<rect x="{left}" y="{y + 16}" width="{max(length, 1):.1f}" height="12" '
            f'fill="{PRIMARY}"/>'
            f'<text x="{left + length + 6:.1f}" y="{y + 27}" font-size="12" fill="{TEXT}">'
            f"{_e(bar.shown)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def line_chart(
    uid: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
) -> SafeString:
    """One line per series over the labels (months), with a legend; at most two series."""
    width, height, pad_l, pad_b, pad_t = 600, 220, 40, 28, 30
    top = max((v for _n, values in series for v in values), default=0) or 1
    n = max(len(labels), 1)
    step = (width - pad_l - 10) / max(n - 1, 1)
    plot_h = height - pad_b - pad_t
    parts = [_open(uid, width, height, title, desc)]
    for frac in (0, 0.5, 1):
        y = pad_t + plot_h * (1 - frac)
        parts.append(
            f'<line x1="{pad_l}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{pad_l - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{TEXT}">{round(top * frac)}</text>'
        )
    every = max(1, n // 6)
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(
                f'<text x="{pad_l + i * step:.1f}" y="{height - 8}" font-size="11" '
                f'text-anchor="middle" fill="{TEXT}">{_e(label)}</text>'
            )
    for k, (name, values) in enumerate(series[:2]):
        colour = (PRIMARY, SECOND)[k]
        dash = ' stroke-dasharray="6 4"' if k else ""
        points = " ".join(
            f"{pad_l + i * step:.1f},{pad_t + plot_h * (1 - v / top):.1f}"
            for i, v in enumerate(values)
        )
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>'
            f'<line x1="{pad_l + k * 200}" x2="{pad_l + k * 200 + 24}" y1="12" y2="12" '
            f'stroke="{colour}" stroke-width="2.5"{dash}/>'
            f'<text x="{pad_l + k * 200 + 30}" y="16" font-size="12" fill="{TEXT}">'
            f"{_e(name)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - escaped above


def classes(values: Sequence[float | None], count: int = len(SHADES)) -> list[float]:
    """Upper bounds of ``count`` equal-width classes over the values (the legend's steps)."""
    known = [v for v in values if v is not None]
    top = max(known, default=0) or 1
    return [top * (i + 1) / count for i in range(count)]


def shade(value: float | None, bounds: Sequence[float]) -> str:
    if value is None:
        return "#ffffff"
    for colour, bound in zip(SHADES, bounds, strict=False):
        if value <= bound:
            return colour
    return SHADES[-1]


def region_map(
    uid: str,
    title: str,
    desc: str,
    values: dict[str, tuple[str, float | None, str]],
    legend_title: str,
    no_data: str,
) -> SafeString:
    """Chile's 16 regions (chile.shapes()), each shaded by its value; ``values``: slug →
    (region name, value or None, value as shown). A legend of the classes sits on the right."""
    bounds = classes([v for _name, v, _shown in values.values()])
    width, height = 420, chile.HEIGHT
    parts = [_open(uid, width, height, title, desc)]
    for shape in chile.shapes():
        name, value, shown = values.get(shape.slug, (shape.slug, None, no_data))
        parts.append(
            f'<path d="{shape.path}" fill="{shade(value, bounds)}" stroke="{TEXT}" '
            f'stroke-width="0.6"><title>{_e(name)}: {_e(shown)}</title></path>'
            f'<text x="{shape.label_x}" y="{shape.label_y}" font-size="9" fill="{TEXT}">'
            f"{_e(chile.SHORT_NAMES.get(shape.slug, name))}</text>"
        )
    x, y = 300, 40
    parts.append(
        f'<text x="{x}" y="{y - 12}" font-size="11" fill="{TEXT}">{_e(legend_title)}</text>'
    )
    low = 0.0
    for i, bound in enumerate(bounds):
        parts.append(
            f'<rect x="{x}" y="{y + i * 20}" width="16" height="14" fill="{SHADES[i]}" '
            f'stroke="{TEXT}" stroke-width="0.6"/>'
            f'<text x="{x + 22}" y="{y + i * 20 + 11}" font-size="10" fill="{TEXT}">'
            f"{low:.1f} - {bound:.1f}</text>"
        )
        low = bound
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - escaped above


def word_cloud(uid: str, title: str, desc: str, words: Sequence[tuple[str, int]]) -> SafeString:
    """The words in rows, biggest first, sized by how often they appear (no overlap: each row
    is filled left to right with an estimate of each word's width)."""
    width, gap = 600, 10
    top = max((n for _w, n in words), default=1)
    low = min((n for _w, n in words), default=1)
    x, y, row_h = 0.0, 0.0, 0.0
    placed: list[str] = []
    for i, (word, n) in enumerate(words):
        size = 14 + 30 * ((n - low) / (top - low) if top > low else 1) ** 0.5
        w = 0.6 * size * len(word)
        if x and x + w > width:
            y += row_h + 6
            x, row_h = 0.0, 0.0
        row_h = max(row_h, size)
        placed.append(
            f'<text x="{x:.1f}" y="{{y{i}}}" font-size="{size:.0f}" '
            f'fill="{WORD_COLOURS[i % len(WORD_COLOURS)]}">{_e(word)}</text>'
        )
        placed[-1] = placed[-1].replace(f"{{y{i}}}", f"{y + size:.1f}")
        x += w + gap
    height = y + row_h + 10 if words else 40
    return mark_safe(  # noqa: S308 - escaped above
        _open(uid, width, height, title, desc) + "".join(placed) + "</svg>"
    )
