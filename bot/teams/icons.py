"""The Teams app icons, drawn in code so the package needs no image files or imaging library.

Teams wants a 192×192 full-colour icon and a 32×32 outline icon (white on a transparent background).
Both show the same speech bubble, so the app is recognisable in the app bar and in the store list.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

Rgba = tuple[int, int, int, int]

WHITE: Rgba = (255, 255, 255, 255)
TRANSPARENT: Rgba = (0, 0, 0, 0)


def hex_to_rgba(color: str) -> Rgba:
    """'#1F4E79' → (31, 78, 121, 255)."""
    value = color.removeprefix("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), 255)


def _in_bubble(x: float, y: float) -> bool:
    """The bubble on the unit square: a rounded rectangle with a tail at the bottom left."""
    left, top, right, bottom, radius = 0.14, 0.18, 0.86, 0.70, 0.12
    cx = min(max(x, left + radius), right - radius)
    cy = min(max(y, top + radius), bottom - radius)
    if left <= x <= right and top <= y <= bottom and (x - cx) ** 2 + (y - cy) ** 2 <= radius**2:
        return True
    # Tail: a triangle hanging below the body, from (0.26, 0.70)–(0.46, 0.70) down to (0.24, 0.86).
    if 0.70 <= y <= 0.86:
        t = (y - 0.70) / 0.16
        return 0.26 - 0.02 * t <= x <= 0.46 - 0.22 * t
    return False


def _pixels(size: int, pick: Callable[[int, int], Rgba]) -> list[list[Rgba]]:
    return [[pick(x, y) for x in range(size)] for y in range(size)]


def color_icon(accent: str, size: int = 192) -> bytes:
    """A white bubble on a full-bleed accent background."""
    background = hex_to_rgba(accent)

    def pick(x: int, y: int) -> Rgba:
        return WHITE if _in_bubble((x + 0.5) / size, (y + 0.5) / size) else background

    return encode_png(_pixels(size, pick))


def outline_icon(size: int = 32) -> bytes:
    """The bubble's white outline on a transparent background, as Teams requires for outline icons."""
    stroke = 2 / size

    def inside(x: int, y: int) -> bool:
        return _in_bubble((x + 0.5) / size, (y + 0.5) / size)

    def pick(x: int, y: int) -> Rgba:
        if not inside(x, y):
            return TRANSPARENT
        u, v = (x + 0.5) / size, (y + 0.5) / size
        interior = all(
            _in_bubble(u + du, v + dv) for du, dv in ((stroke, 0), (-stroke, 0), (0, stroke), (0, -stroke))
        )
        return TRANSPARENT if interior else WHITE

    return encode_png(_pixels(size, pick))


def encode_png(rows: list[list[Rgba]]) -> bytes:
    """A minimal RGBA PNG (8 bits per channel, no filtering)."""
    height, width = len(rows), len(rows[0])
    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
