"""Ordinary Turkish words: correctly spelled words of everyday Turkish, from wordfreq's frequency list.

A message word that is one of them is no typo: "bekledim" is not a misspelt "belge", nor "kredi" a misspelt
"kedi". Such a word skips the typo search (nlu.terms), which is most of the cost of a long message's new
words and the source of much of its false evidence.
"""

from __future__ import annotations

from functools import cache

from wordfreq import get_frequency_dict

# wordfreq's words are lowercased already; folding their Turkish letters is all nlu.normalize.fold would do
# to a word of letters (the list's other words, with digits, apostrophes or foreign letters, are left out).
_FOLD_TURKISH = str.maketrans("çğıöşüâîû", "cgiosuaiu")


@cache
def ordinary_words() -> frozenset[str]:
    """The folded forms of the words of wordfreq's Turkish list (63,000 words, each at least once in a
    million words of text)."""
    folded = (word.translate(_FOLD_TURKISH) for word in get_frequency_dict("tr"))
    return frozenset(word for word in folded if word.isascii() and word.isalpha())
