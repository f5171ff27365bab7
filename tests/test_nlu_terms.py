"""How a message word finds its vocabulary terms in prefix mode."""

from __future__ import annotations

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
