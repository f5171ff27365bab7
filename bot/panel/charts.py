"""Charts drawn on the server as inline SVG: no JavaScript library, so the panel works on a closed network.

Each chart scales to its container (viewBox), names itself for screen readers (role="img", <title>), and
gives every bar or point a <title> with its value; the report's tables carry the same figures as text.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 40
# Colours with at least 4.5:1 contrast on white, told apart by pattern (dashes) as well as hue.
COLOURS = ("#1f5fa8", "#a3461a")


def _frame(title: str, body: str, height: int = HEIGHT) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" preserveAspectRatio="xMidYMid meet">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _axis(top_value: float) -> str:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for fraction in (0, 0.5, 1):
        y = TOP + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(top_value * fraction)}</text>'
        )
    return "".join(parts)


def _x_labels(labels: Sequence[str], xs: Sequence[float]) -> str:
    step = max(1, len(labels) // 8)  # at most about eight labels, readable on a phone
    return "".join(
        f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>'
        for i, (label, x) in enumerate(zip(labels, xs, strict=True))
        if i % step == 0
    )


def bars(title: str, points: Sequence[tuple[str, float]]) -> Markup:
    """Vertical bars over time (e.g. tickets opened per day)."""
    if not points:
        return _frame(title, "")
    top = max(max(v for _, v in points), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(points)
    body = [_axis(top)]
    xs = []
    for i, (label, value) in enumerate(points):
        h = plot_h * value / top
        x = LEFT + i * slot
        xs.append(x + slot / 2)
        body.append(
            f'<rect x="{x + slot * 0.1:.1f}" y="{TOP + plot_h - h:.1f}" width="{max(slot * 0.8, 0.5):.1f}" '
            f'height="{h:.1f}" fill="{COLOURS[0]}"><title>{escape(label)}: {_number(value)}</title></rect>'
        )
    body.append(_x_labels([label for label, _ in points], xs))
    return _frame(title, "".join(body))


def lines(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], top: float
) -> Markup:
    """One line per series over the same labels (e.g. weeks); None leaves a gap."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)
    xs = [LEFT + i * step for i in range(len(labels))]
    body = [_axis(top)]
    for n, (name, values) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        dash = ' stroke-dasharray="6 4"' if n % 2 else ""
        points = [
            (x, TOP + plot_h * (1 - v / top), label, v)
            for x, label, v in zip(xs, labels, values, strict=True)
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        body += [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
            f"<title>{escape(name)}, {escape(label)}: {_number(v)}</title></circle>"
            for x, y, label, v in points
        ]
        body.append(
            f'<text x="{LEFT + 8 + n * 200}" y="{HEIGHT - 6}" fill="{colour}">'
            f"{'— ' if not dash else '- - '}{escape(name)}</text>"
        )
    body.append(_x_labels(labels, xs))
    return _frame(title, "".join(body))


def hbars(title: str, points: Sequence[tuple[str, float]]) -> Markup:
    """Horizontal bars with their labels (e.g. the top services), longest first as given."""
    row = 26
    height = max(len(points), 1) * row + 8
    top = max((v for _, v in points), default=1) or 1
    label_w, value_w = 300, 50
    plot_w = WIDTH - label_w - value_w
    body = []
    for i, (label, value) in enumerate(points):
        y = 4 + i * row
        w = plot_w * value / top
        short = label if len(label) <= 42 else label[:41] + "…"
        body.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{COLOURS[0]}">'
            f"<title>{escape(label)}: {_number(value)}</title></rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}">{_number(value)}</text>'
        )
    return _frame(title, "".join(body), height)
