"""`/panel`: a one-time login link to the web panel, for IT staff (the command dispatch checks staff)."""

from __future__ import annotations

from bot import texts
from bot.engine.context import Turn
from bot.engine.events import Reply
from storage import panel_auth

LOGIN_PATH = "/giris/"  # the panel's route that shows the "Panele gir" button


def login_url(base: str, token: str) -> str:
    return f"{base}{LOGIN_PATH}{token}"


def send_link(turn: Turn) -> None:
    base = turn.services.config.panel_url
    if not base:
        turn.say(texts.PANEL_NOT_CONFIGURED)
        return
    token = panel_auth.create_link(turn.session, turn.person, turn.now)
    minutes = int(panel_auth.LINK_LIFETIME.total_seconds() // 60)
    turn.replies.append(Reply(texts.panel_link(login_url(base, token), minutes), no_preview=True))
