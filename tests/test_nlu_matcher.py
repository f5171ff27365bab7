"""The matcher on the issue's examples and the catalog's hard distinctions, and its interface."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.loader import load_catalog
from nlu import Matcher, build_matcher
from nlu.lexicon import LexiconError


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return build_matcher(load_catalog())


@pytest.mark.parametrize(
    ("text", "service_id"),
    [
        # with and without Turkish letters, with typos
        ("yazıcı kağıt sıkıştı", "05.21.001"),
        ("yazici kagit sikisti", "05.21.001"),
        ("yazıcı kağt skıştı", "05.21.001"),
        # suffixes
        ("yazıcımdan çıktı alamıyorum", "05.21.001"),
        ("bilgisayarıma format atılması lazım", "05.21.003"),
        ("Outlook'a bağlanamıyorum", "05.25.002"),
        ("e-imzam hata veriyor", "05.21.005"),
        # colloquial, short or long
        ("pc açılmıyo", "05.21.003"),
        ("internet yok", "05.25.003"),
        ("dün akşamdan beri mail gelmiyor, telefondan da bakamıyorum", "05.25.002"),
        # English loanwords
        ("printer çalışmıyor", "05.21.001"),
        ("wifi bağlanmıyor", "05.25.003"),
        ("vpn bağlantısı kurulamıyor", "05.25.003"),
        ("windows login olmuyor", "05.21.003"),
        # product and system names
        ("NetCAD açılmıyor", "05.23.009"),
        ("TAKBİS sorgulaması çalışmıyor", "05.23.009"),
        ("BELNET yetkisi istiyorum", "05.23.010"),
        ("e-Belediye'ye giremiyorum", "05.23.012"),
        ("Cognos'ta yeni rapor lazım", "05.23.005"),
        ("AVAYA konsol ekranı kilitlendi", "05.22.001"),
        ("PDKS turnikesi kartımı okumuyor", "05.24.004"),
        ("yeni cihazların FixRef kaydı", "05.21.009"),
        ("Skype açılmıyor", "05.25.005"),
        ("Outlook açılmıyor", "05.25.002"),
    ],
)
def test_issue_examples(matcher: Matcher, text: str, service_id: str) -> None:
    result = matcher.match(text)
    assert result.decision != "none"
    assert result.candidates[0].service_id == service_id


@pytest.mark.parametrize(
    ("text", "service_id"),
    [
        # fault vs supply
        ("mouse çalışmıyor", "05.21.007"),
        ("yeni mouse lazım", "05.26.003"),
        ("toner bitti", "05.26.001"),
        ("atık toner kutusu doldu", "05.21.001"),
        # a login problem on a device
        ("bilgisayarda oturum açamıyorum", "05.21.003"),
        # e-imza: install or fix, obtain from TÜBİTAK, Digikent archive error
        ("e-imza kurulumu yapılması lazım", "05.21.005"),
        ("e-imzam çalışmıyor", "05.21.005"),
        ("TÜBİTAK'tan yeni e-imza almak istiyorum", "05.26.002"),
        ("Digikent'te e-imza arşive alınamıyor", "05.23.001"),
        # Digikent and Başak Portal: access vs screen errors vs authorization
        ("Digikent hiç açılmıyor", "05.23.002"),
        ("Digikent ekranında hata veriyor", "05.23.001"),
        ("Digikent'te modül yetkisi verilmesi", "05.23.003"),
        ("Başak Portal açılmıyor", "05.23.008"),
        ("Başak Portal'da kullanıcı tanımlanması", "05.23.007"),
        # camera and switchboard: fault vs installation
        ("güvenlik kamerası görüntü vermiyor", "05.24.001"),
        ("yeni güvenlik kamerası takılması", "05.24.002"),
        ("santral arızalı", "05.22.004"),
        ("yeni santral montajı", "05.22.005"),
    ],
)
def test_hard_distinctions_are_decided_automatically(matcher: Matcher, text: str, service_id: str) -> None:
    result = matcher.match(text)
    assert result.candidates[0].service_id == service_id
    assert result.decision == "auto"


@pytest.mark.parametrize(
    "text",
    [
        "merhaba",
        "teşekkürler",
        "çöp toplanmadı",
        "sokak lambası yanmıyor",
        "nikah salonu",
        "su faturası",
        "kartvizit basımı talebi",  # a print shop's job, not IT's printers
        "",
        "?!",
    ],
)
def test_out_of_scope_is_recognized(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).decision == "none"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # greetings, inflected, typed in ASCII or misspelt
        ("merhaba", "greeting"),
        ("Selamlar", "greeting"),
        ("MRB", "greeting"),
        ("merhba", "greeting"),
        ("merhaba, nasılsınız?", "greeting"),
        ("iyi çalışmalar", "greeting"),
        ("selamun aleyküm", "greeting"),
        # thanks, also when it closes with a greeting
        ("teşekkürler", "thanks"),
        ("tesekkur ederim", "thanks"),
        ("çok sağolun 🙏", "thanks"),
        ("sağ olun", "thanks"),
        ("teşekkürler, iyi günler", "thanks"),
        # other municipal services, with or without a greeting
        ("çöp toplanmadı", "non_it"),
        ("sokak lambası yanmıyor", "non_it"),
        ("su faturası", "non_it"),
        ("nikah salonu", "non_it"),
        ("merhaba, çöp toplanmadı", "non_it"),
        # nothing recognisable: a greeting with an unknown word is not small talk
        ("asdfgh", None),
        ("merhaba qwzx", None),
        ("?!", None),
    ],
)
def test_out_of_scope_texts_say_what_kind_they_are(matcher: Matcher, text: str, kind: str | None) -> None:
    result = matcher.match(text)
    assert (result.decision, result.out_of_scope_kind) == ("none", kind)


def test_requests_have_no_out_of_scope_kind_even_with_a_greeting(matcher: Matcher) -> None:
    result = matcher.match("merhaba, outlook açılmıyor, teşekkürler")
    assert result.decision == "auto"
    assert result.candidates[0].service_id == "05.25.002"
    assert result.out_of_scope_kind is None


def test_a_small_talk_section_with_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon.yaml"
    lexicon.write_text("services: {}\nsmall_talk: {farewell: [hoşça kal]}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="small_talk"):
        build_matcher(load_catalog(), lexicon_path=lexicon)


def test_candidates_are_ranked_calibrated_and_at_most_k(matcher: Matcher) -> None:
    result = matcher.match("yazıcı çalışmıyor kağıt sıkıştı", k=3)
    scores = [c.score for c in result.candidates]
    assert 1 <= len(scores) <= 3
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert sum(scores) <= result.in_scope + 1e-9  # the rest is the out-of-scope outcome


def test_the_inactive_placeholder_is_never_a_candidate(matcher: Matcher) -> None:
    for text in ("daha sonra incelenecektir", "arşiv hizmetleri", "05.29.XXX"):
        assert all(c.service_id != "05.29.XXX" for c in matcher.match(text).candidates)


def test_both_services_sharing_a_code_keep_their_own_ids(matcher: Matcher) -> None:
    modem = matcher.match("fuar için mobil modem lazım").candidates[0]
    printer = matcher.match("birimimize yeni yazıcı lazım").candidates[0]
    assert (modem.service_id, modem.code) == ("05.26.006-a", "05.26.006")
    assert (printer.service_id, printer.code) == ("05.26.006-b", "05.26.006")


def test_allowed_ids_rerank_within_the_eligible_services(matcher: Matcher) -> None:
    text = "şifremi unuttum"
    assert matcher.match(text).candidates[0].service_id == "05.25.006"
    citizen_services = {"05.23.011", "05.23.012", "05.23.013"}
    citizen = matcher.match(text, allowed=citizen_services)
    assert citizen.candidates
    assert {c.service_id for c in citizen.candidates} <= citizen_services
    assert citizen.candidates[0].service_id == "05.23.012"  # e-belediye password problems


def test_one_word_alone_is_asked_about_not_decided(matcher: Matcher) -> None:
    """A single word may be meant in another sense, so it is offered, never chosen automatically."""
    one_word = matcher.match("skype")
    assert (one_word.decision, one_word.candidates[0].service_id) == ("ask", "05.25.005")
    assert matcher.match("skype açılmıyor").decision == "auto"


def test_an_inflected_phrase_word_weighs_no_more_than_the_word_it_inflects(matcher: Matcher) -> None:
    """A printer phrase says "bilgisayarda"; that rare spelling must not make a computer fault a printer's."""
    assert matcher.match("bilgisayarda sorun var").candidates[0].service_id == "05.21.003"
    assert matcher.match("Digikent e-imza arşiv hatası").candidates[0].service_id == "05.23.001"


def test_thresholds_can_be_overridden(matcher: Matcher) -> None:
    # "belediye" is an out-of-scope word: the none threshold only turns away what some word speaks against
    text = "belediyedeki odamda mouse çalışmıyor"
    assert matcher.match(text).decision == "auto"
    assert matcher.with_thresholds(auto=1.0).match(text).decision == "ask"
    assert matcher.with_thresholds(none=1.0).match(text).decision == "none"
    assert matcher.with_thresholds(none=1.0).match("mouse çalışmıyor").decision == "auto"
    with pytest.raises(ValueError, match="between 0 and 1"):
        matcher.with_thresholds(margin=1.5)


def test_a_lexicon_for_an_unknown_service_is_refused(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon.yaml"
    lexicon.write_text('services:\n  "05.99.001": {keywords: [toner]}\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"05\.99\.001"):
        build_matcher(load_catalog(), lexicon_path=lexicon)


def test_a_broken_lexicon_names_the_entry_and_field(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon.yaml"
    lexicon.write_text('services:\n  "05.21.001": {keywords: yazıcı, colour: red}\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"services\.05\.21\.001: unknown field\(s\) colour"):
        build_matcher(load_catalog(), lexicon_path=lexicon)


def _examples(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "examples.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_labelled_example_teaches_wording_the_lexicon_lacks(tmp_path: Path) -> None:
    """Examples are phrases of their services: a message in their words finds the service."""
    text = "zımbırtı makinesi gıcırdıyor"
    none = build_matcher(load_catalog(), examples_path=_examples(tmp_path))
    assert "05.21.001" not in [c.service_id for c in none.match(text).candidates[:1]]
    taught = build_matcher(
        load_catalog(),
        examples_path=_examples(
            tmp_path, '{"text": "zımbırtı makinesi gıcırdıyor yazmıyor", "codes": ["05.21.001"]}'
        ),
    )
    assert taught.match(text).candidates[0].service_id == "05.21.001"


def test_an_out_of_scope_example_weighs_against_requests_but_names_no_other_service(tmp_path: Path) -> None:
    examples = _examples(tmp_path, '{"text": "zımbırtı gıcırdıyor", "codes": []}')
    result = build_matcher(load_catalog(), examples_path=examples).match("zımbırtı gıcırdıyor")
    # out of scope, but not "another municipal service's": that takes the hand-written out-of-scope words
    assert (result.decision, result.out_of_scope_kind) == ("none", None)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", r"examples\.jsonl:1: expected"),
        ('{"text": "toner bitti"}', r"examples\.jsonl:1: expected"),
        ('{"text": "toner bitti", "codes": "05.26.001"}', r"examples\.jsonl:1: .*list of service ids"),
        (
            '{"text": "toner bitti", "codes": ["05.99.001"]}',
            r"examples: no active catalog service with id 05\.99\.001",
        ),
    ],
)
def test_a_broken_examples_file_names_the_line(tmp_path: Path, line: str, message: str) -> None:
    with pytest.raises(LexiconError, match=message):
        build_matcher(load_catalog(), examples_path=_examples(tmp_path, line))


@pytest.mark.parametrize(
    ("text", "service_id"),
    [
        ("yazıcı", "05.21.001"),
        ("bilgisayar", "05.21.003"),
        ("internet", "05.25.003"),
        ("yazıcı bozuk", "05.21.001"),
        # the "değil" a negative verb brings is no out-of-scope word, though "temizlenmiyor" brings it too
        ("kamera çalışmıyor", "05.24.001"),
    ],
)
def test_a_message_nothing_speaks_against_is_asked_about_however_short(
    matcher: Matcher, text: str, service_id: str
) -> None:
    """Out-of-scope phrases mention IT words too ("oyun bilgisayarı", "ev interneti"); those words alone
    are no evidence against a request, so a bare "bilgisayar" is offered, never turned away."""
    result = matcher.match(text)
    assert (result.decision, result.candidates[0].service_id) == ("ask", service_id)


def test_two_problems_in_one_message_are_both_reported(matcher: Matcher) -> None:
    result = matcher.match("bilgisayarım açılmıyor bir de outlook şifremi unuttum")
    assert result.text == "bilgisayarım açılmıyor bir de outlook şifremi unuttum"
    assert result.decision != "none"
    assert result.candidates[0].service_id == "05.21.003"
    assert len(result.additional) == 1
    second = result.additional[0]
    assert second.text == "outlook şifremi unuttum"
    assert second.decision != "none"
    assert second.candidates[0].service_id in {"05.25.002", "05.25.006"}
    assert second.additional == ()


def test_a_first_clause_the_whole_message_disagrees_with_is_asked_about(matcher: Matcher) -> None:
    """Read alone, the first clause is a line fault (05.22.001, automatic); the whole message asks for the
    right to call outside (05.22.002). The problems keep the order written, but the first is not decided."""
    text = (
        "slm benim dahili telefonum dış arama yapamıyor, cep telefonlarını aramam gerekiyor, "
        "dahili telefonuma dış arama yetkisi verilebilir mi"
    )
    result = matcher.match(text)
    assert (result.decision, result.candidates[0].service_id) == ("ask", "05.22.001")
    assert [extra.candidates[0].service_id for extra in result.additional] == ["05.22.002"]


def test_an_extension_in_a_signature_is_no_telephone_problem(matcher: Matcher) -> None:
    text = (
        "Merhaba, iyi çalışmalar. Bugün sabah bilgisayarımı açtığımda mavi ekran hatası aldım, birkaç kez "
        "yeniden başlattım ama düzelmedi. Acil yardımcı olabilir misiniz? Dahili 2345"
    )
    result = matcher.match(text)
    assert (result.decision, result.candidates[0].service_id, result.additional) == ("auto", "05.21.003", ())


def test_a_long_message_s_further_clause_needs_a_device_or_system_to_be_a_second_problem(
    matcher: Matcher,
) -> None:
    """An e-mail's commas mostly separate context: "dış arama yetkisi verilebilir mi" names no device or
    system, so it is no second problem to offer (the first clause still answers, and is asked about)."""
    text = (
        "slm benim dahili telefonum dış arama yapamıyor, cep telefonlarını aramam gerekiyor, "
        "dış arama yetkisi verilebilir mi"
    )
    result = matcher.match(text)
    assert (result.decision, result.candidates[0].service_id, result.additional) == ("ask", "05.22.001", ())
    # a short message keeps a second problem without one ("şifremi de unuttum" is real enough)
    short = matcher.match("yazıcı kağıt sıkıştırıyor, bir de şifremi unuttum")
    assert [extra.candidates[0].service_id for extra in short.additional] == ["05.25.006"]


@pytest.mark.parametrize(
    "text",
    [
        "yazıcım çalışmıyor",  # one problem
        "Merhaba, yazıcım çalışmıyor",  # a greeting is no second problem
        "yazıcı kağıt sıkıştı, kağıdı çıkaramıyorum",  # two clauses about the same service
        "su kesik bir de otobüs gelmiyor",  # no IT request at all
    ],
)
def test_one_problem_reports_no_additional_one(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).additional == ()


def test_connectives_in_capitals_split_too(matcher: Matcher) -> None:
    result = matcher.match("YAZICI ÇALIŞMIYOR AYRICA İNTERNET YOK")
    assert result.candidates[0].service_id == "05.21.001"
    assert [extra.candidates[0].service_id for extra in result.additional] == ["05.25.003"]


def test_a_forgotten_password_is_asked_about_with_the_account_service_first(matcher: Matcher) -> None:
    # "şifre" alone names no device or system (a water card has one too), so the matcher asks.
    result = matcher.match("şifremi unuttum")
    assert result.decision == "ask"
    assert result.candidates[0].service_id == "05.25.006"


@pytest.mark.parametrize(
    "text",
    [
        # ordinary words with an IT sense ("kart", "şifre", "sistem", "giriş", "hat") name no device
        "su kartıma yükleme yaptım şifre istiyor",
        "çağrı merkezine bağlanamıyorum saatlerdir arıyorum",
        "sisteme giriş yapamıyorum şifre hatalı diyor",
        # a long complaint that collects many weak words
        "otobüs kartıma internetten yükleme yaptım ama sistem hata veriyor, hat numarası yanlış görünüyor, "
        "üç gündür durakta bekliyorum, çağrı merkezini aradım kimse açmıyor, şifre istiyor giriş olmuyor, "
        "bu nasıl bir hizmet anlamadım, lütfen artık bir çözüm bulun",
    ],
)
def test_no_automatic_decision_without_an_it_anchor(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).decision != "auto"


def test_a_long_complaint_is_turned_away(matcher: Matcher) -> None:
    text = (
        "mahallemizde üç gündür sular kesik, belediyeyi defalarca aradık ama kimse bir açıklama yapmadı, "
        "çocuklarımız okula gidemiyor, otobüs de saatinde gelmiyor, sistem çalışmıyor deniyor, bu nasıl "
        "bir hizmet, vergimizi ödüyoruz, lütfen yetkililer bu soruna artık bir çözüm bulsun"
    )
    assert matcher.match(text).decision == "none"


@pytest.mark.parametrize(
    ("text", "service_id"),
    [
        ("İMAR MD. - yazıcı arızası", "05.21.001"),
        ("FEN İŞLERİ MÜDÜRLÜĞÜ: yazıcı kağıt sıkıştırıyor", "05.21.001"),
        ("ZABITA MD - PC AÇILMIYOR", "05.21.003"),
    ],
)
def test_a_department_prefix_names_who_asks_not_what(matcher: Matcher, text: str, service_id: str) -> None:
    result = matcher.match(text)
    assert result.decision != "none"
    assert result.candidates[0].service_id == service_id


@pytest.mark.parametrize(
    ("text", "service_id"),
    [
        ("FOTOKOPİ MAKİNESİ ARIZA - NİKAH SALONU", "05.21.001"),
        ("kamera kaydı istendi - kaza", "05.24.001"),
    ],
)
def test_a_requester_or_place_after_a_dash_is_dropped(matcher: Matcher, text: str, service_id: str) -> None:
    # Without the rule the other municipal words ("nikah salonu", "kaza") turned these titles away.
    result = matcher.match(text)
    assert result.decision == "ask"
    assert result.candidates[0].service_id == service_id


@pytest.mark.parametrize(
    ("text", "service_id"),
    [
        ("zabıta amirliğinde yazıcı çalışmıyor", "05.21.001"),
        ("muhtarlıkta internet yok", "05.25.003"),
        ("nikah salonuna access point montajı", "05.25.004"),
    ],
)
def test_a_place_of_the_municipality_first_in_a_title_is_dropped(
    matcher: Matcher, text: str, service_id: str
) -> None:
    # Without the rule the place's other municipal word ("zabıta", "muhtar", "nikah") turned these away.
    result = matcher.match(text)
    assert result.decision == "ask"
    assert result.candidates[0].service_id == service_id


@pytest.mark.parametrize("text", ["evimde internet yok", "kütüphane saatleri", "kreşe kayıt ne zaman"])
def test_a_place_is_dropped_only_when_it_is_the_municipalitys_and_the_rest_names_a_device(
    matcher: Matcher, text: str
) -> None:
    # One's home is no place of the lexicon; "kayıt" names no device; a bare "kütüphane" has no place suffix.
    assert matcher.match(text).decision == "none"


def test_a_dropped_part_never_leads_to_an_automatic_decision(matcher: Matcher) -> None:
    result = matcher.match("internet yok - evde")  # one's home: asked about, never decided
    assert result.decision == "ask"


@pytest.mark.parametrize(
    ("text", "service_id"),
    [
        ("YAZICI TONER", "05.26.001"),
        ("vpn tanımı", "05.25.003"),
        ("switch portu arızalı", "05.25.003"),
        ("dell optiplex açılmıyor", "05.21.003"),  # a computer's make and model line
        ("HP ProBook 450 ekranı kırık", "05.21.003"),  # "hp" alone speaks for printers
    ],
)
def test_short_help_desk_titles_land_right(matcher: Matcher, text: str, service_id: str) -> None:
    result = matcher.match(text)
    assert result.decision != "none"
    assert result.candidates[0].service_id == service_id
