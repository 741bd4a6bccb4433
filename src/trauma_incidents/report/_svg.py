"""
A tiny SVG bar-chart renderer for the report: no dependencies, inline, printable.

Each chart is one ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` listing every
value, so a screen reader (and a test) can read the figures. Labels are escaped; only
vocabulary values, months and hours are ever passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["bars", "grouped_bars", "hbars"]

_COLOURS = ("#2f6f8f", "#c8553d", "#6a8d3a")
_FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def _nice_max(value: int) -> int:
    """A round axis maximum at or above *value*, with four equal whole-number steps."""
    steps = (1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 250, 500)
    step = next((s for s in steps if s * 4 >= value), -(-value // 4))
    return step * 4


def _frame(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return "\n".join(
        [
            (
                f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
                f' width="100%" role="img" aria-label="{escape(title)}">'
            ),
            f"<title>{escape(title)}</title>",
            f"<desc>{escape(desc)}</desc>",
            *body,
            "</svg>",
        ]
    )


def _axis(left: int, top: int, plot_h: int, plot_w: int, top_value: int) -> list[str]:
    out = []
    for k in range(5):
        value = top_value * (4 - k) // 4
        y = top + plot_h * k // 4
        out.append(
            f'<line x1="{left}" y1="{y}" x2="{left + plot_w}" y2="{y}" stroke="#ddd"/>'
            f'<text x="{left - 4}" y="{y + 4}" text-anchor="end" {_FONT}>{value}</text>'
        )
    return out


def bars(
    title: str, items: Sequence[tuple[str, int]], *, width: int = 640, height: int = 220
) -> str:
    """A vertical bar chart of ``(label, count)``, in the order given."""
    return grouped_bars(
        title,
        [label for label, _ in items],
        {"": [n for _, n in items]},
        width=width,
        height=height,
    )


def grouped_bars(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[int]],
    *,
    width: int = 640,
    height: int = 220,
) -> str:
    """Bars for each label, one per series (a legend names the series when there are two+)."""
    left, top, bottom = 36, 24 if len(series) > 1 else 10, 40
    plot_w, plot_h = width - left - 8, height - top - bottom
    top_value = _nice_max(max((v for vs in series.values() for v in vs), default=0))
    slot = plot_w / max(1, len(labels))
    bar_w = max(1.0, slot * 0.8 / max(1, len(series)))
    body = _axis(left, top, plot_h, plot_w, top_value)
    for s, (name, values) in enumerate(series.items()):
        colour = _COLOURS[s % len(_COLOURS)]
        if len(series) > 1:
            body.append(
                f'<rect x="{left + s * 150}" y="4" width="10" height="10" fill="{colour}"/>'
                f'<text x="{left + s * 150 + 14}" y="13" {_FONT}>{escape(name)}</text>'
            )
        for i, value in enumerate(values):
            h = plot_h * value / top_value
            x = left + i * slot + slot * 0.1 + s * bar_w
            body.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}"'
                f' height="{h:.1f}" fill="{colour}"><title>{escape(labels[i])}'
                f"{': ' + escape(name) if name else ''}: {value}</title></rect>"
            )
    step = max(1, len(labels) // 12)
    body += [
        f'<text x="{left + i * slot + slot / 2:.1f}" y="{top + plot_h + 14}"'
        f' text-anchor="middle" {_FONT}>{escape(label)}</text>'
        for i, label in enumerate(labels)
        if i % step == 0
    ]
    desc = "; ".join(
        f"{label}: "
        + ", ".join(f"{name + ' ' if name else ''}{vs[i]}" for name, vs in series.items())
        for i, label in enumerate(labels)
    )
    return _frame(width, height, title, desc, body)


def hbars(title: str, items: Sequence[tuple[str, int]], *, width: int = 640) -> str:
    """A horizontal bar chart of ``(label, count)``, for long labels."""
    left, row = 150, 22
    height = row * len(items) + 10
    top_value = _nice_max(max((n for _, n in items), default=0))
    plot_w = width - left - 40
    body = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        w = plot_w * value / top_value
        body.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" {_FONT}>{escape(label)}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 6}"'
            f' fill="{_COLOURS[0]}"><title>{escape(label)}: {value}</title></rect>'
            f'<text x="{left + w + 4:.1f}" y="{y + 14}" {_FONT}>{value}</text>'
        )
    desc = "; ".join(f"{label}: {value}" for label, value in items)
    return _frame(width, height, title, desc, body)
