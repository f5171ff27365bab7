"""People, chat accounts, phone numbers and the KVKK rule."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from storage_world import MONDAY_10, Directory

from storage.errors import KvkkNotAccepted
from storage.models import ChatAccount, ChatChannel, Person, PersonKind, StaffRole
from storage.people import (
    account_for,
    directory_person_by_phone,
    link_account,
    mark_blocked,
    reachable_accounts,
    record_kvkk_acceptance,
    set_personal_data,
)
from storage.phones import normalise_phone


@pytest.mark.parametrize(
    "text",
    [
        "0532 123 45 67",
        "+90 532 123 4567",
        "905321234567",
        "5321234567",
        "(0532) 123-45-67",
        "0090 532 1234567",
    ],
)
def test_phone_spellings_are_one_number(text: str) -> None:
    assert normalise_phone(text) == "+905321234567"


def test_foreign_numbers_are_kept_and_nonsense_refused() -> None:
    assert normalise_phone("+49 30 1234567") == "+49301234567"
    for bad in ["", "dahili 1234", "0532 123", "+90 532 123 45 678", "1234"]:
        with pytest.raises(ValueError):
            normalise_phone(bad)


def test_a_citizen_s_personal_data_waits_for_the_kvkk_acceptance(session: Session) -> None:
    account = account_for(session, ChatChannel.TELEGRAM, "777", MONDAY_10)
    citizen = account.person
    assert citizen.kind is PersonKind.CITIZEN and citizen.needs_kvkk
    with pytest.raises(KvkkNotAccepted):
        set_personal_data(citizen, name="Ali Veli", phone="0532 123 45 67")
    # Even written directly, the row is refused at flush.
    citizen.name = "Ali Veli"
    with pytest.raises(KvkkNotAccepted):
        session.flush()
    session.rollback()

    citizen = account_for(session, ChatChannel.TELEGRAM, "777", MONDAY_10).person
    record_kvkk_acceptance(citizen, "2026-11", MONDAY_10)
    set_personal_data(citizen, name=" Ali Veli ", phone="0532 123 45 67")
    session.commit()
    session.expire_all()
    assert (citizen.name, citizen.phone, citizen.kvkk_notice_version, citizen.kvkk_accepted_at) == (
        "Ali Veli",
        "+905321234567",
        "2026-11",
        MONDAY_10,
    )


def test_the_first_message_creates_one_account_and_later_ones_reuse_it(session: Session) -> None:
    first = account_for(session, ChatChannel.TEAMS, "aad-1", MONDAY_10)
    again = account_for(session, ChatChannel.TEAMS, "aad-1", MONDAY_10)
    other_channel = account_for(session, ChatChannel.TELEGRAM, "aad-1", MONDAY_10)
    session.commit()
    assert first.id == again.id != other_channel.id
    assert len(session.scalars(select(ChatAccount)).all()) == 2


def test_a_shared_contact_finds_the_directory_person(session: Session, directory: Directory) -> None:
    employee = directory.employee()
    employee.phone = "+905321234567"
    citizen = directory.citizen()
    citizen.phone = "+905329999999"
    session.flush()
    assert directory_person_by_phone(session, "905321234567") is employee
    assert directory_person_by_phone(session, "0532 999 99 99") is None  # citizens are not the directory
    assert directory_person_by_phone(session, "not a phone") is None
    account = account_for(session, ChatChannel.TELEGRAM, "555", MONDAY_10)
    link_account(account, employee)
    session.flush()
    assert account.person_id == employee.id


def test_blocked_accounts_and_teams_without_reference_are_unreachable(
    session: Session, directory: Directory
) -> None:
    tech = directory.staff(StaffRole.TECHNICIAN)
    telegram = tech.accounts[0]
    teams = ChatAccount(channel=ChatChannel.TEAMS, external_id="aad-tech", created_at=MONDAY_10)
    tech.accounts.append(teams)
    session.flush()
    assert reachable_accounts(tech) == [telegram]
    teams.conversation_ref = {"conversation": {"id": "a:1"}, "serviceUrl": "https://smba.example"}
    mark_blocked(telegram, MONDAY_10)
    session.commit()
    session.expire_all()
    reloaded = session.get_one(Person, tech.id)
    assert [a.channel for a in reachable_accounts(reloaded)] == [ChatChannel.TEAMS]
    assert reloaded.accounts[0].blocked_at == MONDAY_10
