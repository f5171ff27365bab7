"""The dialog engine without any platform: Events in, Replies out, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from dialog_world import (
    EMPLOYEE_PHONE,
    WEDNESDAY_10,
    Chat,
    RecordingSender,
    Staff,
    dialog_services,
    telegram,
    tickets_in,
)
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import texts
from bot.dispatcher import dispatch_due
from bot.engine.engine import DialogEngine
from bot.engine.events import (
    AccountRef,
    AttachmentKind,
    AttachmentSent,
    ChannelKind,
    CommandEvent,
    ContactShared,
    Event,
    OptionChosen,
    Reply,
    SentFile,
    UnsupportedEvent,
)
from bot.notifier import Notifier
from storage import tickets
from storage.models import (
    ChatAccount,
    DialogState,
    Notification,
    NotificationStatus,
    Person,
    PersonKind,
    Ticket,
    TicketEvent,
    TicketStatus,
)

CITIZEN_ID = 9001
EMPLOYEE_ID = 9002


def citizen_of(session: Session) -> Person:
    return session.scalars(
        select(Person).join(ChatAccount).where(ChatAccount.external_id == str(CITIZEN_ID))
    ).one()


def accepted_citizen(dialog: DialogEngine, user_id: int = CITIZEN_ID) -> Chat:
    chat = Chat(dialog, telegram(user_id, "Veli Vatandaş"))
    chat.command("start")
    chat.press(texts.BTN_KVKK_ACCEPT)
    return chat


def verified_employee(dialog: DialogEngine) -> Chat:
    chat = Chat(dialog, telegram(EMPLOYEE_ID, "Ayşe"))
    chat.command("start")
    chat.share_phone("0532 123 45 67")
    return chat


def open_printer_ticket(chat: Chat) -> str:
    chat.say("yazıcı kağıt sıkıştırıyor")
    chat.press(texts.BTN_YES)
    chat.say("Hizmet binası, Mali Hizmetler, 3. kat 305")
    chat.press("Kayıtlı numaram")
    chat.press(texts.BTN_CONFIRM)
    assert "Talebiniz oluşturuldu" in chat.text
    return chat.text.split("Talep numaranız: ")[1].split()[0]


def dispatch(sessions: sessionmaker[Session], sender: RecordingSender) -> int:
    notifier = Notifier({sender.channel: sender}, dialog_services().config.timezone)
    return asyncio.run(dispatch_due(sessions, notifier, WEDNESDAY_10 + timedelta(seconds=1)))


# --- onboarding and consent -----------------------------------------------------------------------------


def test_start_shows_welcome_identity_choice_and_then_the_kvkk_notice(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = Chat(dialog, telegram(CITIZEN_ID, "Veli Vatandaş"))
    chat.command("start")
    assert "Bilgi İşlem Müdürlüğü" in chat.last[0].text
    assert any(r.ask_contact for r in chat.last)
    notice = chat.text
    for required in ("Veri sorumlusu", "İşleme amaçları", "Aktarım", "hukuki sebep", "md. 11", "2026-11"):
        assert required in notice
    with sessions() as session:
        person = citizen_of(session)
        assert person.kvkk_accepted_at is None and person.name is None
    chat.press(texts.BTN_KVKK_ACCEPT)
    with sessions() as session:
        person = citizen_of(session)
        assert person.kvkk_notice_version == "2026-11"
        assert person.kvkk_accepted_at == WEDNESDAY_10
        assert person.name == "Veli Vatandaş"


def test_nothing_personal_is_stored_before_consent(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = Chat(dialog, telegram(CITIZEN_ID, "Veli Vatandaş"))
    chat.say("e-Belediye'de ödeme yapamıyorum, telefonum 0532 000 00 00")
    assert any(r.ask_contact for r in chat.last)  # treated as /start
    chat.press(texts.BTN_KVKK_REJECT)
    assert chat.text == texts.KVKK_REJECTED
    assert "bütün kayıtları sildim" in chat.text and "sıra numarası (kişisel veri içermez)" in chat.text
    with sessions() as session:  # declining leaves no person, account or dialog (KVKK)
        assert session.scalars(select(Person).where(Person.kind == PersonKind.CITIZEN)).all() == []
        assert (
            session.scalars(select(ChatAccount).where(ChatAccount.external_id == str(CITIZEN_ID))).all() == []
        )
        assert session.scalars(select(DialogState)).all() == []
    assert tickets_in(sessions) == []
    chat.say("e-Belediye'de ödeme yapamıyorum")
    assert "aydınlatma" in chat.text.lower() or any(r.ask_contact for r in chat.last)


def test_kvkk_command_shows_the_notice_again(dialog: DialogEngine) -> None:
    chat = accepted_citizen(dialog)
    chat.command("kvkk")
    assert "AYDINLATMA METNİ" in chat.text and texts.KVKK_ALREADY_ACCEPTED in chat.text
    chat.command("start")
    assert "Bilgi İşlem Müdürlüğü" in chat.text and texts.KVKK_ACCEPTED not in chat.text  # not again


def test_writing_before_consent_asks_again_without_resending_the_notice(dialog: DialogEngine) -> None:
    chat = Chat(dialog, telegram(CITIZEN_ID))
    chat.command("start")
    chat.say("merhaba")
    assert "telefon numaranızı düğmeyle paylaşın" in chat.text and any(r.ask_contact for r in chat.last)
    chat.say("e-Belediye'ye giremiyorum")
    assert texts.KVKK_REQUIRED in chat.text and "AYDINLATMA METNİ" not in chat.text
    assert chat.labels == [texts.BTN_KVKK_ACCEPT, texts.BTN_KVKK_REJECT]
    chat.press(texts.BTN_KVKK_ACCEPT)
    # the problem written before the notice is continued with; the greeting before it was no problem
    assert texts.continuing_with("e-Belediye'ye giremiyorum") in chat.text and "05.23" in chat.text


def test_a_channel_without_a_contact_button_does_not_ask_for_the_phone(dialog: DialogEngine) -> None:
    chat = Chat(dialog, AccountRef(ChannelKind.CONSOLE, "console-user"))
    chat.command("start")
    chat.say("merhaba")
    assert "telefon" not in chat.text and chat.labels == [texts.BTN_KVKK_ACCEPT, texts.BTN_KVKK_REJECT]


def test_a_new_notice_version_is_accepted_again(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    accepted_citizen(dialog)
    services = dialog_services()
    newer = replace(
        services, config=replace(services.config, kvkk_version="2027-01", kvkk_controller="Örnek Belediyesi")
    )
    chat = Chat(DialogEngine(sessions, newer), telegram(CITIZEN_ID))
    chat.say("e-Belediye'de ödeme yapamıyorum")
    assert any(r.ask_contact for r in chat.last)  # the identity question, as for anyone not consented
    assert "sürüm 2027-01" in chat.text and "Veri sorumlusu: Örnek Belediyesi." in chat.text
    chat.press(texts.BTN_KVKK_ACCEPT)
    assert texts.continuing_with("e-Belediye'de ödeme yapamıyorum") in chat.text  # the first message kept
    with sessions() as session:
        assert citizen_of(session).kvkk_notice_version == "2027-01"


def test_staff_are_recognised_by_their_telegram_id(dialog: DialogEngine) -> None:
    chat = Chat(dialog, telegram(501))
    chat.command("start")
    assert "Merhaba Teknisyen Tuncay" in chat.text and "/islerim" in chat.text
    assert not any(r.ask_contact for r in chat.last)


def test_employee_verified_by_shared_phone(dialog: DialogEngine, sessions: sessionmaker[Session]) -> None:
    chat = verified_employee(dialog)
    assert "Ayşe Çalışkan" in chat.text and "doğrulandı" in chat.text
    with sessions() as session:
        account = session.scalars(
            select(ChatAccount).where(ChatAccount.external_id == str(EMPLOYEE_ID))
        ).one()
        assert account.person.kind is PersonKind.EMPLOYEE and account.person.phone == EMPLOYEE_PHONE


def test_someone_elses_contact_card_does_not_verify(dialog: DialogEngine) -> None:
    chat = Chat(dialog, telegram(EMPLOYEE_ID))
    chat.command("start")
    chat.share_phone(EMPLOYEE_PHONE, own=False)
    assert "kendi numaranızı" in chat.text


def test_unknown_phone_continues_as_citizen(dialog: DialogEngine) -> None:
    chat = Chat(dialog, telegram(EMPLOYEE_ID))
    chat.command("start")
    chat.share_phone("0555 999 88 77")
    assert "personel rehberinde kayıtlı değil" in chat.text and "AYDINLATMA METNİ" in chat.text


# --- requests ---------------------------------------------------------------------------------------------


def test_citizen_opens_an_ebelediye_request(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    chat = accepted_citizen(dialog)
    chat.say("e-Belediye'de ödeme yapamıyorum")
    assert "05.23.012" in chat.text and "Ele alma: 1 saat, tamamlanma: 4 saat." in chat.text
    chat.press(texts.BTN_YES)
    assert "Atla" in chat.labels  # a citizen's location is optional
    chat.press(texts.BTN_SKIP)
    chat.say("0532 111 22 33")
    chat.send(AttachmentSent.single(AttachmentKind.PHOTO, "photo-file-id"))  # files: at the summary
    assert "Talep özeti" in chat.text and "Ek: 1 dosya" in chat.text
    assert chat.labels == ["Onayla", "Düzenle", "İptal"]
    chat.press(texts.BTN_CONFIRM)
    assert "BIM-2026-000001" in chat.text and "02.12.2026 saat 11:00'e kadar" in chat.text
    [ticket] = tickets_in(sessions)
    assert ticket.service_id == "05.23.012" and ticket.assignee_id == staff.ebelediye_tech.id
    assert ticket.requester_text == "e-Belediye'de ödeme yapamıyorum" and ticket.contact == "0532 111 22 33"
    with sessions() as session:
        ticket = session.get_one(Ticket, ticket.id)
        assert [a.file_id for a in ticket.attachments] == ["photo-file-id"]


def test_a_photo_with_a_caption_starts_a_request_and_stays_with_it(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = verified_employee(dialog)
    chat.send(AttachmentSent.single(AttachmentKind.PHOTO, "no-caption"))
    assert "Dosyayı şimdi kullanamıyorum" in chat.text
    chat.send(AttachmentSent.single(AttachmentKind.PHOTO, "jam-photo", caption="yazıcı kağıt sıkıştırıyor"))
    assert "05.21.001" in chat.text
    chat.press(texts.BTN_YES)
    chat.send(AttachmentSent.single(AttachmentKind.DOCUMENT, "log-file", "hata.txt"))
    assert "talebinize eklenecek" in chat.text
    chat.say("Oda 305")
    chat.press("Kayıtlı numaram")
    assert "Ek: 2 dosya" in chat.text
    chat.press(texts.BTN_CONFIRM)
    with sessions() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert [(a.file_id, a.file_name) for a in ticket.attachments] == [
            ("jam-photo", None),
            ("log-file", "hata.txt"),
        ]


def test_an_emoji_only_message_is_asked_for_in_words(dialog: DialogEngine) -> None:
    chat = verified_employee(dialog)
    chat.say("👍")
    assert "Sorununuzu birkaç sözcükle" in chat.text
    chat.say("yazıcı kağıt sıkıştırıyor")
    chat.press(texts.BTN_YES)
    chat.say("Oda 305")  # now the phone is asked for
    chat.say("👍")
    assert "yanıtınızı yazıyla" in chat.text and "Sorununuzu" not in chat.text


def test_ineligible_service_is_explained_not_swapped(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = accepted_citizen(dialog)
    chat.say("yazıcı kağıt sıkıştırıyor")
    assert "05.21.001" in chat.text and "yalnızca belediye personelinin" in chat.text
    assert not any(label.startswith("05.21.001") for label in chat.labels)
    assert chat.labels == ["Hizmet listesinden seç", "Yeniden yazacağım"]  # no unrelated "alternatives"
    assert tickets_in(sessions) == []


def test_an_unsure_match_offers_the_top_services_and_the_list(dialog: DialogEngine) -> None:
    text = "yazıcı"
    assert dialog_services().matcher.match(text).decision == "ask"  # the case under test
    chat = verified_employee(dialog)
    chat.say(text)
    assert "hangisiyle ilgili" in chat.text
    services, rest = chat.labels[:-1], chat.labels[-1]
    assert 2 <= len(services) <= 3 and services[0].startswith("05.21.001")
    assert rest == "Hiçbiri / listeden seç"
    chat.press(services[0])
    assert "Ele alma" in chat.text and "Sorun nerede" in chat.text


def test_out_of_scope_text_offers_the_catalog_menu(dialog: DialogEngine) -> None:
    chat = accepted_citizen(dialog)
    chat.say("qwzx falan")
    assert "eşleştiremedim" in chat.text
    chat.press(texts.BTN_CATALOG)
    groups = chat.labels
    assert groups and all(not label.startswith("05.21 ") for label in groups)  # no employee-only group
    chat.press("05.23")
    assert any(label.startswith("05.23.012") for label in chat.labels)
    chat.press("05.23.012")
    assert "Ele alma" in chat.text


def test_a_greeting_is_greeted_back_with_what_to_write(dialog: DialogEngine) -> None:
    chat = accepted_citizen(dialog)
    chat.say("Merhabalar")
    assert chat.text.startswith("Merhaba") and "eşleştiremedim" not in chat.text
    assert "e-Belediye" in chat.text and "yazıcı" not in chat.text  # examples a citizen may request
    assert chat.labels == ["Hizmet listesinden seç"]
    chat.press(texts.BTN_CATALOG)
    chat.press("05.23")
    chat.press("05.23.012")
    assert "Sorununuzu kısaca anlatır mısınız?" in chat.text  # the greeting is no description
    technician = Chat(dialog, telegram(501))
    technician.say("günaydın")
    assert "/islerim" in technician.text


def test_thanks_get_a_you_are_welcome(dialog: DialogEngine) -> None:
    chat = verified_employee(dialog)
    chat.say("teşekkürler, iyi günler")
    assert chat.text.startswith("Rica ederim") and chat.labels == []


@pytest.mark.parametrize("text", ["çöp toplanmadı", "sokak lambası yanmıyor", "su faturası", "nikah salonu"])
def test_a_municipal_request_is_sent_to_the_call_centre(dialog: DialogEngine, text: str) -> None:
    chat = accepted_citizen(dialog)
    chat.say(text)
    assert "yalnızca bilgi işlem hizmetleri" in chat.text and "Alo 153" in chat.text
    assert "eşleştiremedim" not in chat.text
    assert chat.labels == ["Hizmet listesinden seç", "Yeniden yazacağım"]
    chat.press(texts.BTN_CATALOG)
    chat.press("05.23")
    chat.press("05.23.012")
    assert "Sorununuzu kısaca anlatır mısınız?" in chat.text  # the municipal matter is not the description


def test_an_employee_with_a_personnel_matter_is_sent_to_human_resources(dialog: DialogEngine) -> None:
    chat = verified_employee(dialog)
    chat.say("maaşım yatmadı")
    assert "insan kaynakları" in chat.text and "yalnızca bilgi işlem hizmetleri" in chat.text


def test_employee_printer_request_with_edit(dialog: DialogEngine, sessions: sessionmaker[Session]) -> None:
    chat = verified_employee(dialog)
    chat.say("yazıcı kağıt sıkıştırıyor")
    assert "Ele alma: 1 saat, tamamlanma: 2 iş günü." in chat.text and "08:30'da başlar" in chat.text
    chat.press(texts.BTN_YES)
    chat.say("Hizmet binası 3. kat")
    chat.press("Kayıtlı numaram")
    chat.press(texts.BTN_EDIT)
    chat.press(texts.BTN_BACK)  # nothing to change after all
    assert "Talep özeti" in chat.text and chat.labels == ["Onayla", "Düzenle", "İptal"]
    chat.press(texts.BTN_EDIT)
    chat.press(texts.BTN_EDIT_LOCATION)
    chat.say("Hizmet binası, Mali Hizmetler, oda 305")
    assert "Konum: Hizmet binası, Mali Hizmetler, oda 305" in chat.text
    chat.press(texts.BTN_CONFIRM)
    [ticket] = tickets_in(sessions)
    assert ticket.location == "Hizmet binası, Mali Hizmetler, oda 305" and ticket.contact == EMPLOYEE_PHONE


def test_text_instead_of_a_file_shows_the_way_on(dialog: DialogEngine) -> None:
    """Problem 1: at the file step "devam" answered "Dosya alındı…" with no file sent. The file step is gone
    (the summary invites files), and a reply not understood shows the step's options again."""
    chat = verified_employee(dialog)
    chat.say("yazıcı kağıt sıkıştırıyor")
    chat.press(texts.BTN_YES)
    chat.say("Oda 305")
    chat.press("Kayıtlı numaram")
    assert "Talep özeti" in chat.text  # no file step: files are welcome until "Onayla"
    summary = chat.labels
    chat.say("devam")  # not understood here: the step's options again, and no file is claimed
    assert texts.TYPED_NOT_UNDERSTOOD in chat.text and chat.labels == summary
    assert "Ek:" not in chat.text and "Dosya" not in chat.text.split("\n")[0]


def test_the_promise_reads_the_working_day_start_aloud(sessions: sessionmaker[Session], staff: Staff) -> None:
    services = dialog_services()
    later = replace(services, config=replace(services.config, work_start="08:45"))
    chat = verified_employee(DialogEngine(sessions, later))
    chat.say("yazıcı kağıt sıkıştırıyor")
    assert "bir sonraki iş günü 08:45'te başlar" in chat.text


def test_living_lab_answers_with_the_catalog_text(dialog: DialogEngine) -> None:
    chat = accepted_citizen(dialog)
    chat.say("living lab etkinlikleri hakkında bilgi")
    assert "0 (212) 777 86 93" in chat.text
    chat.press(texts.BTN_OPEN_REQUEST)
    assert "Sorun nerede" in chat.text or "adres" in chat.text


def test_living_lab_information_is_given_to_employees_too_without_a_request(dialog: DialogEngine) -> None:
    chat = verified_employee(dialog)
    chat.say("living lab etkinlikleri ne zaman")
    assert "0 (212) 777 86 93" in chat.text and "vatandaş başvurularına yöneliktir" not in chat.text
    assert chat.labels == ["Tamam, teşekkürler"]  # the request itself stays a citizens' service
    chat.press(texts.BTN_DONE)
    assert "Rica ederim" in chat.text


def test_cancel_command_drops_the_conversation_and_cancels_a_ticket(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = verified_employee(dialog)
    chat.say("yazıcı kağıt sıkıştırıyor")
    chat.command("iptal")
    assert "iptal edildi; hiçbir şey kaydedilmedi" in chat.text
    chat.command("iptal")
    assert "iptal edilecek bir işlem yok" in chat.text
    number = open_printer_ticket(chat)
    chat.command("iptal", number)
    assert f"{number} numaralı talebiniz iptal edildi" in chat.text
    assert tickets_in(sessions)[0].status is TicketStatus.CANCELLED
    chat.command("iptal", number)
    assert "iptal edilemez" in chat.text


def test_redelivered_update_is_processed_once(dialog: DialogEngine, sessions: sessionmaker[Session]) -> None:
    chat = verified_employee(dialog)
    for step in ("yazıcı kağıt sıkıştırıyor",):
        chat.say(step)
    chat.press(texts.BTN_YES)
    chat.say("Oda 305")
    chat.press("Kayıtlı numaram")
    confirm = next(o for r in chat.last for o in r.options if o.label == "Onayla")
    assert chat.send(OptionChosen(confirm.id), delivery_id="tg:77")
    assert chat.send(OptionChosen(confirm.id), delivery_id="tg:77") == []
    assert len(tickets_in(sessions)) == 1


def test_a_stale_button_is_refused(dialog: DialogEngine) -> None:
    chat = verified_employee(dialog)
    chat.say("yazıcı kağıt sıkıştırıyor")
    confirm = list(chat.last)
    chat.press(texts.BTN_YES)
    chat.press(texts.BTN_NO_LIST, confirm)  # a second press on the same message
    assert "artık geçerli değil" in chat.text and "/iptal" in chat.text
    chat.command("yeni")
    chat.press(texts.BTN_YES, confirm)
    assert "artık geçerli değil" in chat.text


def test_restart_mid_conversation_continues(dialog: DialogEngine, sessions: sessionmaker[Session]) -> None:
    chat = verified_employee(dialog)
    chat.say("yazıcı kağıt sıkıştırıyor")
    chat.press(texts.BTN_YES)
    restarted = Chat(DialogEngine(sessions, dialog_services()), chat.ref)
    restarted.say("Oda 305")
    assert "telefon" in restarted.text
    restarted.press("Kayıtlı numaram")
    restarted.press(texts.BTN_CONFIRM)
    assert tickets_in(sessions)[0].location == "Oda 305"


def test_start_in_the_middle_of_a_request_keeps_it(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = verified_employee(dialog)
    chat.say("yazıcı kağıt sıkıştırıyor")
    chat.press(texts.BTN_YES)
    chat.say("Oda 305")
    chat.command("start")
    assert "Yazmakta olduğunuz talebe devam edelim" in chat.text and "telefon" in chat.text
    chat.press("Kayıtlı numaram")
    chat.press(texts.BTN_CONFIRM)
    assert tickets_in(sessions)[0].location == "Oda 305"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "okuyabildiğim bir metin yok"),
        ("😀🙏", "okuyabildiğim bir metin yok"),
        ("\x00\x07 \u200b", "metin yok"),
    ],
)
def test_unusable_text_is_answered(dialog: DialogEngine, text: str, expected: str) -> None:
    chat = accepted_citizen(dialog)
    chat.say(text)
    assert expected in chat.text


def test_text_over_the_limit_is_refused_and_nothing_is_stored(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = verified_employee(dialog)
    chat.say("yazıcı " * 1000)
    assert "çok uzun" in chat.text
    assert tickets_in(sessions) == []


def test_control_characters_are_removed(dialog: DialogEngine, sessions: sessionmaker[Session]) -> None:
    chat = verified_employee(dialog)
    chat.say("yazıcı\x00 kağıt\x1b sıkıştırıyor\u200b")
    chat.press(texts.BTN_YES)
    chat.say("Oda\x07 305")
    chat.press("Kayıtlı numaram")
    chat.press(texts.BTN_CONFIRM)
    ticket = tickets_in(sessions)[0]
    assert (ticket.requester_text, ticket.location) == ("yazıcı kağıt sıkıştırıyor", "Oda 305")


def test_sticker_gets_a_polite_reply(dialog: DialogEngine) -> None:
    chat = verified_employee(dialog)
    chat.send(UnsupportedEvent("sticker"))
    assert "yazıyla" in chat.text


def test_staff_commands_are_refused_to_requesters(dialog: DialogEngine) -> None:
    chat = verified_employee(dialog)
    chat.command("islerim")
    assert "yalnızca Bilgi İşlem personeli" in chat.text
    chat.command("yardım")
    assert "/taleplerim" in chat.text and "/islerim" not in chat.text


# --- working on the ticket ----------------------------------------------------------------------------------


def test_technician_takes_asks_and_resolves_requester_confirms_and_rates(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    number = open_printer_ticket(employee)
    sender = RecordingSender(ChannelKind.TELEGRAM)
    assert dispatch(sessions, sender) >= 1
    [ping] = sender.to("501")
    assert number in ping.text and "Oda" not in ping.text and "Mali Hizmetler" in ping.text
    assert [o.label for o in ping.options] == [texts.BTN_TAKE]  # nothing else works before it

    tech = Chat(dialog, telegram(501))
    tech.press(texts.BTN_TAKE, [ping])
    assert f"{number} numaralı talebi üstlendiniz" in tech.text
    assert tech.labels == [texts.BTN_RESOLVE, texts.BTN_HOLD]
    taken = tech.last
    dispatch(sessions, sender)
    assert "Teknisyen Tuncay tarafından ele alındı" in sender.to(str(EMPLOYEE_ID))[-1].text

    tech.press(texts.BTN_HOLD, taken)
    tech.say("Yazıcının modeli nedir?")
    assert "beklemede" in tech.text
    dispatch(sessions, sender)
    question = sender.to(str(EMPLOYEE_ID))[-1]
    assert "Yazıcının modeli nedir?" in question.text
    employee.press(texts.BTN_ANSWER, [question])
    employee.send(AttachmentSent.single(AttachmentKind.PHOTO, "label-photo", caption="HP LaserJet 400"))
    assert "Yanıtınız teknisyene iletildi" in employee.text and "dosya da talebe eklendi" in employee.text
    dispatch(sessions, sender)
    file_ping, answer_ping = sender.to("501")[-2:]
    assert "talebe yeni bir fotoğraf eklendi" in file_ping.text and file_ping.file is not None
    assert (file_ping.file.file_ref, file_ping.file.kind) == ("label-photo", AttachmentKind.PHOTO)
    assert "HP LaserJet 400" in answer_ping.text

    tech.command("coz", number)
    tech.say("Sıkışan kağıt çıkarıldı, silindir temizlendi.")
    assert "çözüldü olarak işaretlendi" in tech.text
    dispatch(sessions, sender)
    resolved = sender.to(str(EMPLOYEE_ID))[-1]
    assert "Sıkışan kağıt çıkarıldı" in resolved.text
    employee.press(texts.BTN_CONFIRM_RESOLVED, [resolved])
    stars = employee.last
    employee.press(texts.btn_rating(5))
    assert "5/5" in employee.text
    employee.press(texts.btn_rating(5), stars)  # a double tap
    assert "5/5" in employee.text
    with sessions() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert ticket.status is TicketStatus.CLOSED and ticket.satisfaction == 5
        assert ticket.acknowledged_at == WEDNESDAY_10
        kinds = [
            e.kind for e in session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id))
        ]
        assert {"taken", "question", "answered", "resolved", "confirmed", "rated"} <= set(kinds)
        assert kinds.count("rated") == 1
        notes = [e.note for e in session.scalars(select(TicketEvent).where(TicketEvent.kind == "answered"))]
        assert notes == ["HP LaserJet 400"]


def test_each_side_reads_the_status_in_its_own_words(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    number = open_printer_ticket(employee)
    tech = Chat(dialog, telegram(501))
    tech.command("ustlen", number)
    tech.press(texts.BTN_HOLD)
    tech.command("iptal")  # changed their mind about the question
    assert f"{number} numaralı talepte bir değişiklik yapılmadı" in tech.text
    tech.command("durum", number)  # the buttons again
    tech.press(texts.BTN_HOLD)
    tech.say("Yazıcının modeli nedir?")
    tech.command("durum", number)
    assert "Durum: talep sahibinin yanıtı bekleniyor" in tech.text
    assert tech.labels == ["Çözüldü"]  # already waiting: no second "Beklemeye al"
    tech.command("islerim")
    assert "(talep sahibinin yanıtı bekleniyor)" in tech.text
    employee.command("durum", number)
    assert "Durum: yanıtınız bekleniyor" in employee.text and employee.labels == ["Yanıtla"]


def test_someone_elses_ticket_number_reveals_nothing(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    number = open_printer_ticket(verified_employee(dialog))
    citizen = accepted_citizen(dialog)
    for command in ("durum", "iptal"):
        citizen.command(command, number)
        assert citizen.text == f"{number} numaralı talep bulunamadı ya da bu talebi görme yetkiniz yok."
    assert tickets_in(sessions)[0].status is not TicketStatus.CANCELLED
    citizen.command("durum", "12")
    assert "12 numaralı talep bulunamadı" in citizen.text and "BIM-2026-000123 biçimindedir" in citizen.text


def test_answering_a_question_mid_request_keeps_the_request(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    number = open_printer_ticket(employee)
    tech = Chat(dialog, telegram(501))
    employee.say("toner bitti")  # a new request, begun before the technician's question arrives
    employee.press(texts.BTN_YES)
    assert texts.BTN_SAME_DETAILS in employee.labels  # the location of the first request, offered
    tech.command("ustlen", number)
    tech.press(texts.BTN_HOLD)
    tech.say("Yazıcının modeli nedir?")
    sender = RecordingSender(ChannelKind.TELEGRAM)
    dispatch(sessions, sender)
    question = sender.to(str(EMPLOYEE_ID))[-1]
    employee.press(texts.BTN_ANSWER, [question])
    employee.command("iptal")  # not now: the request is still wanted
    assert texts.BTN_SAME_DETAILS in employee.labels
    employee.press(texts.BTN_ANSWER, [question])
    employee.say("HP LaserJet 400")
    assert "Yanıtınız teknisyene iletildi" in employee.text and texts.BTN_SAME_DETAILS in employee.labels
    employee.say("Oda 305")
    employee.press("Kayıtlı numaram")
    assert "Açıklama: toner bitti" in employee.text
    employee.press(texts.BTN_CONFIRM)
    first, second = tickets_in(sessions)
    assert first.status is TicketStatus.IN_PROGRESS
    assert (second.service_id, second.requester_text, second.location) == (
        "05.26.001",
        "toner bitti",
        "Oda 305",
    )


def test_requester_reopens_with_a_reason(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    number = open_printer_ticket(employee)
    tech = Chat(dialog, telegram(501))
    tech.command("ustlen", number)
    tech.command("coz", number)
    tech.say("Toner değişti")
    sender = RecordingSender(ChannelKind.TELEGRAM)
    dispatch(sessions, sender)
    employee.press(texts.BTN_REOPEN, [sender.to(str(EMPLOYEE_ID))[-1]])
    employee.say("Hâlâ kağıt sıkıştırıyor")
    assert "yeniden açıldı" in employee.text
    dispatch(sessions, sender)
    assert "Hâlâ kağıt sıkıştırıyor" in sender.to("501")[-1].text
    assert tickets_in(sessions)[0].status is TicketStatus.IN_PROGRESS


def test_a_ticket_that_changed_meanwhile_is_explained_once(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    number = open_printer_ticket(employee)
    tech = Chat(dialog, telegram(501))
    ticket_id = tickets_in(sessions)[0].id
    tech.send(OptionChosen(f"t{ticket_id}:hold"))  # a question before taking the ticket
    assert tech.text == texts.take_first(number) and tech.labels == [texts.BTN_TAKE]
    tech.command("ustlen", number)
    tech.command("coz", number)
    assert "kısa bir notla" in tech.text
    employee.command("iptal", number)  # meanwhile the requester withdraws it
    tech.say("Kağıt çıkarıldı")
    assert "iptal edildi" in tech.text and "yapılamaz" in tech.text
    tech.say("yazıcı kağıt sıkıştırıyor")  # the conversation moved on: this is a new request
    assert "05.21.001" in tech.text


def test_only_a_lead_forwards_and_others_cannot_act(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    number = open_printer_ticket(employee)
    lead = Chat(dialog, telegram(502))
    lead.command("islerim")
    assert "Size atanmış açık iş yok" in lead.text
    ticket_id = tickets_in(sessions)[0].id
    lead.send(OptionChosen(f"t{ticket_id}:fwd"))
    assert "kime yönlendirilsin" in lead.text
    # The ticket went to the technician; the lead forwards it to… nobody else in the team but the lead.
    lead.press("Lider Leyla")
    assert "Lider Leyla adlı teknisyene yönlendirildi" in lead.text
    tech = Chat(dialog, telegram(501))
    tech.send(OptionChosen(f"t{ticket_id}:fwd"))
    assert "yalnızca ekip lideri" in tech.text
    employee.send(OptionChosen(f"t{ticket_id}:take"))
    assert "atanan teknisyen" in employee.text
    employee.command("durum", number)
    assert "Lider Leyla" in employee.text


def _technician_ping(session: Session, staff: Staff) -> Notification:
    query = select(Notification).where(
        Notification.recipient_id == staff.technician.id, Notification.kind == "assigned"
    )
    return session.scalars(query).one()


def test_undeliverable_notification_is_recorded_on_the_ticket(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    open_printer_ticket(employee)
    nobody = RecordingSender(ChannelKind.TEAMS)  # this process serves no channel the technician uses
    dispatch(sessions, nobody)
    with sessions() as session:
        ping = _technician_ping(session, staff)
        assert ping.status is NotificationStatus.FAILED and ping.last_error == "no reachable channel"
        failed = session.scalars(select(TicketEvent).where(TicketEvent.kind == "delivery_failed")).one()
        assert failed.data is not None and failed.data["recipient"] == staff.technician.id


def test_a_notification_waits_for_a_channel_still_starting(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    """Telegram is configured but not started yet (its API is down at start-up): the technician's ping is
    retried later, not given up, and goes out once the channel is there."""
    employee = verified_employee(dialog)
    open_printer_ticket(employee)
    telegram_sender = RecordingSender(ChannelKind.TELEGRAM)
    notifier = Notifier({}, dialog_services().config.timezone)
    notifier.starting.add(ChannelKind.TELEGRAM)
    asyncio.run(dispatch_due(sessions, notifier, WEDNESDAY_10 + timedelta(seconds=1)))
    with sessions() as session:
        ping = _technician_ping(session, staff)
        assert ping.status is NotificationStatus.PENDING and ping.last_error == "no reachable channel"
    notifier.add_sender(telegram_sender)
    assert not notifier.starting
    asyncio.run(dispatch_due(sessions, notifier, WEDNESDAY_10 + timedelta(minutes=1)))  # the retry is due
    assert any("Yeni iş" in reply.text for _, replies in telegram_sender.sent for reply in replies)


# --- files added to an opened ticket ------------------------------------------------------------------------


def _files_of(sessions: sessionmaker[Session], number: str) -> list[tuple[str | None, str | None]]:
    with sessions() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        return [(a.file_id, a.file_name) for a in ticket.attachments]


def _asked_by_technician(dialog: DialogEngine, sessions: sessionmaker[Session], number: str) -> Reply:
    tech = Chat(dialog, telegram(501))
    tech.command("ustlen", number)
    tech.press(texts.BTN_HOLD)
    tech.say("Ekranda ne yazıyor?")
    sender = RecordingSender(ChannelKind.TELEGRAM)
    dispatch(sessions, sender)
    return sender.to(str(EMPLOYEE_ID))[-1]


def test_a_photo_alone_answers_the_question_and_goes_onto_the_ticket(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    number = open_printer_ticket(employee)
    employee.press(texts.BTN_ANSWER, [_asked_by_technician(dialog, sessions, number)])
    employee.send(AttachmentSent.single(AttachmentKind.PHOTO, "error-screen"))
    assert f"Yanıtınız teknisyene iletildi ({number})" in employee.text
    sender = RecordingSender(ChannelKind.TELEGRAM)
    dispatch(sessions, sender)
    file_ping, answer_ping = sender.to("501")
    assert file_ping.file is not None and file_ping.file.file_ref == "error-screen"
    assert "(Yanıt olarak fotoğraf gönderildi; talebe eklendi.)" in answer_ping.text
    assert [o.label for o in answer_ping.options] == ["Çözüldü", "Beklemeye al"]
    assert _files_of(sessions, number) == [("error-screen", None)]
    assert tickets_in(sessions)[0].status is TicketStatus.IN_PROGRESS


def test_a_screenshot_sent_later_goes_onto_the_ticket_chosen(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    printer = open_printer_ticket(employee)
    employee.say("toner bitti")
    employee.press(texts.BTN_YES)
    employee.say("Oda 210")
    employee.press("Kayıtlı numaram")
    employee.press(texts.BTN_CONFIRM)
    toner = employee.text.split("Talep numaranız: ")[1].split()[0]

    employee.send(
        AttachmentSent.single(AttachmentKind.DOCUMENT, "doc-1", "ekran.png", caption="Hata ekranı bu")
    )
    assert "Bu dosyayı hangi talebe ekleyeyim?" in employee.text
    assert employee.labels[2:] == ["Yeni talep oluştur", "İptal"]
    assert [label.split(" — ")[0] for label in employee.labels[:2]] == [toner, printer]  # newest first
    employee.send(AttachmentSent.single(AttachmentKind.PHOTO, "photo-2"))  # the album's second photo
    assert "Bu 2 dosyayı hangi talebe ekleyeyim?" in employee.text
    employee.press(printer)
    assert f"2 dosyanız {printer} numaralı talebe eklendi ve ilgili teknisyene iletildi." == employee.text

    assert _files_of(sessions, printer) == [("doc-1", "ekran.png"), ("photo-2", None)]
    assert _files_of(sessions, toner) == []
    sender = RecordingSender(ChannelKind.TELEGRAM)
    dispatch(sessions, sender)
    document, photo = (r for r in sender.to("501") if "eklendi" in r.text)
    assert (
        document.text
        == f"{printer} numaralı talebe yeni bir dosya eklendi: ekran.png\n\nAçıklama: Hata ekranı bu"
    )
    assert document.file is not None and document.file.kind is AttachmentKind.DOCUMENT
    assert photo.text == f"{printer} numaralı talebe yeni bir fotoğraf eklendi."
    with sessions() as session:  # the ping belongs to the event that recorded the file
        event = session.scalars(select(TicketEvent).where(TicketEvent.kind == "attachment_added")).first()
        ping = session.scalars(select(Notification).where(Notification.kind == "attachment_added")).first()
        assert event is not None and ping is not None
        assert (ping.event_id, ping.recipient_id, event.note) == (event.id, staff.technician.id, "ekran.png")


# A Teams message may carry several files: one event, answered once.
TWO_FILES = AttachmentSent(
    (SentFile(AttachmentKind.DOCUMENT, "teams:doc-a", "hata.log"), SentFile(AttachmentKind.PHOTO, "url-b")),
    caption="Hata kayıtları",
)


def test_one_message_with_several_files_asks_once_and_adds_them_all(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    number = open_printer_ticket(employee)
    [question] = employee.send(TWO_FILES)
    assert question.text.startswith("Bu 2 dosyayı hangi talebe ekleyeyim?")
    employee.press(number)
    assert employee.text == f"2 dosyanız {number} numaralı talebe eklendi ve ilgili teknisyene iletildi."
    assert _files_of(sessions, number) == [("teams:doc-a", "hata.log"), ("url-b", None)]
    sender = RecordingSender(ChannelKind.TELEGRAM)
    dispatch(sessions, sender)
    log, photo = (r.text for r in sender.to("501") if "eklendi" in r.text)
    assert log == f"{number} numaralı talebe yeni bir dosya eklendi: hata.log\n\nAçıklama: Hata kayıtları"
    assert photo == f"{number} numaralı talebe yeni bir fotoğraf eklendi."  # the caption was typed once


def test_several_files_in_one_message_while_writing_or_answering_get_one_reply(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    employee.say("yazıcı kağıt sıkıştırıyor")
    employee.press(texts.BTN_YES)
    [kept] = employee.send(TWO_FILES)
    assert kept.text == "Dosyalarınız alındı; talebinize eklenecek."
    employee.say("Oda 305")
    employee.press("Kayıtlı numaram")
    assert "Ek: 2 dosya" in employee.text
    employee.press(texts.BTN_CONFIRM)
    number = employee.text.split("Talep numaranız: ")[1].split()[0]
    assert _files_of(sessions, number) == [("teams:doc-a", "hata.log"), ("url-b", None)]

    employee.press(texts.BTN_ANSWER, [_asked_by_technician(dialog, sessions, number)])
    employee.send(replace(TWO_FILES, caption=""))
    assert employee.text == (
        f"Yanıtınız teknisyene iletildi ({number}).\nGönderdiğiniz 2 dosya da talebe eklendi."
    )
    sender = RecordingSender(ChannelKind.TELEGRAM)
    dispatch(sessions, sender)
    assert "(Yanıt olarak 2 dosya gönderildi; talebe eklendi.)" in sender.to("501")[-1].text
    assert len(_files_of(sessions, number)) == 4


def test_a_file_for_a_new_request_waits_for_its_description(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    printer = open_printer_ticket(employee)
    employee.send(AttachmentSent.single(AttachmentKind.PHOTO, "toner-photo"))
    assert employee.labels[0].startswith(printer)  # a single open ticket is still asked about
    employee.press(texts.BTN_FILE_NEW_REQUEST)
    assert "yeni talebiniz için saklandı" in employee.text
    employee.say("toner bitti")
    employee.press(texts.BTN_YES)
    employee.say("Oda 210")
    employee.press("Kayıtlı numaram")
    assert "Ek: 1 dosya" in employee.text
    employee.press(texts.BTN_CONFIRM)
    first, second = tickets_in(sessions)
    assert _files_of(sessions, first.number) == []
    assert _files_of(sessions, second.number) == [("toner-photo", None)]


def test_a_closed_ticket_takes_no_more_files(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    number = open_printer_ticket(employee)
    employee.send(AttachmentSent.single(AttachmentKind.PHOTO, "late-photo"))
    offered = employee.last
    tech = Chat(dialog, telegram(501))
    tech.command("ustlen", number)
    tech.command("coz", number)
    tech.say("Kağıt çıkarıldı")
    with sessions() as session, session.begin():  # confirmed meanwhile on another channel: closed
        tickets.confirm(session, number, session.get_one(Person, staff.employee.id), WEDNESDAY_10)
    employee.press(number, offered)
    assert employee.text == (
        f"{number} numaralı talep “kapandı” durumunda olduğu için artık dosya eklenemez. Sorun sürüyorsa "
        "dosyayı açıklamasıyla gönderip yeni bir talep oluşturabilirsiniz."
    )
    assert _files_of(sessions, number) == []
    employee.press(texts.BTN_CANCEL, offered)
    assert employee.text == "Tamam, gönderdiğiniz dosya kaydedilmedi ve hiçbir talebe eklenmedi."
    employee.send(AttachmentSent.single(AttachmentKind.PHOTO, "later-still"))  # no ticket left to add to
    assert "Dosyayı şimdi kullanamıyorum" in employee.text


def test_a_technician_adds_a_file_while_writing_the_resolution_note(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    number = open_printer_ticket(employee)
    tech = Chat(dialog, telegram(501))
    tech.command("ustlen", number)
    tech.command("coz", number)
    tech.send(AttachmentSent.single(AttachmentKind.DOCUMENT, "report-1", "servis-raporu.pdf"))
    assert tech.text == f"Dosya {number} numaralı talebe eklendi. Şimdi çözüm notunuzu yazın."
    tech.say("Fuser ünitesi değiştirildi")
    assert "çözüldü olarak işaretlendi" in tech.text
    sender = RecordingSender(ChannelKind.TELEGRAM)
    dispatch(sessions, sender)
    to_employee = [r.text for r in sender.to(str(EMPLOYEE_ID))]
    assert f"{number} numaralı talebe yeni bir dosya eklendi: servis-raporu.pdf" in to_employee
    assert any("Fuser ünitesi değiştirildi" in text for text in to_employee)
    assert _files_of(sessions, number) == [("report-1", "servis-raporu.pdf")]


def test_an_answer_that_came_too_late_leaves_its_photo_on_the_ticket(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee = verified_employee(dialog)
    number = open_printer_ticket(employee)
    employee.press(texts.BTN_ANSWER, [_asked_by_technician(dialog, sessions, number)])
    tech = Chat(dialog, telegram(501))
    tech.command("coz", number)  # resolved while the requester was answering
    tech.say("Sürücü yeniden kuruldu")
    employee.send(AttachmentSent.single(AttachmentKind.PHOTO, "too-late", caption="Hata kodu 0x12"))
    assert employee.text == (
        f"{number} numaralı talep “çözüldü, talep sahibinin onayı bekleniyor” durumunda; bu işlem şu anda "
        f"yapılamaz.\nDosya {number} numaralı talebe eklendi."
    )
    assert _files_of(sessions, number) == [("too-late", None)]
    with sessions() as session:
        assert session.scalars(select(TicketEvent).where(TicketEvent.kind == "answered")).all() == []


# --- files waiting for the "which ticket?" choice: every way out keeps them, or says they were not kept ---

REMINDER = "Gönderdiğiniz dosya henüz bir talebe eklenmedi. Bu dosyayı hangi talebe ekleyeyim?"


def _photo_waiting(dialog: DialogEngine, caption: str = "") -> tuple[Chat, str]:
    """An employee with a printer ticket sends a photo outside any request; returns the chat and ticket."""
    employee = verified_employee(dialog)
    printer = open_printer_ticket(employee)
    employee.send(AttachmentSent.single(AttachmentKind.PHOTO, "toner-photo", caption=caption))
    assert "Bu dosyayı hangi talebe ekleyeyim?" in employee.text
    return employee, printer


def _finish_toner_request(chat: Chat, sessions: sessionmaker[Session]) -> Ticket:
    """From the matched toner service to the opened ticket, acknowledging the file that waits with it."""
    chat.press(texts.BTN_YES)
    chat.say("Oda 210")
    chat.press("Kayıtlı numaram")
    assert "Ek: 1 dosya" in chat.text
    chat.press(texts.BTN_CONFIRM)
    number = chat.text.split("Talep numaranız: ")[1].split()[0]
    with sessions() as session:
        return session.scalars(select(Ticket).where(Ticket.number == number)).one()


def test_words_typed_at_the_choice_start_a_request_with_the_files(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee, printer = _photo_waiting(dialog, caption="Toner göstergesi")
    employee.say("toner bitti")
    assert "Doğru mu?" in employee.text
    toner = _finish_toner_request(employee, sessions)
    assert toner.requester_text == "toner bitti\nToner göstergesi"  # the caption is kept too
    assert _files_of(sessions, toner.number) == [("toner-photo", None)]
    assert _files_of(sessions, printer) == []


def test_a_greeting_at_the_choice_keeps_the_files_for_the_request_to_come(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee, _ = _photo_waiting(dialog)
    employee.say("merhaba")
    assert employee.last[-1].text == (
        "Gönderdiğiniz dosya yeni talebiniz için saklı; sorununuzu yazdığınızda talebe eklenecek."
    )
    employee.say("toner bitti")
    toner = _finish_toner_request(employee, sessions)
    assert _files_of(sessions, toner.number) == [("toner-photo", None)]


def test_cancelling_at_the_choice_says_the_files_were_not_kept(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee, printer = _photo_waiting(dialog)
    employee.command("iptal")
    assert employee.text == "Tamam, gönderdiğiniz dosya kaydedilmedi ve hiçbir talebe eklenmedi."
    employee.send(AttachmentSent.single(AttachmentKind.PHOTO, "next-photo"))
    assert "Bu dosyayı hangi talebe ekleyeyim?" in employee.text  # one file: the cancelled one is gone
    employee.press(printer)
    assert _files_of(sessions, printer) == [("next-photo", None)]


def test_a_new_request_command_keeps_the_files_until_cancelled(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee, _ = _photo_waiting(dialog)
    employee.command("yeni")
    assert employee.text == (
        "Dosyanız yeni talebiniz için saklandı. Şimdi sorununuzu kendi cümlelerinizle yazın."
    )
    employee.command("yeni")  # again, while the file waits for the description
    assert employee.text == (
        "Yeni talep: sorununuzu kendi cümlelerinizle yazın.\n"
        "Gönderdiğiniz dosya yeni talebiniz için saklı; sorununuzu yazdığınızda talebe eklenecek."
    )
    employee.command("iptal")
    assert employee.text == "Tamam, gönderdiğiniz dosya kaydedilmedi ve hiçbir talebe eklenmedi."
    employee.say("toner bitti")
    employee.press(texts.BTN_YES)
    employee.say("Oda 210")
    employee.press("Kayıtlı numaram")
    assert "Talep özeti" in employee.text and "Ek:" not in employee.text


@pytest.mark.parametrize(
    "other",
    [
        CommandEvent("yardim"),
        CommandEvent("taleplerim"),
        CommandEvent("durum", "BIM-2026-000001"),
        UnsupportedEvent("sticker"),
        OptionChosen("1.1"),  # a button of an old message
        ContactShared(EMPLOYEE_PHONE),
    ],
    ids=lambda event: type(event).__name__ + getattr(event, "name", ""),
)
def test_anything_else_at_the_choice_is_answered_and_the_choice_asked_again(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff, other: Event
) -> None:
    employee, printer = _photo_waiting(dialog, caption="Toner göstergesi")
    employee.send(other)
    assert employee.last[-1].text.startswith(REMINDER)
    assert [r.text.startswith(REMINDER) for r in employee.last].count(True) == 1
    employee.press(printer)
    assert employee.text == f"Dosyanız {printer} numaralı talebe eklendi ve ilgili teknisyene iletildi."
    assert _files_of(sessions, printer) == [("toner-photo", None)]


def test_start_at_the_choice_asks_it_once_again(dialog: DialogEngine, staff: Staff) -> None:
    employee, printer = _photo_waiting(dialog)
    employee.command("start")
    assert employee.last[0].text.startswith("Merhaba Ayşe Çalışkan!")
    assert [r.text for r in employee.last[1:]] == [
        f"{REMINDER} Yeni bir talep içinse “Yeni talep oluştur”u seçin."
    ]
    assert employee.labels[0].startswith(printer)


def test_answering_a_question_meanwhile_keeps_the_files_waiting(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    employee, printer = _photo_waiting(dialog, caption="Toner göstergesi")
    question = _asked_by_technician(dialog, sessions, printer)
    employee.press(texts.BTN_ANSWER, [question])
    employee.command("iptal")  # not now: the question stays, and the file still waits
    assert employee.last[-1].text.startswith(REMINDER)
    employee.press(texts.BTN_ANSWER, [question])
    employee.say("Etikette HP-305 yazıyor")
    assert employee.last[0].text == f"Yanıtınız teknisyene iletildi ({printer})."
    assert employee.last[-1].text.startswith(REMINDER)
    employee.press(printer)
    assert _files_of(sessions, printer) == [("toner-photo", None)]
    with sessions() as session:
        event = session.scalars(select(TicketEvent).where(TicketEvent.kind == "attachment_added")).one()
        assert event.data is not None and event.data["caption"] == "Toner göstergesi"


def test_a_citizen_recognised_as_staff_at_the_choice_keeps_the_files(
    dialog: DialogEngine, sessions: sessionmaker[Session], staff: Staff
) -> None:
    citizen = accepted_citizen(dialog)
    citizen.say("e-Belediye'de ödeme yapamıyorum")
    citizen.press(texts.BTN_YES)
    citizen.press(texts.BTN_SKIP)
    citizen.say("0532 111 22 33")
    citizen.press(texts.BTN_CONFIRM)
    citizen.send(AttachmentSent.single(AttachmentKind.PHOTO, "receipt"))
    assert "Bu dosyayı hangi talebe ekleyeyim?" in citizen.text
    citizen.share_phone(EMPLOYEE_PHONE)
    assert "kimliğiniz personel rehberiyle doğrulandı" in citizen.last[0].text
    assert citizen.last[-1].text.startswith(REMINDER)
    citizen.press(texts.BTN_FILE_NEW_REQUEST)
    citizen.say("toner bitti")
    toner = _finish_toner_request(citizen, sessions)
    assert toner.requester_id == staff.employee.id
    assert _files_of(sessions, toner.number) == [("receipt", None)]
