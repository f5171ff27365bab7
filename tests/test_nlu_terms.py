"""How a message word finds its vocabulary terms in prefix mode."""

from __future__ import annotations

from nlu.ordinary import ordinary_words
from nlu.terms import Vocabulary


def _vocabulary(*words: str) -> tuple[Vocabulary, dict[int, str]]:
    vocabulary = Vocabulary("prefix")
    ids = {vocabulary.add(word): word for word in words}
    vocabulary.freeze()
    return vocabulary, ids


def test_a_suffixed_word_finds_its_word_and_inflected_forms() -> None:
    vocabulary, ids = _vocabulary("bilgisayar", "bilgisayari", "yazici")
    assert {ids[t] for t, _ in vocabulary.resolve("bilgisayarima")} == {"bilgisayar", "bilgisayari"}
    assert {ids[t] for t, _ in vocabulary.resolve("yazicidan")} == {"yazici"}


def test_a_shorter_word_is_no_reading_when_what_follows_is_no_suffix() -> None:
    """'bilgisayar' must not count as evidence for 'bilgi' (Bilgi Güvenliği)."""
    vocabulary, ids = _vocabulary("bilgi", "bilgisayar")
    assert [ids[t] for t, _ in vocabulary.resolve("bilgisayar")] == ["bilgisayar"]
    assert [ids[t] for t, _ in vocabulary.resolve("bilgisayarda")] == ["bilgisayar"]
    assert [ids[t] for t, _ in vocabulary.resolve("bilgiler")] == ["bilgi"]


def test_a_softened_final_consonant_finds_the_dictionary_form() -> None:
    """kulaklık → kulaklığı, kağıt → kağıdı, dolap → dolabı (folded: g, d, b before a vowel suffix)."""
    vocabulary, ids = _vocabulary("kulaklik", "kagit", "dolap")
    # a whole match (similarity 1), not a typo correction
    assert [(ids[t], s) for t, s in vocabulary.resolve("kulakligin")] == [("kulaklik", 1.0)]
    assert [(ids[t], s) for t, s in vocabulary.resolve("kagidi")] == [("kagit", 1.0)]
    assert [(ids[t], s) for t, s in vocabulary.resolve("dolabi")] == [("dolap", 1.0)]


def test_a_plain_word_reaches_the_inflected_forms_of_the_vocabulary() -> None:
    """Scope texts and phrases bring inflected words ("arşive"); a message saying "arşiv" means them too."""
    vocabulary, ids = _vocabulary("arsive", "hatasi", "bilgisayarda")
    assert [(ids[t], s) for t, s in vocabulary.resolve("arsiv")] == [("arsive", 1.0)]
    assert [ids[t] for t, _ in vocabulary.resolve("hata")] == ["hatasi"]
    # only as far as the vocabulary word's stem: "bilgi" is no reading of "bilgisayarda"
    assert vocabulary.resolve("bilgi") == ()


def test_a_word_known_only_from_examples_is_found_exactly_or_by_its_suffixes_not_by_typo() -> None:
    examples_only, lexicon = Vocabulary("prefix"), Vocabulary("prefix")
    term = examples_only.add("kemirdi", fuzzy=False)
    lexicon.add("kemirdi")
    for vocabulary in (examples_only, lexicon):
        vocabulary.freeze()
    assert [t for t, _ in examples_only.resolve("kemirdiler")] == [term]
    assert lexicon.resolve("kemrdi") != ()  # a typo away: corrected towards a lexicon word …
    assert examples_only.resolve("kemrdi") == ()  # … but not towards a word only the examples use


def test_an_ordinary_word_is_no_typo_but_keeps_the_word_it_starts_with() -> None:
    """A correctly spelled Turkish word is not corrected towards a near vocabulary word ("kredi" is no
    misspelt "kedi"), while a suffix the stemmer does not know still falls away ("başkanla" → "başkan")."""
    plain, gated = Vocabulary("prefix"), Vocabulary("prefix", ordinary=frozenset({"kredi", "baskanla"}))
    for vocabulary in (plain, gated):
        kedi, baskan = vocabulary.add("kedi"), vocabulary.add("baskan")
        vocabulary.freeze()
    assert [t for t, _ in plain.resolve("kredi")] == [kedi]
    assert gated.resolve("kredi") == ()
    assert gated.resolve("kedi") == ((kedi, 1.0),)
    assert gated.resolve("baskanla") == plain.resolve("baskanla")[:1]
    assert [t for t, _ in gated.resolve("baskanla")] == [baskan]
    assert [t for t, _ in gated.resolve("keddi")] == [kedi]  # a word not in the list may be a typo


def test_the_ordinary_words_are_folded_turkish_words_of_letters() -> None:
    words = ordinary_words()
    assert {"bekledim", "sifre", "yazici", "giris", "kredi"} <= words
    assert len(words) > 50_000
    assert all(word.isascii() and word.isalpha() for word in words)
