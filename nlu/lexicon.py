"""The hand-written lexicon (nlu/data/lexicon.yaml): what people call each service."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nlu.small_talk import SMALL_TALK_KINDS

DEFAULT_LEXICON = Path(__file__).parent / "data" / "lexicon.yaml"


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Entry:
    keywords: tuple[str, ...] = ()
    products: tuple[str, ...] = ()  # product and system names: Digikent, Başak Portal, Outlook ...
    phrases: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()  # names of shared word groups (fault, supply, ...) that also apply


@dataclass(frozen=True)
class Lexicon:
    services: dict[str, Entry]
    out_of_scope: Entry
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stopwords: tuple[str, ...] = field(default=())
    # Greetings and thanks by kind ("greeting", "thanks"), see nlu.small_talk.
    small_talk: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Devices, systems and products of the catalog's world: an automatic decision needs one (nlu.index).
    anchors: tuple[str, ...] = field(default=())
    # Starts of words that name the municipality's own buildings and units, where an IT fault happens
    # ("amirli": "zabıta amirliğinde yazıcı çalışmıyor"), see nlu.matcher.
    places: tuple[str, ...] = field(default=())
    source: str = ""


def _words(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, str | int | float) for item in raw):
        raise LexiconError(f"{where}: expected a list of words or phrases")
    return tuple(str(item) for item in raw)


def _entry(raw: Any, where: str) -> Entry:
    if not isinstance(raw, dict):
        raise LexiconError(f"{where}: expected keywords and phrases")
    unknown = set(raw) - {"keywords", "products", "phrases", "groups"}
    if unknown:
        raise LexiconError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    return Entry(
        keywords=_words(raw.get("keywords"), f"{where}.keywords"),
        products=_words(raw.get("products"), f"{where}.products"),
        phrases=_words(raw.get("phrases"), f"{where}.phrases"),
        groups=_words(raw.get("groups"), f"{where}.groups"),
    )


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Read and check a lexicon file (None: the bundled one)."""
    path = path or DEFAULT_LEXICON
    try:
        # libyaml's loader when PyYAML has it: the pure-Python one takes most of the index build.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("services"), dict):
        raise LexiconError(f"{path}: expected a 'services' mapping")
    raw_groups = raw.get("groups") or {}
    if not isinstance(raw_groups, dict):
        raise LexiconError(f"{path}: 'groups' must map a group name to its words")
    groups = {str(name): _words(words, f"{path}: groups.{name}") for name, words in raw_groups.items()}
    services = {
        str(service_id): _entry(entry, f"{path}: services.{service_id}")
        for service_id, entry in raw["services"].items()
    }
    raw_small_talk = raw.get("small_talk") or {}
    if not isinstance(raw_small_talk, dict) or not set(raw_small_talk) <= set(SMALL_TALK_KINDS):
        raise LexiconError(f"{path}: 'small_talk' must map {' and '.join(SMALL_TALK_KINDS)} to their words")
    small_talk = {
        str(kind): _words(words, f"{path}: small_talk.{kind}") for kind, words in raw_small_talk.items()
    }
    for service_id, entry in services.items():
        for name in entry.groups:
            if name not in groups:
                raise LexiconError(f"{path}: services.{service_id}.groups: no group named {name!r}")
    return Lexicon(
        services=services,
        out_of_scope=_entry(raw.get("out_of_scope") or {}, f"{path}: out_of_scope"),
        groups=groups,
        stopwords=_words(raw.get("stopwords"), f"{path}: stopwords"),
        small_talk=small_talk,
        anchors=_words(raw.get("anchors"), f"{path}: anchors"),
        places=_words(raw.get("places"), f"{path}: places"),
        source=str(path),
    )
