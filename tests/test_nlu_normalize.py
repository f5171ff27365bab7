"""Turkish normalization: case, Unicode forms, apostrophes, repeated letters, ASCII folding, suffixes."""

from __future__ import annotations

import unicodedata

import pytest

from nlu.normalize import NEGATION, Tokenizer, fold, stem, tokens, turkish_lower


def test_turkish_lowercasing_keeps_dotted_and_dotless_i_apart() -> None:
    assert turkish_lower("İSTANBUL IŞIK") == "istanbul ışık"
    assert turkish_lower("TÜBİTAK") == "tübitak"


def test_decomposed_and_compatibility_forms_are_normalized() -> None:
    decomposed = unicodedata.normalize("NFD", "İmza Şifresi")
    assert fold(decomposed) == fold("İmza Şifresi") == "imza sifresi"
    assert fold("ＶＰＮ") == "vpn"  # full-width letters from some phone keyboards


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Outlook'a bağlanamıyorum!!", "outlook baglanamiyorum"),
        ("TÜBİTAK’tan e-imza", "tubitak eimza"),
        ("Başak Portal’da hata", "basak portal hata"),
        ("e imza, e-posta, E-Belediye", "eimza eposta ebelediye"),
        ("yazici kagit sikisti", "yazici kagit sikisti"),
        ("yazıcı kağıt sıkıştı", "yazici kagit sikisti"),
        ("internet yokkkk!!! çalışmıyooor", "internet yok calismiyor"),
        ("www.basaksehir.bel.tr açılmıyor", "w basaksehir bel tr acilmiyor"),  # www is three of a kind too
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_a_double_letter_of_the_word_itself_stays() -> None:
    assert fold("Digikent'te dikkat") == "digikent dikkat"
    assert fold("Digikentte") == "digikentte"


def test_negative_verbs_add_the_negation_word() -> None:
    assert tokens("mouse çalışmıyor") == ["mouse", "calismiyor", NEGATION]
    assert tokens("pc açılmıyo") == ["pc", "acilmiyo", NEGATION]
    assert tokens("hesap açılması") == ["hesap", "acilmasi"]


@pytest.mark.parametrize(
    "text",
    [
        "Outlook'a bağlanamıyorum!! yazıcı kağıt SIKIŞTI, İMAR MD. - çalışmıyooor",
        "e imza çalışmıyor",  # a lone e joins the next piece's word
        "e e-posta e. imza x e",
        "e.imza ve e-devlet",
        "hat\u2028yok ve\x85ağ\u2029kesik\u1680hala",  # whitespace that folding drops joins pieces
        "yok\u00a0mu\u3000internet\tyok\n",  # whitespace that folds to a space separates them
        "açılmadı´ dikkat ¨ ＶＰＮ ﬁber Σ",  # compatibility forms that bring a space or a mark
        "(şifre) «yazıcı» 12:30'da wwwww",
    ],
)
def test_the_tokenizer_gives_the_tokens_of_the_whole_text(text: str) -> None:
    tokenizer = Tokenizer()
    assert tokenizer(text) == tokens(text)
    assert tokenizer(text) == tokens(text)  # from its cache of pieces


@pytest.mark.parametrize(
    ("inflected", "plain"),
    [
        ("yazicidan", "yazici"),
        ("yazicim", "yazici"),
        ("bilgisayarima", "bilgisayar"),
        ("interneti", "internet"),
        ("portalda", "portal"),
        ("digikentte", "digikent"),
        ("kameralar", "kamera"),
        ("unuttum", "unutmak"),
    ],
)
def test_stemming_brings_inflections_together(inflected: str, plain: str) -> None:
    assert stem(inflected) == stem(plain)


def test_stemming_keeps_short_words_whole() -> None:
    assert stem("hata") == "hata"  # not "hat" (a telephone line)
    assert stem("vpn") == "vpn"
