"""The permit catalogue of the residence-permit office: document kinds and permit types.

Pure data, no Django imports. A data migration loads ``DOCUMENT_KINDS`` and ``PERMIT_TYPES``
into ``permits.DocumentKind`` / ``permits.PermitType`` rows (SPEC section 4); after that the
rows are owned by the admin, where staff may correct periods, fees, texts and requirements.
This module is therefore the *initial* catalogue, not a live configuration: editing it after
the migration has run changes nothing in an existing database.

The facts come from the public source pages listed in ``docs/sources.md`` (the section numbers
in ``legal_basis`` partly excepted, see the comment there), cited as:

* [000] the digital residence-permit system (online filing, support centres, languages);
* [001] the amendment in force from 1 July 2023 (Employee Card vacancy number, Blue Card,
  family reunification, permanent-residence exclusions, fees);
* [002] permanent residence: 5-year condition and waivers, 60/180-day decision periods,
  in-person filing, appeal within 15 days;
* [003] third-country nationals: long-term visa documents, re-assessment in 60 days,
  long-term residence, changes of purpose, 270-day family reunification, permanent
  residence (A2 Czech), citizenship;
* [004] the stay types under Act No. 326/1999 Coll. and the long-term visa document list.

Conventions:

* Texts are dictionaries keyed by ``LANGUAGES``; Czech is the language of record.
* ``decision_period_days`` applies to applications filed in the Czech Republic and
  ``decision_period_days_abroad`` to applications filed at an embassy: 60 and 180 days
  [002] unless a source says otherwise (family reunification 270 days [003], re-assessment
  of a visa refusal 60 days [003]).
* ``max_validity_months`` is the longest validity a grant may have, in months from its first
  day: from the sources where they state it (visas one year, some six months [004]; the Blue
  Card 3 years, extensions too [001]), otherwise from Act No. 326/1999 Coll., the section cited
  at the type and marked "outside the seeds". Every type this office decides has one, except
  permanent residence, which has no end date (``None``). ``permits.validity`` applies it.
* ``fee_czk`` is ``None`` where the sources give no figure.
* ``requirements`` pairs a document-kind code with one of ``CONDITIONS``.
* ``can_file_online`` is True for the types filed with the Ministry in the Czech Republic:
  "Applicants can now submit and track applications online" [000]. Another page still says
  long-term and permanent residence applications are submitted in person [003]; what stays in
  person in any case is handing in the travel document [002], biometrics and card pickup [003].
  Applications at an embassy are always made in person [002][003].

Run ``validate_catalogue()`` after any edit; it must return an empty list.
"""

# ruff: noqa: RUF001
# The Ukrainian and Russian texts contain one-letter Cyrillic words (the conjunction "and", the
# prepositions "with", "about", "in") that ruff would report as look-alikes of Latin letters.

from typing import Final

LANGUAGES: Final = ("cs", "en", "uk", "vi", "ru")

# Requirement conditions (who must bring the document):
#   always     every applicant;
#   minor      applicant under 18;
#   business   the purpose of stay is business;
#   abroad     the application is filed at an embassy;
#   rule       required unless a rule of the rules engine waives it (applications.checks treats
#              it as required until then; see the comment at each use);
#   on_request the office may ask for it, e.g. "An extract from the criminal records and
#              additional documents may also be requested." [003]
CONDITIONS: Final = ("always", "minor", "business", "abroad", "rule", "on_request")

PURPOSES: Final = (
    "visa",
    "work",
    "study",
    "family",
    "research",
    "investment",
    "protection",
    "permanent",
    "administrative",
    "outside",
)

ACT: Final = "zákon č. 326/1999 Sb., o pobytu cizinců na území České republiky"
_OF_ACT: Final = "zákona č. 326/1999 Sb., o pobytu cizinců na území České republiky"

# Legal basis. Section numbers named by the sources themselves: § 42a odst. 1 [001], § 42c [004],
# § 64 [004], § 66 odst. 1 písm. d) [001]. The others (§ 30, § 33, § 42, § 42d, § 42e, § 42f,
# § 42g, § 42i, § 42j, § 42k, § 44, § 44a, § 45, § 68, § 180e, and Act No. 186/2013 Coll. on
# citizenship) are taken from the Acts themselves, not from the sources; where we were not sure of
# the section, only the Act is named. A lawyer should review these strings in the admin.

# Shared sentence for documents that must be originals or certified copies:
# "Always submit original documents or certified copies. All documents, with the exception of the
# passport, must be translated into Czech. Foreign public documents are subject to higher
# authentication." [003]; "(Apostille, superlegalisation)" [002]
_ORIGINALS: Final = {
    "cs": "Předkládá se originál nebo úředně ověřená kopie s úředním překladem do češtiny; "
    "zahraniční veřejné listiny musí mít vyšší ověření (apostila nebo superlegalizace).",
    "en": "Submit the original or a certified copy with an official translation into Czech; "
    "foreign public documents need higher authentication (apostille or superlegalisation).",
    "uk": "Подається оригінал або засвідчена копія з офіційним перекладом чеською мовою; "
    "іноземні офіційні документи потребують вищого засвідчення (апостиль або консульська "
    "легалізація).",
    "vi": "Nộp bản gốc hoặc bản sao có chứng thực kèm bản dịch chính thức sang tiếng Séc; "
    "giấy tờ công của nước ngoài phải được chứng thực cấp cao hơn (apostille hoặc hợp pháp "
    "hóa lãnh sự).",
    "ru": "Подаётся оригинал или заверенная копия с официальным переводом на чешский язык; "
    "иностранные официальные документы требуют дополнительного удостоверения (апостиль или "
    "консульская легализация).",
}


def _with_originals(text: dict[str, str]) -> dict[str, str]:
    """Append the originals/translation/authentication sentence to a description."""
    return {lang: f"{text[lang]} {_ORIGINALS[lang]}" for lang in LANGUAGES}


DOCUMENT_KINDS: Final[list[dict]] = [
    # "Travel document" [004]; "with the exception of the passport, must be translated into
    # Czech" [003]; "Remember that travel documents must be submitted in person." [002]
    {
        "code": "travel_document",
        "name": {
            "cs": "Cestovní doklad",
            "en": "Travel document",
            "uk": "Проїзний документ",
            "vi": "Giấy tờ đi lại (hộ chiếu)",
            "ru": "Проездной документ",
        },
        "description": {
            "cs": "Platný cestovní pas nebo jiný cestovní doklad. Jako jediný doklad se nepřekládá "
            "do češtiny a musí se předložit osobně, nikoli poštou ani prostřednictvím zmocněnce.",
            "en": "A valid passport or other travel document. It is the only document that need "
            "not be translated into Czech, and it must be submitted in person, not by post or "
            "through a proxy.",
            "uk": "Дійсний закордонний паспорт або інший проїзний документ. Це єдиний документ, "
            "який не потрібно перекладати чеською мовою; його необхідно подати особисто, а не "
            "поштою чи через представника.",
            "vi": "Hộ chiếu còn hiệu lực hoặc giấy tờ đi lại khác. Đây là giấy tờ duy nhất không "
            "cần dịch sang tiếng Séc; giấy tờ này phải được nộp trực tiếp, không gửi qua bưu điện "
            "hay qua người được ủy quyền.",
            "ru": "Действительный заграничный паспорт или иной проездной документ. Это "
            "единственный документ, который не нужно переводить на чешский язык; его необходимо "
            "подать лично, а не по почте или через представителя.",
        },
        "source": "[004]",
    },
    # "one photograph (unless photographs are taken at the office)" [003]
    {
        "code": "photograph",
        "name": {
            "cs": "Fotografie",
            "en": "Photograph",
            "uk": "Фотографія",
            "vi": "Ảnh",
            "ru": "Фотография",
        },
        "description": {
            "cs": "Jedna fotografie žadatele, pokud se fotografie nepořizuje přímo na pracovišti.",
            "en": "One photograph of the applicant, unless the photograph is taken at the office.",
            "uk": "Одна фотографія заявника, якщо фотографування не проводиться безпосередньо "
            "у відомстві.",
            "vi": "Một ảnh của người nộp đơn, trừ khi ảnh được chụp ngay tại cơ quan.",
            "ru": "Одна фотография заявителя, если фотографирование не проводится "
            "непосредственно в ведомстве.",
        },
        "source": "[003]",
    },
    # "a document confirming the purpose of your stay in the Czech Republic (such as confirmation
    # of studies, a trade licence, or an invitation)"; "it is issued only for the period for which
    # you can demonstrate the purpose of your stay" [003]
    {
        "code": "purpose_of_stay",
        "name": {
            "cs": "Doklad potvrzující účel pobytu",
            "en": "Document confirming the purpose of stay",
            "uk": "Документ, що підтверджує мету перебування",
            "vi": "Giấy tờ xác nhận mục đích lưu trú",
            "ru": "Документ, подтверждающий цель пребывания",
        },
        "description": _with_originals(
            {
                "cs": "Doklad prokazující účel pobytu, např. potvrzení o studiu, živnostenské "
                "oprávnění nebo pozvání; vízum či povolení se vydá jen na dobu, po kterou je účel "
                "pobytu doložen.",
                "en": "A document proving the purpose of stay, e.g. a confirmation of studies, "
                "a trade licence or an invitation; the visa or permit is issued only for the "
                "period for which the purpose is proven.",
                "uk": "Документ, що підтверджує мету перебування, наприклад довідка про "
                "навчання, ліцензія на підприємницьку діяльність або запрошення; віза чи дозвіл "
                "видається лише на строк, на який підтверджено мету перебування.",
                "vi": "Giấy tờ chứng minh mục đích lưu trú, ví dụ xác nhận học tập, giấy phép "
                "kinh doanh hoặc thư mời; thị thực hoặc giấy phép chỉ được cấp cho khoảng thời "
                "gian mà mục đích lưu trú được chứng minh.",
                "ru": "Документ, подтверждающий цель пребывания, например справка об обучении, "
                "лицензия на предпринимательскую деятельность или приглашение; виза или "
                "разрешение выдаётся только на срок, на который подтверждена цель пребывания.",
            }
        ),
        "source": "[003]",
    },
    # "Proof of sufficient financial means" [004]; "proof of sufficient financial means for your
    # stay" [003]
    {
        "code": "financial_means",
        "name": {
            "cs": "Doklad o zajištění prostředků k pobytu",
            "en": "Proof of sufficient financial means",
            "uk": "Підтвердження достатніх фінансових засобів",
            "vi": "Giấy tờ chứng minh đủ khả năng tài chính",
            "ru": "Подтверждение достаточных финансовых средств",
        },
        "description": _with_originals(
            {
                "cs": "Doklad o zajištění dostatečných finančních prostředků k pobytu na území "
                "České republiky.",
                "en": "Proof of sufficient financial means for the stay in the Czech Republic.",
                "uk": "Підтвердження наявності достатніх фінансових засобів для перебування "
                "в Чеській Республіці.",
                "vi": "Giấy tờ chứng minh có đủ tài chính cho thời gian lưu trú tại Cộng hòa Séc.",
                "ru": "Подтверждение наличия достаточных финансовых средств для пребывания "
                "в Чешской Республике.",
            }
        ),
        "source": "[004]",
    },
    # "it must concern a property designated for living, accommodation, or recreation, and the
    # consent of the owner or user of the premises must be officially certified." [004]
    {
        "code": "accommodation",
        "name": {
            "cs": "Doklad o zajištění ubytování",
            "en": "Proof of accommodation",
            "uk": "Підтвердження забезпечення житлом",
            "vi": "Giấy tờ chứng minh chỗ ở",
            "ru": "Подтверждение обеспечения жильём",
        },
        "description": _with_originals(
            {
                "cs": "Doklad o ubytování na území České republiky v objektu určeném k bydlení, "
                "ubytování nebo rekreaci. Není-li žadatel vlastníkem, přikládá se souhlas "
                "vlastníka nebo uživatele objektu s úředně ověřeným podpisem.",
                "en": "Proof of accommodation in the Czech Republic in a property designated for "
                "living, accommodation or recreation. If the applicant is not the owner, the "
                "consent of the owner or user of the premises must be officially certified.",
                "uk": "Підтвердження проживання в Чеській Республіці в об'єкті, призначеному для "
                "житла, розміщення або відпочинку. Якщо заявник не є власником, додається згода "
                "власника або користувача приміщення з офіційно засвідченим підписом.",
                "vi": "Giấy tờ chứng minh chỗ ở tại Cộng hòa Séc trong một bất động sản dùng để "
                "ở, lưu trú hoặc nghỉ dưỡng. Nếu người nộp đơn không phải là chủ sở hữu, cần có "
                "giấy đồng ý của chủ sở hữu hoặc người sử dụng nơi ở với chữ ký được chứng thực.",
                "ru": "Подтверждение проживания в Чешской Республике в объекте, предназначенном "
                "для жилья, размещения или отдыха. Если заявитель не является собственником, "
                "прилагается согласие собственника или пользователя помещения с официально "
                "заверенной подписью.",
            }
        ),
        "source": "[004]",
    },
    # "Extract from the criminal record (or an affidavit, if the respective state does not issue
    # such a document)" [004]; "a document equivalent to an Extract from the Criminal Record of
    # the Czech Republic, issued by a country where s/he has been living during the previous 3
    # years, for a period totalling at least 6 months" [001]
    {
        "code": "criminal_record",
        "name": {
            "cs": "Výpis z evidence Rejstříku trestů (nebo čestné prohlášení)",
            "en": "Extract from the criminal record (or affidavit)",
            "uk": "Витяг з реєстру судимостей (або заява під присягою)",
            "vi": "Bản trích lục lý lịch tư pháp (hoặc bản tuyên thệ)",
            "ru": "Выписка из реестра судимостей (или заявление под присягой)",
        },
        "description": _with_originals(
            {
                "cs": "Doklad obdobný výpisu z evidence Rejstříku trestů vydaný státy, v nichž "
                "žadatel v posledních 3 letech pobýval v souhrnu alespoň 6 měsíců. Pokud stát "
                "takový doklad nevydává, lze předložit čestné prohlášení.",
                "en": "A document equivalent to an extract from the Czech criminal record, "
                "issued by each state where the applicant lived for a total of at least 6 months "
                "in the previous 3 years. If a state does not issue such a document, an affidavit "
                "is accepted.",
                "uk": "Документ, рівнозначний витягу з реєстру судимостей Чеської Республіки, "
                "виданий кожною державою, у якій заявник протягом останніх 3 років проживав "
                "загалом щонайменше 6 місяців. Якщо держава такого документа не видає, "
                "приймається заява під присягою.",
                "vi": "Giấy tờ tương đương bản trích lục lý lịch tư pháp của Cộng hòa Séc, do "
                "từng quốc gia nơi người nộp đơn đã sống tổng cộng ít nhất 6 tháng trong 3 năm "
                "gần nhất cấp. Nếu quốc gia đó không cấp loại giấy tờ này, có thể nộp bản tuyên "
                "thệ.",
                "ru": "Документ, равнозначный выписке из реестра судимостей Чешской Республики, "
                "выданный каждым государством, в котором заявитель за последние 3 года проживал "
                "в общей сложности не менее 6 месяцев. Если государство такой документ не "
                "выдаёт, принимается заявление под присягой.",
            }
        ),
        "source": "[004]",
    },
    # "documents confirming medical fitness, compliance with measures for the prevention of
    # infectious diseases" [004]
    {
        "code": "medical_report",
        "name": {
            "cs": "Lékařská zpráva",
            "en": "Medical report",
            "uk": "Медичний висновок",
            "vi": "Giấy chứng nhận sức khỏe",
            "ru": "Медицинское заключение",
        },
        "description": _with_originals(
            {
                "cs": "Doklad potvrzující zdravotní způsobilost žadatele a splnění opatření "
                "k předcházení šíření infekčních nemocí.",
                "en": "A document confirming the applicant's medical fitness and compliance with "
                "measures for the prevention of infectious diseases.",
                "uk": "Документ, що підтверджує стан здоров'я заявника та виконання заходів "
                "із запобігання інфекційним захворюванням.",
                "vi": "Giấy tờ xác nhận tình trạng sức khỏe phù hợp của người nộp đơn và việc "
                "tuân thủ các biện pháp phòng ngừa bệnh truyền nhiễm.",
                "ru": "Документ, подтверждающий состояние здоровья заявителя и соблюдение мер "
                "по профилактике инфекционных заболеваний.",
            }
        ),
        "source": "[004]",
    },
    # "prior to the issuance of the visa, proof of travel health insurance and confirmation of
    # payment of the insurance premium" [004]; "If your visa is granted ... You must then provide
    # proof of travel health insurance." [003]
    {
        "code": "travel_health_insurance",
        "name": {
            "cs": "Doklad o cestovním zdravotním pojištění",
            "en": "Travel health insurance",
            "uk": "Поліс медичного страхування на час подорожі",
            "vi": "Bảo hiểm y tế du lịch",
            "ru": "Полис медицинского страхования на время поездки",
        },
        "description": _with_originals(
            {
                "cs": "Doklad o cestovním zdravotním pojištění spolu s potvrzením o zaplacení "
                "pojistného. U dlouhodobého víza se předkládá až poté, co je žádosti vyhověno, "
                "před vydáním víza.",
                "en": "Proof of travel health insurance together with confirmation that the "
                "premium has been paid. For a long-term visa it is submitted only after the "
                "application has been granted, before the visa is issued.",
                "uk": "Підтвердження медичного страхування на час подорожі разом із "
                "підтвердженням сплати страхового внеску. Для довгострокової візи подається "
                "лише після позитивного рішення, перед видачею візи.",
                "vi": "Giấy tờ chứng minh bảo hiểm y tế du lịch kèm xác nhận đã đóng phí bảo "
                "hiểm. Đối với thị thực dài hạn, giấy tờ này chỉ nộp sau khi hồ sơ được chấp "
                "thuận, trước khi cấp thị thực.",
                "ru": "Подтверждение медицинского страхования на время поездки вместе "
                "с подтверждением оплаты страховой премии. Для долгосрочной визы подаётся "
                "только после положительного решения, перед выдачей визы.",
            }
        ),
        "source": "[004]",
    },
    # "Parental consent in the case of minor applicants" [004]; "A legal representative files the
    # application on behalf of a foreign national under 15 years." [002]
    {
        "code": "parental_consent",
        "name": {
            "cs": "Souhlas zákonného zástupce nezletilého žadatele",
            "en": "Parental consent (minor applicant)",
            "uk": "Згода батьків (для неповнолітнього заявника)",
            "vi": "Giấy đồng ý của cha mẹ (người nộp đơn chưa thành niên)",
            "ru": "Согласие родителей (для несовершеннолетнего заявителя)",
        },
        "description": _with_originals(
            {
                "cs": "U žadatelů mladších 18 let souhlas rodičů nebo jiného zákonného zástupce. "
                "Za žadatele mladšího 15 let podává žádost jeho zákonný zástupce.",
                "en": "For applicants under 18, the consent of the parents or another legal "
                "representative. For applicants under 15 the legal representative files the "
                "application on their behalf.",
                "uk": "Для заявників, молодших 18 років, — згода батьків або іншого законного "
                "представника. За заявника, молодшого 15 років, заяву подає його законний "
                "представник.",
                "vi": "Đối với người nộp đơn dưới 18 tuổi, cần có sự đồng ý của cha mẹ hoặc "
                "người đại diện hợp pháp khác. Với người dưới 15 tuổi, người đại diện hợp pháp "
                "nộp đơn thay cho họ.",
                "ru": "Для заявителей младше 18 лет — согласие родителей или иного законного "
                "представителя. За заявителя младше 15 лет заявление подаёт его законный "
                "представитель.",
            }
        ),
        "source": "[004]",
    },
    # "In the case of business activity, also a document confirming registration in the relevant
    # register or record" [004]
    {
        "code": "business_registration",
        "name": {
            "cs": "Doklad o zápisu do příslušného rejstříku nebo evidence",
            "en": "Business registration",
            "uk": "Підтвердження реєстрації підприємницької діяльності",
            "vi": "Giấy xác nhận đăng ký kinh doanh",
            "ru": "Подтверждение регистрации предпринимательской деятельности",
        },
        "description": _with_originals(
            {
                "cs": "Při pobytu za účelem podnikání doklad o zápisu do příslušného rejstříku "
                "nebo evidence, např. živnostenského nebo obchodního rejstříku.",
                "en": "If the purpose of stay is business, a document confirming registration in "
                "the relevant register or record, e.g. the Trade Register (živnostenský "
                "rejstřík) or the Commercial Register (obchodní rejstřík).",
                "uk": "Якщо метою перебування є підприємницька діяльність, — документ, що "
                "підтверджує реєстрацію у відповідному реєстрі або обліку, наприклад у реєстрі "
                "індивідуальних підприємців (živnostenský rejstřík) чи торговому реєстрі "
                "(obchodní rejstřík).",
                "vi": "Nếu mục đích lưu trú là kinh doanh, cần giấy tờ xác nhận đã đăng ký vào "
                "sổ đăng ký hoặc hồ sơ quản lý tương ứng, ví dụ sổ đăng ký kinh doanh cá thể "
                "(živnostenský rejstřík) hoặc sổ đăng ký thương mại (obchodní rejstřík).",
                "ru": "Если целью пребывания является предпринимательская деятельность, — "
                "документ, подтверждающий регистрацию в соответствующем реестре или учёте, "
                "например в реестре индивидуальных предпринимателей (živnostenský rejstřík) "
                "или торговом реестре (obchodní rejstřík).",
            }
        ),
        "source": "[004]",
    },
    # Employee Card: "an employment contract, an agreement on work activity, or a contract for a
    # future employment agreement, provided that the salary is not lower than the statutory
    # minimum wage and the working time is at least 15 hours per week" [004]. Blue Card:
    # "Pre-Employment Contract ... A Work Agreement ... an entry into a 6-months period of
    # employment will be sufficient." [001]
    {
        "code": "employment_contract",
        "name": {
            "cs": "Pracovní smlouva nebo smlouva o smlouvě budoucí",
            "en": "Employment contract or future-employment contract",
            "uk": "Трудовий договір або договір про укладення трудового договору в майбутньому",
            "vi": "Hợp đồng lao động hoặc hợp đồng hứa hẹn giao kết hợp đồng lao động",
            "ru": "Трудовой договор или договор о заключении трудового договора в будущем",
        },
        "description": _with_originals(
            {
                "cs": "Pracovní smlouva, dohoda o pracovní činnosti nebo smlouva o smlouvě "
                "budoucí. U zaměstnanecké karty musí mzda dosahovat alespoň minimální mzdy "
                "a týdenní pracovní doba činit nejméně 15 hodin; u modré karty musí být "
                "zaměstnání sjednáno nejméně na 6 měsíců.",
                "en": "An employment contract, an agreement on work activity or a contract on "
                "a future employment contract. For an Employee Card the salary must be at least "
                "the minimum wage and the working time at least 15 hours a week; for a Blue Card "
                "the employment must be agreed for at least 6 months.",
                "uk": "Трудовий договір, угода про трудову діяльність або договір про укладення "
                "трудового договору в майбутньому. Для картки працівника заробітна плата має "
                "бути не нижчою за мінімальну, а робочий час — не менше 15 годин на тиждень; "
                "для блакитної картки працевлаштування має бути погоджене щонайменше на "
                "6 місяців.",
                "vi": "Hợp đồng lao động, thỏa thuận thực hiện công việc hoặc hợp đồng hứa hẹn "
                "giao kết hợp đồng lao động. Đối với thẻ lao động, mức lương không được thấp "
                "hơn mức lương tối thiểu và thời gian làm việc ít nhất 15 giờ mỗi tuần; đối với "
                "thẻ xanh EU, thời hạn lao động phải ít nhất 6 tháng.",
                "ru": "Трудовой договор, соглашение о трудовой деятельности или договор "
                "о заключении трудового договора в будущем. Для карты работника зарплата должна "
                "быть не ниже минимальной, а рабочее время — не менее 15 часов в неделю; для "
                "голубой карты трудоустройство должно быть оговорено не менее чем на 6 месяцев.",
            }
        ),
        "source": "[004]",
    },
    # "a document giving the designated number of the accessible working position, from the
    # Central Register of Available Vacancies ... a printout provided directly from the Central
    # Register ... It must relate to the actual vacancy ... It is not necessary to submit such a
    # document, if the designated number of the available vacancy is stated directly in your
    # application" [001]
    {
        "code": "vacancy_number",
        "name": {
            "cs": "Číslo volného pracovního místa z centrální evidence volných pracovních míst",
            "en": "Vacancy number from the Central Register of Available Vacancies",
            "uk": "Номер вакансії з Центрального реєстру вакансій",
            "vi": "Mã số vị trí việc làm trống trong Sổ đăng ký trung ương",
            "ru": "Номер вакансии из Центрального реестра вакансий",
        },
        "description": {
            "cs": "Doklad s evidenčním číslem volného pracovního místa z centrální evidence "
            "volných pracovních míst obsaditelných držiteli zaměstnanecké karty, např. výpis přímo "
            "z této evidence; musí se týkat místa, o které se žadatel uchází. Doklad není třeba "
            "předkládat, je-li číslo místa uvedeno přímo v žádosti.",
            "en": "A document giving the number of the vacancy in the Central Register of "
            "Available Vacancies open to Employee Card holders, e.g. a printout from the register; "
            "it must relate to the actual job applied for. No document is needed if the number "
            "is stated directly in the application form.",
            "uk": "Документ із номером вакансії з Центрального реєстру вакансій, доступних для "
            "власників картки працівника, наприклад роздруківка безпосередньо з реєстру; він має "
            "стосуватися саме тієї посади, на яку подається заява. Документ не потрібен, якщо "
            "номер вакансії зазначено безпосередньо в заяві.",
            "vi": "Giấy tờ ghi mã số vị trí việc làm trống trong Sổ đăng ký trung ương các vị trí "
            "việc làm dành cho người có thẻ lao động, ví dụ bản in trực tiếp từ sổ đăng ký; giấy "
            "tờ phải liên quan đến đúng vị trí đang xin. Không cần nộp giấy tờ này nếu mã số đã "
            "được ghi trực tiếp trong đơn.",
            "ru": "Документ с номером вакансии из Центрального реестра вакансий, доступных для "
            "владельцев карты работника, например распечатка непосредственно из реестра; он "
            "должен относиться именно к той должности, на которую подаётся заявление. Документ не "
            "нужен, если номер вакансии указан непосредственно в заявлении.",
        },
        "source": "[001]",
    },
    # "employed in a position requiring high qualifications" [004]; "If s/he proves that, before
    # filing the application, s/he had been working on the basis of a Blue Card in the previous
    # 2 years, s/he does not have to submit evidence of a university-level qualification." [001]
    {
        "code": "university_qualification",
        "name": {
            "cs": "Doklad o vysokoškolské kvalifikaci",
            "en": "Proof of university qualification",
            "uk": "Підтвердження вищої освіти",
            "vi": "Giấy tờ chứng minh trình độ đại học",
            "ru": "Подтверждение высшего образования",
        },
        "description": _with_originals(
            {
                "cs": "Doklad o vysokoškolském vzdělání pro zaměstnání vyžadující vysokou "
                "kvalifikaci (modrá karta). Držitel modré karty jiného členského státu EU, který "
                "prokáže, že v posledních 2 letech pracoval na základě modré karty, jej "
                "nepředkládá.",
                "en": "Evidence of a university-level qualification for a highly qualified job "
                "(Blue Card). A Blue Card holder of another EU state who proves 2 years of work "
                "on a Blue Card before filing does not have to submit it.",
                "uk": "Підтвердження вищої освіти для роботи, що потребує високої кваліфікації "
                "(блакитна картка). Власнику блакитної картки іншої держави ЄС, який доведе, що "
                "протягом останніх 2 років працював на підставі блакитної картки, його подавати "
                "не потрібно.",
                "vi": "Giấy tờ chứng minh trình độ đại học cho công việc đòi hỏi trình độ cao "
                "(thẻ xanh EU). Người có thẻ xanh của một nước EU khác chứng minh đã làm việc "
                "theo thẻ xanh trong 2 năm gần nhất thì không cần nộp giấy tờ này.",
                "ru": "Подтверждение высшего образования для работы, требующей высокой "
                "квалификации (голубая карта). Владельцу голубой карты другого государства ЕС, "
                "который докажет, что в последние 2 года работал на основании голубой карты, "
                "его подавать не нужно.",
            }
        ),
        "source": "[001]",
    },
    # "A foreign national who has a hosting agreement with a research organization" [004]
    {
        "code": "hosting_agreement",
        "name": {
            "cs": "Dohoda o hostování s výzkumnou organizací",
            "en": "Hosting agreement",
            "uk": "Угода про прийом з дослідницькою організацією",
            "vi": "Thỏa thuận tiếp nhận với tổ chức nghiên cứu",
            "ru": "Соглашение о приёме с исследовательской организацией",
        },
        "description": _with_originals(
            {
                "cs": "Dohoda o hostování uzavřená s výzkumnou organizací k provádění vědeckého "
                "výzkumu v České republice.",
                "en": "A hosting agreement concluded with a research organisation for carrying "
                "out scientific research in the Czech Republic.",
                "uk": "Угода про прийом, укладена з дослідницькою організацією для проведення "
                "наукових досліджень у Чеській Республіці.",
                "vi": "Thỏa thuận tiếp nhận được ký kết với một tổ chức nghiên cứu để thực hiện "
                "nghiên cứu khoa học tại Cộng hòa Séc.",
                "ru": "Соглашение о приёме, заключённое с исследовательской организацией для "
                "проведения научных исследований в Чешской Республике.",
            }
        ),
        "source": "[004]",
    },
    # "foreign nationals must demonstrate a basic knowledge of the Czech language, which requires
    # passing a Czech language test at the A2 level." [003]
    {
        "code": "czech_a2",
        "name": {
            "cs": "Osvědčení o znalosti českého jazyka na úrovni A2",
            "en": "Czech language certificate (level A2)",
            "uk": "Сертифікат про знання чеської мови рівня A2",
            "vi": "Chứng chỉ tiếng Séc trình độ A2",
            "ru": "Сертификат о знании чешского языка уровня A2",
        },
        "description": {
            "cs": "Osvědčení o úspěšném složení zkoušky z českého jazyka na úrovni A2, které je "
            "podmínkou povolení k trvalému pobytu. Předkládá se originál nebo úředně ověřená "
            "kopie.",
            "en": "Certificate of passing the Czech language test at level A2, a condition of "
            "permanent residence. Submit the original or a certified copy.",
            "uk": "Сертифікат про успішне складання іспиту з чеської мови на рівні A2, що є "
            "умовою для отримання дозволу на постійне проживання. Подається оригінал або "
            "засвідчена копія.",
            "vi": "Chứng chỉ đã đỗ kỳ thi tiếng Séc trình độ A2, là điều kiện để được cấp giấy "
            "phép cư trú vĩnh viễn. Nộp bản gốc hoặc bản sao có chứng thực.",
            "ru": "Сертификат об успешной сдаче экзамена по чешскому языку на уровне A2, который "
            "является условием для получения разрешения на постоянное проживание. Подаётся "
            "оригинал или заверенная копия.",
        },
        "source": "[003]",
    },
    # "after 5 years of continuous residence ... Time spent on a long-term visa or a long-term
    # residence permit counts toward this period, but time on a short-term visa does not." and
    # "only half of the time spent studying ... counts" [003]; applications filed abroad in a
    # state of residence: "legally residing there for at least 2 continuous years" [001]
    {
        "code": "continuous_residence",
        "name": {
            "cs": "Doklad o nepřetržitém pobytu",
            "en": "Proof of continuous residence",
            "uk": "Підтвердження безперервного проживання",
            "vi": "Giấy tờ chứng minh cư trú liên tục",
            "ru": "Подтверждение непрерывного проживания",
        },
        "description": _with_originals(
            {
                "cs": "Doklad o požadované době nepřetržitého pobytu: pro trvalý pobyt 5 let na "
                "území České republiky (započítává se pobyt na dlouhodobé vízum a povolení "
                "k dlouhodobému pobytu, nikoli na krátkodobé vízum, a doba studia jen "
                "z poloviny); u žádosti podané v cizině ve státě, kde žadatel pobývá, alespoň "
                "2 roky nepřetržitého oprávněného pobytu v tomto státě.",
                "en": "Proof of the required period of continuous residence: for permanent "
                "residence, 5 years in the Czech Republic (time on a long-term visa or long-term "
                "residence permit counts, time on a short-term visa does not, and study time "
                "counts half); for an application filed abroad in a state where the applicant "
                "resides, at least 2 years of continuous legal residence in that state.",
                "uk": "Підтвердження необхідного строку безперервного проживання: для "
                "постійного проживання — 5 років у Чеській Республіці (зараховується "
                "перебування на довгостроковій візі та дозволі на довгострокове проживання, "
                "але не на короткостроковій візі, а час навчання — лише наполовину); для заяви, "
                "поданої за кордоном у державі, де проживає заявник, — щонайменше 2 роки "
                "безперервного законного проживання в цій державі.",
                "vi": "Giấy tờ chứng minh thời gian cư trú liên tục theo yêu cầu: đối với cư trú "
                "vĩnh viễn là 5 năm tại Cộng hòa Séc (thời gian lưu trú theo thị thực dài hạn "
                "hoặc giấy phép cư trú dài hạn được tính, theo thị thực ngắn hạn thì không, và "
                "thời gian học tập chỉ được tính một nửa); đối với đơn nộp ở nước ngoài tại quốc "
                "gia nơi người nộp đơn cư trú là ít nhất 2 năm cư trú hợp pháp liên tục tại quốc "
                "gia đó.",
                "ru": "Подтверждение необходимого срока непрерывного проживания: для "
                "постоянного проживания — 5 лет в Чешской Республике (засчитывается пребывание "
                "по долгосрочной визе и разрешению на долгосрочное проживание, но не по "
                "краткосрочной визе, а время учёбы — лишь наполовину); для заявления, поданного "
                "за границей в государстве, где проживает заявитель, — не менее 2 лет "
                "непрерывного законного проживания в этом государстве.",
            }
        ),
        "source": "[003]",
    },
    # "Applications for this type of residence permit may be submitted by: spouses of foreign
    # nationals who already hold a residence permit, their minor children or the children of the
    # spouse, minors placed in substitute care or adopted ..." [004]
    {
        "code": "family_relationship",
        "name": {
            "cs": "Doklad prokazující rodinný vztah",
            "en": "Proof of family relationship",
            "uk": "Підтвердження родинних стосунків",
            "vi": "Giấy tờ chứng minh quan hệ gia đình",
            "ru": "Подтверждение родственных отношений",
        },
        "description": _with_originals(
            {
                "cs": "Doklad prokazující rodinný vztah k rodinnému příslušníkovi pobývajícímu "
                "v České republice, např. oddací nebo rodný list nebo rozhodnutí o osvojení či "
                "o svěření do náhradní péče.",
                "en": "A document proving the family relationship to the family member living in "
                "the Czech Republic, e.g. a marriage or birth certificate, or a decision on "
                "adoption or placement in substitute care.",
                "uk": "Документ, що підтверджує родинні стосунки з членом сім'ї, який проживає "
                "в Чеській Республіці, наприклад свідоцтво про шлюб або про народження чи "
                "рішення про усиновлення або влаштування під опіку.",
                "vi": "Giấy tờ chứng minh quan hệ gia đình với thành viên gia đình đang sống tại "
                "Cộng hòa Séc, ví dụ giấy chứng nhận kết hôn, giấy khai sinh hoặc quyết định "
                "nhận con nuôi hay giao chăm sóc thay thế.",
                "ru": "Документ, подтверждающий родственные отношения с членом семьи, "
                "проживающим в Чешской Республике, например свидетельство о браке или "
                "о рождении либо решение об усыновлении или передаче под опеку.",
            }
        ),
        "source": "[004]",
    },
]


# --- Requirement building blocks -----------------------------------------------------------------
#
# Long-term visa list: "Travel document, Document confirming the purpose of stay, Proof of
# sufficient financial means, Proof of accommodation, Photographs, Parental consent in the case of
# minor applicants, Extract from the criminal record (or an affidavit ...), In the case of business
# activity, also a document confirming registration in the relevant register or record" [004].
# Long-term residence: "provide essentially the same documents as when applying for a long-term
# visa" [003]. The criminal-record condition differs per type, so it is added at each type.
_CORE: Final = (
    ("travel_document", "always"),
    ("photograph", "always"),
    ("purpose_of_stay", "always"),
    ("financial_means", "always"),
    ("accommodation", "always"),
    ("parental_consent", "minor"),
)

# Visas only: "documents confirming medical fitness ... and, prior to the issuance of the visa,
# proof of travel health insurance" [004]. The insurance is "rule": it is due once the visa is
# granted, before it is issued ("If your visa is granted ... You must then provide proof of travel
# health insurance." [003]), so a rule may waive it at filing; until then it counts as required.
_VISA_EXTRAS: Final = (
    ("medical_report", "always"),
    ("travel_health_insurance", "rule"),
)

# Applications filed abroad "in a state where s/he has a long-term or permanent residence" need
# "at least 2 continuous years" of legal residence there [001]. That concerns only applicants filing
# outside their own country, so the proof is "on_request" (the office asks for it in that case),
# not "abroad", which would demand it from everyone filing at an embassy at home.
_ABROAD_RESIDENCE: Final = (("continuous_residence", "on_request"),)


# Short codes (reference numbers "OAM-4217/DP-2026"; the Ministry uses DP and TP, SPEC section 2):
#   DV   dlouhodobé vízum (visa over 90 days)
#   MPV  mimořádné pracovní vízum
#   SEZ  vízum za účelem sezónního zaměstnání
#   STR  vízum za účelem strpění pobytu
#   DP   povolení k dlouhodobému pobytu (every long-term residence type, its extension and change
#        of purpose)
#   ZK   zaměstnanecká karta
#   MK   modrá karta
#   ICT  karta vnitropodnikově převedeného zaměstnance (both variants)
#   TP   povolení k trvalému pobytu (both variants)
#   NP   nové posouzení důvodů neudělení víza
#   PP   průkaz o povolení k pobytu (replacement, change of data)
#   DZV  diplomatické a zvláštní vízum (guidance only)
#   MZV  povolení Ministerstva zahraničních věcí (guidance only)
#   SO   státní občanství (guidance only)
PERMIT_TYPES: Final[list[dict]] = [
    # ---------------------------------------------------------------- visas over 90 days ------
    # "A long-term visa, i.e. a visa for a stay exceeding 90 days ... The visa cannot be granted
    # for the purpose of employment, except in cases of seasonal employment or an extraordinary
    # work visa. The validity period of this visa is generally no longer than one year" [004];
    # "allows you to stay in the Czech Republic for up to one year"; "You must submit your
    # application for a long-term visa in person at the relevant diplomatic mission of the Czech
    # Republic abroad." [003]
    {
        "code": "long_term_visa",
        "short_code": "DV",
        "purpose": "visa",
        "name": {
            "cs": "Vízum k pobytu nad 90 dnů (dlouhodobé vízum)",
            "en": "Long-term visa (stay over 90 days)",
            "uk": "Віза для перебування понад 90 днів (довгострокова віза)",
            "vi": "Thị thực lưu trú trên 90 ngày (thị thực dài hạn)",
            "ru": "Виза для пребывания свыше 90 дней (долгосрочная виза)",
        },
        "legal_basis": f"§ 30 {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity: "generally no longer than one year" [004]; "up to one year" [003].
        "max_validity_months": 12,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": False,
        "can_file_in_country": False,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Vízum pro pobyt delší než tři měsíce, např. za účelem studia, podnikání nebo "
            "návštěvy rodiny; za účelem zaměstnání se neuděluje (s výjimkou sezónního zaměstnání "
            "a mimořádného pracovního víza). Žádost se podává osobně na zastupitelském úřadu "
            "České republiky v zahraničí a můžete být pozváni k pohovoru. Vízum platí nejvýše "
            "jeden rok a jen po dobu, po kterou doložíte účel pobytu. Před vydáním víza "
            "předložíte doklad o cestovním zdravotním pojištění.",
            "en": "A visa for a stay of more than three months, e.g. to study, do business or "
            "visit family; it is not granted for employment (except seasonal employment and the "
            "extraordinary work visa). You apply in person at the Czech diplomatic mission abroad "
            "and may be invited to an interview. The visa is valid for at most one year and only "
            "for the period for which you prove the purpose of stay. Before the visa is issued "
            "you submit proof of travel health insurance.",
            "uk": "Віза для перебування понад три місяці, наприклад для навчання, підприємницької "
            "діяльності чи відвідування родини; з метою працевлаштування не видається (крім "
            "сезонної роботи та надзвичайної робочої візи). Заява подається особисто "
            "в дипломатичному представництві Чеської Республіки за кордоном, вас можуть "
            "запросити на співбесіду. Віза діє не більше одного року і лише на строк, на який "
            "ви підтвердите мету перебування. Перед видачею візи потрібно подати поліс "
            "медичного страхування на час подорожі.",
            "vi": "Thị thực cho thời gian lưu trú trên ba tháng, ví dụ để học tập, kinh doanh "
            "hoặc thăm gia đình; không cấp vì mục đích lao động (trừ lao động thời vụ và thị "
            "thực lao động đặc biệt). Đơn được nộp trực tiếp tại cơ quan đại diện ngoại giao "
            "của Cộng hòa Séc ở nước ngoài và bạn có thể được mời phỏng vấn. Thị thực có hiệu "
            "lực tối đa một năm và chỉ trong khoảng thời gian bạn chứng minh được mục đích lưu "
            "trú. Trước khi được cấp thị thực, bạn phải nộp giấy tờ bảo hiểm y tế du lịch.",
            "ru": "Виза для пребывания свыше трёх месяцев, например для учёбы, "
            "предпринимательской деятельности или посещения семьи; с целью трудоустройства не "
            "выдаётся (кроме сезонной работы и чрезвычайной рабочей визы). Заявление подаётся "
            "лично в дипломатическом представительстве Чешской Республики за границей, вас "
            "могут пригласить на собеседование. Виза действует не более одного года и только на "
            "срок, на который вы подтвердите цель пребывания. Перед выдачей визы нужно "
            "предъявить полис медицинского страхования на время поездки.",
        },
        "sources": ["[004]", "[003]", "[001]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "always"),
            ("business_registration", "business"),
            *_VISA_EXTRAS,
            *_ABROAD_RESIDENCE,
        ],
    },
    # "The Ministry of the Interior may grant this visa only if permitted by a government
    # regulation adopted in response to extraordinary circumstances" ... "a foreign national who
    # has been issued an employment permit under the Employment Act" ... "the maximum number of
    # applications that may be accepted at the respective diplomatic missions" [004]
    {
        "code": "extraordinary_work_visa",
        "short_code": "MPV",
        "purpose": "visa",
        "name": {
            "cs": "Mimořádné pracovní vízum",
            "en": "Extraordinary work visa",
            "uk": "Надзвичайна робоча віза",
            "vi": "Thị thực lao động đặc biệt",
            "ru": "Чрезвычайная рабочая виза",
        },
        "legal_basis": ACT,
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity: a long-term visa, "generally no longer than one year" [004].
        "max_validity_months": 12,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": False,
        "can_file_in_country": False,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Zvláštní druh dlouhodobého víza k výkonu práce, které ministerstvo vnitra "
            "uděluje jen tehdy, umožní-li to nařízení vlády přijaté kvůli mimořádným okolnostem, "
            "např. nedostatku pracovních sil. Mohou o něj žádat cizinci, kterým bylo vydáno "
            "povolení k zaměstnání podle zákona o zaměstnanosti. Nařízení vlády může omezit "
            "obory, státní příslušnost žadatelů, počet žádostí přijímaných na zastupitelských "
            "úřadech a lhůtu pro podání žádostí.",
            "en": "A special long-term visa for work, granted by the Ministry of the Interior "
            "only when a government regulation adopted in response to extraordinary "
            "circumstances, such as a labour shortage, allows it. It is for foreign nationals who "
            "have been issued an employment permit under the Employment Act. The regulation may "
            "limit the sectors, the applicants' nationalities, the number of applications "
            "accepted at the diplomatic missions and the deadline for applying.",
            "uk": "Особливий вид довгострокової візи для роботи, яку Міністерство внутрішніх "
            "справ видає лише тоді, коли це дозволяє постанова уряду, ухвалена через надзвичайні "
            "обставини, наприклад нестачу робочої сили. Подати заяву можуть іноземці, яким "
            "видано дозвіл на працевлаштування відповідно до Закону про зайнятість. Постанова "
            "уряду може обмежити галузі, громадянство заявників, кількість заяв, що приймаються "
            "в дипломатичних представництвах, і строк подання заяв.",
            "vi": "Loại thị thực dài hạn đặc biệt để làm việc, Bộ Nội vụ chỉ cấp khi có nghị "
            "định của chính phủ được ban hành do hoàn cảnh đặc biệt, ví dụ thiếu hụt lao động. "
            "Đối tượng nộp đơn là người nước ngoài đã được cấp giấy phép lao động theo Luật Việc "
            "làm. Nghị định có thể giới hạn ngành nghề, quốc tịch người nộp đơn, số lượng đơn "
            "được tiếp nhận tại các cơ quan đại diện ngoại giao và thời hạn nộp đơn.",
            "ru": "Особый вид долгосрочной визы для работы, которую Министерство внутренних дел "
            "выдаёт только тогда, когда это разрешает постановление правительства, принятое "
            "в связи с чрезвычайными обстоятельствами, например нехваткой рабочей силы. Подать "
            "заявление могут иностранцы, получившие разрешение на работу по Закону о занятости. "
            "Постановление может ограничить отрасли, гражданство заявителей, число заявлений, "
            "принимаемых в дипломатических представительствах, и срок их подачи.",
        },
        "sources": ["[004]", "[003]", "[001]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "always"),
            *_VISA_EXTRAS,
            *_ABROAD_RESIDENCE,
        ],
    },
    # "work tied to a specific time of year. Typical examples include agricultural, forestry, or
    # tourism-related work. The applicant must hold an employment permit issued in accordance with
    # the Employment Act." [004]; seasonal-visa holders may apply for a Blue Card [001]; "it is not
    # possible to apply [for study] during a stay based on a visa for seasonal employment" [004]
    {
        "code": "seasonal_work_visa",
        "short_code": "SEZ",
        "purpose": "visa",
        "name": {
            "cs": "Vízum k pobytu nad 90 dnů za účelem sezónního zaměstnání",
            "en": "Long-term visa for seasonal employment",
            "uk": "Віза для перебування понад 90 днів з метою сезонної роботи",
            "vi": "Thị thực lưu trú trên 90 ngày vì mục đích lao động thời vụ",
            "ru": "Виза для пребывания свыше 90 дней с целью сезонной работы",
        },
        "legal_basis": ACT,
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity: "generally no longer than one year, and for certain specific types, six months"
        # [004]; the seasonal-employment visa is such a type (Act No. 326/1999 Coll., § 30, outside
        # the seeds).
        "max_validity_months": 6,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": False,
        "can_file_in_country": False,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Pro práci vázanou na určité roční období, typicky v zemědělství, lesnictví "
            "nebo cestovním ruchu, trvá-li pobyt déle než tři měsíce. Žadatel musí mít povolení k "
            "zaměstnání vydané podle zákona o zaměstnanosti. Žádost se podává osobně na "
            "zastupitelském úřadu a vízum se uděluje nejvýše na šest měsíců. Držitel tohoto víza "
            "může požádat o modrou kartu, nikoli však o povolení k dlouhodobému pobytu za účelem "
            "studia.",
            "en": "For work tied to a particular time of year, typically in agriculture, forestry "
            "or tourism, when the stay is longer than three months. You must hold an employment "
            "permit issued under the Employment Act. You apply in person at the Czech diplomatic "
            "mission; the visa is granted for at most six months. Holders of this visa may apply "
            "for a Blue Card, but not for a long-term residence permit for study.",
            "uk": "Для роботи, пов'язаної з певною порою року, зазвичай у сільському "
            "господарстві, лісництві чи туризмі, якщо перебування триває понад три місяці. "
            "Заявник повинен мати дозвіл на працевлаштування, виданий відповідно до Закону про "
            "зайнятість. Заява подається особисто в дипломатичному представництві, віза видається "
            "щонайбільше на шість місяців. Власник цієї візи може подати заяву на блакитну "
            "картку, але не на дозвіл на довгострокове проживання з метою навчання.",
            "vi": "Dành cho công việc gắn với một mùa nhất định trong năm, thường là nông nghiệp, "
            "lâm nghiệp hoặc du lịch, khi thời gian lưu trú dài hơn ba tháng. Người nộp đơn phải "
            "có giấy phép lao động được cấp theo Luật Việc làm. Đơn được nộp trực tiếp tại cơ "
            "quan đại diện ngoại giao và thị thực được cấp tối đa sáu tháng. Người có thị thực "
            "này có thể xin thẻ xanh EU, nhưng không thể xin giấy phép cư trú dài hạn vì mục đích "
            "học tập.",
            "ru": "Для работы, привязанной к определённому времени года, обычно в сельском "
            "хозяйстве, лесном хозяйстве или туризме, если пребывание длится более трёх месяцев. "
            "Заявитель должен иметь разрешение на работу, выданное по Закону о занятости. "
            "Заявление подаётся лично в дипломатическом представительстве, виза выдаётся не более "
            "чем на шесть месяцев. Владелец этой визы может подать заявление на голубую карту, но "
            "не на разрешение на долгосрочное проживание с целью обучения.",
        },
        "sources": ["[004]", "[003]", "[001]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "always"),
            *_VISA_EXTRAS,
            *_ABROAD_RESIDENCE,
        ],
    },
    # "may also be granted by the Ministry. This applies to specific situations in which a foreign
    # national cannot leave the country" ... "witnesses and victims in criminal proceedings" ...
    # "those who have applied for permanent residence and whose application has not yet been
    # decided" ... "filed a lawsuit against the Ministry's decision to cancel or not extend their
    # residence and who have simultaneously requested the recognition of suspensive effect" [004].
    # The applicant is already in the country, so it is filed with the Ministry, not an embassy.
    {
        "code": "tolerated_stay_visa",
        "short_code": "STR",
        "purpose": "visa",
        "name": {
            "cs": "Vízum k pobytu nad 90 dnů za účelem strpění pobytu na území",
            "en": "Long-term visa for tolerated stay",
            "uk": "Віза для перебування понад 90 днів з метою толерованого перебування",
            "vi": "Thị thực lưu trú trên 90 ngày vì mục đích lưu trú được dung thứ",
            "ru": "Виза для пребывания свыше 90 дней с целью толерируемого пребывания",
        },
        "legal_basis": f"§ 33 {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity: a long-term visa, "generally no longer than one year" [004].
        "max_validity_months": 12,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": False,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Pro cizince, kteří nemohou vycestovat kvůli překážce nezávislé na jejich vůli, "
            "nebo jejichž přítomnost je nutná, např. svědky a oběti v trestním řízení. Uděluje se "
            "také žadatelům o trvalý pobyt, o jejichž žádosti dosud nebylo rozhodnuto, "
            "a cizincům, kteří podali žalobu proti rozhodnutí ministerstva o zrušení nebo "
            "neprodloužení pobytu a požádali o přiznání odkladného účinku. O vízu rozhoduje "
            "ministerstvo vnitra.",
            "en": "For foreign nationals who cannot leave the country because of an obstacle "
            "beyond their control, or whose presence is necessary, e.g. witnesses and victims in "
            "criminal proceedings. It is also granted to applicants for permanent residence whose "
            "application has not yet been decided, and to foreign nationals who sued the "
            "Ministry's decision to cancel or not extend their residence and asked for suspensive "
            "effect. The Ministry of the Interior decides on the visa.",
            "uk": "Для іноземців, які не можуть виїхати через перешкоду, що не залежить від їхньої "
            "волі, або чия присутність є необхідною, наприклад свідків і потерпілих "
            "у кримінальному провадженні. Віза видається також заявникам на постійне проживання, "
            "щодо заяв яких ще не ухвалено рішення, та іноземцям, які оскаржили в суді рішення "
            "міністерства про скасування або непродовження перебування і просили визнати "
            "зупинювальну дію позову. Рішення ухвалює Міністерство внутрішніх справ.",
            "vi": "Dành cho người nước ngoài không thể xuất cảnh vì trở ngại ngoài ý muốn, hoặc "
            "cần có mặt tại Séc, ví dụ nhân chứng và nạn nhân trong tố tụng hình sự. Thị thực "
            "cũng được cấp cho người đã nộp đơn xin cư trú vĩnh viễn nhưng chưa có quyết định, "
            "và cho người nước ngoài đã khởi kiện quyết định của Bộ về việc hủy hoặc không gia "
            "hạn cư trú và đã yêu cầu công nhận hiệu lực tạm hoãn. Bộ Nội vụ quyết định cấp thị "
            "thực.",
            "ru": "Для иностранцев, которые не могут выехать из-за препятствия, не зависящего от "
            "их воли, или чьё присутствие необходимо, например свидетелей и потерпевших "
            "в уголовном процессе. Виза выдаётся также заявителям на постоянное проживание, по "
            "заявлениям которых ещё не принято решение, и иностранцам, обжаловавшим в суде "
            "решение министерства об отмене или непродлении пребывания и ходатайствовавшим "
            "о признании приостанавливающего действия иска. Решение принимает Министерство "
            "внутренних дел.",
        },
        "sources": ["[004]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "always"),
            *_VISA_EXTRAS,
        ],
    },
    # ------------------------------------------------------- long-term residence permits ------
    # Who may apply: spouses, minor children, children of the spouse, minors in substitute care
    # or adopted, single foreign nationals over 65 or unable to care for themselves, relatives of
    # asylum holders [004]; "An application can no longer be filed by an adult foreigner, who is
    # not provided for." [001]; "the time limit for decisions on family reunification is up to
    # 270 days" [003]; "have resided in the territory of the Czech Republic for 3 years, or if you
    # have reached 18 years of age, you may apply for a long-term residence permit for a different
    # purpose" [003]
    {
        "code": "ltr_family",
        "short_code": "DP",
        "purpose": "family",
        "name": {
            "cs": "Povolení k dlouhodobému pobytu za účelem společného soužití rodiny",
            "en": "Long-term residence permit for family reunification",
            "uk": "Дозвіл на довгострокове проживання з метою возз'єднання сім'ї",
            "vi": "Giấy phép cư trú dài hạn vì mục đích đoàn tụ gia đình",
            "ru": "Разрешение на долгосрочное проживание с целью воссоединения семьи",
        },
        "legal_basis": f"§ 42a {_OF_ACT}",
        "decision_period_days": 270,
        "decision_period_days_abroad": 270,
        # Validity, outside the seeds: § 44 odst. 4 of the Act ties a family member's permit to
        # the validity of the sponsor's card (at least 1 year); capped at the general 2 years of
        # a long-term residence permit, which the caseworker shortens to the sponsor's card.
        "max_validity_months": 24,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Pro rodinné příslušníky cizince s povolením k pobytu nebo azylanta, aby rodina "
            "mohla žít společně: manžele, nezletilé děti (i děti manžela, osvojené a svěřené do "
            "náhradní péče) a v některých případech rodiče nebo závislé příbuzné. Od 1. 7. 2023 "
            "již nemůže žádat zletilý cizinec, kterého zákon v § 42a odst. 1 neuvádí. O žádosti "
            "se rozhoduje až 270 dní. Po 3 letech pobytu nebo po dovršení 18 let lze požádat "
            "o povolení za jiným účelem.",
            "en": "For family members of a foreign national holding a residence permit, or of an "
            "asylum holder, so that the family can live together: spouses, minor children "
            "(including the spouse's children, adopted children and children in substitute care) "
            "and in some cases parents or dependent relatives. Since 1 July 2023 an adult not "
            "listed in § 42a(1) of the Act can no longer apply. The decision may take up to 270 "
            "days. After 3 years of residence, or at 18, you may apply for a permit for another "
            "purpose.",
            "uk": "Для членів сім'ї іноземця, який має дозвіл на проживання, або особи з "
            "притулком, щоб родина могла жити разом: подружжя, неповнолітніх дітей (зокрема "
            "дітей другого з подружжя, усиновлених і влаштованих під опіку), а в деяких випадках "
            "батьків або залежних родичів. З 1 липня 2023 року не може подати заяву повнолітній "
            "іноземець, якого не зазначено в § 42a ч. 1 закону. Рішення ухвалюється протягом "
            "до 270 днів. Після 3 років проживання або після досягнення 18 років можна подати "
            "заяву на дозвіл з іншою метою.",
            "vi": "Dành cho thành viên gia đình của người nước ngoài có giấy phép cư trú hoặc của "
            "người được tị nạn, để gia đình được sống chung: vợ hoặc chồng, con chưa thành niên "
            "(kể cả con riêng của vợ hoặc chồng, con nuôi và trẻ được giao chăm sóc thay thế) "
            "và trong một số trường hợp là cha mẹ hoặc người thân phụ thuộc. Từ ngày 1/7/2023, "
            "người thành niên không thuộc các đối tượng nêu tại § 42a khoản 1 của Luật không "
            "còn được nộp đơn. Thời hạn giải quyết lên đến 270 ngày. Sau 3 năm cư trú hoặc khi "
            "đủ 18 tuổi, bạn có thể xin giấy phép vì mục đích khác.",
            "ru": "Для членов семьи иностранца, имеющего разрешение на проживание, или лица, "
            "получившего убежище, чтобы семья могла жить вместе: супругов, несовершеннолетних "
            "детей (в том числе детей супруга, усыновлённых и переданных под опеку), а в "
            "некоторых случаях родителей или зависимых родственников. С 1 июля 2023 года не "
            "может подать заявление совершеннолетний иностранец, не указанный в § 42a ч. 1 "
            "закона. Решение принимается в срок до 270 дней. После 3 лет проживания или по "
            "достижении 18 лет можно подать заявление на разрешение с другой целью.",
        },
        "sources": ["[004]", "[003]", "[001]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "always"),
            ("family_relationship", "always"),
            *_ABROAD_RESIDENCE,
        ],
    },
    # "A foreign national who already holds permanent residence status with the legal position of
    # a long-term resident in another European Union Member State ... The resident may submit the
    # application either at the competent diplomatic mission or directly within the territory ...
    # no later than three months after entering the Czech Republic." [004]
    # Purpose "work": the sources do not tie this permit to one purpose; work is the usual one.
    {
        "code": "ltr_eu_resident",
        "short_code": "DP",
        "purpose": "work",
        "name": {
            "cs": "Povolení k dlouhodobému pobytu rezidenta jiného členského státu EU",
            "en": "Long-term residence permit for a resident of another EU Member State",
            "uk": "Дозвіл на довгострокове проживання для резидента іншої держави-члена ЄС",
            "vi": "Giấy phép cư trú dài hạn cho người cư trú dài hạn của nước thành viên EU khác",
            "ru": "Разрешение на долгосрочное проживание для резидента другого государства — "
            "члена ЕС",
        },
        "legal_basis": f"§ 42c {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity, outside the seeds: at most 2 years (§ 44 odst. 4 of the Act).
        "max_validity_months": 24,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Pro cizince, kteří mají v jiném členském státě EU trvalý pobyt s právním "
            "postavením dlouhodobě pobývajícího rezidenta a chtějí v České republice pobývat "
            "déle než tři měsíce. Žádost lze podat na příslušném zastupitelském úřadu nebo "
            "přímo na území u ministerstva vnitra. Na území se žádost podává během platnosti "
            "dočasného pobytu, nejpozději do tří měsíců od vstupu do České republiky.",
            "en": "For foreign nationals who hold permanent residence with the status of "
            "a long-term resident in another EU Member State and wish to stay in the Czech "
            "Republic for more than three months. You can apply at the competent diplomatic "
            "mission or with the Ministry of the Interior in the Czech Republic. In the Czech "
            "Republic you must apply while your temporary stay is valid and no later than three "
            "months after entering the country.",
            "uk": "Для іноземців, які мають в іншій державі-члені ЄС постійне проживання зі "
            "статусом довгострокового резидента і хочуть перебувати в Чеській Республіці понад "
            "три місяці. Заяву можна подати у відповідному дипломатичному представництві або "
            "безпосередньо в Чехії до Міністерства внутрішніх справ. У Чехії заява подається "
            "протягом дії тимчасового перебування, не пізніше ніж через три місяці після "
            "в'їзду.",
            "vi": "Dành cho người nước ngoài có quyền cư trú vĩnh viễn với tư cách người cư trú "
            "dài hạn tại một nước thành viên EU khác và muốn lưu trú tại Cộng hòa Séc trên ba "
            "tháng. Có thể nộp đơn tại cơ quan đại diện ngoại giao có thẩm quyền hoặc trực tiếp "
            "tại Bộ Nội vụ ở Séc. Nếu nộp tại Séc, đơn phải được nộp khi thời hạn lưu trú tạm "
            "thời còn hiệu lực và chậm nhất ba tháng sau khi nhập cảnh.",
            "ru": "Для иностранцев, которые имеют в другом государстве — члене ЕС постоянное "
            "проживание со статусом долгосрочного резидента и хотят находиться в Чешской "
            "Республике более трёх месяцев. Заявление можно подать в соответствующем "
            "дипломатическом представительстве или непосредственно в Чехии в Министерство "
            "внутренних дел. В Чехии заявление подаётся в период действия временного "
            "пребывания, не позднее трёх месяцев после въезда.",
        },
        "sources": ["[004]", "[001]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "always"),
            ("business_registration", "business"),
            *_ABROAD_RESIDENCE,
        ],
    },
    # "whose studies meet the conditions set out in Section 64 of the Act ... The application is
    # usually submitted at the competent diplomatic mission, but it may also be filed directly
    # within the territory" ... not on a tolerated-stay visa or permit "unless such residence has
    # lasted for at least three years" nor "during a stay based on a visa for seasonal
    # employment" [004]; "only half of the time spent studying ... counts" [003]
    {
        "code": "ltr_study",
        "short_code": "DP",
        "purpose": "study",
        "name": {
            "cs": "Povolení k dlouhodobému pobytu za účelem studia",
            "en": "Long-term residence permit for study",
            "uk": "Дозвіл на довгострокове проживання з метою навчання",
            "vi": "Giấy phép cư trú dài hạn vì mục đích học tập",
            "ru": "Разрешение на долгосрочное проживание с целью обучения",
        },
        "legal_basis": f"§ 42d a § 64 {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity, outside the seeds: the length of the studies, at most 2 years at a time (§ 44
        # odst. 4 and § 44a odst. 2 of the Act).
        "max_validity_months": 24,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Pro cizince, kteří budou v České republice pobývat déle než tři měsíce kvůli "
            "studiu splňujícímu podmínky § 64 zákona. Žádost se obvykle podává na "
            "zastupitelském úřadu; na území ji může podat držitel víza k pobytu nad 90 dnů, "
            "povolení ke studiu vydaného jiným státem EU nebo jiného povolení k dlouhodobému "
            "pobytu. Nelze ji podat během pobytu na vízum za účelem sezónního zaměstnání ani "
            "během pobytu za účelem strpění, který netrvá alespoň tři roky. Do doby potřebné pro "
            "trvalý pobyt se doba studia počítá jen z poloviny.",
            "en": "For foreign nationals who will stay in the Czech Republic for more than three "
            "months to study under the conditions of Section 64 of the Act. You usually apply at "
            "the diplomatic mission; in the Czech Republic you may apply if you hold a visa over "
            "90 days, a study permit from another EU state or another long-term residence permit. "
            "You cannot apply while on a seasonal-employment visa, or on a tolerated stay that "
            "has lasted less than three years. Study time counts only half towards permanent "
            "residence.",
            "uk": "Для іноземців, які перебуватимуть у Чеській Республіці понад три місяці "
            "з метою навчання, що відповідає умовам § 64 закону. Заява зазвичай подається "
            "в дипломатичному представництві; у Чехії її може подати власник візи для "
            "перебування понад 90 днів, дозволу на навчання іншої держави ЄС або іншого "
            "дозволу на довгострокове проживання. Заяву не можна подати під час перебування на "
            "візі для сезонної роботи або на толерованому перебуванні, яке триває менше трьох "
            "років. Для постійного проживання час навчання зараховується лише наполовину.",
            "vi": "Dành cho người nước ngoài sẽ lưu trú tại Cộng hòa Séc trên ba tháng để học tập "
            "theo các điều kiện tại § 64 của Luật. Đơn thường được nộp tại cơ quan đại diện "
            "ngoại giao; tại Séc, đơn có thể do người có thị thực trên 90 ngày, giấy phép học "
            "tập do nước EU khác cấp hoặc giấy phép cư trú dài hạn khác nộp. Không thể nộp đơn "
            "khi đang lưu trú theo thị thực lao động thời vụ, hoặc lưu trú được dung thứ chưa đủ "
            "ba năm. Thời gian học tập chỉ được tính một nửa khi xin cư trú vĩnh viễn.",
            "ru": "Для иностранцев, которые будут находиться в Чешской Республике более трёх "
            "месяцев с целью обучения, отвечающего условиям § 64 закона. Заявление обычно "
            "подаётся в дипломатическом представительстве; в Чехии его может подать владелец "
            "визы для пребывания свыше 90 дней, разрешения на обучение другого государства ЕС "
            "или иного разрешения на долгосрочное проживание. Нельзя подать заявление во время "
            "пребывания по визе для сезонной работы или толерируемого пребывания, длящегося "
            "менее трёх лет. Для постоянного проживания время учёбы засчитывается лишь "
            "наполовину.",
        },
        "sources": ["[004]", "[003]", "[001]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "always"),
            *_ABROAD_RESIDENCE,
        ],
    },
    # "intended primarily for victims of criminal offenses, particularly human trafficking, or
    # for individuals involved in cases of illegal border crossing or unauthorized stay whose
    # testimony is crucial ... conditional upon the applicant's active cooperation with law
    # enforcement authorities and the absence of any collaboration with offenders" [004]
    {
        "code": "ltr_protection",
        "short_code": "DP",
        "purpose": "protection",
        "name": {
            "cs": "Povolení k dlouhodobému pobytu za účelem ochrany na území",
            "en": "Long-term residence permit for protection",
            "uk": "Дозвіл на довгострокове проживання з метою захисту",
            "vi": "Giấy phép cư trú dài hạn vì mục đích bảo vệ",
            "ru": "Разрешение на долгосрочное проживание с целью защиты",
        },
        "legal_basis": f"§ 42e {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity, outside the seeds: at most 2 years (§ 44 odst. 4 of the Act).
        "max_validity_months": 24,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": False,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Pro cizince, kteří potřebují zvláštní ochranu, především oběti trestných činů, "
            "zejména obchodování s lidmi, nebo osoby, jejichž svědectví je zásadní pro odhalení "
            "pachatelů nedovoleného překročení hranice či neoprávněného pobytu. Podmínkou je "
            "aktivní spolupráce s orgány činnými v trestním řízení a přerušení jakýchkoli styků "
            "s pachateli nebo podezřelými. O povolení rozhoduje ministerstvo vnitra.",
            "en": "For foreign nationals who need special protection, mainly victims of criminal "
            "offences, especially human trafficking, or persons whose testimony is crucial for "
            "identifying the perpetrators of illegal border crossing or unauthorised stay. The "
            "permit requires active cooperation with law enforcement authorities and no "
            "collaboration with offenders or suspects. The Ministry of the Interior decides.",
            "uk": "Для іноземців, які потребують особливого захисту, передусім жертв злочинів, "
            "зокрема торгівлі людьми, або осіб, чиї свідчення є вирішальними для встановлення "
            "винних у незаконному перетині кордону чи незаконному перебуванні. Умовою є активна "
            "співпраця з правоохоронними органами та відсутність будь-якої співпраці "
            "з правопорушниками чи підозрюваними. Рішення ухвалює Міністерство внутрішніх справ.",
            "vi": "Dành cho người nước ngoài cần được bảo vệ đặc biệt, chủ yếu là nạn nhân của "
            "tội phạm, nhất là mua bán người, hoặc người có lời khai quan trọng để xác định thủ "
            "phạm vượt biên trái phép hay cư trú bất hợp pháp. Điều kiện là hợp tác tích cực với "
            "cơ quan thực thi pháp luật và không có bất kỳ sự cộng tác nào với người phạm tội "
            "hoặc nghi phạm. Bộ Nội vụ là cơ quan quyết định.",
            "ru": "Для иностранцев, нуждающихся в особой защите, прежде всего жертв преступлений, "
            "в частности торговли людьми, или лиц, чьи показания имеют решающее значение для "
            "установления виновных в незаконном пересечении границы или незаконном пребывании. "
            "Условием является активное сотрудничество с правоохранительными органами "
            "и отсутствие какого-либо сотрудничества с преступниками или подозреваемыми. Решение "
            "принимает Министерство внутренних дел.",
        },
        "sources": ["[004]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "on_request"),
        ],
    },
    # "A foreign national who has a hosting agreement with a research organization and plans to
    # stay in the Czech Republic for more than three months ... can be submitted at a diplomatic
    # mission or directly within the territory, if the applicant already holds a visa for a stay
    # exceeding 90 days or a long-term residence permit (including a permit issued by another EU
    # Member State)." [004]
    {
        "code": "ltr_research",
        "short_code": "DP",
        "purpose": "research",
        "name": {
            "cs": "Povolení k dlouhodobému pobytu za účelem vědeckého výzkumu",
            "en": "Long-term residence permit for scientific research",
            "uk": "Дозвіл на довгострокове проживання з метою наукових досліджень",
            "vi": "Giấy phép cư trú dài hạn vì mục đích nghiên cứu khoa học",
            "ru": "Разрешение на долгосрочное проживание с целью научных исследований",
        },
        "legal_basis": f"§ 42f {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity, outside the seeds: the length of the hosting agreement, at most 2 years (§ 44
        # odst. 4 of the Act).
        "max_validity_months": 24,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Pro cizince, kteří uzavřeli dohodu o hostování s výzkumnou organizací "
            "a plánují v České republice pobývat déle než tři měsíce. Žádost lze podat na "
            "zastupitelském úřadu, nebo přímo na území, má-li žadatel vízum k pobytu nad 90 dnů "
            "nebo povolení k dlouhodobému pobytu (i vydané jiným členským státem EU).",
            "en": "For foreign nationals with a hosting agreement with a research organisation "
            "who plan to stay in the Czech Republic for more than three months. You can apply at "
            "a diplomatic mission, or in the Czech Republic if you already hold a visa over 90 "
            "days or a long-term residence permit (including one issued by another EU Member "
            "State).",
            "uk": "Для іноземців, які уклали угоду про прийом з дослідницькою організацією "
            "і планують перебувати в Чеській Республіці понад три місяці. Заяву можна подати "
            "в дипломатичному представництві або безпосередньо в Чехії, якщо заявник уже має "
            "візу для перебування понад 90 днів або дозвіл на довгострокове проживання (зокрема "
            "виданий іншою державою-членом ЄС).",
            "vi": "Dành cho người nước ngoài có thỏa thuận tiếp nhận với một tổ chức nghiên cứu "
            "và dự định lưu trú tại Cộng hòa Séc trên ba tháng. Có thể nộp đơn tại cơ quan đại "
            "diện ngoại giao, hoặc trực tiếp tại Séc nếu đã có thị thực trên 90 ngày hoặc giấy "
            "phép cư trú dài hạn (kể cả giấy phép do nước thành viên EU khác cấp).",
            "ru": "Для иностранцев, заключивших соглашение о приёме с исследовательской "
            "организацией и планирующих находиться в Чешской Республике более трёх месяцев. "
            "Заявление можно подать в дипломатическом представительстве или непосредственно "
            "в Чехии, если у заявителя уже есть виза для пребывания свыше 90 дней или разрешение "
            "на долгосрочное проживание (в том числе выданное другим государством — членом ЕС).",
        },
        "sources": ["[004]", "[003]", "[001]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "always"),
            ("hosting_agreement", "always"),
            *_ABROAD_RESIDENCE,
        ],
    },
    # "plan to stay in the Czech Republic for more than 90 days and intend to make a significant
    # investment" ... "with the right to conduct business arising no later than upon submission
    # of the residence permit" ... "possess financial resources deposited in an account with
    # a bank established in an EU or EEA Member State and are able to prove the origin of those
    # funds, and are free of debts" [004]. The business registration keeps the general "business"
    # condition: an investor who only plans to start a business has no registration yet, and the
    # right to do business need only exist when the permit is handed over [004].
    {
        "code": "ltr_investment",
        "short_code": "DP",
        "purpose": "investment",
        "name": {
            "cs": "Povolení k dlouhodobému pobytu za účelem investování",
            "en": "Long-term residence permit for investment",
            "uk": "Дозвіл на довгострокове проживання з метою інвестування",
            "vi": "Giấy phép cư trú dài hạn vì mục đích đầu tư",
            "ru": "Разрешение на долгосрочное проживание с целью инвестирования",
        },
        "legal_basis": ACT,
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity, outside the seeds: at most 2 years (§ 44 odst. 4 of the Act).
        "max_validity_months": 24,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Pro cizince, kteří plánují pobyt delší než 90 dnů a chtějí v České republice "
            "uskutečnit významnou investici. Musíte zde podnikat nebo podnikání zahájit, vytvořit "
            "počet nových pracovních míst a investovat částku stanovenou nařízením vlády "
            "a prokázat, že investice je reálná, proveditelná a přínosná. Prostředky musí být "
            "uloženy u banky se sídlem v EU nebo EHP s doloženým původem a nesmíte mít dluhy "
            "(neplatí, pokud jste dosud v České republice nepobývali).",
            "en": "For foreign nationals who plan to stay more than 90 days and make "
            "a significant investment in the Czech Republic. You must run or start a business "
            "here, create the number of new jobs and invest the amount set by government "
            "regulation, and show that the investment is real, feasible and beneficial. The "
            "funds must be held in a bank established in the EU or EEA with a proven origin, "
            "and you must be free of debts (unless you have not lived in the Czech Republic "
            "before).",
            "uk": "Для іноземців, які планують перебувати понад 90 днів і хочуть здійснити "
            "в Чеській Республіці значну інвестицію. Потрібно вести або розпочати тут "
            "підприємницьку діяльність, створити визначену кількість нових робочих місць "
            "й інвестувати суму, встановлену постановою уряду, а також довести, що інвестиція "
            "реальна, здійсненна і корисна. Кошти мають зберігатися в банку, зареєстрованому "
            "в ЄС або ЄЕЗ, з підтвердженим походженням, і ви не повинні мати боргів (це не "
            "стосується тих, хто раніше не проживав у Чехії).",
            "vi": "Dành cho người nước ngoài dự định lưu trú trên 90 ngày và muốn thực hiện một "
            "khoản đầu tư đáng kể tại Cộng hòa Séc. Bạn phải đang hoặc sẽ bắt đầu kinh doanh tại "
            "đây, tạo ra số việc làm mới và đầu tư số tiền theo nghị định của chính phủ, đồng "
            "thời chứng minh khoản đầu tư là thực tế, khả thi và có lợi. Số tiền phải được gửi "
            "tại ngân hàng có trụ sở trong EU hoặc EEA, có nguồn gốc được chứng minh, và bạn "
            "không được có nợ (trừ khi trước đây bạn chưa từng cư trú tại Séc).",
            "ru": "Для иностранцев, которые планируют находиться в стране более 90 дней и хотят "
            "осуществить в Чешской Республике значительную инвестицию. Нужно вести или начать "
            "здесь предпринимательскую деятельность, создать установленное число новых рабочих "
            "мест и инвестировать сумму, определённую постановлением правительства, а также "
            "доказать, что инвестиция реальна, осуществима и полезна. Средства должны храниться "
            "в банке, зарегистрированном в ЕС или ЕЭЗ, с подтверждённым происхождением, и у вас "
            "не должно быть долгов (это не касается тех, кто ранее не проживал в Чехии).",
        },
        "sources": ["[004]", "[003]", "[001]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "always"),
            ("business_registration", "business"),
            *_ABROAD_RESIDENCE,
        ],
    },
    # "foreign nationals who have already been issued a visa for a stay exceeding 90 days for the
    # purpose of tolerated stay and whose residence in the Czech Republic is expected to last for
    # more than one year ... the reasons for which the visa was originally issued continue to
    # exist" ... also "whose long-term residence permit for the purpose of protection has expired
    # or been cancelled, and whose employer is currently subject to proceedings concerning the
    # payment of outstanding wages" [004]
    {
        "code": "ltr_tolerated",
        "short_code": "DP",
        "purpose": "protection",
        "name": {
            "cs": "Povolení k dlouhodobému pobytu za účelem strpění pobytu na území",
            "en": "Long-term residence permit for tolerated stay",
            "uk": "Дозвіл на довгострокове проживання з метою толерованого перебування",
            "vi": "Giấy phép cư trú dài hạn vì mục đích lưu trú được dung thứ",
            "ru": "Разрешение на долгосрочное проживание с целью толерируемого пребывания",
        },
        "legal_basis": ACT,
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity, outside the seeds: a tolerated-stay permit is issued for 1 year (§ 44 odst. 4
        # písm. b) of the Act).
        "max_validity_months": 12,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": False,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Pro držitele víza za účelem strpění pobytu, jejichž pobyt má trvat déle než "
            "jeden rok, pokud důvody, pro které bylo vízum uděleno, nadále trvají. Povolení se "
            "uděluje také cizincům, jejichž povolení za účelem ochrany na území skončilo nebo "
            "bylo zrušeno a jejichž zaměstnavatel je v řízení o výplatě dosud nevyplacené mzdy.",
            "en": "For holders of a tolerated-stay visa whose stay is expected to last more than "
            "one year, provided the reasons for which the visa was granted still exist. It is "
            "also granted to foreign nationals whose protection permit has expired or been "
            "cancelled while their employer is subject to proceedings about wages still owed to "
            "them.",
            "uk": "Для власників візи з метою толерованого перебування, чиє перебування має "
            "тривати понад один рік, якщо причини, з яких було видано візу, і далі існують. "
            "Дозвіл видається також іноземцям, чий дозвіл з метою захисту закінчився або був "
            "скасований і щодо роботодавця яких триває провадження про виплату ще не виплаченої "
            "їм заробітної плати.",
            "vi": "Dành cho người có thị thực vì mục đích lưu trú được dung thứ, dự kiến lưu trú "
            "trên một năm, nếu những lý do cấp thị thực vẫn còn. Giấy phép cũng được cấp cho "
            "người nước ngoài có giấy phép vì mục đích bảo vệ đã hết hạn hoặc bị hủy, trong khi "
            "chủ sử dụng lao động của họ đang trong thủ tục về việc trả khoản lương còn nợ.",
            "ru": "Для владельцев визы с целью толерируемого пребывания, чьё пребывание должно "
            "продлиться более одного года, если причины, по которым была выдана виза, "
            "сохраняются. Разрешение выдаётся также иностранцам, чьё разрешение с целью защиты "
            "истекло или было аннулировано, а в отношении их работодателя ведётся производство "
            "о выплате ещё не выплаченной им заработной платы.",
        },
        "sources": ["[004]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "on_request"),
        ],
    },
    # "holders of long-term residence permits for the purpose of study or scientific research
    # who, after completing these activities, wish to remain in the country to seek employment or
    # to start a business ... must submit proof of successful completion of their studies or
    # research, evidence of accommodation, health insurance, and other documents required by
    # law." [004] (purpose_of_stay = the proof of completion; the insurance is asked at filing.)
    {
        "code": "ltr_job_seeking",
        "short_code": "DP",
        "purpose": "work",
        "name": {
            "cs": "Povolení k dlouhodobému pobytu za účelem hledání zaměstnání nebo zahájení "
            "podnikání",
            "en": "Long-term residence permit for job seeking or starting a business after study "
            "or research",
            "uk": "Дозвіл на довгострокове проживання з метою пошуку роботи або започаткування "
            "підприємницької діяльності після навчання чи досліджень",
            "vi": "Giấy phép cư trú dài hạn vì mục đích tìm việc làm hoặc bắt đầu kinh doanh sau "
            "khi học tập hoặc nghiên cứu",
            "ru": "Разрешение на долгосрочное проживание с целью поиска работы или начала "
            "предпринимательской деятельности после обучения или исследований",
        },
        "legal_basis": ACT,
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity, outside the seeds: 9 months, not extended (§ 44 odst. 4 of the Act, implementing
        # Art. 25 of Directive (EU) 2016/801).
        "max_validity_months": 9,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": False,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Pro držitele povolení k dlouhodobému pobytu za účelem studia nebo vědeckého "
            "výzkumu, kteří po jejich ukončení chtějí zůstat, hledat zaměstnání nebo začít "
            "podnikat. Předkládá se doklad o úspěšném ukončení studia nebo výzkumu, doklad "
            "o ubytování, zdravotní pojištění a další doklady stanovené zákonem.",
            "en": "For holders of a long-term residence permit for study or scientific research "
            "who, after completing it, want to stay to look for a job or start a business. You "
            "submit proof that you successfully completed your studies or research, proof of "
            "accommodation, health insurance and the other documents required by law.",
            "uk": "Для власників дозволу на довгострокове проживання з метою навчання або "
            "наукових досліджень, які після їх завершення хочуть залишитися, щоб шукати роботу "
            "або започаткувати бізнес. Подається підтвердження успішного завершення навчання чи "
            "досліджень, підтвердження житла, медичне страхування та інші документи, визначені "
            "законом.",
            "vi": "Dành cho người có giấy phép cư trú dài hạn vì mục đích học tập hoặc nghiên "
            "cứu khoa học, sau khi hoàn thành muốn ở lại để tìm việc làm hoặc bắt đầu kinh "
            "doanh. Cần nộp giấy tờ chứng minh đã hoàn thành việc học hoặc nghiên cứu, giấy tờ "
            "chỗ ở, bảo hiểm y tế và các giấy tờ khác theo quy định của pháp luật.",
            "ru": "Для владельцев разрешения на долгосрочное проживание с целью обучения или "
            "научных исследований, которые после их завершения хотят остаться, чтобы искать "
            "работу или начать бизнес. Подаются подтверждение успешного окончания учёбы или "
            "исследований, подтверждение жилья, медицинская страховка и другие документы, "
            "предусмотренные законом.",
        },
        "sources": ["[004]"],
        "requirements": [
            *_CORE,
            ("travel_health_insurance", "always"),
            ("criminal_record", "on_request"),
            ("business_registration", "business"),
        ],
    },
    # "a combined permit - it authorizes both residence and employment in a specific position
    # listed in the central register of job vacancies" ... "salary is not lower than the statutory
    # minimum wage and the working time is at least 15 hours per week" ... "cannot be issued to
    # a foreign national who acts as a partner or a member of the statutory body ... nor to
    # a person who has been issued a permit for seasonal employment" [004]; vacancy number: "It is
    # not necessary to submit such a document, if the designated number of the available vacancy
    # is stated directly in your application" [001] -> "rule".
    {
        "code": "employee_card",
        "short_code": "ZK",
        "purpose": "work",
        "name": {
            "cs": "Zaměstnanecká karta",
            "en": "Employee Card",
            "uk": "Картка працівника",
            "vi": "Thẻ lao động",
            "ru": "Карта работника",
        },
        "legal_basis": f"§ 42g {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity, outside the seeds: the length of the employment, at most 2 years (§ 42g of the
        # Act).
        "max_validity_months": 24,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Duální povolení k pobytu delšímu než tři měsíce a k práci na konkrétní pozici "
            "vedené v centrální evidenci volných pracovních míst obsaditelných držiteli "
            "zaměstnanecké karty. Potřebujete pracovní smlouvu, dohodu o pracovní činnosti nebo "
            "smlouvu o smlouvě budoucí se mzdou alespoň ve výši minimální mzdy a s pracovní "
            "dobou alespoň 15 hodin týdně a musíte splňovat kvalifikační požadavky. Číslo "
            "volného místa uveďte přímo v žádosti, nebo přiložte výpis z evidence. Kartu nelze "
            "vydat společníkovi nebo členovi statutárního orgánu, který plní úkoly z předmětu "
            "činnosti společnosti, ani držiteli povolení k sezónnímu zaměstnání.",
            "en": "A combined permit to stay more than three months and work in the specific "
            "job listed in the Central Register of Available Vacancies open to Employee Card "
            "holders. You need an employment contract, agreement on work activity or contract on "
            "future employment paying at least the minimum wage for at least 15 hours a week, and "
            "you must meet the qualification requirements. State the vacancy number in the "
            "application, or attach a printout from the register. Not for partners or "
            "statutory-body members doing the company's business, nor for holders of "
            "a seasonal-employment permit.",
            "uk": "Комбінований дозвіл на перебування понад три місяці та роботу на конкретній "
            "посаді, внесеній до Центрального реєстру вакансій, доступних для власників картки "
            "працівника. Потрібен трудовий договір, угода про трудову діяльність або договір "
            "про майбутній трудовий договір із зарплатою не нижчою за мінімальну та робочим "
            "часом не менше 15 годин на тиждень, а також відповідність кваліфікаційним вимогам. "
            "Номер вакансії вкажіть безпосередньо в заяві або додайте роздруківку з реєстру. "
            "Картка не видається партнерам чи членам статутного органу, які виконують завдання "
            "з діяльності компанії, а також власникам дозволу на сезонну роботу.",
            "vi": "Giấy phép kép cho phép lưu trú trên ba tháng và làm việc tại vị trí cụ thể có "
            "trong Sổ đăng ký trung ương các vị trí việc làm dành cho người có thẻ lao động. Bạn "
            "cần hợp đồng lao động, thỏa thuận thực hiện công việc hoặc hợp đồng hứa hẹn với mức "
            "lương không thấp hơn lương tối thiểu và thời gian làm việc ít nhất 15 giờ mỗi tuần, "
            "đồng thời đáp ứng yêu cầu về trình độ. Hãy ghi mã số vị trí trực tiếp trong đơn "
            "hoặc đính kèm bản in từ sổ đăng ký. Thẻ không cấp cho thành viên góp vốn hoặc thành "
            "viên cơ quan điều hành thực hiện hoạt động kinh doanh của công ty, cũng như người "
            "có giấy phép lao động thời vụ.",
            "ru": "Комбинированное разрешение на пребывание более трёх месяцев и работу на "
            "конкретной должности, внесённой в Центральный реестр вакансий, доступных для "
            "владельцев карты работника. Нужен трудовой договор, соглашение о трудовой "
            "деятельности или договор о будущем трудовом договоре с зарплатой не ниже "
            "минимальной и рабочим временем не менее 15 часов в неделю, а также соответствие "
            "квалификационным требованиям. Номер вакансии укажите прямо в заявлении или "
            "приложите распечатку из реестра. Карта не выдаётся партнёрам или членам "
            "уставного органа, выполняющим задачи деятельности компании, а также владельцам "
            "разрешения на сезонную работу.",
        },
        "sources": ["[004]", "[001]", "[003]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "always"),
            ("employment_contract", "always"),
            ("vacancy_number", "rule"),
            *_ABROAD_RESIDENCE,
        ],
    },
    # "Blue card may be newly issued for a maximum period of 3 years. That applies also to
    # extensions"; "The notification must be made within 3 days of the change"; "an entry into
    # a 6-months period of employment will be sufficient"; a Blue Card holder of another Member
    # State "does not need to submit a document equivalent to an Extract from the Criminal
    # Record ... (i.e. from the country that issued the Blue Card)" -> the criminal record stays
    # "always", the other states' extracts are still needed; after 2 years of Blue Card work it
    # "does not have to submit evidence of a university-level qualification" [001] -> "rule".
    # "highly qualified workers" [004]
    {
        "code": "blue_card",
        "short_code": "MK",
        "purpose": "work",
        "name": {
            "cs": "Modrá karta",
            "en": "EU Blue Card",
            "uk": "Блакитна картка ЄС",
            "vi": "Thẻ xanh EU",
            "ru": "Голубая карта ЕС",
        },
        "legal_basis": f"§ 42i {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        "max_validity_months": 36,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Povolení k dlouhodobému pobytu pro vysoce kvalifikované pracovníky; žádat mohou "
            "i azylanti, osoby s doplňkovou ochranou, držitelé víza za účelem sezónního "
            "zaměstnání a za určitých podmínek rodinní příslušníci občanů EU. Stačí pracovní "
            "smlouva nebo smlouva o smlouvě budoucí na dobu alespoň 6 měsíců. Karta se vydává "
            "i prodlužuje nejvýše na 3 roky a změnu zaměstnavatele nebo pozice je nutné oznámit "
            "do 3 dnů. Držitel modré karty jiného státu EU nepředkládá výpis z rejstříku trestů "
            "státu, který mu ji vydal (výpisy ostatních států ano), a po 2 letech práce na modrou "
            "kartu ani doklad o vysokoškolské kvalifikaci.",
            "en": "A long-term residence permit for highly qualified workers; asylum holders, "
            "persons with subsidiary protection, holders of a seasonal-employment visa and, under "
            "conditions, family members of EU citizens may also apply. A work contract or "
            "pre-employment contract for at least 6 months is enough. The card is issued and "
            "extended for at most 3 years, and a change of employer or position must be notified "
            "within 3 days. A Blue Card holder of another EU state needs no criminal-record "
            "extract from the state that issued the card (the other states' extracts are still "
            "needed), and after 2 years of Blue Card work no proof of university qualification.",
            "uk": "Дозвіл на довгострокове проживання для висококваліфікованих працівників; "
            "подати заяву можуть також особи з притулком або додатковим захистом, власники візи "
            "для сезонної роботи та за певних умов члени сімей громадян ЄС. Достатньо трудового "
            "договору або договору про майбутній трудовий договір щонайменше на 6 місяців. "
            "Картка видається і продовжується не більше ніж на 3 роки, а про зміну роботодавця "
            "чи посади потрібно повідомити протягом 3 днів. Власник блакитної картки іншої "
            "держави ЄС не подає витяг про несудимість з держави, яка видала картку (витяги "
            "інших держав потрібні), а після 2 років роботи за блакитною карткою — і "
            "підтвердження вищої освіти.",
            "vi": "Giấy phép cư trú dài hạn dành cho lao động có trình độ cao; người được tị nạn, "
            "người được bảo hộ bổ sung, người có thị thực lao động thời vụ và, trong một số điều "
            "kiện, thành viên gia đình của công dân EU cũng có thể nộp đơn. Chỉ cần hợp đồng lao "
            "động hoặc hợp đồng hứa hẹn với thời hạn ít nhất 6 tháng. Thẻ được cấp và gia hạn tối "
            "đa 3 năm, việc thay đổi chủ sử dụng lao động hoặc vị trí phải được thông báo trong "
            "vòng 3 ngày. Người có thẻ xanh của nước EU khác không cần nộp lý lịch tư pháp của "
            "nước đã cấp thẻ (lý lịch tư pháp của các nước khác vẫn cần), và sau 2 năm làm việc "
            "theo thẻ xanh thì không cần giấy tờ chứng minh trình độ đại học.",
            "ru": "Разрешение на долгосрочное проживание для высококвалифицированных работников; "
            "подать заявление могут также лица, получившие убежище или дополнительную защиту, "
            "владельцы визы для сезонной работы и при определённых условиях члены семей граждан "
            "ЕС. Достаточно трудового договора или договора о будущем трудовом договоре не менее "
            "чем на 6 месяцев. Карта выдаётся и продлевается не более чем на 3 года, а о смене "
            "работодателя или должности нужно уведомить в течение 3 дней. Владелец голубой "
            "карты другого государства ЕС не подаёт справку о несудимости из государства, "
            "выдавшего карту (справки других государств нужны), а после 2 лет работы по голубой "
            "карте — и подтверждение высшего образования.",
        },
        "sources": ["[001]", "[004]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "always"),
            ("employment_contract", "always"),
            ("university_qualification", "rule"),
            *_ABROAD_RESIDENCE,
        ],
    },
    # "entitles a foreign national to stay in the territory of the Czech Republic for more than 90
    # days and to work in a position as a manager, specialist, or trainee ... temporarily
    # transferred from a business entity established outside the European Union—where the
    # employment relationship remains in effect during the transfer—to its branch or subsidiary"
    # [004]. employment_contract = the contract with the sending employer.
    {
        "code": "ict_card",
        "short_code": "ICT",
        "purpose": "work",
        "name": {
            "cs": "Karta vnitropodnikově převedeného zaměstnance",
            "en": "Intra-Corporate Transferee Card",
            "uk": "Картка внутрішньокорпоративно переведеного працівника",
            "vi": "Thẻ lao động thuyên chuyển nội bộ doanh nghiệp",
            "ru": "Карта внутрикорпоративно переведённого работника",
        },
        "legal_basis": f"§ 42j {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity, outside the seeds: the length of the transfer, at most 3 years for a manager
        # or specialist and 1 year for a trainee (§ 42j of the Act); the catalogue holds the
        # managers' and specialists' figure, the caseworker gives a trainee at most 12 months.
        "max_validity_months": 36,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Pro manažery, specialisty a zaměstnance-stážisty dočasně převedené ze "
            "společnosti usazené mimo EU, u níž jejich pracovní poměr trvá, do její pobočky nebo "
            "dceřiné společnosti v České republice, případně do jiné společnosti téže skupiny. "
            "Karta opravňuje k pobytu delšímu než 90 dnů a k výkonu práce na této pozici.",
            "en": "For managers, specialists and trainees temporarily transferred from a company "
            "established outside the EU, with which their employment continues, to its branch or "
            "subsidiary in the Czech Republic or to another company of the same group. The card "
            "entitles the holder to stay more than 90 days and work in that position.",
            "uk": "Для менеджерів, спеціалістів і стажистів, тимчасово переведених з компанії, "
            "зареєстрованої за межами ЄС, з якою зберігаються їхні трудові відносини, до її "
            "філії чи дочірньої компанії в Чеській Республіці або до іншої компанії тієї ж "
            "групи. Картка дає право перебувати понад 90 днів і працювати на цій посаді.",
            "vi": "Dành cho nhà quản lý, chuyên gia và thực tập sinh được thuyên chuyển tạm thời "
            "từ một công ty có trụ sở ngoài EU, nơi quan hệ lao động của họ vẫn tiếp tục, sang "
            "chi nhánh hoặc công ty con tại Cộng hòa Séc hoặc sang công ty khác cùng tập đoàn. "
            "Thẻ cho phép lưu trú trên 90 ngày và làm việc tại vị trí đó.",
            "ru": "Для менеджеров, специалистов и стажёров, временно переведённых из компании, "
            "зарегистрированной за пределами ЕС, с которой сохраняются их трудовые отношения, "
            "в её филиал или дочернюю компанию в Чешской Республике либо в другую компанию той "
            "же группы. Карта даёт право находиться в стране более 90 дней и работать на этой "
            "должности.",
        },
        "sources": ["[004]", "[003]", "[001]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "always"),
            ("employment_contract", "always"),
            *_ABROAD_RESIDENCE,
        ],
    },
    # "intended for foreign nationals who already hold an intra-corporate transferee card issued
    # by another Member State of the European Union. It allows them to stay ... for more than 90
    # days and to work in a position as a manager, specialist, or trainee" [004]
    {
        "code": "ict_card_eu",
        "short_code": "ICT",
        "purpose": "work",
        "name": {
            "cs": "Povolení k dlouhodobému pobytu pro držitele karty vnitropodnikově převedeného "
            "zaměstnance jiného členského státu EU",
            "en": "Intra-Corporate Transferee Card for employees of another EU Member State",
            "uk": "Дозвіл на довгострокове проживання для власників картки "
            "внутрішньокорпоративно переведеного працівника іншої держави-члена ЄС",
            "vi": "Giấy phép cư trú dài hạn cho người có thẻ lao động thuyên chuyển nội bộ do "
            "nước thành viên EU khác cấp",
            "ru": "Разрешение на долгосрочное проживание для владельцев карты "
            "внутрикорпоративно переведённого работника другого государства — члена ЕС",
        },
        "legal_basis": f"§ 42k {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity, outside the seeds: as the ICT card, at most 3 years (1 year for a trainee; § 42k
        # of the Act).
        "max_validity_months": 36,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Pro cizince, kteří již mají kartu vnitropodnikově převedeného zaměstnance "
            "vydanou jiným členským státem EU. Povolení opravňuje k pobytu v České republice "
            "delšímu než 90 dnů a k práci na pozici manažera, specialisty nebo "
            "zaměstnance-stážisty v rámci vnitropodnikového převedení.",
            "en": "For foreign nationals who already hold an intra-corporate transferee card "
            "issued by another EU Member State. It allows a stay in the Czech Republic of more "
            "than 90 days and work as a manager, specialist or trainee within the intra-corporate "
            "transfer.",
            "uk": "Для іноземців, які вже мають картку внутрішньокорпоративно переведеного "
            "працівника, видану іншою державою-членом ЄС. Дозвіл дає право перебувати в Чеській "
            "Республіці понад 90 днів і працювати менеджером, спеціалістом або стажистом "
            "у межах внутрішньокорпоративного переведення.",
            "vi": "Dành cho người nước ngoài đã có thẻ lao động thuyên chuyển nội bộ do một "
            "nước thành viên EU khác cấp. Giấy phép cho phép lưu trú tại Cộng hòa Séc trên 90 "
            "ngày và làm việc ở vị trí nhà quản lý, chuyên gia hoặc thực tập sinh trong khuôn "
            "khổ thuyên chuyển nội bộ.",
            "ru": "Для иностранцев, у которых уже есть карта внутрикорпоративно переведённого "
            "работника, выданная другим государством — членом ЕС. Разрешение даёт право "
            "находиться в Чешской Республике более 90 дней и работать менеджером, специалистом "
            "или стажёром в рамках внутрикорпоративного перевода.",
        },
        "sources": ["[004]", "[003]", "[001]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "always"),
            ("employment_contract", "always"),
            *_ABROAD_RESIDENCE,
        ],
    },
    # ---------------------------------------------------------------- permanent residence -----
    # "after 5 years of continuous residence ... Time spent on a long-term visa or a long-term
    # residence permit counts ... time on a short-term visa does not"; "only half of the time
    # spent studying"; "passing a Czech language test at the A2 level"; "you must provide proof of
    # accommodation in the Czech Republic and proof of sufficient financial means for your stay.
    # You may also be asked to provide an extract from your criminal record." [003]; "A person
    # staying in the country merely on the basis of an 'Interim Visa', may not apply" [001];
    # "60 days from filing the application in the Czech Republic and 180 from filing the
    # application at a Czech Embassy" [002]
    {
        "code": "permanent_residence",
        "short_code": "TP",
        "purpose": "permanent",
        "name": {
            "cs": "Povolení k trvalému pobytu (po 5 letech nepřetržitého pobytu)",
            "en": "Permanent residence permit (after 5 years of continuous residence)",
            "uk": "Дозвіл на постійне проживання (після 5 років безперервного проживання)",
            "vi": "Giấy phép cư trú vĩnh viễn (sau 5 năm cư trú liên tục)",
            "ru": "Разрешение на постоянное проживание (после 5 лет непрерывного проживания)",
        },
        "legal_basis": f"§ 68 {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity: none. A permanent residence permit has no end date (§ 68 of the Act, outside the
        # seeds): a grant leaves "valid to" empty (permits.validity).
        "max_validity_months": None,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Žádat můžete po 5 letech nepřetržitého pobytu; započítává se pobyt na "
            "dlouhodobé vízum a povolení k dlouhodobému pobytu, nikoli na krátkodobé vízum, "
            "a doba studia jen z poloviny. Doložíte znalost češtiny na úrovni A2, ubytování "
            "a dostatečné finanční prostředky; může být vyžádán výpis z rejstříku trestů. "
            "Žádat nelze, pobýváte-li na území jen na základě tzv. fikce pobytu (překlenovacího "
            "štítku), s výjimkou rodinných příslušníků občanů EU a dětí, které chtějí žít "
            "s rodičem s trvalým pobytem. O žádosti se rozhoduje do 60 dnů, při podání na "
            "zastupitelském úřadu do 180 dnů.",
            "en": "You can apply after 5 years of continuous residence; time on a long-term visa "
            "or long-term residence permit counts, time on a short-term visa does not, and study "
            "time counts half. You prove Czech at level A2, accommodation and sufficient "
            "financial means; an extract from the criminal record may be requested. You cannot "
            "apply while staying only on an 'interim visa', except family members of EU citizens "
            "and children joining a parent with permanent residence. The decision is due within "
            "60 days, or 180 days if you apply at an embassy.",
            "uk": "Подати заяву можна після 5 років безперервного проживання; зараховується "
            "перебування на довгостроковій візі та дозволі на довгострокове проживання, але не "
            "на короткостроковій візі, а час навчання — лише наполовину. Потрібно підтвердити "
            "знання чеської мови на рівні A2, житло та достатні фінансові засоби; можуть "
            "попросити витяг з реєстру судимостей. Заяву не можна подати, якщо ви перебуваєте "
            "лише на підставі так званої «проміжної візи», за винятком членів сімей громадян ЄС "
            "і дітей, які хочуть жити з батьком чи матір'ю з постійним проживанням. Рішення "
            "ухвалюється протягом 60 днів, а при поданні в посольстві — протягом 180 днів.",
            "vi": "Bạn có thể nộp đơn sau 5 năm cư trú liên tục; thời gian theo thị thực dài hạn "
            "hoặc giấy phép cư trú dài hạn được tính, theo thị thực ngắn hạn thì không, và thời "
            "gian học tập chỉ được tính một nửa. Bạn cần chứng minh trình độ tiếng Séc A2, chỗ ở "
            "và đủ tài chính; có thể được yêu cầu nộp lý lịch tư pháp. Không thể nộp đơn nếu chỉ "
            "đang lưu trú theo 'thị thực chuyển tiếp', trừ thành viên gia đình của công dân EU "
            "và trẻ em đoàn tụ với cha mẹ có cư trú vĩnh viễn. Thời hạn giải quyết là 60 ngày, "
            "hoặc 180 ngày nếu nộp tại Đại sứ quán.",
            "ru": "Подать заявление можно после 5 лет непрерывного проживания; засчитывается "
            "пребывание по долгосрочной визе и разрешению на долгосрочное проживание, но не по "
            "краткосрочной визе, а время учёбы — лишь наполовину. Нужно подтвердить знание "
            "чешского языка на уровне A2, жильё и достаточные финансовые средства; могут "
            "запросить выписку из реестра судимостей. Нельзя подать заявление, если вы "
            "находитесь в стране только на основании так называемой «промежуточной визы», за "
            "исключением членов семей граждан ЕС и детей, желающих жить с родителем, имеющим "
            "постоянное проживание. Решение принимается в течение 60 дней, а при подаче "
            "в посольстве — 180 дней.",
        },
        "sources": ["[003]", "[002]", "[001]"],
        "requirements": [
            ("travel_document", "always"),
            ("photograph", "always"),
            ("accommodation", "always"),
            ("financial_means", "always"),
            ("czech_a2", "always"),
            ("continuous_residence", "always"),
            ("criminal_record", "on_request"),
            ("parental_consent", "minor"),
        ],
    },
    # Waivers: "b) for humanitarian reasons, c) for other reasons of special consideration (such
    # as Czech ancestry), d) whose stay in the territory is in the interest of the Czech Republic,
    # e) who is a minor child or adult dependent on a foreign national who is staying in the Czech
    # Republic on the basis of a permanent residence permit, if the reason for the application is
    # family reunification." [002]; humanitarian examples [004]; compatriots [003].
    # family_relationship is "rule": needed for ground e) and the family-based humanitarian cases;
    # the rules engine should waive it for the other grounds.
    # czech_a2 is "rule": [003] requires A2 for permanent residence and names no exemption, but
    # waiver cases include small children; the rules engine or the caseworker decides.
    {
        "code": "permanent_residence_waiver",
        "short_code": "TP",
        "purpose": "permanent",
        "name": {
            "cs": "Povolení k trvalému pobytu bez podmínky předchozího nepřetržitého pobytu",
            "en": "Permanent residence permit without the 5-year residence condition",
            "uk": "Дозвіл на постійне проживання без умови 5 років безперервного проживання",
            "vi": "Giấy phép cư trú vĩnh viễn không cần điều kiện 5 năm cư trú liên tục",
            "ru": "Разрешение на постоянное проживание без условия 5 лет непрерывного проживания",
        },
        "legal_basis": f"§ 66 {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity: none, as for permanent_residence (§ 66 of the Act, outside the seeds).
        "max_validity_months": None,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Trvalý pobyt bez podmínky 5 let nepřetržitého pobytu: z humanitárních důvodů "
            "(např. manžel nebo nezletilé dítě azylanta, bývalý občan České republiky), "
            "z jiných důvodů hodných zvláštního zřetele (např. český původ), je-li pobyt "
            "v zájmu České republiky, nebo pro nezletilé či závislé zletilé dítě cizince s trvalým "
            "pobytem za účelem společného soužití rodiny. Krajané s prokazatelným českým "
            "původem, jejich manželé a nezletilé děti žádají z důvodů hodných zvláštního "
            "zřetele. Na zastupitelském úřadu se žádost podává osobně; za dítě mladší 15 let ji "
            "podává zákonný zástupce.",
            "en": "Permanent residence without the 5-year condition: for humanitarian reasons "
            "(e.g. the spouse or minor child of an asylum holder, a former Czech citizen), for "
            "other reasons worthy of special consideration (e.g. Czech ancestry), when your "
            "residence is in the interest of the Czech Republic, or for a minor or dependent "
            "adult child of a foreign national with permanent residence, for family reunification. "
            "Czech compatriots with demonstrable Czech origin, their spouses and minor children "
            "apply on grounds of special consideration. At an embassy you apply in person; a "
            "legal representative applies for a child under 15.",
            "uk": "Постійне проживання без умови 5 років безперервного проживання: з гуманітарних "
            "причин (наприклад, чоловік/дружина або неповнолітня дитина особи з притулком, "
            "колишній громадянин Чеської Республіки), з інших причин, що заслуговують на особливу "
            "увагу (наприклад, чеське походження), якщо ваше перебування відповідає інтересам "
            "Чеської Республіки, або для неповнолітньої дитини чи повнолітньої дитини на "
            "утриманні іноземця з постійним проживанням з метою возз'єднання сім'ї. "
            "Співвітчизники з доведеним чеським походженням, їхні подружжя та неповнолітні діти "
            "подають заяву з причин, що заслуговують на особливу увагу. У посольстві заява "
            "подається особисто; за дитину, молодшу 15 років, її подає законний представник.",
            "vi": "Cư trú vĩnh viễn không cần điều kiện 5 năm cư trú liên tục: vì lý do nhân đạo "
            "(ví dụ vợ/chồng hoặc con chưa thành niên của người được tị nạn, người từng là công "
            "dân Séc), vì lý do khác đáng được đặc biệt xem xét (ví dụ có tổ tiên là người Séc), "
            "khi việc cư trú của bạn vì lợi ích của Cộng hòa Séc, hoặc cho con chưa thành niên "
            "hay con đã thành niên còn phụ thuộc của người nước ngoài có cư trú vĩnh viễn nhằm "
            "đoàn tụ gia đình. Kiều bào có nguồn gốc Séc được chứng minh, vợ/chồng và con chưa "
            "thành niên của họ nộp đơn theo lý do đáng được đặc biệt xem xét. Tại Đại sứ quán, "
            "đơn được nộp trực tiếp; với trẻ dưới 15 tuổi, người đại diện hợp pháp nộp đơn.",
            "ru": "Постоянное проживание без условия 5 лет непрерывного проживания: по "
            "гуманитарным причинам (например, супруг или несовершеннолетний ребёнок лица, "
            "получившего убежище, бывший гражданин Чешской Республики), по иным причинам, "
            "заслуживающим особого внимания (например, чешское происхождение), если ваше "
            "пребывание отвечает интересам Чешской Республики, или для несовершеннолетнего либо "
            "совершеннолетнего ребёнка на иждивении у иностранца с постоянным проживанием с целью "
            "воссоединения семьи. Соотечественники с доказанным чешским происхождением, их "
            "супруги и несовершеннолетние дети подают заявление по причинам, заслуживающим "
            "особого внимания. В посольстве заявление подаётся лично; за ребёнка младше 15 лет "
            "его подаёт законный представитель.",
        },
        "sources": ["[002]", "[004]", "[003]"],
        "requirements": [
            ("travel_document", "always"),
            ("photograph", "always"),
            ("accommodation", "always"),
            ("financial_means", "always"),
            ("czech_a2", "rule"),
            ("family_relationship", "rule"),
            ("criminal_record", "on_request"),
            ("parental_consent", "minor"),
        ],
    },
    # -------------------------------------------------------------- proceedings on a permit ---
    # "A long-term residence permit is available to foreign nationals who are already residing in
    # the territory of the Czech Republic on the basis of a visa for a stay exceeding 90 days and
    # wish to remain in the country for more than one year while maintaining the same purpose of
    # stay." [004]; "have you already been staying in the Czech Republic on a long-term visa and
    # wish to extend your stay? In that case, the appropriate option is to apply for a long-term
    # residence permit in the Czech Republic" ... "essentially the same documents as when applying
    # for a long-term visa" ... "An administrative fee is also payable upon submission of the
    # application." ... "If you change from a long-term visa to a long-term residence permit, you
    # must continue to fulfil the same purpose of stay" [003]. The purposes with a permit of their
    # own (study, research, family reunification, investment) keep it; this is the permit for the
    # others, business above all. Legal basis: § 42 of the Act (outside the seeds).
    {
        "code": "long_term_residence_after_visa",
        "short_code": "DP",
        "purpose": "administrative",
        "name": {
            "cs": "Povolení k dlouhodobému pobytu za stejným účelem po dlouhodobém vízu",
            "en": "Long-term residence permit for the same purpose after a long-term visa",
            "uk": "Дозвіл на довгострокове проживання з тією самою метою після довгострокової візи",
            "vi": "Giấy phép cư trú dài hạn với cùng mục đích sau thị thực dài hạn",
            "ru": "Разрешение на долгосрочное проживание с той же целью после долгосрочной визы",
        },
        "legal_basis": f"§ 42 {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity, outside the seeds: a long-term residence permit, at most 2 years (§ 44 odst. 4
        # of the Act).
        "max_validity_months": 24,
        "fee_czk": None,
        "fee_note": None,
        # Filed in the Czech Republic: the applicant is here on the visa [004][003].
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": False,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Pro cizince, kteří v České republice pobývají na vízum k pobytu nad 90 dnů a "
            "chtějí zde zůstat déle než jeden rok za stejným účelem, např. kvůli podnikání. "
            "Žádost podáváte na území u ministerstva vnitra s v podstatě stejnými doklady jako k "
            "vízu: cestovní pas, doklad o účelu pobytu, o ubytování a o finančních prostředcích; "
            "při podání se platí správní poplatek. Stejný účel pobytu musíte plnit i nadále; "
            "změnit jej můžete až po získání povolení k dlouhodobému pobytu.",
            "en": "For foreign nationals staying in the Czech Republic on a visa for over 90 days "
            "who want to stay longer than one year for the same purpose, e.g. for business. You "
            "apply with the Ministry of the Interior in the Czech Republic, with essentially the "
            "same documents as for the visa: passport, proof of the purpose of stay, of "
            "accommodation and of financial means; an administrative fee is payable on filing. "
            "You must keep fulfilling the same purpose of stay; you may change it only once you "
            "hold the long-term residence permit.",
            "uk": "Для іноземців, які перебувають у Чеській Республіці на візі для перебування "
            "понад 90 днів і хочуть залишитися довше ніж на один рік з тією самою метою, "
            "наприклад для підприємницької діяльності. Заява подається в Чехії до Міністерства "
            "внутрішніх справ з по суті тими самими документами, що й для візи: паспорт, "
            "підтвердження мети перебування, житла та фінансових засобів; під час подання "
            "сплачується адміністративний збір. Ви повинні й надалі виконувати ту саму мету "
            "перебування; змінити її можна лише після отримання дозволу на довгострокове "
            "проживання.",
            "vi": "Dành cho người nước ngoài đang lưu trú tại Cộng hòa Séc theo thị thực trên 90 "
            "ngày và muốn ở lại lâu hơn một năm với cùng mục đích, ví dụ để kinh doanh. Đơn được "
            "nộp tại Bộ Nội vụ ở Séc với các giấy tờ về cơ bản giống như khi xin thị thực: hộ "
            "chiếu, giấy tờ chứng minh mục đích lưu trú, chỗ ở và tài chính; khi nộp đơn phải nộp "
            "lệ phí hành chính. Bạn phải tiếp tục thực hiện cùng mục đích lưu trú; chỉ có thể "
            "thay đổi mục đích sau khi đã được cấp giấy phép cư trú dài hạn.",
            "ru": "Для иностранцев, которые находятся в Чешской Республике по визе для пребывания "
            "свыше 90 дней и хотят остаться дольше одного года с той же целью, например для "
            "предпринимательской деятельности. Заявление подаётся в Чехии в Министерство "
            "внутренних дел по сути с теми же документами, что и для визы: паспорт, подтверждение "
            "цели пребывания, жилья и финансовых средств; при подаче уплачивается "
            "административная пошлина. Вы обязаны и дальше выполнять ту же цель пребывания; "
            "изменить её можно только после получения разрешения на долгосрочное проживание.",
        },
        "sources": ["[004]", "[003]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "on_request"),
            ("business_registration", "business"),
        ],
    },
    # "have already been staying in the Czech Republic on a long-term visa and wish to extend your
    # stay" ... "provide essentially the same documents as when applying for a long-term visa ...
    # a valid passport, a document proving the purpose of your stay ..., a document proving
    # accommodation ..., and a proof of sufficient financial means" ... "An administrative fee is
    # also payable upon submission of the application." [003]; Blue Card: "That applies also to
    # extensions of a Blue card." [001]
    {
        "code": "ltr_extension",
        "short_code": "DP",
        "purpose": "administrative",
        "name": {
            "cs": "Prodloužení platnosti povolení k dlouhodobému pobytu",
            "en": "Extension of a long-term residence permit",
            "uk": "Продовження строку дії дозволу на довгострокове проживання",
            "vi": "Gia hạn giấy phép cư trú dài hạn",
            "ru": "Продление срока действия разрешения на долгосрочное проживание",
        },
        "legal_basis": f"§ 44a {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity: the maximum of the permit extended. A Blue Card: 3 years, "That applies also to
        # extensions of a Blue card" [001] (permits.validity takes the Blue Card's figure when the
        # application says it extends one); any other long-term residence permit: the general 2
        # years (§ 44a odst. 1 of the Act, outside the seeds).
        "max_validity_months": 24,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": False,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Držitel povolení k dlouhodobému pobytu žádá o prodloužení na území s v podstatě "
            "stejnými doklady jako při první žádosti: cestovní pas, doklad o účelu pobytu, "
            "o ubytování a o finančních prostředcích. Až do získání trvalého pobytu musíte "
            "schválený účel pobytu plnit každý den. Při podání žádosti se platí správní "
            "poplatek. Modrou kartu lze prodloužit nejvýše na 3 roky.",
            "en": "Holders of a long-term residence permit apply for an extension in the Czech "
            "Republic with essentially the same documents as for the first application: passport, "
            "proof of the purpose of stay, of accommodation and of financial means. Until you "
            "obtain permanent residence you must fulfil the approved purpose of stay every day. "
            "An administrative fee is payable on filing. A Blue Card is extended for at most "
            "3 years.",
            "uk": "Власник дозволу на довгострокове проживання подає заяву про продовження "
            "в Чехії з по суті тими самими документами, що й під час першої заяви: паспорт, "
            "підтвердження мети перебування, житла та фінансових засобів. До отримання "
            "постійного проживання ви повинні щодня виконувати затверджену мету перебування. "
            "Під час подання заяви сплачується адміністративний збір. Блакитну картку можна "
            "продовжити не більше ніж на 3 роки.",
            "vi": "Người có giấy phép cư trú dài hạn nộp đơn gia hạn tại Séc với các giấy tờ về cơ "
            "bản giống như lần đầu: hộ chiếu, giấy tờ chứng minh mục đích lưu trú, chỗ ở và tài "
            "chính. Cho đến khi được cấp cư trú vĩnh viễn, bạn phải thực hiện mục đích lưu trú "
            "đã được phê duyệt mỗi ngày. Khi nộp đơn phải nộp lệ phí hành chính. Thẻ xanh EU "
            "được gia hạn tối đa 3 năm.",
            "ru": "Владелец разрешения на долгосрочное проживание подаёт заявление о продлении "
            "в Чехии по сути с теми же документами, что и при первом заявлении: паспорт, "
            "подтверждение цели пребывания, жилья и финансовых средств. До получения "
            "постоянного проживания вы обязаны ежедневно выполнять утверждённую цель "
            "пребывания. При подаче заявления уплачивается административная пошлина. Голубую "
            "карту можно продлить не более чем на 3 года.",
        },
        "sources": ["[003]", "[001]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "on_request"),
            ("business_registration", "business"),
        ],
    },
    # "You may change the purpose of your stay only after you have obtained a long-term residence
    # permit." ... business "only after 5 years of residence ... An exception applies to persons
    # residing in the Czech Republic for the purpose of family reunification" ... "resided ... for
    # 3 years, or if you have reached 18 years of age" ... divorce: "residing in the Czech
    # Republic continuously for at least 2 years and your marriage lasted for at least 5 years"
    # [003]
    {
        "code": "purpose_change",
        "short_code": "DP",
        "purpose": "administrative",
        "name": {
            "cs": "Povolení k dlouhodobému pobytu za jiným účelem (změna účelu pobytu)",
            "en": "Change of the purpose of stay",
            "uk": "Зміна мети перебування",
            "vi": "Thay đổi mục đích lưu trú",
            "ru": "Изменение цели пребывания",
        },
        "legal_basis": f"§ 45 {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity, outside the seeds: a long-term residence permit, at most 2 years (§ 44
        # odst. 4 of the Act).
        "max_validity_months": 24,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": False,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Držitel povolení k dlouhodobému pobytu může požádat o povolení za jiným účelem, "
            "např. když skončí zaměstnání nebo studium; na dlouhodobé vízum účel měnit nelze. "
            "Na podnikání lze účel změnit až po 5 letech pobytu, s výjimkou společného soužití "
            "rodiny. Držitel povolení za účelem společného soužití rodiny může účel změnit po "
            "3 letech pobytu nebo po dovršení 18 let, po rozvodu jen při nejméně 2 letech "
            "nepřetržitého pobytu a manželství trvajícím alespoň 5 let.",
            "en": "A holder of a long-term residence permit may apply for a permit for another "
            "purpose, e.g. when employment or studies end; the purpose cannot be changed on "
            "a long-term visa. A change to business is possible only after 5 years of residence, "
            "except for family reunification. Family-reunification holders may change after "
            "3 years of residence or at 18; after a divorce only with at least 2 years' "
            "continuous residence and a marriage that lasted at least 5 years.",
            "uk": "Власник дозволу на довгострокове проживання може подати заяву на дозвіл "
            "з іншою метою, наприклад коли закінчується робота чи навчання; на довгостроковій "
            "візі мету змінити не можна. Змінити мету на підприємницьку діяльність можна лише "
            "після 5 років проживання, крім возз'єднання сім'ї. Власник дозволу з метою "
            "возз'єднання сім'ї може змінити мету після 3 років проживання або після досягнення "
            "18 років, а після розлучення — лише за умови щонайменше 2 років безперервного "
            "проживання та шлюбу, що тривав не менше 5 років.",
            "vi": "Người có giấy phép cư trú dài hạn có thể xin giấy phép vì mục đích khác, ví dụ "
            "khi chấm dứt việc làm hoặc học tập; không thể thay đổi mục đích khi đang có thị "
            "thực dài hạn. Chỉ có thể chuyển sang mục đích kinh doanh sau 5 năm cư trú, trừ "
            "trường hợp đoàn tụ gia đình. Người có giấy phép đoàn tụ gia đình có thể thay đổi "
            "mục đích sau 3 năm cư trú hoặc khi đủ 18 tuổi; sau khi ly hôn chỉ khi đã cư trú "
            "liên tục ít nhất 2 năm và cuộc hôn nhân kéo dài ít nhất 5 năm.",
            "ru": "Владелец разрешения на долгосрочное проживание может подать заявление на "
            "разрешение с другой целью, например когда заканчивается работа или учёба; на "
            "долгосрочной визе цель изменить нельзя. Сменить цель на предпринимательскую "
            "деятельность можно только после 5 лет проживания, кроме воссоединения семьи. "
            "Владелец разрешения с целью воссоединения семьи может сменить цель после 3 лет "
            "проживания или по достижении 18 лет, а после развода — только при непрерывном "
            "проживании не менее 2 лет и браке, длившемся не менее 5 лет.",
        },
        "sources": ["[003]"],
        "requirements": [
            *_CORE,
            ("criminal_record", "on_request"),
            ("business_registration", "business"),
        ],
    },
    # "Within 15 days of receiving this notification, you may request the Ministry of the Interior
    # of the Czech Republic to re-assess the reasons for refusing a long-term visa (over 90 days).
    # The Ministry is obliged to inform you of the outcome of the re-assessment within 60 days."
    # [003] -> 60 days wherever the request is filed.
    {
        "code": "visa_reassessment",
        "short_code": "NP",
        "purpose": "administrative",
        "name": {
            "cs": "Žádost o nové posouzení důvodů neudělení víza k pobytu nad 90 dnů",
            "en": "Re-assessment of a long-term visa refusal",
            "uk": "Повторний розгляд причин відмови у довгостроковій візі",
            "vi": "Yêu cầu xem xét lại lý do từ chối thị thực dài hạn",
            "ru": "Повторное рассмотрение причин отказа в долгосрочной визе",
        },
        "legal_basis": f"§ 180e {_OF_ACT}",
        "decision_period_days": 60,
        "decision_period_days_abroad": 60,
        # Validity: a re-assessment that finds for the applicant ends in the visa, "generally no
        # longer than one year" [004].
        "max_validity_months": 12,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": True,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Bylo-li vám dlouhodobé vízum zamítnuto, ministerstvo vnitra vám písemně sdělí "
            "důvody neudělení. Do 15 dnů od převzetí tohoto sdělení můžete ministerstvo požádat "
            "o nové posouzení důvodů. Ministerstvo vás musí o výsledku informovat do 60 dnů.",
            "en": "If your long-term visa is refused, the Ministry of the Interior informs you of "
            "the reasons in writing. Within 15 days of receiving that notice you may ask the "
            "Ministry to re-assess the reasons. The Ministry must inform you of the outcome "
            "within 60 days.",
            "uk": "Якщо вам відмовили в довгостроковій візі, Міністерство внутрішніх справ "
            "письмово повідомить вам причини відмови. Протягом 15 днів з дня отримання цього "
            "повідомлення ви можете попросити міністерство повторно розглянути причини. "
            "Міністерство зобов'язане повідомити вам результат протягом 60 днів.",
            "vi": "Nếu đơn xin thị thực dài hạn của bạn bị từ chối, Bộ Nội vụ sẽ thông báo lý do "
            "bằng văn bản. Trong vòng 15 ngày kể từ khi nhận thông báo, bạn có thể yêu cầu Bộ "
            "xem xét lại các lý do đó. Bộ có nghĩa vụ thông báo kết quả cho bạn trong vòng "
            "60 ngày.",
            "ru": "Если вам отказали в долгосрочной визе, Министерство внутренних дел письменно "
            "сообщит вам причины отказа. В течение 15 дней с момента получения этого "
            "уведомления вы можете попросить министерство повторно рассмотреть причины. "
            "Министерство обязано сообщить вам результат в течение 60 дней.",
        },
        "sources": ["[003]"],
        "requirements": [
            ("travel_document", "always"),
        ],
    },
    # "Applications for the issue of a Residence Permit Card, to replace a harmed, damaged, lost
    # or stolen card, or whose biometric data carrier is not functional. The new charge for such
    # an application is CZK 2.500. Persons who are granted asylum or subsidiary protection will
    # be charged CZK 2.000. Underaged foreigners will be charged CZK 1.000." "Administrative Fees
    # are paid through duty stamps." [001]; card pickup within 60 days of biometrics [003]
    {
        "code": "card_replacement",
        "short_code": "PP",
        "purpose": "administrative",
        "name": {
            "cs": "Vydání nového průkazu o povolení k pobytu (poškozený, ztracený nebo odcizený "
            "průkaz)",
            "en": "Replacement residence card (damaged, lost or stolen card)",
            "uk": "Видача нової картки дозволу на проживання (пошкоджена, втрачена або викрадена "
            "картка)",
            "vi": "Cấp lại thẻ cư trú (thẻ bị hỏng, bị mất hoặc bị đánh cắp)",
            "ru": "Выдача новой карточки разрешения на проживание (повреждённая, утерянная или "
            "украденная карточка)",
        },
        "legal_basis": ACT,
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity: the new card follows the permit it belongs to (permits.validity): it ends
        # when that permit ends, and a permanent resident's card has no end date. Where the
        # application does not say when the permit ends, at most the longest a long-term
        # residence permit of this catalogue runs: 3 years (Blue Card [001], ICT card).
        "max_validity_months": 36,
        "fee_czk": 2500,
        "fee_note": {
            "cs": "Azylanti a osoby s doplňkovou ochranou platí 2 000 Kč, nezletilí 1 000 Kč. "
            "Poplatek se platí kolkovými známkami.",
            "en": "Holders of asylum or subsidiary protection pay CZK 2,000 and minors CZK 1,000. "
            "The fee is paid in duty stamps.",
            "uk": "Особи з притулком або додатковим захистом сплачують 2 000 крон, неповнолітні — "
            "1 000 крон. Збір сплачується гербовими марками.",
            "vi": "Người được tị nạn hoặc được bảo hộ bổ sung nộp 2.000 CZK, người chưa thành niên "
            "nộp 1.000 CZK. Lệ phí được nộp bằng tem lệ phí (kolek).",
            "ru": "Лица, получившие убежище или дополнительную защиту, платят 2 000 крон, "
            "несовершеннолетние — 1 000 крон. Пошлина оплачивается гербовыми марками.",
        },
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": False,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Nový průkaz o povolení k pobytu, pokud byl původní průkaz poškozen, ztracen "
            "nebo odcizen, nebo pokud nefunguje jeho nosič biometrických údajů. Správní poplatek "
            "činí 2 500 Kč a platí se kolkovými známkami. Nový průkaz si musíte převzít nejpozději "
            "do 60 dnů od pořízení biometrických údajů.",
            "en": "A new residence card when your card has been damaged, lost or stolen, or its "
            "biometric data carrier does not work. The administrative fee is CZK 2,500, paid in "
            "duty stamps. You must collect the new card no later than 60 days after your "
            "biometric data are taken.",
            "uk": "Нова картка дозволу на проживання, якщо попередню картку пошкоджено, втрачено "
            "або викрадено чи не працює її носій біометричних даних. Адміністративний збір "
            "становить 2 500 крон і сплачується гербовими марками. Нову картку потрібно "
            "отримати не пізніше ніж через 60 днів після зняття біометричних даних.",
            "vi": "Thẻ cư trú mới khi thẻ cũ bị hỏng, bị mất hoặc bị đánh cắp, hoặc chip lưu dữ "
            "liệu sinh trắc học không hoạt động. Lệ phí hành chính là 2.500 CZK, nộp bằng tem lệ "
            "phí. Bạn phải nhận thẻ mới chậm nhất 60 ngày sau khi lấy dữ liệu sinh trắc học.",
            "ru": "Новая карточка разрешения на проживание, если прежняя карточка повреждена, "
            "утеряна или украдена либо не работает её носитель биометрических данных. "
            "Административная пошлина составляет 2 500 крон и оплачивается гербовыми марками. "
            "Новую карточку нужно получить не позднее 60 дней после снятия биометрических данных.",
        },
        "sources": ["[001]", "[003]"],
        "requirements": [
            ("travel_document", "always"),
            ("photograph", "always"),
        ],
    },
    # "Persons, who have been granted asylum or subsidiary protection, will be charged only CZK 500
    # for filing an application for Residence Permit Card changes. Foreigners under 15 years of
    # age will be charged the same fee." [001] (the general fee is not in the sources: None);
    # "Any changes to your data must be reported to the office within three days. The general
    # deadline for reporting a change of address is longer - it is 30 days." [003]
    {
        "code": "card_data_change",
        "short_code": "PP",
        "purpose": "administrative",
        "name": {
            "cs": "Vydání nového průkazu o povolení k pobytu při změně údajů",
            "en": "New residence card after a change of data",
            "uk": "Видача нової картки дозволу на проживання у зв'язку зі зміною даних",
            "vi": "Cấp thẻ cư trú mới khi thay đổi thông tin",
            "ru": "Выдача новой карточки разрешения на проживание в связи с изменением данных",
        },
        "legal_basis": ACT,
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        # Validity: as card_replacement, the card follows its permit.
        "max_validity_months": 36,
        "fee_czk": None,
        "fee_note": {
            "cs": "Azylanti, osoby s doplňkovou ochranou a cizinci mladší 15 let platí 500 Kč.",
            "en": "Holders of asylum or subsidiary protection and foreign nationals under 15 pay "
            "CZK 500.",
            "uk": "Особи з притулком або додатковим захистом та іноземці, молодші 15 років, "
            "сплачують 500 крон.",
            "vi": "Người được tị nạn hoặc được bảo hộ bổ sung và người nước ngoài dưới 15 tuổi "
            "nộp 500 CZK.",
            "ru": "Лица, получившие убежище или дополнительную защиту, и иностранцы младше "
            "15 лет платят 500 крон.",
        },
        "can_file_online": True,
        "can_file_in_country": True,
        "can_file_at_embassy": False,
        "handled_by_office": True,
        "competent_authority": None,
        "guidance": {
            "cs": "Nový průkaz o povolení k pobytu při změně údajů, které jsou v něm uvedeny. "
            "Změny údajů musíte úřadu ohlásit do 3 dnů, změnu adresy do 30 dnů. Poplatky se "
            "platí kolkovými známkami.",
            "en": "A new residence card when the data shown on it change. You must report "
            "changes of data to the office within 3 days, and a change of address within "
            "30 days. Fees are paid in duty stamps.",
            "uk": "Нова картка дозволу на проживання у разі зміни зазначених у ній даних. Про "
            "зміну даних потрібно повідомити відомство протягом 3 днів, про зміну адреси — "
            "протягом 30 днів. Збори сплачуються гербовими марками.",
            "vi": "Thẻ cư trú mới khi các thông tin ghi trên thẻ thay đổi. Bạn phải báo cho cơ "
            "quan về thay đổi thông tin trong vòng 3 ngày, thay đổi địa chỉ trong vòng 30 ngày. "
            "Lệ phí được nộp bằng tem lệ phí.",
            "ru": "Новая карточка разрешения на проживание при изменении указанных в ней данных. "
            "Об изменении данных нужно сообщить в ведомство в течение 3 дней, об изменении "
            "адреса — в течение 30 дней. Пошлины оплачиваются гербовыми марками.",
        },
        "sources": ["[001]", "[003]"],
        "requirements": [
            ("travel_document", "always"),
            ("photograph", "always"),
        ],
    },
    # ------------------------------------------------ outside this office (guidance only) -----
    # "Diplomatic and special visas represent a specific category of long-term visas ... for
    # foreign nationals who enjoy privileges and immunities. A diplomatic visa is granted on the
    # basis of an official request ... The decision on granting a diplomatic or special visa falls
    # within the competence of the respective diplomatic mission." [004]
    {
        "code": "diplomatic_visa",
        "short_code": "DZV",
        "purpose": "outside",
        "name": {
            "cs": "Diplomatické a zvláštní vízum",
            "en": "Diplomatic and special visas",
            "uk": "Дипломатична та спеціальна візи",
            "vi": "Thị thực ngoại giao và thị thực đặc biệt",
            "ru": "Дипломатическая и специальная визы",
        },
        "legal_basis": ACT,
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        "max_validity_months": None,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": False,
        "can_file_in_country": False,
        "can_file_at_embassy": False,
        "handled_by_office": False,
        "competent_authority": {
            "cs": "Příslušný zastupitelský úřad České republiky, na základě úřední žádosti "
            "(Ministerstvo zahraničních věcí)",
            "en": "The competent diplomatic mission of the Czech Republic, on the basis of an "
            "official request (Ministry of Foreign Affairs)",
            "uk": "Відповідне дипломатичне представництво Чеської Республіки на підставі "
            "офіційного запиту (Міністерство закордонних справ)",
            "vi": "Cơ quan đại diện ngoại giao có thẩm quyền của Cộng hòa Séc, trên cơ sở yêu cầu "
            "chính thức (Bộ Ngoại giao)",
            "ru": "Соответствующее дипломатическое представительство Чешской Республики на "
            "основании официального запроса (Министерство иностранных дел)",
        },
        "guidance": {
            "cs": "Diplomatická a zvláštní víza jsou dlouhodobá víza pro cizince, kteří požívají "
            "výsad a imunit; udělují se na základě úřední žádosti a vyznačují se do "
            "diplomatického, služebního nebo jiného cestovního dokladu. O jejich udělení "
            "rozhoduje příslušný zastupitelský úřad, nikoli tento úřad.",
            "en": "Diplomatic and special visas are long-term visas for foreign nationals who "
            "enjoy privileges and immunities; they are granted on the basis of an official "
            "request and affixed to the diplomatic, service or other travel document. The "
            "competent diplomatic mission decides on them, not this office.",
            "uk": "Дипломатичні та спеціальні візи — це довгострокові візи для іноземців, які "
            "користуються привілеями та імунітетами; вони видаються на підставі офіційного "
            "запиту і вклеюються в дипломатичний, службовий або інший проїзний документ. "
            "Рішення про них ухвалює відповідне дипломатичне представництво, а не це відомство.",
            "vi": "Thị thực ngoại giao và thị thực đặc biệt là thị thực dài hạn dành cho người "
            "nước ngoài được hưởng quyền ưu đãi và miễn trừ; thị thực được cấp trên cơ sở yêu "
            "cầu chính thức và dán vào hộ chiếu ngoại giao, hộ chiếu công vụ hoặc giấy tờ đi lại "
            "khác. Cơ quan đại diện ngoại giao có thẩm quyền quyết định, không phải cơ quan này.",
            "ru": "Дипломатические и специальные визы — это долгосрочные визы для иностранцев, "
            "пользующихся привилегиями и иммунитетами; они выдаются на основании официального "
            "запроса и вклеиваются в дипломатический, служебный или иной проездной документ. "
            "Решение о них принимает соответствующее дипломатическое представительство, а не "
            "это ведомство.",
        },
        "sources": ["[004]"],
        "requirements": [],
    },
    # "The Ministry of Foreign Affairs may grant a long-term residence permit to members of
    # diplomatic missions of foreign states, representatives of international governmental
    # organizations ... also issued to their family members who are registered with the Ministry
    # of Foreign Affairs. It is issued in the form of a special identification card" [004]
    {
        "code": "mfa_residence",
        "short_code": "MZV",
        "purpose": "outside",
        "name": {
            "cs": "Povolení k dlouhodobému pobytu vydávané Ministerstvem zahraničních věcí",
            "en": "Long-term residence permit issued by the Ministry of Foreign Affairs",
            "uk": "Дозвіл на довгострокове проживання, що видається Міністерством закордонних "
            "справ",
            "vi": "Giấy phép cư trú dài hạn do Bộ Ngoại giao cấp",
            "ru": "Разрешение на долгосрочное проживание, выдаваемое Министерством иностранных дел",
        },
        "legal_basis": ACT,
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        "max_validity_months": None,
        "fee_czk": None,
        "fee_note": None,
        "can_file_online": False,
        "can_file_in_country": False,
        "can_file_at_embassy": False,
        "handled_by_office": False,
        "competent_authority": {
            "cs": "Ministerstvo zahraničních věcí České republiky",
            "en": "Ministry of Foreign Affairs of the Czech Republic",
            "uk": "Міністерство закордонних справ Чеської Республіки",
            "vi": "Bộ Ngoại giao Cộng hòa Séc",
            "ru": "Министерство иностранных дел Чешской Республики",
        },
        "guidance": {
            "cs": "Členové diplomatických misí cizích států, zástupci mezinárodních vládních "
            "organizací a dalších akreditovaných subjektů a jejich rodinní příslušníci "
            "evidovaní Ministerstvem zahraničních věcí dostávají povolení k dlouhodobému pobytu "
            "od Ministerstva zahraničních věcí. Vydává se ve formě zvláštního identifikačního "
            "průkazu spojeného s příslušnými výsadami a imunitami.",
            "en": "Members of diplomatic missions of foreign states, representatives of "
            "international governmental organisations and other accredited entities, and their "
            "family members registered with the Ministry of Foreign Affairs receive their "
            "long-term residence permit from the Ministry of Foreign Affairs. It is issued as "
            "a special identity card linked to the corresponding privileges and immunities.",
            "uk": "Члени дипломатичних місій іноземних держав, представники міжнародних "
            "урядових організацій та інших акредитованих суб'єктів, а також члени їхніх сімей, "
            "зареєстровані в Міністерстві закордонних справ, отримують дозвіл на довгострокове "
            "проживання від Міністерства закордонних справ. Він видається у формі спеціального "
            "посвідчення, пов'язаного з відповідними привілеями та імунітетами.",
            "vi": "Thành viên cơ quan đại diện ngoại giao của nước ngoài, đại diện các tổ chức "
            "liên chính phủ quốc tế và các chủ thể được công nhận khác, cùng thành viên gia đình "
            "của họ đã đăng ký tại Bộ Ngoại giao, được Bộ Ngoại giao cấp giấy phép cư trú dài "
            "hạn. Giấy phép được cấp dưới dạng thẻ nhận dạng đặc biệt gắn với các quyền ưu đãi "
            "và miễn trừ tương ứng.",
            "ru": "Члены дипломатических миссий иностранных государств, представители "
            "международных правительственных организаций и других аккредитованных субъектов, "
            "а также члены их семей, зарегистрированные в Министерстве иностранных дел, "
            "получают разрешение на долгосрочное проживание от Министерства иностранных дел. "
            "Оно выдаётся в виде специального удостоверения, связанного с соответствующими "
            "привилегиями и иммунитетами.",
        },
        "sources": ["[004]"],
        "requirements": [],
    },
    # "In general, a foreigner can acquire Czech citizenship after 5 years of continuous long-term
    # residence ... the Czech Republic allows multiple citizenships" ... "knowledge of the Czech
    # language on a B1 level and pass an Czech life and institutions test" ... exempt: 3 years of
    # study in Czech, under 15, over 65 ... "Applications for Czech citizenship must be submitted
    # at Regional Offices or at Municipal Offices of Prague districts. The administrative fee for
    # granting citizenship is 2,000 CZK (for a minor child it is 500 CZK)." [003]
    {
        "code": "citizenship",
        "short_code": "SO",
        "purpose": "outside",
        "name": {
            "cs": "Udělení státního občanství České republiky",
            "en": "Czech citizenship",
            "uk": "Набуття громадянства Чеської Республіки",
            "vi": "Nhập quốc tịch Cộng hòa Séc",
            "ru": "Получение гражданства Чешской Республики",
        },
        "legal_basis": "zákon č. 186/2013 Sb., o státním občanství České republiky",
        "decision_period_days": 60,
        "decision_period_days_abroad": 180,
        "max_validity_months": None,
        "fee_czk": 2000,
        "fee_note": {
            "cs": "Za nezletilé dítě činí poplatek 500 Kč.",
            "en": "The fee for a minor child is CZK 500.",
            "uk": "За неповнолітню дитину збір становить 500 крон.",
            "vi": "Lệ phí cho trẻ chưa thành niên là 500 CZK.",
            "ru": "За несовершеннолетнего ребёнка пошлина составляет 500 крон.",
        },
        "can_file_online": False,
        "can_file_in_country": False,
        "can_file_at_embassy": False,
        "handled_by_office": False,
        "competent_authority": {
            "cs": "Krajský úřad; v Praze úřad městské části příslušný podle místa trvalého pobytu",
            "en": "The regional office; in Prague, the municipal district office for your place "
            "of permanent residence",
            "uk": "Крайовий уряд; у Празі — уряд міського району за місцем постійного проживання",
            "vi": "Ủy ban vùng (krajský úřad); tại Praha là Ủy ban quận nơi bạn có địa chỉ cư "
            "trú vĩnh viễn",
            "ru": "Краевое управление; в Праге — управление городского района по месту "
            "постоянного проживания",
        },
        "guidance": {
            "cs": "Cizinec může státní občanství zpravidla získat po 5 letech nepřetržitého "
            "pobytu na území; dosavadního občanství se vzdávat nemusí. Je nutné prokázat "
            "znalost češtiny na úrovni B1 a složit test z českých reálií; osvobozeni jsou ti, "
            "kdo alespoň 3 roky studovali v češtině, a žadatelé mladší 15 a starší 65 let. "
            "Správní poplatek činí 2 000 Kč (za nezletilé dítě 500 Kč).",
            "en": "A foreign national can generally acquire Czech citizenship after 5 years of "
            "continuous residence, without giving up their current citizenship. You must show "
            "Czech at level B1 and pass a test on Czech life and institutions; those who studied "
            "in Czech for at least 3 years, and applicants under 15 or over 65, are exempt. The "
            "administrative fee is CZK 2,000 (CZK 500 for a minor child).",
            "uk": "Іноземець, як правило, може набути громадянство Чехії після 5 років "
            "безперервного проживання, не відмовляючись від наявного громадянства. Потрібно "
            "підтвердити знання чеської мови на рівні B1 і скласти тест про чеські реалії "
            "та інституції; звільнені ті, хто щонайменше 3 роки навчався чеською мовою, "
            "а також заявники, молодші 15 і старші 65 років. Адміністративний збір становить "
            "2 000 крон (за неповнолітню дитину — 500 крон).",
            "vi": "Người nước ngoài thường có thể nhập quốc tịch Séc sau 5 năm cư trú liên tục "
            "mà không phải từ bỏ quốc tịch hiện tại. Bạn cần chứng minh trình độ tiếng Séc B1 "
            "và đỗ bài kiểm tra về đời sống và thể chế Séc; được miễn là những người đã học bằng "
            "tiếng Séc ít nhất 3 năm, người dưới 15 tuổi và trên 65 tuổi. Lệ phí hành chính là "
            "2.000 CZK (500 CZK cho trẻ chưa thành niên).",
            "ru": "Иностранец, как правило, может получить чешское гражданство после 5 лет "
            "непрерывного проживания, не отказываясь от имеющегося гражданства. Нужно "
            "подтвердить знание чешского языка на уровне B1 и сдать тест о чешских реалиях "
            "и институтах; освобождены те, кто не менее 3 лет учился на чешском языке, "
            "а также заявители младше 15 и старше 65 лет. Административная пошлина составляет "
            "2 000 крон (за несовершеннолетнего ребёнка — 500 крон).",
        },
        "sources": ["[003]"],
        "requirements": [],
    },
]


# --- Self-check -----------------------------------------------------------------------------------

_SLUG_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_UPPER: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SOURCES: Final = frozenset({"[000]", "[001]", "[002]", "[003]", "[004]"})


def _is_slug(value: object) -> bool:
    return (
        isinstance(value, str) and bool(value) and value[0].isalpha() and set(value) <= _SLUG_CHARS
    )


def _text_problems(where: str, text: object) -> list[str]:
    """A translated text must be a dict with a non-empty string for exactly LANGUAGES."""
    if not isinstance(text, dict):
        return [f"{where}: not a dict of translations"]
    problems = []
    for lang in LANGUAGES:
        value = text.get(lang)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: missing or empty language {lang!r}")
    extra = set(text) - set(LANGUAGES)
    if extra:
        problems.append(f"{where}: unknown languages {sorted(extra)}")
    return problems


def _validity_problems(where: str, permit: dict) -> list[str]:
    """A type this office decides has a maximum validity; permanent residence has no end."""
    months = permit.get("max_validity_months")
    if permit.get("purpose") == "permanent":
        return [f"{where}: permanent residence has no maximum validity"] if months else []
    if permit.get("handled_by_office") and months is None:
        return [f"{where}: a type this office decides needs a maximum validity"]
    return []


def validate_catalogue() -> list[str]:
    """Return a list of problems in the catalogue; an empty list means it is consistent."""
    problems: list[str] = []

    # The codes as the catalogue has them: this check is what finds one that is not a string.
    kind_codes: set[object] = set()
    for kind in DOCUMENT_KINDS:
        code = kind.get("code")
        if not _is_slug(code):
            problems.append(f"document kind {code!r}: code is not a slug")
        if code in kind_codes:
            problems.append(f"document kind {code!r}: duplicate code")
        kind_codes.add(code)
        problems += _text_problems(f"document kind {code!r} name", kind.get("name"))
        problems += _text_problems(f"document kind {code!r} description", kind.get("description"))
        if kind.get("source") not in _SOURCES:
            problems.append(f"document kind {code!r}: bad source {kind.get('source')!r}")

    type_codes: set[object] = set()
    for permit in PERMIT_TYPES:
        code = permit.get("code")
        where = f"permit type {code!r}"
        if not _is_slug(code):
            problems.append(f"{where}: code is not a slug")
        if code in type_codes:
            problems.append(f"{where}: duplicate code")
        type_codes.add(code)

        short = permit.get("short_code")
        if not (isinstance(short, str) and 2 <= len(short) <= 4 and set(short) <= _UPPER):
            problems.append(f"{where}: short code {short!r} is not 2-4 uppercase letters")
        if permit.get("purpose") not in PURPOSES:
            problems.append(f"{where}: unknown purpose {permit.get('purpose')!r}")

        problems += _text_problems(f"{where} name", permit.get("name"))
        problems += _text_problems(f"{where} guidance", permit.get("guidance"))
        for optional in ("fee_note", "competent_authority"):
            if permit.get(optional) is not None:
                problems += _text_problems(f"{where} {optional}", permit.get(optional))
        if not isinstance(permit.get("legal_basis"), str) or not permit["legal_basis"].strip():
            problems.append(f"{where}: missing legal basis")

        for field in ("decision_period_days", "decision_period_days_abroad"):
            value = permit.get(field)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                problems.append(f"{where}: {field} must be a positive integer")
        for field in ("max_validity_months", "fee_czk"):
            value = permit.get(field)
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value <= 0
            ):
                problems.append(f"{where}: {field} must be None or a positive integer")
        problems += _validity_problems(where, permit)
        for field in (
            "can_file_online",
            "can_file_in_country",
            "can_file_at_embassy",
            "handled_by_office",
        ):
            if not isinstance(permit.get(field), bool):
                problems.append(f"{where}: {field} must be a bool")

        sources = permit.get("sources")
        if not sources or any(source not in _SOURCES for source in sources):
            problems.append(f"{where}: bad sources {sources!r}")

        requirements = permit.get("requirements", [])
        seen: set[str] = set()
        for requirement in requirements:
            if not (isinstance(requirement, tuple) and len(requirement) == 2):
                problems.append(f"{where}: requirement {requirement!r} is not a (kind, condition)")
                continue
            kind, condition = requirement
            if kind not in kind_codes:
                problems.append(f"{where}: unknown document kind {kind!r}")
            if condition not in CONDITIONS:
                problems.append(f"{where}: bad condition {condition!r} for {kind!r}")
            if kind in seen:
                problems.append(f"{where}: document kind {kind!r} required twice")
            seen.add(kind)

        if permit.get("handled_by_office"):
            if ("travel_document", "always") not in requirements:
                problems.append(f"{where}: handled type without travel_document")
            if permit.get("competent_authority") is not None:
                problems.append(f"{where}: handled type with a competent authority elsewhere")
            if not (permit.get("can_file_in_country") or permit.get("can_file_at_embassy")):
                problems.append(f"{where}: handled type that can be filed nowhere")
            if permit.get("can_file_online") and not permit.get("can_file_in_country"):
                problems.append(f"{where}: online filing is filing in the Czech Republic")
        else:
            if requirements:
                problems.append(f"{where}: type outside this office has requirements")
            if permit.get("competent_authority") is None:
                problems.append(f"{where}: type outside this office needs a competent authority")
            if any(
                permit.get(field)
                for field in ("can_file_online", "can_file_in_country", "can_file_at_embassy")
            ):
                problems.append(f"{where}: type outside this office cannot be filed here")
        if permit.get("purpose") == "outside" and permit.get("handled_by_office"):
            problems.append(f"{where}: purpose 'outside' but handled by the office")

    return problems
