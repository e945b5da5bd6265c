"""Demo registry: Drenas from its Local Action Plan 2025–2028, Gjilan from its 2019 report.

Institution names, public phone numbers, the decision and the glossary are public data from
the two seed documents. People's names are synthetic.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .models import (
    EmergencyContact,
    GlossaryTerm,
    Institution,
    Mechanism,
    Membership,
    MembershipRole,
    Municipality,
)
from .models import (
    InstitutionKind as K,
)
from .models import ReportingLevel as L

MUNICIPALITIES = [
    # code, Albanian, Serbian, English
    ("drenas", "Drenas", "Glogovac", "Drenas"),
    ("gjilan", "Gjilan", "Gnjilane", "Gjilan"),
]

# key, kind, Albanian, Serbian, English, abbreviation, aliases, locative (after "në")
DRENAS_INSTITUTIONS = [
    (
        "municipality",
        K.MUNICIPALITY,
        "Komuna e Drenasit",
        "Opština Glogovac",
        "Municipality of Drenas",
        "",
        [
            "Komuna",
            "Kryetari i Komunës",
            "Këshilli Komunal",
            "Këshilli Komuna",
            "Komuna e Drenasit",
            "Përfaqësues të Komunës dhe drejtorive të lidhura me këtë çështje",
        ],
        "Komunën e Drenasit",
    ),
    (
        "police",
        K.POLICE,
        "Policia e Kosovës – Stacioni Policor Drenas",
        "Kosovska policija – Policijska stanica Glogovac",
        "Kosovo Police – Drenas Police Station",
        "PK",
        ["Policia e Kosovës", "Stacioni Policor", "Stacioni Policot", "Policia"],
        "Policinë e Kosovës",
    ),
    (
        "social_work",
        K.SOCIAL_WORK,
        "Qendra për Punë Sociale Drenas",
        "Centar za socijalni rad Glogovac",
        "Centre for Social Work Drenas",
        "QPS",
        ["Qendra për Punë Sociale", "QPS Drenas"],
        "Qendrën për Punë Sociale",
    ),
    (
        "victim_advocate",
        K.VICTIM_ADVOCATE,
        "Zyra për Mbrojtje dhe Ndihmë të Viktimave",
        "Kancelarija za zaštitu i pomoć žrtvama",
        "Victim Protection and Assistance Office",
        "MV",
        [
            "Mbrojtësi i Viktimave",
            "Mbrojtësi I Viktimave",
            "Zyra për Ndihmë dhe Mbrojtje të Viktimave",
        ],
        "Zyrën për Mbrojtje dhe Ndihmë të Viktimave",
    ),
    (
        "prosecution",
        K.PROSECUTION,
        "Prokuroria Themelore Prishtinë",
        "Osnovno tužilaštvo Priština",
        "Basic Prosecution Office Prishtina",
        "",
        ["Prokuroria", "Prokurori i shtetit"],
        "Prokurorinë Themelore",
    ),
    (
        "court",
        K.BASIC_COURT,
        "Gjykata Themelore Prishtinë – Dega Drenas",
        "Osnovni sud Priština – Odeljenje Glogovac",
        "Basic Court Prishtina – Drenas Branch",
        "",
        ["Gjykata", "Gjykata Themelore"],
        "Gjykatën Themelore",
    ),
    (
        "shelter",
        K.SHELTER,
        "Qendra për Mbrojtjen e Grave dhe Fëmijëve",
        "Centar za zaštitu žena i dece",
        "Centre for the Protection of Women and Children",
        "QMGF",
        ["QMDG", "Strehimorja"],
        "Qendrën për Mbrojtjen e Grave dhe Fëmijëve",
    ),
    (
        "legal_aid",
        K.LEGAL_AID,
        "Agjencia për Ndihmë Juridike Falas",
        "Agencija za besplatnu pravnu pomoć",
        "Free Legal Aid Agency",
        "ZDJF",
        ["Zyra për Ndihmë Juridike Falas", "ANJF", "Ndihma Juridike Falas"],
        "Agjencinë për Ndihmë Juridike Falas",
    ),
    (
        "health",
        K.HEALTH,
        "Drejtoria për Shëndetësi dhe Mirëqenie Sociale",
        "Direkcija za zdravstvo i socijalnu zaštitu",
        "Directorate of Health and Social Welfare",
        "DSHMS",
        [
            "Drejtoria për Shëndetësi dhe Mirëqënie Sociale",
            "Drejtoria për Shendetesi dhe Mirëqenie Sociale",
            "DMS",
        ],
        "Drejtorinë për Shëndetësi dhe Mirëqenie Sociale",
    ),
    (
        "education",
        K.EDUCATION,
        "Drejtoria Komunale e Arsimit",
        "Opštinska direkcija za obrazovanje",
        "Municipal Directorate of Education",
        "DKA",
        ["Drejtoria e Arsimit", "Drejtoria Komunale për arsim"],
        "Drejtorinë Komunale të Arsimit",
    ),
    (
        "employment",
        K.EMPLOYMENT,
        "Zyra e Punësimit Drenas",
        "Kancelarija za zapošljavanje Glogovac",
        "Employment Office Drenas",
        "APRK",
        [
            "Zyra e Punësimit",
            "Zyra e punësimit ne Komune",
            "Agjensia e Punsimit e Republikës së Kosovës",
        ],
        "Zyrën e Punësimit",
    ),
    (
        "human_rights",
        K.HUMAN_RIGHTS,
        "Njësia për të Drejta të Njeriut dhe Barazi Gjinore",
        "Jedinica za ljudska prava i rodnu ravnopravnost",
        "Human Rights and Gender Equality Unit",
        "NJDNJ, BGJ",
        [
            "NJDNJ",
            "NjDNJ",
            "BGJ",
            "ZBGJ",
            "NJDNJ, BGJ",
            "Zyra për të drejtat e njeriut dhe Barazai Gjinore",
            "Zyra për të drejtat e njeriut dhe Barazi Gjinore",
        ],
        "Njësinë për të Drejta të Njeriut dhe Barazi Gjinore",
    ),
    (
        "mkk",
        K.OTHER,
        "Mekanizmi Koordinues Komunal kundër Dhunës në Familje – Drenas",
        "Opštinski koordinacioni mehanizam protiv nasilja u porodici – Glogovac",
        "Municipal Coordination Mechanism against Domestic Violence – Drenas",
        "MKK",
        [
            "MKK- Drenas",
            "MKK - Drenas",
            "Kryesues i MKK",
            "Kryesues i MKK ose te tjere te caktuar me vendim",
        ],
        "",
    ),
    (
        "culture",
        K.OTHER,
        "Drejtoria e Kulturës, Rinisë dhe Sportit",
        "Direkcija za kulturu, omladinu i sport",
        "Directorate of Culture, Youth and Sport",
        "DKRS",
        [],
        "",
    ),
    (
        "kksb",
        K.OTHER,
        "Këshilli Komunal për Siguri në Bashkësi",
        "Opštinski savet za bezbednost zajednice",
        "Municipal Community Safety Council",
        "KKSB",
        ["KLSP"],
        "",
    ),
    (
        "village_admins",
        K.OTHER,
        "Administratorët e fshatrave",
        "Seoski administratori",
        "Village administrators",
        "",
        ["Administratorët", "Admini-stratorët"],
        "",
    ),
    (
        "social_housing",
        K.OTHER,
        "Sektori i Banimit Social",
        "Sektor za socijalno stanovanje",
        "Social Housing Sector",
        "",
        [],
        "",
    ),
    (
        "md",
        K.MINISTRY,
        "Ministria e Drejtësisë",
        "Ministarstvo pravde",
        "Ministry of Justice",
        "MD",
        ["Ministria e Drejtsisë"],
        "",
    ),
    (
        "probation",
        K.OTHER,
        "Shërbimi Sprovues",
        "Probaciona služba",
        "Probation Service",
        "SHSP",
        ["Sherbimi Sprovues"],
        "",
    ),
    (
        "mpms",
        K.MINISTRY,
        "Ministria e Punës dhe Mirëqenies Sociale",
        "Ministarstvo rada i socijalne zaštite",
        "Ministry of Labour and Social Welfare",
        "MPMS",
        ["Ministria e Punës dhe Mirqenjes Sociale"],
        "",
    ),
    (
        "mfpt",
        K.MINISTRY,
        "Ministria e Financave, Punës dhe Transfereve",
        "Ministarstvo finansija, rada i transfera",
        "Ministry of Finance, Labour and Transfers",
        "MFPT",
        ["Ministria e Financav, Punës dhe Transfereve"],
        "",
    ),
    (
        "ngo",
        K.NGO,
        "Organizatat joqeveritare",
        "Nevladine organizacije",
        "Non-governmental organisations",
        "OJQ",
        ["OJQ SIT", "Donatorë (OJQ)", "Qendra per Provimin e te Drejtave te Grave ( QPDG)", "QPDG"],
        "",
    ),
]

DRENAS_MEMBERS = [
    "police",
    "social_work",
    "victim_advocate",
    "prosecution",
    "court",
    "legal_aid",
    "health",
    "education",
    "employment",
    "human_rights",
]
DRENAS_PARTNERS = ["shelter"]

# The plan's first page, every number as written (source: "Plani Lokal i Veprimit kundër dhunës
# në familje 2025–2028", Drenas, the "Kontaktet" list; /work/shared/seeds). Neither the plan nor
# any other public document at hand gives these services' street addresses or opening hours, so
# they stay empty and the public page says "not published" rather than show an invented address;
# the short codes 112 and 192 are shown as answered 24 hours a day (Kosovo's emergency lines).
# A shelter's address is never published.
DRENAS_CONTACTS = [
    (
        "police",
        "Policia e Kosovës – Drenas/Gllogoc",
        "Kosovska policija – Glogovac",
        "Kosovo Police – Drenas",
        ["038-584-092", "0800 19 999", "192"],
        True,
    ),
    (
        "social_work",
        "Qendra për Punë Sociale Drenas",
        "Centar za socijalni rad Glogovac",
        "Centre for Social Work Drenas",
        ["038 584 356"],
        False,
    ),
    (None, "Thirrjet emergjente", "Hitni pozivi", "Emergency calls", ["112"], True),
    (
        "victim_advocate",
        "Zyra për Ndihmë dhe Mbrojtje të Viktimave",
        "Kancelarija za pomoć i zaštitu žrtava",
        "Victim Assistance and Protection Office",
        ["0800 11112"],
        True,
    ),
    (
        "legal_aid",
        "Agjencia për Ndihmë Juridike Falas",
        "Agencija za besplatnu pravnu pomoć",
        "Free Legal Aid Agency",
        ["0800 11 777"],
        True,
    ),
    (
        "shelter",
        "Qendra për Mbrojtjen e Grave dhe Fëmijëve",
        "Centar za zaštitu žena i dece",
        "Centre for the Protection of Women and Children",
        ["038 545 476", "044 420 052"],
        False,
    ),
]

# "Lista e shkurtesave", as the plan writes it, with English and Serbian added.
DRENAS_GLOSSARY = [
    ("MD", "Ministria e Drejtsisë", "Ministry of Justice", "Ministarstvo pravde"),
    ("SHSP", "Sherbimi Sprovues", "Probation Service", "Probaciona služba"),
    (
        "MPMS",
        "Ministria e Punës dhe Mirqenjes Sociale",
        "Ministry of Labour and Social Welfare",
        "Ministarstvo rada i socijalne zaštite",
    ),
    (
        "MFPT",
        "Ministria e Financav, Punës dhe Transfereve",
        "Ministry of Finance, Labour and Transfers",
        "Ministarstvo finansija, rada i transfera",
    ),
    (
        "DSHMS",
        "Drejtoria për Shendetesi dhe Mirëqenie Sociale",
        "Directorate of Health and Social Welfare",
        "Direkcija za zdravstvo i socijalnu zaštitu",
    ),
    ("DKA", "Drejtoria e Arsimit", "Directorate of Education", "Direkcija za obrazovanje"),
    ("QPS", "Qendra për Punë Sociale", "Centre for Social Work", "Centar za socijalni rad"),
    ("PK", "Policia e Kosovës", "Kosovo Police", "Kosovska policija"),
    ("MV", "Mbrojtësi I Viktimave", "Victim Advocate", "Zastupnik žrtava"),
    (
        "NJDNJ,BGJ",
        "Njesia për të Drejta të Njeriut dhe  Barazi Gjinore",
        "Human Rights and Gender Equality Unit",
        "Jedinica za ljudska prava i rodnu ravnopravnost",
    ),
    ("UA", "Udhëzim Administrativ", "Administrative Instruction", "Administrativno uputstvo"),
    ("OJQ", "Organizatat Joqeveritare", "Non-governmental organisations", "Nevladine organizacije"),
    (
        "APRK",
        "Agjensia e Punsimit e Republikës së Kosovës",
        "Employment Agency of the Republic of Kosovo",
        "Agencija za zapošljavanje Republike Kosovo",
    ),
    (
        "ZDJF",
        "Zyra për Ndihmë Juridike Falas",
        "Free Legal Aid Office",
        "Kancelarija za besplatnu pravnu pomoć",
    ),
]

# The 2019 report's members, in its order, and its NGO partner.
GJILAN_INSTITUTIONS = [
    (
        "police",
        K.POLICE,
        "Policia e Kosovës – Drejtoria Rajonale Gjilan",
        "Kosovska policija – Regionalna direkcija Gnjilane",
        "Kosovo Police – Gjilan Regional Directorate",
        "PK",
        ["Policia e Kosovës", "Policia"],
        "Policinë e Kosovës",
    ),
    (
        "victim_advocate",
        K.VICTIM_ADVOCATE,
        "Mbrojtësi i Viktimave",
        "Zastupnik žrtava",
        "Victim Advocate",
        "MV",
        ["Zyra për Mbrojtje dhe Ndihmë të Viktimave"],
        "Zyrën e Mbrojtësit të Viktimave",
    ),
    (
        "prosecution",
        K.PROSECUTION,
        "Prokuroria Themelore Gjilan",
        "Osnovno tužilaštvo Gnjilane",
        "Basic Prosecution Office Gjilan",
        "",
        ["Prokurori i shtetit", "Prokuroria Themelore"],
        "Prokurorinë Themelore",
    ),
    (
        "court",
        K.BASIC_COURT,
        "Gjykata Themelore Gjilan",
        "Osnovni sud Gnjilane",
        "Basic Court Gjilan",
        "",
        ["Gjykata Themelore", "Gjykata"],
        "Gjykatën Themelore",
    ),
    (
        "social_work",
        K.SOCIAL_WORK,
        "Qendra për Punë Sociale Gjilan",
        "Centar za socijalni rad Gnjilane",
        "Centre for Social Work Gjilan",
        "QPS",
        ["Qendra për Pune Sociale", "Qendra për Punë Sociale"],
        "Qendrën për Punë Sociale",
    ),
    (
        "human_rights",
        K.HUMAN_RIGHTS,
        "Njësia për të Drejtat e Njeriut",
        "Jedinica za ljudska prava",
        "Human Rights Unit",
        "NJDNJ",
        ["Zyrtarja për Barazi Gjinore"],
        "Njësinë për të Drejtat e Njeriut",
    ),
    (
        "mpms",
        K.MINISTRY,
        "Ministria e Punës dhe Mirëqenies Sociale",
        "Ministarstvo rada i socijalne zaštite",
        "Ministry of Labour and Social Welfare",
        "MPMS",
        [],
        "Ministrinë e Punës dhe Mirëqenies Sociale",
    ),
    (
        "health",
        K.HEALTH,
        "Drejtoria për Shëndetësi",
        "Direkcija za zdravstvo",
        "Directorate of Health",
        "DSH",
        [],
        "Drejtorinë për Shëndetësi",
    ),
    (
        "education",
        K.EDUCATION,
        "Drejtoria e Arsimit",
        "Direkcija za obrazovanje",
        "Directorate of Education",
        "DKA",
        [],
        "Drejtorinë e Arsimit",
    ),
    (
        "legal_aid",
        K.LEGAL_AID,
        "Agjencia për Ndihmë Juridike Falas",
        "Agencija za besplatnu pravnu pomoć",
        "Free Legal Aid Agency",
        "ANJF",
        ["Ndihma Juridike Falas"],
        "Agjencinë për Ndihmë Juridike Falas",
    ),
    (
        "shelter",
        K.SHELTER,
        "Strehimorja “Liria”",
        "Sklonište „Liria”",
        "Shelter “Liria”",
        "",
        ["Liria", "Qendra për mbrojtjen dhe rehabilitimin e grave dhe fëmijëve “Liria”"],
        "Strehimoren “Liria”",
    ),
    (
        "municipality",
        K.MUNICIPALITY,
        "Komuna e Gjilanit",
        "Opština Gnjilane",
        "Municipality of Gjilan",
        "",
        ["Komuna"],
        "Komunën e Gjilanit",
    ),
]
GJILAN_MEMBERS = [
    "police",
    "victim_advocate",
    "prosecution",
    "court",
    "social_work",
    "human_rights",
    "mpms",
    "health",
    "education",
    "legal_aid",
]
GJILAN_PARTNERS = ["shelter"]
# Kosovo-wide numbers, as the Drenas plan lists them (above); addresses and hours not published.
GJILAN_CONTACTS = [
    ("police", "Policia e Kosovës", "Kosovska policija", "Kosovo Police", ["192"], True),
    (None, "Thirrjet emergjente", "Hitni pozivi", "Emergency calls", ["112"], True),
    (
        "victim_advocate",
        "Zyra për Ndihmë dhe Mbrojtje të Viktimave",
        "Kancelarija za pomoć i zaštitu žrtava",
        "Victim Assistance and Protection Office",
        ["0800 11112"],
        True,
    ),
    (
        "legal_aid",
        "Agjencia për Ndihmë Juridike Falas",
        "Agencija za besplatnu pravnu pomoć",
        "Free Legal Aid Agency",
        ["0800 11 777"],
        True,
    ),
]


# Reporting levels: an institution that serves several municipalities reports once, at its
# level, so that a regional or national sum counts it once. Gjilan's police member is the
# Regional Directorate (all of the Gjilan region), Drenas's is its municipal station.
LEVELS = {
    "drenas": {"prosecution": L.REGIONAL, "mpms": L.NATIONAL, "mfpt": L.NATIONAL},
    "gjilan": {
        "police": L.REGIONAL,
        "victim_advocate": L.REGIONAL,
        "prosecution": L.REGIONAL,
        "court": L.REGIONAL,
        "shelter": L.REGIONAL,
        "mpms": L.NATIONAL,
    },
}


def _institutions(municipality, rows) -> dict[str, Institution]:
    out = {}
    for key, kind, sq, sr, en, abbr, aliases, locative in rows:
        inst, _created = Institution.objects.update_or_create(
            municipality=municipality,
            name_sq=sq,
            defaults={
                "kind": kind,
                "name_sr": sr,
                "name_en": en,
                "abbreviation": abbr,
                "aliases": "\n".join(aliases),
                "name_sq_locative": locative,
                "level": LEVELS.get(municipality.code, {}).get(key, L.MUNICIPAL),
            },
        )
        out[key] = inst
    return out


def _memberships(mechanism, institutions, members, partners, since) -> None:
    for order, key in enumerate(members):
        Membership.objects.update_or_create(
            mechanism=mechanism,
            institution=institutions[key],
            defaults={"role": MembershipRole.MEMBER, "order": order, "since": since},
        )
    for order, key in enumerate(partners):
        Membership.objects.update_or_create(
            mechanism=mechanism,
            institution=institutions[key],
            defaults={"role": MembershipRole.PARTNER, "order": order, "since": since},
        )


def _contacts(municipality, institutions, rows) -> None:
    for order, (key, sq, sr, en, numbers, free) in enumerate(rows):
        EmergencyContact.objects.update_or_create(
            municipality=municipality,
            name_sq=sq,
            defaults={
                "institution": institutions.get(key) if key else None,
                "name_sr": sr,
                "name_en": en,
                "numbers": numbers,
                "order": order,
                "free_of_charge": free,
            },
        )


@transaction.atomic
def load(out=None) -> dict:
    from .kosovo import ensure_kosovo

    ensure_kosovo()  # every municipality of Kosovo, as the data migration installs them
    municipalities = {}
    for code, sq, sr, en in MUNICIPALITIES:
        municipalities[code], _ = Municipality.objects.update_or_create(
            code=code, defaults={"name_sq": sq, "name_sr": sr, "name_en": en}
        )
    drenas, gjilan = municipalities["drenas"], municipalities["gjilan"]

    d_inst = _institutions(drenas, DRENAS_INSTITUTIONS)
    d_mech, _ = Mechanism.objects.update_or_create(
        municipality=drenas,
        defaults={
            "decision_number": "01-030/01-27874",
            "decision_date": dt.date(2024, 6, 11),
            "coordinator_title": "Koordinatore për të Drejtat e Njeriut dhe Barazi Gjinore",
        },
    )
    _memberships(d_mech, d_inst, DRENAS_MEMBERS, DRENAS_PARTNERS, dt.date(2024, 6, 11))
    _contacts(drenas, d_inst, DRENAS_CONTACTS)
    for order, (abbr, sq, en, sr) in enumerate(DRENAS_GLOSSARY):
        GlossaryTerm.objects.update_or_create(
            municipality=drenas,
            abbreviation=abbr,
            defaults={"meaning_sq": sq, "meaning_en": en, "meaning_sr": sr, "order": order},
        )

    g_inst = _institutions(gjilan, GJILAN_INSTITUTIONS)
    g_mech, _ = Mechanism.objects.update_or_create(
        municipality=gjilan,
        defaults={"coordinator_title": "Zyrtarja për Barazi Gjinore"},
    )
    _memberships(g_mech, g_inst, GJILAN_MEMBERS, GJILAN_PARTNERS, dt.date(2018, 1, 1))
    _contacts(gjilan, g_inst, GJILAN_CONTACTS)
    if out:
        out.write(
            f"  directory: {Municipality.objects.count()} municipalities, "
            f"{Institution.objects.count()} institutions"
        )
    return {"municipalities": municipalities, "drenas": d_inst, "gjilan": g_inst}
