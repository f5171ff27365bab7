"""Greetings and thanks: a message that asks for nothing, recognised so the bot can answer in kind.

The words come from the lexicon's small_talk section. A message is small talk only when every word in it is
a small-talk word or a stopword ("merhaba", "çok teşekkürler", "iyi çalışmalar"); one other word and it is
something else. The words resolve like the index's (suffixes, ASCII typing, small typos: "selamlar",
"tesekkurler", "merhba").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Literal, get_args

from nlu.normalize import tokens
from nlu.terms import SuffixMode, Vocabulary

SmallTalkKind = Literal["greeting", "thanks"]
SMALL_TALK_KINDS: tuple[SmallTalkKind, ...] = get_args(SmallTalkKind)


class SmallTalk:
    def __init__(
        self, words: Mapping[str, Sequence[str]], stopwords: Collection[str], mode: SuffixMode
    ) -> None:
        self._stopwords = frozenset(stopwords)
        self._vocabulary = Vocabulary(mode)
        self._kinds: dict[int, SmallTalkKind] = {}
        for kind in SMALL_TALK_KINDS:
            for phrase in words.get(kind, ()):
                for word in tokens(phrase):
                    self._kinds[self._vocabulary.add(word)] = kind
        self._vocabulary.freeze()

    def kind(self, words: Sequence[str]) -> SmallTalkKind | None:
        """The kind of a message (its folded words) of small talk only, None for anything else; thanks wins
        over a greeting ("teşekkürler, iyi günler" closes a conversation)."""
        found: set[SmallTalkKind] = set()
        for word in words:
            kinds = {self._kinds[term_id] for term_id, _ in self._vocabulary.resolve(word)}
            if kinds:
                found |= kinds
            elif word not in self._stopwords:
                return None
        if "thanks" in found:
            return "thanks"
        return "greeting" if found else None
