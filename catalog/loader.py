"""Reads the catalog YAML file into a `Catalog`, reporting every problem with file, line, entry and field."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from catalog.durations import DurationError, is_placeholder, parse_duration
from catalog.model import Catalog, Channel, Duration, Service, ServiceGroup, ServiceHours

BUNDLED_CATALOG = Path(__file__).parent / "data" / "hizmet-katalogu.yaml"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in a catalog file, located as precisely as known."""

    file: str
    message: str
    entry: str | None = None  # e.g. 'service #12 "05.23.002"'
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where, self.entry, f"field '{self.field}'" if self.field else None, self.message]
        return ": ".join(p for p in parts if p)


class CatalogError(Exception):
    """The catalog file cannot be used; `problems` lists everything found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Entry(BaseModel):
    # strict: YAML turns unquoted 05.21 into a number, which must not silently become "5.21"
    model_config = ConfigDict(extra="forbid", strict=True)


class _GroupEntry(_Entry):
    code: Annotated[str, StringConstraints(pattern=r"^\d{2}\.\d{2}$")]
    title: _Text


class _ServiceEntry(_Entry):
    id: _Text
    code: _Text
    group: _Text
    title: _Text
    scope: _Text
    channels: list[Literal["employee", "citizen", "directorate"]] = Field(min_length=1)
    response: _Text
    resolution: _Text
    hours: Literal["24/7", "business"]
    contacts: list[_Text] = Field(default_factory=list)
    active: bool = True


_TOP_LEVEL = ("groups", "services")
_EntryModel = TypeVar("_EntryModel", bound=_Entry)


# libyaml's parser is several times faster than the pure-Python one; both give the same nodes and marks
if yaml.__with_libyaml__:
    from yaml import CSafeLoader as _SafeLoader
else:
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """PyYAML silently keeps the last of two equal keys; an operator's duplicated field must be an error."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                if key_node.value in seen:
                    raise ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f'found the key "{key_node.value}" twice',
                        key_node.start_mark,
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


@dataclass(frozen=True)
class _Located:
    """One list entry of the file with where it and its fields start (1-based lines)."""

    index: int
    data: Any
    line: int | None
    field_lines: Mapping[str, int]


def load_catalog(path: Path | None = None) -> Catalog:
    """Load and validate a catalog file; None means the bundled catalog. Raises CatalogError."""
    path = BUNDLED_CATALOG if path is None else path
    document, root = _read_yaml(path)
    return _Builder(str(path)).build(document, root)


def _read_yaml(path: Path) -> tuple[Any, Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError([Problem(str(path), "no such file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError([Problem(str(path), f"cannot read the file: {exc}")]) from None
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        document = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        detail = ": ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise CatalogError([Problem(str(path), f"not valid YAML: {detail}", line=line)]) from None
    except yaml.YAMLError as exc:
        raise CatalogError([Problem(str(path), f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return document, root


def _entries(root: Node | None, document: Mapping[str, Any], section: str) -> Iterator[_Located]:
    """The entries of one top-level list, each with its line numbers from the YAML node tree."""
    nodes: list[Node] = []
    if isinstance(root, MappingNode):
        for key_node, value_node in root.value:
            if key_node.value == section and isinstance(value_node, SequenceNode):
                nodes = value_node.value
    for index, data in enumerate(document[section]):
        node = nodes[index] if index < len(nodes) else None
        line = node.start_mark.line + 1 if node is not None else None
        field_lines = {}
        if isinstance(node, MappingNode):
            field_lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
        yield _Located(index, data, line, field_lines)


class _Builder:
    """Turns the parsed YAML document into a Catalog, collecting problems instead of stopping at one."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.groups_complete = True

    def problem(
        self, message: str, at: _Located | None = None, kind: str = "", field: str | None = None
    ) -> None:
        entry = line = None
        if at is not None:
            label = (at.data.get("id") or at.data.get("code")) if isinstance(at.data, dict) else None
            entry = f"{kind} #{at.index + 1}" + (f' "{label}"' if isinstance(label, str) else "")
            line = at.field_lines.get(field or "", at.line)
        self.problems.append(Problem(self.file, message, entry=entry, field=field, line=line))

    def build(self, document: Any, root: Node | None) -> Catalog:
        if not self._check_top_level(document):
            raise CatalogError(self.problems)
        groups = self._groups(list(_entries(root, document, "groups")))
        # a group that failed to load would make each of its services an "unknown group" as well
        self.groups_complete = not self.problems
        services = self._services(list(_entries(root, document, "services")), groups)
        if self.problems:
            raise CatalogError(self.problems)
        return Catalog(groups=tuple(groups.values()), services=tuple(services), source=self.file)

    def _check_top_level(self, document: Any) -> bool:
        if document is None:
            self.problem("the file is empty; it needs the lists groups: and services:")
            return False
        if not isinstance(document, dict):
            self.problem("the file must be a mapping with the lists groups: and services:")
            return False
        for key in document:
            if key not in _TOP_LEVEL:
                self.problem(f'unknown top-level key "{key}" (allowed: groups, services)')
        for key in _TOP_LEVEL:
            if key not in document:
                self.problem(f"the list {key}: is missing")
            elif not isinstance(document[key], list) or not document[key]:
                self.problem(f"{key}: must be a non-empty list of entries, each starting with '- '")
        return not self.problems

    def _groups(self, entries: list[_Located]) -> dict[str, ServiceGroup]:
        groups: dict[str, ServiceGroup] = {}
        for at in entries:
            entry = self._validate(_GroupEntry, at, "group")
            if entry is None:
                continue
            if entry.code in groups:
                self.problem(f'the group code "{entry.code}" is used twice', at, "group", "code")
                continue
            groups[entry.code] = ServiceGroup(code=entry.code, title=entry.title)
        return groups

    def _services(self, entries: list[_Located], groups: Mapping[str, ServiceGroup]) -> list[Service]:
        services: list[Service] = []
        first_with_id: dict[str, int] = {}
        for at in entries:
            entry = self._validate(_ServiceEntry, at, "service")
            if entry is None:
                continue
            if entry.id in first_with_id:
                message = f'the id "{entry.id}" is already used by service #{first_with_id[entry.id]}'
                self.problem(f"{message}; every service needs its own id", at, "service", "id")
                continue
            first_with_id[entry.id] = at.index + 1
            service = self._service(entry, at, groups)
            if service is not None:
                services.append(service)
        return services

    def _service(
        self, entry: _ServiceEntry, at: _Located, groups: Mapping[str, ServiceGroup]
    ) -> Service | None:
        problems_before = len(self.problems)
        group = groups.get(entry.group)
        if group is None:
            if self.groups_complete:
                known = ", ".join(groups) or "none"
                self.problem(f'unknown group "{entry.group}" (groups: {known})', at, "service", "group")
        elif not entry.code.startswith(f"{group.code}."):
            message = f'the code "{entry.code}" does not belong to its group "{group.code}"'
            self.problem(message, at, "service", "code")
        if len(set(entry.channels)) != len(entry.channels):
            self.problem("a channel is listed twice", at, "service", "channels")
        response = self._duration(entry.response, entry.active, at, "response")
        resolution = self._duration(entry.resolution, entry.active, at, "resolution")
        if group is None or len(self.problems) > problems_before:
            return None
        return Service(
            id=entry.id,
            code=entry.code,
            title=entry.title,
            group=group,
            scope=" ".join(entry.scope.split()),
            channels=frozenset(Channel(c) for c in entry.channels),
            response=response,
            resolution=resolution,
            hours=ServiceHours(entry.hours),
            active=entry.active,
            contacts=tuple(entry.contacts),
        )

    def _duration(self, text: str, active: bool, at: _Located, field: str) -> Duration | None:
        if is_placeholder(text):
            if active:
                message = f'"{text}" is a placeholder; give a real time or make the service inactive'
                self.problem(f"{message} (active: false)", at, "service", field)
            return None
        try:
            return parse_duration(text)
        except DurationError as exc:
            self.problem(str(exc), at, "service", field)
            return None

    def _validate(self, model: type[_EntryModel], at: _Located, kind: str) -> _EntryModel | None:
        if not isinstance(at.data, dict):
            self.problem("must be a mapping of fields (field: value)", at, kind)
            return None
        try:
            return model.model_validate(at.data)
        except ValidationError as exc:
            for error in exc.errors():
                field, *position = error["loc"]
                item = f"item {position[0] + 1}: " if position and isinstance(position[0], int) else ""
                self.problem(item + _describe(error, model), at, kind, str(field))
            return None


def _describe(error: Any, model: type[_Entry]) -> str:
    """Pydantic's message, made specific enough for an operator editing YAML by hand."""
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return f"unknown field (allowed: {', '.join(model.model_fields)})"
    message = str(error["msg"])
    if kind == "string_type" and isinstance(value, int | float):
        return f"{message}; got the number {value!r}: put the value in quotes"
    if kind in ("literal_error", "bool_type", "string_pattern_mismatch"):
        return f"{message}; got {value!r}"
    return message
