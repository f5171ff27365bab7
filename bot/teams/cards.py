"""Replies as Teams activities: plain text, or an Adaptive Card whose buttons submit {"option": id}."""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory
from botbuilder.schema import Activity, ActivityTypes, TextFormatTypes

from bot.engine.events import Option, Reply

# Teams renders Adaptive Cards up to 1.5 on desktop and mobile.
CARD_VERSION = "1.5"
# Key of the submitted value that carries the option id (the data of every Action.Submit we send).
OPTION_KEY = "option"


def reply_activity(reply: Reply) -> Activity:
    """A reply without options stays a plain message (better notifications); with options it is a card."""
    if not reply.options:
        return Activity(type=ActivityTypes.message, text=reply.text, text_format=TextFormatTypes.plain)
    return Activity(
        type=ActivityTypes.message,
        summary=reply.text.splitlines()[0] if reply.text else None,
        attachments=[CardFactory.adaptive_card(options_card(reply.text, reply.options))],
    )


def options_card(text: str, options: list[Option]) -> dict[str, Any]:
    """One block per line (Teams collapses single newlines inside a block) and one full-width button per
    option, stacked, so long menus are not cut at the card's limit of top-level actions.

    A line is a RichTextBlock of one TextRun, not a TextBlock: a TextBlock's text is Markdown, so a
    requester's "**ACİL**", "[tıklayın](http://…)" or "- madde" would render as formatting and links in the
    technician's card; a TextRun's text is always shown as written.
    """
    body: list[dict[str, Any]] = []
    new_paragraph = False
    for line in text.splitlines():
        if not line.strip():
            new_paragraph = True
            continue
        spacing = "Medium" if new_paragraph else "None"
        body.append(text_line(line, spacing))
        new_paragraph = False
    body += [
        {
            "type": "ActionSet",
            "spacing": "Small",
            "actions": [{"type": "Action.Submit", "title": option.label, "data": {OPTION_KEY: option.id}}],
        }
        for option in options
    ]
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }


def text_line(line: str, spacing: str = "None") -> dict[str, Any]:
    """A line of plain text: no Markdown, whatever it contains."""
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": line}], "spacing": spacing}
