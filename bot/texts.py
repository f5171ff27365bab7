"""Every user-facing text of talepbot, in Turkish. Nothing else in the code base speaks to users.

Fixed texts are constants; texts with values are small functions taking plain values, so the engine and the
notifier stay free of wording and this module stays free of business rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from bot.turkish import at_clock_time, percent_of, until_clock_time
from catalog.model import Duration, ServiceHours

# --- Buttons -------------------------------------------------------------------------------------------

BTN_SHARE_PHONE = "📱 Telefon numaramı paylaş"
BTN_KVKK_ACCEPT = "Okudum, anladım"
BTN_KVKK_REJECT = "Vazgeç"
BTN_YES = "Evet, bu hizmet"
BTN_NO_LIST = "Hayır, listeden seç"
BTN_NONE_OF_THESE = "Hiçbiri / listeden seç"
BTN_TRY_AGAIN = "Yeniden yazacağım"
BTN_CATALOG = "Hizmet listesinden seç"
BTN_BACK = "« Geri"
BTN_SKIP = "Atla"
BTN_CONFIRM = "Onayla"
BTN_EDIT = "Düzenle"
BTN_CANCEL = "İptal"
BTN_EDIT_DESCRIPTION = "Açıklama"
BTN_EDIT_LOCATION = "Konum"
BTN_EDIT_CONTACT = "İletişim"
BTN_EDIT_SERVICE = "Hizmet"
BTN_OPEN_REQUEST = "Yine de talep oluştur"
BTN_DONE = "Tamam, teşekkürler"
BTN_TAKE = "Üstlen"
BTN_RESOLVE = "Çözüldü"
BTN_HOLD = "Beklemeye al"
BTN_FORWARD = "Yönlendir"
BTN_ANSWER = "Yanıtla"
BTN_CONFIRM_RESOLVED = "Sorun çözüldü, onaylıyorum"
BTN_REOPEN = "Sorun devam ediyor"


def btn_saved_phone(phone: str) -> str:
    return f"Kayıtlı numaram: {phone}"


def btn_rating(score: int) -> str:
    """ "1 ⭐ çok kötü" … "5 ⭐⭐⭐⭐⭐ çok iyi": the number, the stars and, at both ends, the words."""
    ends = {1: " çok kötü", 5: " çok iyi"}
    return f"{score} {'⭐' * score}{ends.get(score, '')}"


# --- Welcome, identification, personal data -------------------------------------------------------------

WELCOME = (
    "Merhaba! Ben Bilgi İşlem Müdürlüğü'nün talep asistanıyım.\n"
    "Yaşadığınız sorunu kendi cümlelerinizle yazın (ör. “e-Belediye'de ödeme yapamıyorum”; belediye "
    "personeliyseniz “yazıcı kağıt sıkıştırıyor” gibi); ilgili hizmeti bulur, talebinizi açar ve ilgili "
    "teknisyene iletirim. Talebinizin durumunu buradan izleyebilirsiniz.\n"
    "Komutlar için /yardim yazın."
)


def welcome_known(name: str, staff: bool) -> str:
    text = f"Merhaba {name}! Sorununuzu yazın, talebinizi hemen oluşturayım."
    if staff:
        text += " Size atanmış işler için /islerim."
    return text + " Komutlar için /yardim."


IDENTIFY = (
    "Belediye personeliyseniz aşağıdaki düğmeyle telefon numaranızı paylaşın; numaranız personel rehberiyle "
    "eşleştirilir ve kurum içi hizmetler size açılır."
)
IDENTIFY_AGAIN = (
    "Devam etmek için belediye personeliyseniz telefon numaranızı düğmeyle paylaşın; vatandaş olarak "
    "başvuracaksanız aydınlatma metnini okuyup “Okudum, anladım”a basın."
)
CONTACT_NOT_OWN = "Lütfen başkasının kartını değil, kendi numaranızı düğmeyle paylaşın."
CONTACT_NOT_IN_DIRECTORY = (
    "Bu numara personel rehberinde kayıtlı değil; vatandaş olarak devam edebilirsiniz. "
    "Personelseniz Bilgi İşlem Müdürlüğü'nden rehber kaydınızın güncellenmesini isteyin."
)


def verified_staff(name: str) -> str:
    return f"Teşekkürler {name}, kimliğiniz personel rehberiyle doğrulandı. Sorununuzu yazabilirsiniz."


KVKK_INTRO = (
    "Vatandaş olarak başvuracaksanız önce kişisel verilerinizin işlenmesine ilişkin aydınlatma metnini "
    "okuyun; ardından “Okudum, anladım”a basarak devam edin:"
)


def kvkk_notice(version: str, controller: str) -> str:
    """The notice Article 10 of Law No. 6698 requires; `version` is recorded with each acceptance."""
    return (
        f"KİŞİSEL VERİLERİN İŞLENMESİNE İLİŞKİN AYDINLATMA METNİ (sürüm {version})\n\n"
        f"1. Veri sorumlusu: {controller}. 6698 sayılı Kişisel Verilerin Korunması Kanunu (KVKK) uyarınca "
        "kişisel verileriniz veri sorumlusu sıfatıyla işlenir; başvurular Bilgi İşlem Müdürlüğü tarafından "
        "yürütülür.\n\n"
        "2. İşleme amaçları: Adınız, telefon numaranız, sohbet hesabınızın kimliği (Telegram veya Teams), "
        "talep metniniz, "
        "konum bilginiz ve gönderdiğiniz dosyalar; başvurunuzun alınması, ilgili birime iletilmesi, "
        "sonuçlandırılması, size bilgi verilmesi, hizmet kalitesinin ölçülmesi ve mevzuattan doğan kayıt "
        "yükümlülüklerinin yerine getirilmesi amaçlarıyla işlenir.\n\n"
        "3. Aktarım: Kişisel verileriniz yalnızca başvurunuzun çözümü için gerekli olduğu ölçüde "
        "Belediyemizin ilgili birimlerine ve hizmet aldığımız bilgi işlem tedarikçilerine, kanunen yetkili "
        "kamu kurum ve kuruluşlarına ise talep etmeleri hâlinde aktarılabilir. Mesajlaşma hizmeti "
        "Telegram veya Microsoft Teams tarafından sağlandığından yazışmalarınız bu hizmetlerin yurt "
        "dışında da bulunabilen sunucuları üzerinden iletilir.\n\n"
        "4. Toplama yöntemi ve hukuki sebep: Verileriniz bu sohbet kanalı üzerinden elektronik ortamda, "
        "otomatik yollarla toplanır. Hukuki sebepler KVKK md. 5/2 (a) kanunlarda açıkça öngörülmesi "
        "(5393 sayılı Belediye Kanunu), (ç) veri sorumlusunun hukuki yükümlülüğünü yerine getirebilmesi için "
        "zorunlu olması ve "
        "(f) ilgili kişinin temel hak ve özgürlüklerine zarar vermemek kaydıyla veri sorumlusunun meşru "
        "menfaatidir.\n\n"
        "5. Haklarınız (KVKK md. 11): Kişisel verilerinizin işlenip işlenmediğini öğrenme, işlenmişse buna "
        "ilişkin bilgi talep etme, işlenme amacını ve amacına uygun kullanılıp kullanılmadığını öğrenme, "
        "yurt içinde veya yurt dışında aktarıldığı üçüncü kişileri bilme, eksik veya yanlış işlenmişse "
        "düzeltilmesini, KVKK md. 7 çerçevesinde silinmesini veya yok edilmesini ve bu işlemlerin "
        "aktarıldığı üçüncü kişilere bildirilmesini isteme, münhasıran otomatik sistemlerle analiz "
        "edilmesi sonucu aleyhinize bir sonucun ortaya çıkmasına itiraz etme ve kanuna aykırı işleme "
        "nedeniyle zarara "
        "uğramanız hâlinde zararın giderilmesini talep etme haklarına sahipsiniz. Bu haklara ilişkin "
        "başvurularınızı veri sorumlusuna yazılı olarak iletebilirsiniz.\n\n"
        "“Okudum, anladım” demeden önce verileriniz kaydedilmez. Metni istediğiniz zaman /kvkk ile yeniden "
        "görebilirsiniz."
    )


KVKK_ACCEPTED = "Teşekkürler. Şimdi sorununuzu kendi cümlelerinizle yazabilirsiniz."
KVKK_ACCEPTED_CONTINUING = "Teşekkürler."
KVKK_REJECTED = (
    "Anlaşıldı; aydınlatma metnini okuduğunuzu belirtmeden başvuru alamıyorum. Hesap kimliğiniz, adınız ve "
    "bu sohbetin durumu dahil hakkınızdaki bütün kayıtları sildim. Yalnızca aynı mesajı iki kez işlememek "
    "için mesajın platformdaki sıra numarası (kişisel veri içermez) iki gün saklanır. Başvurunuzu Alo 153 "
    "Çağrı Merkezi'ne veya e-Belediye üzerinden iletebilirsiniz. Fikrinizi değiştirirseniz /start yazın."
)
KVKK_REQUIRED = (
    "Devam edebilmem için aydınlatma metnini okuduğunuzu “Okudum, anladım” ile belirtmeniz gerekiyor. Metni "
    "yeniden görmek için /kvkk yazın."
)
KVKK_ALREADY_ACCEPTED = "Bu metni daha önce okuduğunuzu belirttiniz; teşekkürler."

# --- Matching the request to a service -----------------------------------------------------------------


def duration_text(duration: Duration, hours: ServiceHours) -> str:
    """'2 iş günü', '1 saat', '2 saat 30 dakika': days count as working days for business-hours services."""
    parts: list[str] = []
    if duration.days:
        parts.append(f"{duration.days} {'iş günü' if hours is ServiceHours.BUSINESS else 'gün'}")
    hours_part, minutes_part = divmod(duration.minutes, 60)
    if hours_part:
        parts.append(f"{hours_part} saat")
    if minutes_part:
        parts.append(f"{minutes_part} dakika")
    return " ".join(parts) or duration.text


def sla_promise(
    response: Duration | None, resolution: Duration | None, hours: ServiceHours, work_start: str
) -> str:
    """The catalog's promise in plain Turkish, e.g. 'Ele alma: 1 saat, tamamlanma: 2 iş günü. …'."""
    if response is None or resolution is None:
        return "Bu hizmet için süre taahhüdü tanımlanmamıştır."
    text = f"Ele alma: {duration_text(response, hours)}, tamamlanma: {duration_text(resolution, hours)}."
    if hours is ServiceHours.BUSINESS:
        return text + f" Mesai saatleri dışında süre bir sonraki iş günü {at_clock_time(work_start)} başlar."
    return text + " Hizmet 7/24 verilir."


def service_line(code: str, title: str) -> str:
    return f"{code} — {title}"


def confirm_service(code: str, title: str, promise: str) -> str:
    return f"Talebiniz şu hizmete uygun görünüyor:\n\n{service_line(code, title)}\n{promise}\n\nDoğru mu?"


ASK_WHICH = "Talebiniz şu hizmetlerden hangisiyle ilgili?"
NOT_UNDERSTOOD = (
    "Üzgünüm, yazdığınızı hizmet kataloğumuzdaki bir hizmetle eşleştiremedim. Sorunu başka sözcüklerle "
    "yeniden yazabilir ya da hizmet listesinden seçebilirsiniz."
)
TEXT_EMPTY = "Mesajınızda okuyabildiğim bir metin yok. Sorununuzu birkaç sözcükle yazar mısınız?"
TEXT_EMPTY_ANSWER = "Mesajınızda okuyabildiğim bir metin yok; lütfen yanıtınızı yazıyla gönderin."
CITIZEN_EXAMPLES = "ör. “e-Belediye'de ödeme yapamıyorum”, “bilet satış sitesi açılmıyor”"
EMPLOYEE_EXAMPLES = "ör. “yazıcı kağıt sıkıştırıyor”, “Outlook açılmıyor”"


def greeting(citizen: bool, staff: bool) -> str:
    """The answer to a message that only greets: what to write instead."""
    if staff:
        return (
            "Merhaba! Size atanmış işler için /islerim yazın; bir sorun bildirmek için sorunu kendi "
            "cümlelerinizle yazmanız yeterli."
        )
    examples = CITIZEN_EXAMPLES if citizen else EMPLOYEE_EXAMPLES
    return (
        "Merhaba, hoş geldiniz! Bilgi işlemle ilgili sorununuzu kendi cümlelerinizle yazmanız yeterli "
        f"({examples}). İsterseniz hizmet listesinden de seçebilirsiniz."
    )


THANKS = "Rica ederim! Başka bir konuda yardım gerekirse sorununuzu yazmanız yeterli."
# Alo 153 is the municipalities' call-centre number everywhere in Turkey, so the texts name it and no local
# channel ("Beyaz Masa" only as the common name of the citizens' desk).
NON_IT_CITIZEN = (
    "Bu konu Bilgi İşlem Müdürlüğü'nün değil, belediyemizin başka bir biriminin işi gibi görünüyor; bu "
    "kanaldan yalnızca bilgi işlem hizmetleri (belediyenin internet siteleri, e-Belediye, bilet satış "
    "sistemi gibi) için talep alabiliyorum.\n"
    "Çöp, yol, park, vergi, nikâh gibi belediye hizmetleri için Alo 153 Çağrı Merkezi'ni "
    "arayabilir ya da belediyenin vatandaş başvuru birimine (Beyaz Masa) başvurabilirsiniz.\n"
    "Bilgi işlemle ilgili bir sorununuz varsa yeniden yazabilir ya da hizmet listesinden seçebilirsiniz."
)
NON_IT_EMPLOYEE = (
    "Bu konu Bilgi İşlem Müdürlüğü'nün değil, belediyenin başka bir biriminin işi gibi görünüyor; bu "
    "kanaldan yalnızca bilgi işlem hizmetleri (bilgisayar, yazıcı, telefon, internet, yazılım, e-posta "
    "gibi) için talep alabiliyorum.\n"
    "Maaş, izin gibi personel işleri için insan kaynakları birimine, bina ve tesisat sorunları için destek "
    "hizmetleri birimine, vatandaş hizmetleri için Alo 153 Çağrı Merkezi'ne başvurabilirsiniz.\n"
    "Bilgi işlemle ilgili bir sorununuz varsa yeniden yazabilir ya da hizmet listesinden seçebilirsiniz."
)


def text_too_long(limit: int, describing: bool) -> str:
    what = "sorunu" if describing else "yanıtınızı"
    characters = f"{limit:,}".replace(",", ".")  # Turkish groups thousands with a dot: 4.096
    return f"Mesajınız çok uzun; lütfen {what} en fazla {characters} karakterle özetleyin."


CHOOSE_GROUP = "Hangi alanda yardım istiyorsunuz?"


def choose_service(group_title: str) -> str:
    return f"{group_title} — hangi hizmet?"


NO_SERVICES_FOR_YOU = "Size açık bir hizmet bulunamadı. Lütfen Alo 153 Çağrı Merkezi'ne başvurun."


def ineligible_citizen(code: str, title: str) -> str:
    return (
        f"Yazdığınız konu “{service_line(code, title)}” hizmetine uyuyor; ancak bu hizmet yalnızca belediye "
        "personelinin kurum içi talepleri için verilir, vatandaş başvurusu olarak açılamaz. Sorun belediye "
        "binasındaki bir cihazla ilgiliyse ilgili birimin personeline iletebilirsiniz; diğer konular için "
        "Alo 153 Çağrı Merkezi'ni arayabilir ya da aşağıdan vatandaşlara açık bir hizmet "
        "seçebilirsiniz."
    )


def ineligible_employee_citizen_only(code: str, title: str) -> str:
    return (
        f"Yazdığınız konu “{service_line(code, title)}” hizmetine uyuyor; bu hizmet vatandaş başvurularına "
        "yöneliktir. Kendi sorununuz için kurum içi bir hizmet seçebilirsiniz; bir vatandaş adına "
        "başvuruyorsanız vatandaşın kendisi bu bottan veya Alo 153 Çağrı Merkezi'nden başvurabilir."
    )


def ineligible_directorate(code: str, title: str) -> str:
    return (
        f"Yazdığınız konu “{service_line(code, title)}” hizmetine uyuyor; bu hizmet yalnızca Bilgi İşlem "
        "Müdürlüğü içindeki görevlendirmelerle yürütülür. Bir ihtiyacınız varsa birim amirinizin Bilgi İşlem "
        "Müdürlüğü'ne yazılı talebiyle başlatılabilir; isterseniz aşağıdan size açık bir hizmet seçin."
    )


def service_inactive(code: str, title: str) -> str:
    return f"“{service_line(code, title)}” hizmeti şu anda talep almıyor."


ALTERNATIVES = "Size açık olan benzer hizmetler:"


def living_lab_info(code: str, title: str, scope: str, contacts: Sequence[str], may_request: bool) -> str:
    phones = ", ".join(contacts)
    text = f"{service_line(code, title)}\n\n{scope}"
    if phones:
        text += f"\n\nAyrıntılı bilgi için: {phones}"
    if may_request:
        text += "\n\nİsterseniz yine de bir bilgi talebi oluşturabilirim."
    return text


LIVING_LAB_DONE = "Rica ederim. Başka bir konuda yardım için sorununuzu yazabilirsiniz."

# --- Details and summary -------------------------------------------------------------------------------

ASK_DESCRIPTION = "Sorununuzu kısaca anlatır mısınız?"
ASK_LOCATION = (
    "Sorun nerede? Bina, birim ve oda bilgisini yazın (ör. “Hizmet binası, Mali Hizmetler, 3. kat 305”)."
)
ASK_LOCATION_CITIZEN = "İlgili bir adres veya yer varsa yazın; yoksa “Atla”yı seçin."
ASK_CONTACT = (
    "Size ulaşabileceğimiz bir telefon numarası veya dahili numaranızı yazın (ör. 0532 123 45 67, 2145)."
)
ASK_CONTACT_CITIZEN = "Size ulaşabileceğimiz telefon numaranızı yazın (ör. 0532 123 45 67)."
OR_CHOOSE = "Ya da seçin:"  # Telegram: the choices that could not share a message with the contact button


def attachment_kept(count: int) -> str:
    return f"{'Dosyanız' if count == 1 else 'Dosyalarınız'} alındı; talebinize eklenecek."


def attachment_not_now(count: int) -> str:
    it = "dosyayı" if count == 1 else "dosyaları"
    return (
        f"{it.capitalize()} şimdi kullanamıyorum. Yeni bir talep için {it} açıklamasıyla birlikte "
        "gönderebilir ya da talep sırasında dosya istediğimde ekleyebilirsiniz."
    )


CONTACT_INVALID = (
    "Bu bir telefon numarasına benzemiyor. Lütfen 0532 123 45 67 ya da 0212 123 45 67 gibi bir numara veya "
    "3-5 haneli dahili numaranızı yazın."
)
CONTACT_REQUIRED = (
    "Personel taleplerinde teknisyenin size ulaşabilmesi için bir numara gerekli; bu adım atlanamaz. "
    "Lütfen cep, sabit ya da 3-5 haneli dahili numaranızı yazın."
)
CONTACT_INVALID_CITIZEN = (
    "Bu bir telefon numarasına benzemiyor. Lütfen 0532 123 45 67 ya da 0212 123 45 67 gibi bir numara yazın; "
    "vermek istemezseniz “Atla”yı seçin."
)


# --- Files added to an opened ticket --------------------------------------------------------------------

BTN_FILE_NEW_REQUEST = "Yeni talep oluştur"


def _sent_files(count: int) -> str:
    """The files sent, as a sentence's subject: "Gönderdiğiniz 3 dosya" (a noun after a number stays
    singular in Turkish)."""
    return "Gönderdiğiniz dosya" if count == 1 else f"Gönderdiğiniz {count} dosya"


def which_ticket_for_files(count: int, reminder: bool = False) -> str:
    """The question for files sent outside a request; `reminder` after the person did something else."""
    what = "Bu dosyayı" if count == 1 else f"Bu {count} dosyayı"
    question = f"{what} hangi talebe ekleyeyim? Yeni bir talep içinse “{BTN_FILE_NEW_REQUEST}”u seçin."
    return f"{_sent_files(count)} henüz bir talebe eklenmedi. {question}" if reminder else question


def file_for_new_request(count: int) -> str:
    what = "Dosyanız" if count == 1 else f"{count} dosyanız"
    return f"{what} yeni talebiniz için saklandı. Şimdi sorununuzu kendi cümlelerinizle yazın."


def files_kept_for_new_request(count: int) -> str:
    return f"{_sent_files(count)} yeni talebiniz için saklı; sorununuzu yazdığınızda talebe eklenecek."


def files_discarded(count: int) -> str:
    return f"Tamam, {_sent_files(count).lower()} kaydedilmedi ve hiçbir talebe eklenmedi."


def files_added_too(count: int) -> str:
    return f"{_sent_files(count)} da talebe eklendi."


def files_added(number: str, count: int, to_requester: bool) -> str:
    what = "Dosyanız" if count == 1 else f"{count} dosyanız"
    whom = "talep sahibine" if to_requester else "ilgili teknisyene"
    return f"{what} {number} numaralı talebe eklendi ve {whom} iletildi."


# The text each ticket operation still waits for after a file came without a caption.
_STILL_AWAITED = {
    "resolution_note": "Şimdi çözüm notunuzu yazın.",
    "question": "Şimdi talep sahibine sorunuzu yazın.",
    "reopen_reason": "Şimdi sorunun nasıl devam ettiğini kısaca yazın.",
}


def file_added(number: str, count: int = 1) -> str:
    what = "Dosya" if count == 1 else f"{count} dosya"
    return f"{what} {number} numaralı talebe eklendi."


def file_added_awaiting_text(number: str, step: str, count: int = 1) -> str:
    return f"{file_added(number, count)} {_STILL_AWAITED.get(step, '')}".rstrip()


def answer_by_files(file_names: Sequence[str | None]) -> str:
    """The answer relayed to the technician when the requester answers with files and no words."""
    if len(file_names) > 1:
        return f"(Yanıt olarak {len(file_names)} dosya gönderildi; talebe eklendi.)"
    if file_names[0]:
        return f"(Yanıt olarak “{file_names[0]}” dosyası gönderildi; talebe eklendi.)"
    return "(Yanıt olarak fotoğraf gönderildi; talebe eklendi.)"


def cannot_attach(number: str, status: str) -> str:
    return (
        f"{number} numaralı talep “{status_name(status)}” durumunda olduğu için artık dosya eklenemez. "
        "Sorun sürüyorsa dosyayı açıklamasıyla gönderip yeni bir talep oluşturabilirsiniz."
    )


def notify_file_added(number: str, file_name: str | None, caption: str | None) -> str:
    what = f"yeni bir dosya eklendi: {file_name}" if file_name else "yeni bir fotoğraf eklendi."
    text = f"{number} numaralı talebe {what}"
    return f"{text}\n\nAçıklama: {caption}" if caption else text


def summary(
    code: str,
    title: str,
    description: str,
    location: str | None,
    contact: str | None,
    attachments: int,
) -> str:
    lines = [
        "Talep özeti:",
        f"Hizmet: {service_line(code, title)}",
        f"Açıklama: {description}",
        f"Konum: {location or '—'}",
        f"İletişim: {contact or '—'}",
    ]
    if attachments:
        lines.append(f"Ek: {attachments} dosya")
    lines.append(
        "\nBilgiler doğruysa onaylayın. Fotoğraf veya dosya eklemek isterseniz şimdi gönderebilirsiniz."
    )
    return "\n".join(lines)


EDIT_WHAT = "Neyi düzeltmek istersiniz?"


def _until(when: str) -> str:
    """'03.12.2026 saat 10:30'a kadar' from format_time's '03.12.2026 10:30'."""
    day, _, clock = when.partition(" ")
    return f"{day} saat {until_clock_time(clock)} kadar"


def ticket_opened(number: str, response_due: str, resolution_due: str) -> str:
    return (
        f"Talebiniz oluşturuldu. Talep numaranız: {number}\n"
        f"Talebiniz en geç {_until(response_due)} ele alınacak ve {_until(resolution_due)} "
        "tamamlanacaktır.\n"
        f"Durumunu /durum {number} ile sorabilirsiniz."
    )


DRAFT_RESUMED = "Yazmakta olduğunuz talebe devam edelim:"
CANCELLED_CONVERSATION = "Tamam, talep oluşturma işlemi iptal edildi; hiçbir şey kaydedilmedi."


def ticket_text_cancelled(number: str) -> str:
    return f"Tamam, vazgeçildi; {number} numaralı talepte bir değişiklik yapılmadı."


NOTHING_TO_CANCEL = "Şu anda iptal edilecek bir işlem yok. Bir talebi iptal etmek için: /iptal NUMARA"
NEW_REQUEST = "Yeni talep: sorununuzu kendi cümlelerinizle yazın."
OPTION_EXPIRED_IDLE = "Bu düğme artık geçerli değil. Yeni bir talep için sorununuzu yazabilirsiniz."
OPTION_EXPIRED_BUSY = "Bu düğme artık geçerli değil; son mesajdaki seçenekleri kullanın ya da /iptal yazın."
CHOOSE_FROM_OPTIONS = "Lütfen seçeneklerden birini seçin ya da /iptal yazın."

# --- Commands ------------------------------------------------------------------------------------------

# The help line of each command (the command table is bot.engine.commands.COMMANDS).
CMD_START = "Başla"
CMD_NEW = "Yeni talep"
CMD_MY_TICKETS = "Taleplerim"
CMD_STATUS = "Talebin durumu ve yazışmaları: /durum NUMARA"
CMD_CANCEL = "İşlemi veya talebi iptal et"
CMD_HELP = "Yardım"
CMD_KVKK = "Kişisel verilerle ilgili aydınlatma metni"
CMD_MY_WORK = "Bana atanmış işler"
CMD_TAKE = "Talebi üstlen: /ustlen NUMARA"
CMD_RESOLVE = "Talebi çözüldü olarak işaretle: /coz NUMARA"
CMD_PANEL = "Web paneli için tek kullanımlık giriş bağlantısı"


def help_text(commands: Sequence[tuple[str, str]]) -> str:
    """The commands a person may use, (name, help line) each."""
    lines = [
        "Sorununuzu kendi cümlelerinizle yazmanız yeterli. Komutları eğik çizgisiz de yazabilirsiniz "
        "(ör. “taleplerim”, “durum BIM-2026-000123”, “iptal”). Komutlar:"
    ]
    lines += [f"/{name} — {what}" for name, what in commands]
    lines.append("Bir talep numarası yazmanız da durumunu gösterir; seçenekleri numarasıyla seçebilirsiniz.")
    return "\n".join(lines)


UNKNOWN_COMMAND = "Bu komutu tanımıyorum. Komutların listesi için /yardim yazın."
STAFF_ONLY = "Bu komut yalnızca Bilgi İşlem personeli içindir."


def needs_number(command: str) -> str:
    return f"Talep numarasını da yazın, ör. /{command} BIM-2026-000123"


def ticket_not_found(number: str, well_formed: bool = True) -> str:
    text = f"{number} numaralı talep bulunamadı ya da bu talebi görme yetkiniz yok."
    if not well_formed:
        text += (
            " Talep numaraları BIM-2026-000123 biçimindedir; taleplerinizi /taleplerim ile görebilirsiniz."
        )
    return text


NO_TICKETS = "Henüz bir talebiniz yok. Sorununuzu yazarak yeni talep oluşturabilirsiniz."
NO_ASSIGNED = "Size atanmış açık iş yok."
MY_TICKETS = "Talepleriniz:"
MY_WORK = "Size atanmış açık işler:"

STATUS_NAMES = {
    "new": "yeni",
    "assigned": "atandı",
    "in_progress": "işlemde",
    "waiting_for_requester": "yanıtınız bekleniyor",
    "resolved": "çözüldü, onayınız bekleniyor",
    "closed": "kapandı",
    "cancelled": "iptal edildi",
}


# The same statuses as the technician sees them: the answer and the approval awaited are the requester's.
STATUS_NAMES_STAFF = {
    **STATUS_NAMES,
    "waiting_for_requester": "talep sahibinin yanıtı bekleniyor",
    "resolved": "çözüldü, talep sahibinin onayı bekleniyor",
}


def status_name(status: str, requester: bool = True) -> str:
    """The status in words, as the ticket's requester (default) or as staff sees it."""
    return (STATUS_NAMES if requester else STATUS_NAMES_STAFF).get(status, status)


def ticket_line(number: str, title: str, status: str, requester: bool = True) -> str:
    return f"{number} — {title} ({status_name(status, requester)})"


def ticket_status(
    number: str,
    code: str,
    title: str,
    status: str,
    response_due: str,
    resolution_due: str,
    assignee: str | None,
    requester: bool = True,
) -> str:
    lines = [
        f"{number}",
        f"Hizmet: {service_line(code, title)}",
        f"Durum: {status_name(status, requester)}",
        f"Ele alma süresi sonu: {response_due}",
        f"Tamamlanma süresi sonu: {resolution_due}",
    ]
    if assignee:
        lines.append(f"İlgilenen: {assignee}")
    return "\n".join(lines)


def ticket_cancelled(number: str) -> str:
    return f"{number} numaralı talebiniz iptal edildi."


def cannot_cancel(number: str, status: str) -> str:
    return f"{number} numaralı talep “{status_name(status)}” durumunda olduğu için iptal edilemez."


def action_not_allowed(number: str, status: str) -> str:
    # Staff wording: it reads right for the requester too, who rarely meets a refused action.
    status_text = status_name(status, requester=False)
    return f"{number} numaralı talep “{status_text}” durumunda; bu işlem şu anda yapılamaz."


# --- Technician actions --------------------------------------------------------------------------------


def taken_by_you(number: str) -> str:
    return f"{number} numaralı talebi üstlendiniz. Kolay gelsin!"


def ask_resolution_note(number: str) -> str:
    return f"{number}: yaptığınız işlemi kısa bir notla yazın (talep sahibine de iletilecek)."


def resolved_by_you(number: str) -> str:
    return f"{number} çözüldü olarak işaretlendi; talep sahibinin onayı bekleniyor."


def ask_question(number: str) -> str:
    return f"{number}: talep sahibine sormak istediğiniz soruyu yazın. Yanıt gelene kadar süre durur."


def question_sent(number: str) -> str:
    return f"Sorunuz iletildi; {number} yanıt gelene kadar beklemede."


def choose_forward_target(number: str) -> str:
    return f"{number} kime yönlendirilsin?"


def forwarded(number: str, name: str) -> str:
    return f"{number} {name} adlı teknisyene yönlendirildi."


NO_FORWARD_TARGETS = "Yönlendirilebilecek başka teknisyen yok."
NOT_YOUR_TICKET = "Bu talep size atanmamış; bu işlemi yalnızca atanan teknisyen veya ekip lideri yapabilir."
LEAD_ONLY = "Yönlendirmeyi yalnızca ekip lideri yapabilir."

# --- Requester follow-up -------------------------------------------------------------------------------


def ask_answer(number: str, question: str | None) -> str:
    if question:
        return f"{number}: teknisyenin sorusu:\n\n{question}\n\nYanıtınızı yazın."
    return f"{number}: teknisyenin sorusuna yanıtınızı yazın."


def answer_sent(number: str) -> str:
    return f"Yanıtınız teknisyene iletildi ({number})."


def ask_rating(number: str) -> str:
    return (
        f"Teşekkürler! {number} kapatıldı. Hizmetimizi 1 (çok kötü) ile 5 (çok iyi) arasında puanlar "
        "mısınız? Düğmeye basabilir ya da puanı yazabilirsiniz."
    )


def ask_reopen_reason(number: str) -> str:
    return f"{number}: sorun nasıl devam ediyor? Kısaca yazın, teknisyene iletelim."


def reopened(number: str) -> str:
    return f"Üzgünüz; {number} yeniden açıldı ve teknisyene iletildi."


def rated(score: int) -> str:
    return f"Değerlendirmeniz ({score}/5) için teşekkür ederiz."


NOT_YOUR_REQUEST = "Bu talep size ait değil."

# --- Notifications (outbound; rendered by bot.notifier) ------------------------------------------------


def notify_assigned(
    number: str,
    code: str,
    title: str,
    requester: str,
    description: str,
    location: str | None,
    contact: str | None,
    response_due: str,
    resolution_due: str,
) -> str:
    return (
        f"Yeni iş: {number}\n"
        f"Hizmet: {service_line(code, title)}\n"
        f"Talep sahibi: {requester}\n"
        f"Açıklama: {description}\n"
        f"Konum: {location or '—'}\n"
        f"İletişim: {contact or '—'}\n"
        f"Ele alma süresi sonu: {response_due}\n"
        f"Tamamlanma süresi sonu: {resolution_due}"
    )


def notify_taken(number: str, technician: str) -> str:
    return f"{number} numaralı talebiniz {technician} tarafından ele alındı."


def notify_question(number: str, question: str) -> str:
    return f"{number} hakkında teknisyenin sorusu:\n\n{question}\n\nYanıtlamak için düğmeye basın."


def notify_answer(number: str, answer: str) -> str:
    return f"{number}: talep sahibinin yanıtı:\n\n{answer}\n\nSüre yeniden işlemeye başladı."


def notify_resolved(number: str, note: str) -> str:
    return f"{number} numaralı talebiniz çözüldü.\nYapılan işlem: {note}\n\nSorununuz giderildi mi?"


def notify_reopened(number: str, reason: str) -> str:
    return f"{number}: talep sahibi sorunun devam ettiğini bildirdi; talep yeniden işlemde.\n\n{reason}"


def notify_cancelled(number: str) -> str:
    return f"{number}: talep sahibi talebi iptal etti."


def notify_reminder(number: str, title: str, window: str, due: str, percent: int) -> str:
    return f"Hatırlatma: {number} ({title}) için {window} süresinin {percent_of(percent)} doldu. Son: {due}."


def notify_breach(number: str, title: str, window: str, due: str) -> str:
    return f"SLA aşıldı: {number} ({title}) için {window} süresi {due} itibarıyla doldu."


def notify_escalation(number: str, title: str, window: str, due: str) -> str:
    return f"Üst yönetime bildirim: {number} ({title}) {window} süresini ({due}) ciddi biçimde aştı."


def notify_auto_closed(number: str) -> str:
    return f"{number} numaralı talebiniz 3 iş günü yanıt alınamadığı için kapatıldı."


def notify_confirmed(number: str) -> str:
    return f"{number}: talep sahibi çözümü onayladı; talep kapandı."


def notify_rated(number: str, score: int) -> str:
    return f"{number}: talep sahibi hizmeti {score}/5 olarak değerlendirdi."


def notify_note(number: str, note: str) -> str:
    return f"{number} için not:\n\n{note}"


def notify_unassigned(number: str, title: str) -> str:
    return f"{number} ({title}) için görevde teknisyen bulunamadı; lütfen bir teknisyene yönlendirin."


def notify_reassigned_away(number: str) -> str:
    return f"{number} ekip lideri tarafından başka bir teknisyene yönlendirildi."


def notify_generic(number: str, status: str) -> str:
    return f"{number} numaralı talebin durumu: {status_name(status)}."


WINDOW_RESPONSE = "ele alma"
WINDOW_RESOLUTION = "tamamlanma"

# --- Unsupported and failing input ---------------------------------------------------------------------

UNSUPPORTED = {
    "sticker": "Çıkartmanız için teşekkürler 🙂 Sorununuzu yazıyla anlatır mısınız?",
    "voice": "Sesli mesajları dinleyemiyorum; sorununuzu yazıyla anlatır mısınız?",
    "location": ("Konum paylaşımını kullanamıyorum; lütfen bina, birim ve oda bilgisini yazıyla gönderin."),
}
UNSUPPORTED_OTHER = "Bu tür mesajları işleyemiyorum; sorununuzu yazıyla anlatır mısınız?"


def unsupported(what: str) -> str:
    return UNSUPPORTED.get(what, UNSUPPORTED_OTHER)


INTERNAL_ERROR = "Bir sorun oluştu ve mesajınızı işleyemedim. Lütfen biraz sonra yeniden deneyin."
DOMAIN_ERROR = "Bu işlem şu anda yapılamıyor."


def format_time(when: datetime, tz: tzinfo) -> str:
    """'28.11.2026 10:30' in the directorate's time zone."""
    return when.astimezone(tz).strftime("%d.%m.%Y %H:%M")


# --- Console (talepbot chat) ---------------------------------------------------------------------------

CONSOLE_INTRO = (
    "talepbot konsol sohbeti. Yazın ve Enter'a basın; seçenekleri numarasıyla seçin. Dosya eklemek için "
    "@ ve dosya yolunu yazın (ör. @/tmp/ariza.jpg). Çıkmak için Ctrl-D."
)
CONSOLE_AS_CITIZEN = "Vatandaş olarak konuşuyorsunuz (konsol kimliği: {external_id})."
CONSOLE_DEMO_CREATED = "Demo hesabı oluşturuldu: {name} ({role}, konsol kimliği: {external_id})."
CONSOLE_DEMO_REUSED = "Demo hesabı kullanılıyor: {name} ({role}, konsol kimliği: {external_id})."
CONSOLE_DEMO_TECHNICIAN_NOTE = (
    "Demo teknisyen 05.21 Teknik Servis ekibindedir: bu ekibe düşen talepler (ör. yazıcı arızası) en az işi "
    "olan teknisyene atanır. Açık işleriniz için /islerim yazın."
)
CONSOLE_DEMO_EMPLOYEE_NOTE = (
    "05.21 Teknik Servis talepleriniz (ör. yazıcı arızası) Demo Teknisyen'e atanabilir; onun gözünden "
    "devam etmek için: talepbot chat --as technician. Size gelen bildirimler, başka bir pencereden gelse de, "
    "burada gösterilir; bir talebin güncel durumu ve düğmeleri için /durum NUMARA yazın."
)
CONSOLE_ROLE_NAMES = {"employee": "belediye çalışanı", "technician": "teknisyen"}
CONSOLE_DEMO_NAMES = {"employee": "Demo Çalışan", "technician": "Demo Teknisyen"}
CONSOLE_NOTIFICATION = "(bildirim)"
CONSOLE_FILE_MISSING = "Dosya bulunamadı: {path}"
CONSOLE_BYE = "Görüşmek üzere!"


# --- Microsoft Teams -----------------------------------------------------------------------------------

TEAMS_TENANT_NOT_ALLOWED = (
    "Bu bot yalnızca belediyemizin Microsoft Teams kuruluşundaki çalışanlara hizmet verir. "
    "Bilgi İşlem Müdürlüğü'ne Alo 153 Çağrı Merkezi üzerinden ulaşabilirsiniz."
)
# The app package (talepbot teams manifest): short name ≤ 30, developer ≤ 32, short description ≤ 80
# characters.
TEAMS_APP_DEVELOPER = "Bilgi İşlem Müdürlüğü"
TEAMS_APP_NAME_SHORT = "BİM Talep"
TEAMS_APP_NAME_FULL = "Bilgi İşlem Müdürlüğü Talep Botu"
TEAMS_APP_DESCRIPTION_SHORT = "Bilgi İşlem'e arıza ve hizmet talebi açın, talebinizin durumunu izleyin."
TEAMS_APP_DESCRIPTION_FULL = (
    "Bilgi İşlem Müdürlüğü'nün talep asistanı. Yaşadığınız sorunu kendi cümlelerinizle yazın (ör. “yazıcı "
    "kağıt sıkıştırıyor”, “e-imzam çalışmıyor”): asistan hizmet kataloğundaki ilgili hizmeti bulur, "
    "talebinizi açar ve ilgili teknisyene iletir. Talebinizin durumunu, teknisyenin sorularını ve çözüm "
    "bilgisini bu sohbetten alırsınız. Bilgi İşlem personeli kendisine atanan işleri buradan üstlenir, "
    "beklemeye alır, yönlendirir ve çözer."
)


# --- Typed replies and the ticket's conversation (issue 12) --------------------------------------------

TYPED_NOT_UNDERSTOOD = "Yazdığınızı bu adımda anlayamadım. Seçeneklerden birine basın ya da numarasını yazın:"
BTN_NEW_REQUEST_FROM_TEXT = "Yeni talep olarak aç"
BTN_BACK_TO_QUESTION = "Hayır, önceki soruya dön"


def new_request_or_answer(text: str) -> str:
    return (
        f"“{_short(text)}” yeni bir sorun mu? Yeni talep olarak açabilirim; önceki soruya yanıt veriyorsanız "
        "geri dönelim."
    )


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def several_problems(count: int) -> str:
    others = "diğerini" if count == 2 else "diğerlerini"
    return (
        f"Mesajınızda {count} ayrı sorun görüyorum. Önce ilkinin talebini oluşturalım; ardından {others} de "
        "sırayla açmayı önereceğim."
    )


def next_problem(text: str) -> str:
    return f"Mesajınızdaki diğer sorun: “{_short(text)}”. Bunun için de talep oluşturalım mı?"


BTN_OPEN_NEXT = "Evet, bunu da aç"
BTN_NOT_NOW = "Hayır, gerek yok"
NEXT_PROBLEM_LATER = "Tamam. Başka bir sorun olursa yazmanız yeterli."
# The catalog's scope of the Living Lab service is written for staff ("vatandaşlar … yönlendirilebilir");
# citizens read this instead, with the catalog's phone number after it.
LIVING_LAB_CITIZEN = (
    "Living Lab tesislerimizde yapılan etkinlikler hakkında genel bilgi verebiliriz. Ayrıntı gerektiren "
    "konular için doğrudan aşağıdaki numarayı arayabilirsiniz."
)


def btn_last_location(location: str) -> str:
    return f"Önceki konum: {_short(location, 40)}"


BTN_SAME_DETAILS = "Evet, aynı bilgilerle"


def same_details(location: str, phone: str, citizen: bool) -> str:
    what = "telefon" if citizen else "telefon / dahili"
    return (
        f"Önceki talebinizdeki bilgilerle devam edelim mi?\nKonum: {location}\n{what.capitalize()}: {phone}\n"
        "Değiştirmek için yeni konumu yazmanız yeterli."
    )


LOCATION_UNCLEAR = (
    "Bunu bir yer olarak anlayamadım. Lütfen bina, birim veya oda bilgisini yazın (ör. “Hizmet binası, "
    "3. kat 305”); belirtmek istemezseniz “atla” yazın."
)
CORRECTION_NOTICED = (
    "Bir şeyi düzeltmek istiyorsanız “Düzenle”ye basın; değilse bu adımın yanıtını yazarak devam edin."
)
RATING_AGAIN = "Puanı 1 (çok kötü) ile 5 (çok iyi) arasında bir sayıyla yazın ya da düğmelerden birine basın."
RATING_SKIPPED = "Tamam, puan vermeden geçtiniz. Teşekkür ederiz."


def take_first(number: str) -> str:
    return (
        f"{number} henüz üstlenilmedi. Önce “Üstlen”e basın; sonra çözebilir ya da beklemeye alabilirsiniz."
    )


WHICH_TICKET_ANSWER = "Yanıtınızı bekleyen birden fazla talep var. Bu yanıt hangisi için?"


def continuing_with(text: str) -> str:
    return f"Az önce yazdığınız: “{_short(text, 200)}” — bununla devam ediyorum."


_HISTORY_WHO = {
    "question": "Teknisyenin sorusu",
    "answered": "Talep sahibinin yanıtı",
    "resolved": "Çözüm notu",
    "reopened": "Talep sahibinin yeniden açma nedeni",
}


def history_line(when: str, kind: str, note: str, by_requester: bool) -> str:
    """One message of a ticket's conversation as /durum shows it."""
    who = _HISTORY_WHO.get(kind) or ("Talep sahibinin notu" if by_requester else "Teknisyenin notu")
    return f"{when} — {who}: {note}"


def ticket_conversation(head: str, description: str, history: Sequence[str]) -> str:
    lines = [head, f"Açıklama: {description}"]
    if history:
        lines += ["", "Yazışmalar:", *history]
    return "\n".join(lines)


BTN_ADD_NOTE = "Not ekle"


def ask_note(number: str) -> str:
    return f"{number}: teknisyene iletmek istediğiniz notu yazın ya da bir fotoğraf veya dosya gönderin."


def note_sent(number: str) -> str:
    return f"Notunuz {number} numaralı talebe eklendi ve teknisyene iletildi."


# --- Panel (bot/panel: web pages for staff) ------------------------------------------------------------


def panel_link(url: str, minutes: int) -> str:
    return (
        f"Panel giriş bağlantınız ({minutes} dakika geçerli, tek kullanımlık):\n{url}\n"
        "Bağlantıyı kimseyle paylaşmayın."
    )


PANEL_NOT_CONFIGURED = "Panel bu sunucuda henüz açılmadı; Bilgi İşlem sistem yöneticisine başvurun."

# Labels of the pages, looked up by the templates as L.<name>.
PANEL_LABELS = {
    "app": "BİM Talep Paneli",
    "board": "SLA panosu",
    "report": "Rapor",
    "teams": "Ekipler",
    "logout": "Çıkış",
    "skip": "İçeriğe geç",
    "enter": "Panele gir",
    "login_title": "Panele giriş",
    "login_text": "Giriş yapmak için düğmeye basın. Bağlantı tek kullanımlıktır ve 10 dakika geçerlidir.",
    "logged_out": "Oturumunuz kapandı. Yeniden girmek için bottan yeni bir bağlantı isteyin.",
    "how_to_link": (
        "Panele girmek için Telegram'da ya da Teams'te bota /panel yazın; bot size 10 dakika geçerli, "
        "tek kullanımlık bir giriş bağlantısı gönderir. Sunucuda işletmen "
        "`talepbot panel link E-POSTA_YA_DA_TELEFON` komutuyla da bağlantı üretebilir."
    ),
    "no_session_title": "Oturum açık değil",
    "refused_title": "Bu sayfayı görme yetkiniz yok",
    "bad_link": (
        "Bu giriş bağlantısı geçersiz, kullanılmış ya da süresi dolmuş. Bottan yeni bir bağlantı isteyin."
    ),
    "bad_csrf": "Form süresi dolmuş ya da başka bir sayfadan gönderilmiş. Sayfayı yenileyip yeniden deneyin.",
    "not_your_ticket": "Bu talep sizin ekibinize ait değil.",
    "leads_only": "Bu işlemi yalnızca talebin ekibinin lideri ve yöneticiler yapabilir.",
    "report_for": "Raporu ekip liderleri ve yöneticiler görebilir.",
    "not_found": "Böyle bir talep bulunamadı.",
    "filters": "Süzgeçler",
    "team": "Ekip",
    "service": "Hizmet",
    "assignee": "Atanan",
    "status": "Durum",
    "all": "Tümü",
    "apply": "Uygula",
    "number": "Numara",
    "time_left": "Kalan süre",
    "deadline": "Sonraki son tarih",
    "open_count": "açık talep",
    "breached_count": "SLA aşıldı",
    "shown_first": "En acil {shown} talep gösteriliyor.",
    "no_tickets": "Bu süzgeçle açık talep yok.",
    "refreshed": "Son yenileme",
    "response": "ele alma",
    "resolution": "çözüm",
    "urgency_on_track": "zamanında",
    "urgency_warning": "%80 geçti",
    "urgency_breached": "SLA aşıldı",
    "paused": "beklemede",
    "unassigned": "atanmadı",
    "no_team": "ekipsiz",
    "requester": "Talep sahibi",
    "hidden": "gizli (KVKK)",
    "purged": "anonimleştirildi",
    "text": "Açıklama",
    "location": "Konum",
    "contact": "İletişim",
    "channel": "Kanal",
    "opened": "Açılış",
    "response_due": "Ele alma son tarihi",
    "taken": "Üstlenildi",
    "resolution_due": "Çözüm son tarihi",
    "resolved": "Çözüldü",
    "closed": "Kapandı",
    "cancelled": "İptal",
    "satisfaction": "Memnuniyet",
    "resolution_note": "Çözüm notu",
    "paused_total": "Bekleme süresi",
    "attachments": "Ekler",
    "timeline": "Olaylar",
    "when": "Zaman",
    "who": "Kim",
    "what": "Ne",
    "note": "Not",
    "notifications": "Son tarihler ve bildirimler",
    "kind": "Tür",
    "recipient": "Alıcı",
    "due_at": "Zamanı",
    "system": "sistem",
    "reassign": "Yönlendir",
    "reassign_to": "Yeni atanan",
    "add_note": "Not ekle",
    "note_text": "Not metni",
    "details": "Ayrıntılar",
    "done_reassigned": "Talep yönlendirildi; yeni atanan kişiye bildirim gönderilecek.",
    "done_note": "Not eklendi; talep sahibine ve ekibe iletilecek.",
    "period_from": "Başlangıç",
    "period_to": "Bitiş",
    "show": "Göster",
    "csv": "CSV olarak indir",
    "bad_date": "Tarihi GG.AA.YYYY biçiminde girin, ör. 03.12.2026.",
    "per_service": "Hizmet bazında",
    "per_team": "Ekip bazında",
    "total": "Toplam",
    "opened_count": "Açılan",
    "response_met": "Ele alma SLA %",
    "resolution_met": "Çözüm SLA %",
    "median_take": "Ortanca ele alma",
    "median_resolve": "Ortanca çözüm",
    "in_breach_now": "Şu an aşımda",
    "chart_weekly_sla": "Haftalık SLA tutturma oranı (%)",
    "chart_daily": "Günlük açılan talep",
    "chart_top_volume": "En çok talep alan hizmetler",
    "chart_top_breaches": "En çok aşımda olan hizmetler",
    "chart_workload": "Ekiplerin açık iş yükü",
    "chart_satisfaction": "Haftalık ortalama memnuniyet (1–5)",
    "week_of": "Hafta",
    "no_data": "Bu dönemde veri yok.",
    "sla_time_note": (
        "Süreler SLA süresidir (mesai saatli hizmetlerde çalışma süresi); '-': henüz belli değil."
    ),
    "name": "Ad",
    "role": "Görev",
    "on_call": "Nöbetçi",
    "reach": "Ulaşılabilirlik",
    "yes": "evet",
    "no": "hayır",
    "open_tickets": "Açık talepleri",
}

PANEL_ROLES = {
    "technician": "Teknisyen",
    "team_lead": "Ekip lideri",
    "manager": "Yönetici",
    "admin": "Yönetici",
}
PANEL_REACH = {
    "telegram": "Telegram",
    "teams": "Teams",
    "console": "konsol",
    "blocked": "engellendi",
    "no conversation yet": "henüz Teams sohbeti yok",
}
PANEL_CHANNELS = {"telegram": "Telegram", "teams": "Teams", "console": "konsol"}
PANEL_NOTIFICATION_STATUS = {
    "pending": "bekliyor",
    "sent": "gönderildi",
    "skipped": "atlandı",
    "failed": "gönderilemedi",
}
PANEL_EVENTS = {
    "opened": "Talep açıldı",
    "assigned": "Atandı",
    "reassigned": "Yönlendirildi",
    "taken": "Üstlenildi",
    "question": "Talep sahibine soru",
    "answered": "Talep sahibi yanıtladı",
    "resumed": "Çalışma sürdürüldü",
    "resolved": "Çözüldü",
    "confirmed": "Talep sahibi onayladı",
    "auto_closed": "Kendiliğinden kapandı",
    "reopened": "Yeniden açıldı",
    "cancelled": "İptal edildi",
    "rated": "Puanlandı",
    "note": "Not",
    "attachment_added": "Dosya eklendi",
    "delivery_failed": "Bildirim iletilemedi",
    "delivery_rerouted": "Bildirim başka kanaldan gitti",
}


def panel_duration(minutes: float) -> str:
    """'2 g 3 sa', '1 sa 05 dk', '7 dk': a duration in days, hours and minutes, briefly."""
    total = round(abs(minutes))
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} g {hours} sa"
    return f"{hours} sa {mins:02d} dk" if hours else f"{mins} dk"


def panel_time_left(minutes: float) -> str:
    """Time left to a deadline, or how long ago it passed."""
    return f"{panel_duration(minutes)} kaldı" if minutes > 0 else f"{panel_duration(minutes)} önce aşıldı"


_PANEL_STAGES = {"reminder": "Hatırlatma", "breach": "SLA aşımı", "escalation": "Üst yönetime bildirim"}
_PANEL_WINDOWS = {"response": "ele alma", "resolution": "çözüm"}


def panel_notification_kind(kind: str) -> str:
    """'reminder:response:50' → 'Hatırlatma (ele alma, %50)'; an event's ping is named like its event."""
    parts = kind.split(":")
    if len(parts) == 3 and parts[0] in _PANEL_STAGES and parts[1] in _PANEL_WINDOWS:
        return f"{_PANEL_STAGES[parts[0]]} ({_PANEL_WINDOWS[parts[1]]}, %{parts[2]})"
    return PANEL_EVENTS.get(kind, kind)


# --- Hardening (issue 14b): bounded inputs, final ratings, privacy --------------------------------------


def rating_final(number: str) -> str:
    return f"{number} için değerlendirmenizi bir kez değiştirdiniz; son puanınız kaydedildi, artık değişmez."


KVKK_REJECTED_WITH_REQUESTS = (
    "Anlaşıldı; aydınlatma metnini kabul etmeden yeni başvuru alamıyorum. Daha önce açtığınız talepler ve "
    "onlar için verdiğiniz bilgiler, kabul ettiğiniz aydınlatma metnindeki saklama süresi boyunca tutulur, "
    "sonra anonimleştirilir. Fikrinizi değiştirirseniz /start yazın."
)


def notify_unreachable_assignee(number: str, title: str, assignee: str) -> str:
    return (
        f"{number} ({title}) {assignee} adlı teknisyene atandı, ancak kendisine ulaşılamıyor (bildirim "
        "iletilemedi). Lütfen talebi üstlenin veya başka bir teknisyene yönlendirin."
    )
