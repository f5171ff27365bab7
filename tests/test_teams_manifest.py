"""`talepbot teams manifest`: the package Teams accepts, checked against the app manifest schema's rules.

The rules below are the schema's required fields and limits as the app manifest reference (v1.23) states them.
"""

from __future__ import annotations

import json
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.teams.manifest import MANIFEST_VERSION

APP_ID = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"

REQUIRED_TOP_LEVEL = (
    "manifestVersion",
    "version",
    "id",
    "developer",
    "name",
    "description",
    "icons",
    "accentColor",
)
REQUIRED_DEVELOPER = {"name": 32, "websiteUrl": 2048, "privacyUrl": 2048, "termsOfUseUrl": 2048}
REQUIRED_NAME = {"short": 30, "full": 100}  # `full` is required from manifest v1.17 on
REQUIRED_DESCRIPTION = {"short": 80, "full": 4000}
BOT_SCOPES = {"team", "personal", "groupChat", "copilot"}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _write_package(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "app.zip"
    assert main(["teams", "manifest", "--app-id", APP_ID, "--out", str(out), *extra]) == 0
    return out


def _decode_png(data: bytes) -> tuple[int, int, list[list[tuple[int, ...]]]]:
    """Width, height and RGBA rows of a non-interlaced 8-bit RGBA PNG (what Teams gets from us)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color_type = struct.unpack(">IIBB", header[:10])
    assert (depth, color_type) == (8, 6), "8-bit RGBA expected"
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    rows = []
    for y in range(height):
        line = raw[y * stride : (y + 1) * stride]
        assert line[0] == 0, "only filter type 0 is decoded here"
        rows.append([tuple(line[1 + x * 4 : 5 + x * 4]) for x in range(width)])
    return width, height, rows


def _assert_required(obj: dict[str, Any], limits: dict[str, int], where: str) -> None:
    for field, max_length in limits.items():
        assert isinstance(obj.get(field), str) and obj[field], f"{where}.{field} is required"
        assert len(obj[field]) <= max_length, f"{where}.{field} longer than {max_length}"


def test_package_meets_the_schema_required_fields(tmp_path: Path) -> None:
    with zipfile.ZipFile(_write_package(tmp_path, "--website-url", "https://www.example.bel.tr")) as package:
        names = set(package.namelist())
        manifest = json.loads(package.read("manifest.json"))
        files = {name: package.read(name) for name in names}

    assert all("/" not in name for name in names), "files must sit at the zip root"
    for field in REQUIRED_TOP_LEVEL:
        assert field in manifest, f"{field} is required"
    assert manifest["$schema"].endswith(f"/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json")
    assert manifest["manifestVersion"] == MANIFEST_VERSION
    assert tuple(map(int, MANIFEST_VERSION.split("."))) >= (1, 17)
    assert SEMVER.match(manifest["version"])
    assert GUID.match(manifest["id"]) and manifest["id"] == APP_ID

    _assert_required(manifest["developer"], REQUIRED_DEVELOPER, "developer")
    for url_field in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert manifest["developer"][url_field] == "https://www.example.bel.tr"
    _assert_required(manifest["name"], REQUIRED_NAME, "name")
    assert manifest["name"]["short"] != manifest["name"]["full"]
    _assert_required(manifest["description"], REQUIRED_DESCRIPTION, "description")
    assert manifest["description"]["short"] not in manifest["description"]["full"]
    assert HEX_COLOR.match(manifest["accentColor"])

    (bot,) = manifest["bots"]  # at most one bot per app
    assert bot["botId"] == APP_ID
    assert bot["scopes"] and set(bot["scopes"]) <= BOT_SCOPES
    assert 1 <= len(bot["commandLists"]) <= 3
    for command_list in bot["commandLists"]:
        assert command_list["scopes"] and set(command_list["scopes"]) <= BOT_SCOPES
        assert 1 <= len(command_list["commands"]) <= 10
        for command in command_list["commands"]:
            assert 0 < len(command["title"]) <= 128 and 0 < len(command["description"]) <= 4000
    titles = {c["title"] for c in bot["commandLists"][0]["commands"]}
    assert {"yeni", "durum", "iptal", "yardim", "ustlen", "coz"} <= titles

    color_w, color_h, color_rows = _decode_png(files[manifest["icons"]["color"]])
    assert (color_w, color_h) == (192, 192)
    assert all(pixel[3] == 255 for row in color_rows for pixel in row), "the colour icon is opaque"
    outline_w, outline_h, outline_rows = _decode_png(files[manifest["icons"]["outline"]])
    assert (outline_w, outline_h) == (32, 32)
    pixels = [pixel for row in outline_rows for pixel in row]
    assert all(p[3] == 0 or p == (255, 255, 255, 255) for p in pixels), "outline: white on transparent"
    assert outline_rows[0][0][3] == 0, "the outline icon's background is transparent"
    assert any(p[3] == 255 for p in pixels), "the outline icon draws something"


def test_non_guid_app_id_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "app.zip"
    assert main(["teams", "manifest", "--app-id", "my-bot", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "not a GUID" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_developer_links_must_be_https(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "app.zip"
    assert (
        main(["teams", "manifest", "--app-id", APP_ID, "--out", str(out), "--website-url", "http://x"]) == 2
    )
    assert "https://" in capsys.readouterr().err
    assert not out.exists()
