"""The staff directory: importing employees and IT staff from a CSV or YAML file, and listing it.

Columns: name, role, team, telegram_id, teams_aad_object_id, email, phone, on_call. The import is an
idempotent upsert: a row is the same person as an existing one when its Telegram id, Teams AAD object id,
e-mail or phone matches. A file with any bad row changes nothing; every problem is reported with its line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from catalog.model import Catalog
from storage.errors import StorageError
from storage.models import ChatAccount, ChatChannel, Person, PersonKind, StaffRole, Team
from storage.people import unreachable_reason
from storage.phones import normalise_phone
from storage.teams import GROUP_CODE, find_team, group_team

COLUMNS = ("name", "role", "team", "telegram_id", "teams_aad_object_id", "email", "phone", "on_call")
ROLES: dict[str, tuple[PersonKind, StaffRole | None]] = {
    "employee": (PersonKind.EMPLOYEE, None),
    "technician": (PersonKind.STAFF, StaffRole.TECHNICIAN),
    "team_lead": (PersonKind.STAFF, StaffRole.TEAM_LEAD),
    "manager": (PersonKind.STAFF, StaffRole.MANAGER),
    "admin": (PersonKind.STAFF, StaffRole.ADMIN),
}
_NEEDS_TEAM = {"technician", "team_lead"}
_TRUE = {"true", "yes", "1", "evet", "e"}
_FALSE = {"false", "no", "0", "hayır", "hayir", "h", ""}


class StaffImportError(StorageError):
    code = "staff_import"

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: {len(problems)} problem(s), nothing imported")
        self.source = source
        self.problems = problems


@dataclass(frozen=True)
class StaffRow:
    line: int
    name: str
    role: str
    team: str | None
    telegram_id: str | None
    teams_aad_object_id: str | None
    email: str | None
    phone: str | None
    on_call: bool

    @property
    def identifiers(self) -> dict[str, str]:
        found = {
            "telegram_id": self.telegram_id,
            "teams_aad_object_id": self.teams_aad_object_id,
            "email": self.email,
            "phone": self.phone,
        }
        return {k: v for k, v in found.items() if v}


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    inactive: list[str] = field(default_factory=list)  # in the file, but out of the rotation (kept so)


# --- reading ---------------------------------------------------------------------------------------------


def read_staff_file(path: Path) -> list[StaffRow]:
    """Parses and checks every row; StaffImportError lists all problems with their line numbers."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise StaffImportError(str(path), [f"cannot read the file: {exc}"]) from None
    problems: list[str] = []
    raw = (
        _yaml_records(text, problems)
        if path.suffix.lower() in (".yaml", ".yml")
        else _csv_records(text, problems)
    )
    rows = []
    for line, record in raw:
        row = _row(line, record, problems)
        if row is not None:
            rows.append(row)
    _check_duplicates(rows, problems)
    if problems:
        raise StaffImportError(str(path), problems)
    return rows


def _csv_records(text: str, problems: list[str]) -> Iterator[tuple[int, Mapping[str, Any]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # Excel in Turkish locales writes ";"
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if not _header_ok(header, problems):
        return
    reader.fieldnames = header
    for record in reader:
        if None in record:
            problems.append(f"line {reader.line_num}: more values than columns")
            continue
        if any((v or "").strip() for v in record.values()):
            yield reader.line_num, record


def _yaml_records(text: str, problems: list[str]) -> Iterator[tuple[int, Mapping[str, Any]]]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problems.append(f"not valid YAML: {exc}")
        return
    if isinstance(document, dict) and isinstance(root, yaml.MappingNode):  # {"staff": [...]}
        document, root = document.get("staff"), next((v for k, v in root.value if k.value == "staff"), None)
    if not isinstance(document, list) or not isinstance(root, yaml.SequenceNode):
        problems.append("the YAML file must be a list of people (or a mapping with a 'staff' list)")
        return
    for node, record in zip(root.value, document, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(record, dict):
            problems.append(f"line {line}: expected a mapping of columns")
            continue
        keys = [str(k).strip().lower() for k in record]
        unknown = sorted(set(keys) - set(COLUMNS))
        if unknown:
            problems.append(f"line {line}: unknown column(s) {', '.join(unknown)}")
            continue
        yield line, {str(k).strip().lower(): v for k, v in record.items()}


def _header_ok(header: list[str], problems: list[str]) -> bool:
    missing = [c for c in ("name", "role") if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        detail = [f"missing column(s) {', '.join(missing)}"] if missing else []
        detail += [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
        problems.append(f"line 1: {'; '.join(detail)} (expected: {', '.join(COLUMNS)})")
        return False
    return True


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip() or None


def _row(line: int, record: Mapping[str, Any], problems: list[str]) -> StaffRow | None:
    before = len(problems)

    def problem(message: str) -> None:
        problems.append(f"line {line}: {message}")

    name = _text(record.get("name"))
    role = (_text(record.get("role")) or "").lower()
    team = _text(record.get("team"))
    if not name:
        problem("name is empty")
    if role not in ROLES:
        problem(f"role {role or '(empty)'!r} is not one of {', '.join(ROLES)}")
    elif role in _NEEDS_TEAM and not team:
        problem(f"a {role} needs a team (a service group code such as 05.21, or a team name)")
    elif role == "employee" and team:
        problem("employees belong to no IT team: leave team empty")
    telegram_id = _text(record.get("telegram_id"))
    if telegram_id and not telegram_id.lstrip("-").isdigit():
        problem(f"telegram_id {telegram_id!r} is not a number")
    email = (_text(record.get("email")) or "").lower() or None
    if email and ("@" not in email or " " in email):
        problem(f"email {email!r} is not an e-mail address")
    phone = _text(record.get("phone"))
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValueError as exc:
            problem(str(exc))
    on_call_text = (_text(record.get("on_call")) or "").lower()
    if on_call_text not in _TRUE | _FALSE:
        problem(f"on_call {on_call_text!r} is not true or false")
    teams_id = _text(record.get("teams_aad_object_id"))
    if not (telegram_id or teams_id or email or phone):
        problem("no telegram_id, teams_aad_object_id, email or phone to recognise this person by")
    if len(problems) > before:
        return None
    assert name is not None
    return StaffRow(line, name, role, team, telegram_id, teams_id, email, phone, on_call_text in _TRUE)


def _check_duplicates(rows: list[StaffRow], problems: list[str]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        for column, value in row.identifiers.items():
            first = seen.setdefault((column, value), row.line)
            if first != row.line:
                problems.append(f"line {row.line}: {column} {value} is also on line {first}")


# --- importing -------------------------------------------------------------------------------------------


def import_staff(
    session: Session, rows: list[StaffRow], catalog: Catalog | None, now: datetime
) -> ImportSummary:
    """Upserts the rows in the caller's transaction; on StaffImportError the caller rolls back.

    Whether someone is in the rotation is not the file's business: a person taken out of it
    (storage.rotation) stays out when a file still lists them.
    """
    problems: list[str] = []
    planned: list[tuple[StaffRow, Person | None, Team | None]] = []
    matched: dict[int, int] = {}  # person id -> the line that describes them
    for row in rows:
        team = _team(session, row, catalog, problems)
        person = _match(session, row, problems)
        if person is not None and matched.setdefault(person.id, row.line) != row.line:
            problems.append(f"line {row.line}: describes the same person as line {matched[person.id]}")
        planned.append((row, person, team))
    if problems:
        raise StaffImportError("staff file", problems)
    summary = ImportSummary()
    for row, person, team in planned:
        if person is None:
            person = Person(created_at=now)
            session.add(person)
            bucket = summary.created
        else:
            before = _snapshot(person)
            bucket = summary.updated
        _apply(person, row, team, now)
        session.flush()
        if bucket is summary.updated and _snapshot(person) == before:
            bucket = summary.unchanged
        bucket.append(row.name)
        if person.active is False:
            summary.inactive.append(row.name)
    return summary


def _team(session: Session, row: StaffRow, catalog: Catalog | None, problems: list[str]) -> Team | None:
    if not row.team:
        return None
    if GROUP_CODE.match(row.team):
        return group_team(session, row.team, catalog)
    team = find_team(session, row.team)
    if team is None:
        problems.append(
            f"line {row.line}: unknown team {row.team!r} (use a group code such as 05.21 or a team name)"
        )
    return team


def _match(session: Session, row: StaffRow, problems: list[str]) -> Person | None:
    """The existing person this row describes; a row whose identifiers point at two people is a problem."""
    accounts = [(ChatChannel.TELEGRAM, row.telegram_id), (ChatChannel.TEAMS, row.teams_aad_object_id)]
    conditions = [
        Person.accounts.any((ChatAccount.channel == channel) & (ChatAccount.external_id == external_id))
        for channel, external_id in accounts
        if external_id
    ]
    directory = Person.kind != PersonKind.CITIZEN
    if row.email:
        conditions.append(directory & (Person.email == row.email))
    if row.phone:
        conditions.append(directory & (Person.phone == row.phone))
    found = list(session.scalars(select(Person).where(or_(*conditions)).order_by(Person.id)))
    if len(found) > 1:
        names = ", ".join(f"{p.name or 'person'} (id {p.id})" for p in found)
        problems.append(f"line {row.line}: its identifiers match several people: {names}")
        return None
    return found[0] if found else None


def _apply(person: Person, row: StaffRow, team: Team | None, now: datetime) -> None:
    person.kind, person.staff_role = ROLES[row.role]
    person.name = row.name
    person.email = row.email or person.email
    person.phone = row.phone or person.phone
    person.team = team
    person.on_call = row.on_call
    for channel, external_id in (
        (ChatChannel.TELEGRAM, row.telegram_id),
        (ChatChannel.TEAMS, row.teams_aad_object_id),
    ):
        if external_id and not any(
            a.channel is channel and a.external_id == external_id for a in person.accounts
        ):
            person.accounts.append(ChatAccount(channel=channel, external_id=external_id, created_at=now))


def _snapshot(person: Person) -> tuple[object, ...]:
    accounts = tuple(sorted((a.channel.value, a.external_id) for a in person.accounts))
    return (
        person.kind,
        person.staff_role,
        person.name,
        person.email,
        person.phone,
        person.team_id,
        person.on_call,
        person.active,
        accounts,
    )


# --- listing ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    channel: ChatChannel
    external_id: str
    reachable: bool
    why_not: str | None  # "blocked" or "no conversation yet" (Teams needs the user to write once)


@dataclass(frozen=True)
class DirectoryEntry:
    person: Person
    reach: list[Reach]

    @property
    def role(self) -> str:
        return self.person.staff_role.value if self.person.staff_role else self.person.kind.value


def directory(session: Session) -> list[DirectoryEntry]:
    """Employees and staff by team and name, with the channels each can be reached on."""
    people = session.scalars(
        select(Person)
        .outerjoin(Team, Person.team_id == Team.id)
        .where(Person.kind != PersonKind.CITIZEN)
        .order_by(Team.code.nulls_last(), Person.name, Person.id)
    )
    return [DirectoryEntry(p, [_reach(a) for a in p.accounts]) for p in people]


def _reach(account: ChatAccount) -> Reach:
    why_not = unreachable_reason(account)
    return Reach(account.channel, account.external_id, why_not is None, why_not)
