"""The sentences the rules rest on, quoted from the source pages listed in ``docs/sources.md``.

A finding carries its citation so that the applicant and the caseworker can see where a rule
comes from. ``[001]`` is the amendment in force from 1 July 2023, ``[002]`` the permanent-residence
page, ``[003]`` the third-country-nationals page, ``[004]`` the catalogue of stay types under Act
No. 326/1999 Coll. Typographic quotes of the sources are written as straight quotes here.
"""

from typing import Final

TRANSITION_2023: Final = (
    "[001] All the proceedings which had commenced before the Amendment of the Act on the "
    "Residence of Foreign Nationals in the Territory of the Czech Republic become effective (i.e. "
    "until and including June 30, 2023), will be completed in accordance with the previous "
    "wording of the Law."
)

COMPLETE_APPLICATION: Final = (
    "[002] You should file the application on the completed form along with all the necessary "
    "requirements."
)

# --- Minors ---------------------------------------------------------------------------------------
LEGAL_REPRESENTATIVE: Final = (
    "[002] A legal representative files the application on behalf of a foreign national under "
    "15 years."
)
PARENTAL_CONSENT: Final = "[004] Parental consent in the case of minor applicants"

# --- Applications filed abroad --------------------------------------------------------------------
ABROAD_TWO_YEARS: Final = (
    "[001] The new requirement for applications filed by a foreign national in a state where "
    "s/he has a long-term or permanent residence is, that s/he has been legally residing there "
    "for at least 2 continuous years."
)

# --- Fees -----------------------------------------------------------------------------------------
FEE_CARD_REPLACEMENT: Final = (
    "[001] The new charge for such an application is CZK 2.500. Persons who are granted asylum "
    "or subsidiary protection will be charged CZK 2.000. Underaged foreigners will be charged "
    "CZK 1.000."
)
FEE_CARD_DATA_CHANGE: Final = (
    "[001] Persons, who have been granted asylum or subsidiary protection, will be charged only "
    "CZK 500 for filing an application for Residence Permit Card changes. Foreigners under 15 "
    "years of age will be charged the same fee."
)

# --- Permanent residence --------------------------------------------------------------------------
FIVE_YEARS: Final = (
    "[003] you may apply for a permanent residence permit after 5 years of continuous residence "
    "in the Czech Republic. Time spent on a long-term visa or a long-term residence permit counts "
    "toward this period, but time on a short-term visa does not. ... only half of the time spent "
    "studying in the Czech Republic counts toward the required period of residence"
)
FIVE_YEARS_FROM_ABROAD: Final = (
    "[002] An application for permanent residence can also be filed by a foreign national that "
    "met the conditions at the time but now resides outside of the Czech Republic. If the "
    "foreign national's long-term residency permit becomes invalid whilst he/she is not present "
    "in the Czech Republic, this application must be filed within 6 months of this permit "
    "becoming invalid, at the latest."
)
CZECH_A2: Final = (
    "[003] To be granted permanent residence, foreign nationals must demonstrate a basic "
    "knowledge of the Czech language, which requires passing a Czech language test at the A2 "
    "level."
)
INTERIM_VISA: Final = (
    '[001] A person staying in the country merely on the basis of an "Interim Visa", may not '
    "apply for a Permanent Residence Permit. ... Exemptions are as follows: EU citizens and "
    "their family members, persons applying for a permanent-residence permit for the purpose of "
    "living with a parent who has a permanent residence permit"
)
WAIVERS: Final = (
    "[002] the above stated conditions may be waived in case of foreign nationals who submit the "
    "application: b) for humanitarian reasons, c) for other reasons of special consideration "
    "(such as Czech ancestry), d) whose stay in the territory is in the interest of the Czech "
    "Republic, e) who is a minor child or adult dependent on a foreign national who is staying in "
    "the Czech Republic on the basis of a permanent residence permit, if the reason for the "
    "application is family reunification. [004] A permanent residence permit may be granted "
    "without the condition of prior continuous residence"
)

WAIVER_CZECH_A2: Final = (
    "[002] the above stated conditions may be waived in case of foreign nationals who submit the "
    "application: ... e) who is a minor child or adult dependent on a foreign national who is "
    "staying in the Czech Republic on the basis of a permanent residence permit, if the reason "
    "for the application is family reunification. [003] you may apply for a permanent residence "
    "permit after 5 years of continuous residence ... To be granted permanent residence, foreign "
    "nationals must demonstrate a basic knowledge of the Czech language, which requires passing "
    "a Czech language test at the A2 level. Act No. 326/1999 Coll., § 70 (outside the seeds): "
    "the proof of Czech goes with an application after 5 years' continuous residence (§ 68), not "
    "with one under § 66 (without the condition of continuous residence)."
)

# --- Visas over 90 days ---------------------------------------------------------------------------
TRAVEL_HEALTH_INSURANCE: Final = (
    "[004] Additional obligations include submitting documents confirming medical fitness, "
    "compliance with measures for the prevention of infectious diseases, and, prior to the "
    "issuance of the visa, proof of travel health insurance and confirmation of payment of the "
    "insurance premium. [003] If your visa is granted, the diplomatic mission will usually notify "
    "you by email that your visa is ready for collection. You must then provide proof of travel "
    "health insurance."
)

# --- Employee Card --------------------------------------------------------------------------------
EMPLOYEE_CARD_CONTRACT: Final = (
    "[004] provided that the salary is not lower than the statutory minimum wage and the working "
    "time is at least 15 hours per week"
)
EMPLOYEE_CARD_EXCLUSIONS: Final = (
    "[004] an employment card cannot be issued to a foreign national who acts as a partner or a "
    "member of the statutory body of a company and performs tasks arising from the company's "
    "business activities, nor to a person who has been issued a permit for seasonal employment "
    "under the Employment Act."
)
VACANCY_NUMBER: Final = (
    "[001] The new requirement is for the submission of a document giving the designated number "
    "of the accessible working position, from the Central Register of Available Vacancies ... It "
    "is not necessary to submit such a document, if the designated number of the available "
    "vacancy is stated directly in your application for the issue of an employee's card."
)

# --- Blue Card ------------------------------------------------------------------------------------
BLUE_CARD_CONTRACT: Final = (
    "[001] An application for a Blue Card may be newly lodged also on basis of submission of a "
    "Pre-Employment Contract. ... In both cases, an entry into a 6-months period of employment "
    "will be sufficient."
)
# The previous wording is not among the sources. It transposed Council Directive 2009/50/EC, whose
# Article 5(1)(a) asks for "a valid work contract or ... a binding job offer for highly qualified
# employment, of at least one year"; the 6 months of [001] come from Directive (EU) 2021/1883.
BLUE_CARD_CONTRACT_BEFORE_2023: Final = (
    f"{TRANSITION_2023} Council Directive 2009/50/EC, Article 5(1)(a): a work contract or binding "
    "job offer of at least one year."
)
BLUE_CARD_MAX_VALIDITY: Final = (
    "[001] Blue card may be newly issued for a maximum period of 3 years. That applies also to "
    "extensions of a Blue card."
)
BLUE_CARD_CRIMINAL_RECORD: Final = (
    "[001] If the applicant is a Blue Card holder in another EU Member State, s/he does not need "
    "to submit a document equivalent to an Extract from the Criminal Record of the Czech "
    "Republic, issued by a country where s/he has been living during the previous 3 years, for a "
    "period totalling at least 6 months (i.e. from the country that issued the Blue Card)."
)
BLUE_CARD_QUALIFICATION: Final = (
    "[001] If s/he proves that, before filing the application, s/he had been working on the "
    "basis of a Blue Card in the previous 2 years, s/he does not have to submit evidence of a "
    "university-level qualification."
)

# --- Family reunification and change of purpose ---------------------------------------------------
FAMILY_WHO_MAY_APPLY: Final = (
    "[001] An application can no longer be filed by an adult foreigner, who is not provided for."
)
FAMILY_CHILD_UNDER_18: Final = (
    "[001] a child of a spouse of a foreigner, who has a residence permit within the country "
    "(i.e. a person less than 18 years of age); [004] their minor children or the children of "
    "the spouse, minors placed in substitute care or adopted by a foreign national with a "
    "residence permit"
)
FAMILY_ASYLUM_PARENT: Final = (
    "[001] a parent, or other close relative in the ascending line of an adult asylum holder, "
    "who has applied for international protection while s/he was underaged, within 3 months of "
    "the day he or she was granted asylum"
)
PURPOSE_CHANGE_BUSINESS: Final = (
    "[003] If you wish to change the purpose of your stay to business, you may do so only after "
    "5 years of residence in the territory of the Czech Republic. An exception applies to "
    "persons residing in the Czech Republic for the purpose of family reunification."
)
PURPOSE_CHANGE_FAMILY: Final = (
    "[003] If you have been granted a long-term residence permit for the purpose of family "
    "reunification and have resided in the territory of the Czech Republic for 3 years, or if "
    "you have reached 18 years of age, you may apply for a long-term residence permit for a "
    "different purpose"
)
PURPOSE_CHANGE_DIVORCE: Final = (
    "[003] If the purpose of your stay is family reunification and you divorce, you may change "
    "the purpose of your stay only if you have been residing in the Czech Republic continuously "
    "for at least 2 years and your marriage lasted for at least 5 years."
)
