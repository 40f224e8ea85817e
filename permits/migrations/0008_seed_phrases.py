# ruff: noqa: RUF001  (Ukrainian and Russian texts)
"""Seed the office's phrase catalogue (``permits.phrases``) with the standard texts the demo and
the tests use, each in Czech and the four languages of the portal. Idempotent: a phrase already
present keeps its versions (an edited wording is a newer version, written in the admin).

The texts are written here, not read from a live module: this step of history loads what it
loaded when it was written.
"""

from django.db import migrations

# (code, purpose, document kind code or None, situation, order, {language: text})
MISSING_CS = "Předložte jej prosím ve stanovené lhůtě."
MISSING_EN = "Please submit it within the time limit set."
MISSING_UK = "Будь ласка, подайте його у встановлений строк."
MISSING_VI = "Vui lòng nộp giấy tờ này trong thời hạn quy định."
MISSING_RU = "Пожалуйста, представьте его в установленный срок."


def _missing(
    kind, order, cs, en, uk, vi, ru, *, cs_end=MISSING_CS, uk_end=MISSING_UK, ru_end=MISSING_RU
):
    return (
        f"missing-{kind.replace('_', '-')}",
        "interruption",
        kind,
        "missing",
        order,
        {
            "cs": f"K žádosti chybí {cs}. {cs_end}",
            "en": f"The {en} is missing from the application. {MISSING_EN}",
            "uk": f"До заяви не додано {uk}. {uk_end}",
            "vi": f"Hồ sơ của bạn còn thiếu {vi}. {MISSING_VI}",
            "ru": f"К заявлению не приложен{ru}. {ru_end}",
        },
    )


PHRASES = [
    _missing(
        "travel_document",
        10,
        "platný cestovní doklad",
        "valid travel document",
        "дійсний проїзний документ",
        "giấy tờ đi lại (hộ chiếu) còn hiệu lực",
        " действительный проездной документ",
    ),
    _missing(
        "photograph",
        20,
        "fotografie",
        "photograph",
        "фотографію",
        "ảnh",
        "а фотография",
        cs_end="Předložte ji prosím ve stanovené lhůtě.",
        uk_end="Будь ласка, подайте її у встановлений строк.",
        ru_end="Пожалуйста, представьте её в установленный срок.",
    ),
    _missing(
        "purpose_of_stay",
        30,
        "doklad potvrzující účel pobytu",
        "document confirming the purpose of stay",
        "документ, що підтверджує мету перебування",
        "giấy tờ xác nhận mục đích lưu trú",
        " документ, подтверждающий цель пребывания",
    ),
    _missing(
        "financial_means",
        40,
        "doklad o zajištění prostředků k pobytu",
        "proof of sufficient financial means",
        "документ, що підтверджує наявність коштів для перебування",
        "giấy tờ chứng minh đủ tài chính cho thời gian lưu trú",
        " документ, подтверждающий наличие средств для пребывания",
    ),
    _missing(
        "accommodation",
        50,
        "doklad o zajištění ubytování",
        "proof of accommodation",
        "документ, що підтверджує забезпечення житлом",
        "giấy tờ chứng minh chỗ ở",
        " документ, подтверждающий обеспечение жильём",
    ),
    _missing(
        "criminal_record",
        60,
        "výpis z evidence Rejstříku trestů (nebo čestné prohlášení)",
        "extract from the criminal record (or the affidavit)",
        "витяг з реєстру судимостей (або заяву, що його замінює)",
        "bản trích lục lý lịch tư pháp (hoặc bản cam đoan thay thế)",
        "а выписка из реестра судимостей (или заменяющее её заявление)",
        uk_end=MISSING_UK,
        ru_end="Пожалуйста, представьте её в установленный срок.",
    ),
    _missing(
        "travel_health_insurance",
        70,
        "doklad o cestovním zdravotním pojištění",
        "proof of travel health insurance",
        "документ про медичне страхування на час подорожі",
        "giấy tờ bảo hiểm y tế du lịch",
        " документ о медицинском страховании на время поездки",
    ),
    _missing(
        "employment_contract",
        80,
        "pracovní smlouva nebo smlouva o smlouvě budoucí",
        "employment contract (or future-employment contract)",
        "трудовий договір (або попередній договір про працевлаштування)",
        "hợp đồng lao động (hoặc hợp đồng hứa hẹn lao động)",
        " трудовой договор (или предварительный договор о трудоустройстве)",
        cs_end="Předložte ji prosím ve stanovené lhůtě.",
    ),
    _missing(
        "family_relationship",
        90,
        "doklad prokazující rodinný vztah",
        "proof of the family relationship",
        "документ, що підтверджує родинний зв’язок",
        "giấy tờ chứng minh quan hệ gia đình",
        " документ, подтверждающий родственные отношения",
    ),
    (
        "document-expired",
        "interruption",
        None,
        "expired",
        100,
        {
            "cs": "Vámi předložený doklad již pozbyl platnosti. Předložte prosím doklad platný.",
            "en": "The document you submitted is no longer valid. Please submit a valid one.",
            "uk": "Поданий Вами документ уже недійсний. Будь ласка, подайте дійсний документ.",
            "vi": "Giấy tờ bạn đã nộp đã hết hiệu lực. Vui lòng nộp giấy tờ còn hiệu lực.",
            "ru": "Представленный Вами документ уже недействителен. Пожалуйста, представьте "
            "действительный документ.",
        },
    ),
    (
        "document-illegible",
        "interruption",
        None,
        "illegible",
        110,
        {
            "cs": "Vámi předložená kopie dokladu je nečitelná nebo neúplná. Předložte prosím "
            "čitelnou kopii všech stran dokladu.",
            "en": "The copy of the document you submitted is illegible or incomplete. Please "
            "submit a legible copy of all its pages.",
            "uk": "Подана Вами копія документа нерозбірлива або неповна. Будь ласка, подайте "
            "розбірливу копію всіх сторінок документа.",
            "vi": "Bản sao giấy tờ bạn đã nộp không đọc được hoặc không đầy đủ. Vui lòng nộp "
            "bản sao rõ ràng của tất cả các trang.",
            "ru": "Представленная Вами копия документа неразборчива или неполна. Пожалуйста, "
            "представьте разборчивую копию всех страниц документа.",
        },
    ),
    (
        "translation-missing",
        "interruption",
        None,
        "translation_missing",
        120,
        {
            "cs": "K dokladu v cizím jazyce chybí úřední překlad do češtiny. Předložte prosím "
            "úředně ověřený překlad.",
            "en": "The document in a foreign language lacks an official translation into Czech. "
            "Please submit a certified translation.",
            "uk": "До документа іноземною мовою не додано офіційного перекладу чеською мовою. "
            "Будь ласка, подайте засвідчений переклад.",
            "vi": "Giấy tờ bằng tiếng nước ngoài còn thiếu bản dịch chính thức sang tiếng Séc. "
            "Vui lòng nộp bản dịch có chứng thực.",
            "ru": "К документу на иностранном языке не приложен официальный перевод на чешский "
            "язык. Пожалуйста, представьте заверенный перевод.",
        },
    ),
    (
        "document-not-matching",
        "interruption",
        None,
        "not_matching",
        130,
        {
            "cs": "Údaje v předloženém dokladu neodpovídají údajům uvedeným v žádosti. Předložte "
            "prosím doklad se shodnými údaji nebo rozdíl vysvětlete.",
            "en": "The details in the document you submitted do not match those given in the "
            "application. Please submit a document with matching details or explain the "
            "difference.",
            "uk": "Дані в поданому Вами документі не відповідають даним, зазначеним у заяві. "
            "Будь ласка, подайте документ з відповідними даними або поясніть розбіжність.",
            "vi": "Thông tin trong giấy tờ bạn đã nộp không khớp với thông tin trong đơn. Vui "
            "lòng nộp giấy tờ có thông tin trùng khớp hoặc giải thích sự khác biệt.",
            "ru": "Данные в представленном Вами документе не соответствуют данным, указанным в "
            "заявлении. Пожалуйста, представьте документ с соответствующими данными или "
            "объясните расхождение.",
        },
    ),
    (
        "rejection-financial-means",
        "rejection",
        None,
        "",
        10,
        {
            "cs": "Žadatel nedoložil dostatečné prostředky k pobytu na území; podmínky pro vydání "
            "povolení nejsou splněny.",
            "en": "The applicant did not prove sufficient financial means for the stay in the "
            "territory; the conditions for issuing the permit are not met.",
            "uk": "Заявник не підтвердив наявність достатніх коштів для перебування на "
            "території; умови для видачі дозволу не виконано.",
            "vi": "Người nộp đơn đã không chứng minh được có đủ tài chính cho thời gian lưu trú "
            "trên lãnh thổ; các điều kiện để cấp giấy phép không được đáp ứng.",
            "ru": "Заявитель не подтвердил наличие достаточных средств для пребывания на "
            "территории; условия для выдачи разрешения не выполнены.",
        },
    ),
    (
        "rejection-accommodation",
        "rejection",
        None,
        "",
        20,
        {
            "cs": "Žadatel nedoložil zajištění ubytování po dobu pobytu na území; podmínky pro "
            "vydání povolení nejsou splněny.",
            "en": "The applicant did not prove accommodation for the duration of the stay in the "
            "territory; the conditions for issuing the permit are not met.",
            "uk": "Заявник не підтвердив забезпечення житлом на час перебування на території; "
            "умови для видачі дозволу не виконано.",
            "vi": "Người nộp đơn đã không chứng minh được chỗ ở trong thời gian lưu trú trên "
            "lãnh thổ; các điều kiện để cấp giấy phép không được đáp ứng.",
            "ru": "Заявитель не подтвердил обеспечение жильём на время пребывания на "
            "территории; условия для выдачи разрешения не выполнены.",
        },
    ),
    (
        "rejection-purpose-of-stay",
        "rejection",
        None,
        "",
        30,
        {
            "cs": "Žadatel neprokázal účel pobytu, pro který o povolení žádá; podmínky pro vydání "
            "povolení nejsou splněny.",
            "en": "The applicant did not prove the purpose of stay for which the permit is "
            "sought; the conditions for issuing the permit are not met.",
            "uk": "Заявник не підтвердив мету перебування, для якої просить про дозвіл; умови "
            "для видачі дозволу не виконано.",
            "vi": "Người nộp đơn đã không chứng minh được mục đích lưu trú mà giấy phép được "
            "xin cấp; các điều kiện để cấp giấy phép không được đáp ứng.",
            "ru": "Заявитель не подтвердил цель пребывания, для которой запрашивает разрешение; "
            "условия для выдачи разрешения не выполнены.",
        },
    ),
    # Administrative Procedure Code (Act No. 500/2004 Coll.), § 66(1)(c), outside the seeds.
    (
        "stop-documents-not-supplied",
        "stop",
        None,
        "",
        10,
        {
            "cs": "Řízení se zastavuje podle § 66 odst. 1 písm. c) zákona č. 500/2004 Sb., "
            "správní řád, protože žadatel ve lhůtě stanovené v usnesení o přerušení řízení "
            "neodstranil podstatné vady žádosti: nepředložil požadované doklady.",
            "en": "The proceedings are stopped under § 66(1)(c) of Act No. 500/2004 Coll., the "
            "Administrative Procedure Code, because the applicant did not remedy the "
            "substantial defects of the application within the time limit set in the "
            "resolution interrupting the proceedings: the requested documents were not supplied.",
            "uk": "Провадження припиняється відповідно до § 66 ч. 1 п. c) Закону № 500/2004 Зб., "
            "Адміністративно-процесуального кодексу, оскільки заявник у строк, встановлений в "
            "ухвалі про зупинення провадження, не усунув суттєвих недоліків заяви: запитані "
            "документи не подано.",
            "vi": "Thủ tục được đình chỉ theo § 66 khoản 1 điểm c) Luật số 500/2004 Sb., Bộ luật "
            "Thủ tục Hành chính, vì người nộp đơn đã không khắc phục các thiếu sót cơ bản của "
            "đơn trong thời hạn ấn định tại quyết định tạm dừng thủ tục: các giấy tờ được yêu "
            "cầu đã không được nộp.",
            "ru": "Производство прекращается на основании § 66 ч. 1 п. c) Закона № 500/2004 Сб., "
            "Административно-процессуального кодекса, поскольку заявитель в срок, "
            "установленный в постановлении о приостановлении производства, не устранил "
            "существенные недостатки заявления: запрошенные документы не представлены.",
        },
    ),
    # After a grant: biometrics, then the card within 60 days [002][003].
    (
        "grant-biometrics",
        "grant_next_steps",
        None,
        "",
        10,
        {
            "cs": "Dostavte se prosím na pracoviště odboru k pořízení biometrických údajů; "
            "termín si můžete rezervovat v portálu.",
            "en": "Please come to the office to have your biometric data taken; you can book "
            "an appointment in the portal.",
            "uk": "Будь ласка, прийдіть до відділу для зняття біометричних даних; записатися "
            "на прийом Ви можете на порталі.",
            "vi": "Vui lòng đến văn phòng để lấy dữ liệu sinh trắc học; bạn có thể đặt lịch hẹn "
            "trên cổng thông tin.",
            "ru": "Пожалуйста, явитесь в отдел для снятия биометрических данных; записаться на "
            "приём Вы можете на портале.",
        },
    ),
    (
        "grant-card-pickup",
        "grant_next_steps",
        None,
        "",
        20,
        {
            "cs": "Průkaz o povolení k pobytu si prosím převezměte do 60 dnů ode dne pořízení "
            "biometrických údajů.",
            "en": "Please collect your residence card within 60 days of the day your biometric "
            "data were taken.",
            "uk": "Будь ласка, отримайте посвідку на проживання протягом 60 днів з дня зняття "
            "біометричних даних.",
            "vi": "Vui lòng nhận thẻ cư trú của bạn trong vòng 60 ngày kể từ ngày lấy dữ liệu "
            "sinh trắc học.",
            "ru": "Пожалуйста, получите карту вида на жительство в течение 60 дней со дня "
            "снятия биометрических данных.",
        },
    ),
]


def seed_phrases(apps, schema_editor):
    DocumentKind = apps.get_model("permits", "DocumentKind")
    Phrase = apps.get_model("permits", "Phrase")
    PhraseVersion = apps.get_model("permits", "PhraseVersion")
    kinds = {kind.code: kind for kind in DocumentKind.objects.all()}
    for code, purpose, kind_code, situation, order, texts in PHRASES:
        if kind_code is not None and kind_code not in kinds:
            continue  # a catalogue without that document kind
        phrase, _created = Phrase.objects.get_or_create(
            code=code,
            defaults={
                "purpose": purpose,
                "document_kind": kinds.get(kind_code) if kind_code else None,
                "situation": situation,
                "sort_order": order,
            },
        )
        if not PhraseVersion.objects.filter(phrase=phrase).exists():
            PhraseVersion.objects.create(
                phrase=phrase, number=1, **{f"text_{lang}": text for lang, text in texts.items()}
            )


def unseed_phrases(apps, schema_editor):
    codes = [row[0] for row in PHRASES]
    apps.get_model("permits", "PhraseVersion").objects.filter(phrase__code__in=codes).delete()
    apps.get_model("permits", "Phrase").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("permits", "0007_phrase_catalogue")]

    operations = [migrations.RunPython(seed_phrases, unseed_phrases)]
