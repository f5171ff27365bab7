"""The one command table: each command's name, the words that mean it without a slash, its help text, who may
use it and its handler. The engine, the help text, Telegram's command menu and the Teams manifest all read
it, so adding a command is adding one row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot import texts
from bot.engine import attaching, drafts, onboarding, panel_login, typed, work
from bot.engine.context import Turn
from bot.engine.events import CommandEvent, command_name
from bot.engine.state import Step

Handler = Callable[[Turn, str], None]  # (turn, the text after the command)

TICKET_TEXT_STEPS = frozenset(
    {Step.RESOLUTION_NOTE, Step.QUESTION, Step.ANSWER, Step.REOPEN_REASON, Step.NOTE}
)


@dataclass(frozen=True)
class Command:
    name: str  # as typed after the slash, ASCII: "durum"
    help: str  # one line for /yardim, the Telegram menu and the Teams manifest
    handler: Handler
    # Folded phrases (bot.engine.typed.fold) that mean the command typed without a slash, as a whole message
    # or followed by a ticket number: "durum BIM-2026-000004", "talebim ne oldu".
    words: tuple[str, ...] = ()
    staff_only: bool = False
    # Served before a person is identified and a citizen has read the notice.
    before_onboarding: bool = False


def cancel_conversation(turn: Turn, args: str = "") -> None:
    """/iptal: the ticket named, or what is being done now (a request, a text for a ticket, files)."""
    if args.strip():
        _with_number(turn, "iptal", args, work.cancel)
        return
    step = turn.conv.step
    if step in TICKET_TEXT_STEPS:  # a note, question, answer or reason not written after all
        number = turn.conv.data["ticket"]
        kept = drafts.keep(turn)
        turn.conv.reset()
        turn.say(texts.ticket_text_cancelled(str(number)))
        drafts.resume(turn, kept)  # what it interrupted, if anything, is still wanted
    elif step == Step.ATTACH_TARGET or (step == Step.IDLE and turn.conv.data.get("attachments")):
        attaching.discard(turn)  # files sent without a request, waiting for a ticket or a description
    elif step == Step.IDLE:
        turn.say(texts.NOTHING_TO_CANCEL)
    else:
        turn.conv.reset()
        turn.say(texts.CANCELLED_CONVERSATION)


def _with_number(turn: Turn, command: str, args: str, then: Callable[[Turn, str], None]) -> None:
    number = typed.ticket_number(args) or (args.split()[0] if args.split() else "")
    if not number:
        turn.say(texts.needs_number(command))
        return
    then(turn, number)


def _numbered(command: str, then: Callable[[Turn, str], None]) -> Handler:
    return lambda turn, args: _with_number(turn, command, args, then)


def _help(turn: Turn, _args: str) -> None:
    turn.say(texts.help_text(menu(turn.person.is_staff)))


COMMANDS: tuple[Command, ...] = (
    Command("start", texts.CMD_START, lambda t, _a: onboarding.start(t), before_onboarding=True),
    Command("yeni", texts.CMD_NEW, lambda t, _a: drafts.new_request(t), ("yeni talep",)),
    Command(
        "taleplerim",
        texts.CMD_MY_TICKETS,
        lambda t, _a: work.my_tickets(t),
        ("taleplerim", "taleplerim ne oldu", "talebim ne oldu", "taleplerimi goster", "ne oldu talebim"),
    ),
    Command("durum", texts.CMD_STATUS, _numbered("durum", work.status), ("durum", "durumu")),
    Command("iptal", texts.CMD_CANCEL, cancel_conversation, ("iptal", "vazgectim", "vazgec", "bosver")),
    Command("yardim", texts.CMD_HELP, _help, ("yardim", "help", "komutlar"), before_onboarding=True),
    Command("kvkk", texts.CMD_KVKK, lambda t, _a: onboarding.kvkk_command(t), before_onboarding=True),
    Command("islerim", texts.CMD_MY_WORK, lambda t, _a: work.my_work(t), ("islerim",), staff_only=True),
    Command("ustlen", texts.CMD_TAKE, _numbered("ustlen", work.take), staff_only=True),
    Command("coz", texts.CMD_RESOLVE, _numbered("coz", work.start_resolution), staff_only=True),
    Command("panel", texts.CMD_PANEL, lambda t, _a: panel_login.send_link(t), ("panel",), staff_only=True),
)
ALIASES = {"help": "yardim"}
BY_NAME = {c.name: c for c in COMMANDS}


def menu(staff: bool) -> list[tuple[str, str]]:
    """(name, help line) of the commands for everyone, or for staff also theirs: the help text, Telegram's
    command menu and the Teams manifest list these."""
    return [(c.name, c.help) for c in COMMANDS if staff or not c.staff_only]


def find(name: str) -> Command | None:
    folded = command_name(name)
    return BY_NAME.get(ALIASES.get(folded, folded))


def from_words(text: str) -> CommandEvent | None:
    """A message that is a command without its slash: the command's words alone, or followed by a ticket
    number ("durum BIM-2026-000004"); a bare ticket number asks for its status."""
    said = typed.fold(text)
    number = typed.ticket_number(text)
    if number is not None and typed.TICKET_NUMBER.sub("", text).strip(" .,:;!?-") == "":
        return CommandEvent("durum", number)
    for command in COMMANDS:
        for phrase in command.words:
            if said == phrase:
                return CommandEvent(command.name)
            if number is not None and said.startswith(phrase + " "):
                return CommandEvent(command.name, number)
    return None


def run(turn: Turn, event: CommandEvent, onboarding_input: Callable[[], None]) -> None:
    command = find(event.name)
    if command is None:
        turn.say(texts.UNKNOWN_COMMAND)
    elif not command.before_onboarding and (turn.needs_consent() or turn.conv.step == Step.KVKK):
        onboarding_input()
    elif command.staff_only and not turn.person.is_staff:
        turn.say(texts.STAFF_ONLY)
    else:
        command.handler(turn, event.args.strip())
