"""The default catalogue: disaggregations, data elements and one data set per institution type.

Installed by the data migration ``0002_default_catalogue`` (so a fresh production database has
it) and again, idempotently, by ``ensure_default_catalogue()`` from the demo loader and the
``statistics_catalogue`` command. Existing rows keep the names a coordinator may have edited;
only missing rows and missing links are added.
"""

from __future__ import annotations

# code, (sq, sr, en), options [(code, sq, sr, en)]
DISAGGREGATIONS = [
    (
        "sex",
        ("Gjinia", "Pol", "Sex"),
        [
            ("female", "Femra", "Žene", "Female"),
            ("male", "Meshkuj", "Muškarci", "Male"),
        ],
    ),
    (
        "age",
        ("Grupmosha", "Starosna grupa", "Age group"),
        [
            ("adult", "Të rritur", "Odrasli", "Adults"),
            ("child", "Fëmijë", "Deca", "Children"),
        ],
    ),
]

# code, (sq, sr, en), disaggregations
ELEMENTS = [
    (
        "POL_CASES",
        (
            "Raste të dhunës në familje të raportuara",
            "Prijavljeni slučajevi nasilja u porodici",
            "Domestic-violence cases reported",
        ),
        [],
    ),
    ("POL_VICTIMS", ("Viktima", "Žrtve", "Victims"), ["sex", "age"]),
    ("POL_ARRESTS", ("Të dyshuar të arrestuar", "Uhapšeni osumnjičeni", "Suspects arrested"), []),
    ("QPS_VICTIMS", ("Viktima të trajtuara", "Zbrinute žrtve", "Victims treated"), ["sex", "age"]),
    (
        "MV_CASES",
        ("Raste të asistuara", "Slučajevi u kojima je pružena pomoć", "Cases assisted"),
        ["sex"],
    ),
    ("PRO_CASES", ("Raste të pranuara", "Primljeni predmeti", "Cases received"), []),
    ("PRO_INDICTMENTS", ("Aktakuza të ngritura", "Podignute optužnice", "Indictments filed"), []),
    (
        "GJK_PO_REQUESTS",
        (
            "Kërkesa për urdhër mbrojtjeje",
            "Zahtevi za nalog za zaštitu",
            "Protection-order requests",
        ),
        [],
    ),
    (
        "GJK_EPO_ISSUED",
        (
            "Urdhra emergjentë mbrojtjeje të lëshuar",
            "Izdati hitni nalozi za zaštitu",
            "Emergency protection orders issued",
        ),
        [],
    ),
    (
        "GJK_PO_ISSUED",
        ("Urdhra mbrojtjeje të lëshuar", "Izdati nalozi za zaštitu", "Protection orders issued"),
        [],
    ),
    (
        "GJK_JUDGMENTS",
        ("Aktgjykime të formës së prerë", "Pravosnažne presude", "Final judgments"),
        [],
    ),
    (
        "STR_PERSONS",
        ("Persona të strehuar", "Osobe zbrinute u skloništu", "Persons sheltered"),
        ["age", "sex"],
    ),
    (
        "NJF_PERSONS",
        (
            "Persona të ndihmuar me ndihmë juridike",
            "Osobe kojima je pružena pravna pomoć",
            "Persons assisted with legal aid",
        ),
        ["sex"],
    ),
    (
        "PUN_VICTIMS",
        (
            "Viktima të punësuara ose të aftësuara",
            "Zaposlene ili obučene žrtve",
            "Victims employed or trained",
        ),
        ["sex"],
    ),
    (
        "SHE_CASES",
        (
            "Raste të identifikuara dhe të referuara nga shëndetësia",
            "Slučajevi koje je zdravstvo identifikovalo i uputilo",
            "Cases identified and referred by health services",
        ),
        [],
    ),
    (
        "ARS_CASES",
        (
            "Raste të identifikuara dhe të referuara nga arsimi",
            "Slučajevi koje je obrazovanje identifikovalo i uputilo",
            "Cases identified and referred by schools",
        ),
        [],
    ),
]

# code, institution kind, (sq, sr, en), elements
DATA_SETS = [
    (
        "POLICE",
        "police",
        ("Policia: dhuna në familje", "Policija: nasilje u porodici", "Police: domestic violence"),
        ["POL_CASES", "POL_VICTIMS", "POL_ARRESTS"],
    ),
    (
        "SOCIAL_WORK",
        "social_work",
        (
            "Qendra për Punë Sociale: viktimat",
            "Centar za socijalni rad: žrtve",
            "Centre for social work: victims",
        ),
        ["QPS_VICTIMS"],
    ),
    (
        "VICTIM_ADVOCATE",
        "victim_advocate",
        ("Mbrojtësi i viktimave: rastet", "Zastupnik žrtava: slučajevi", "Victim advocate: cases"),
        ["MV_CASES"],
    ),
    (
        "PROSECUTION",
        "prosecution",
        ("Prokuroria: rastet", "Tužilaštvo: predmeti", "Prosecution: cases"),
        ["PRO_CASES", "PRO_INDICTMENTS"],
    ),
    (
        "COURT",
        "basic_court",
        (
            "Gjykata: urdhrat e mbrojtjes dhe aktgjykimet",
            "Sud: nalozi za zaštitu i presude",
            "Court: protection orders and judgments",
        ),
        ["GJK_PO_REQUESTS", "GJK_EPO_ISSUED", "GJK_PO_ISSUED", "GJK_JUDGMENTS"],
    ),
    (
        "SHELTER",
        "shelter",
        (
            "Strehimorja: personat e strehuar",
            "Sklonište: zbrinute osobe",
            "Shelter: persons sheltered",
        ),
        ["STR_PERSONS"],
    ),
    (
        "LEGAL_AID",
        "legal_aid",
        ("Ndihma juridike falas", "Besplatna pravna pomoć", "Free legal aid"),
        ["NJF_PERSONS"],
    ),
    (
        "EMPLOYMENT",
        "employment",
        (
            "Zyra e punësimit: viktimat",
            "Kancelarija za zapošljavanje: žrtve",
            "Employment office: victims",
        ),
        ["PUN_VICTIMS"],
    ),
    (
        "HEALTH",
        "health",
        (
            "Shëndetësia: rastet e referuara",
            "Zdravstvo: upućeni slučajevi",
            "Health: cases referred",
        ),
        ["SHE_CASES"],
    ),
    (
        "EDUCATION",
        "education",
        (
            "Arsimi: rastet e referuara",
            "Obrazovanje: upućeni slučajevi",
            "Education: cases referred",
        ),
        ["ARS_CASES"],
    ),
]


def install(models) -> int:
    """Add whatever of the default catalogue is missing. ``models(name)`` returns a model class
    (the historical one in a migration, the real one otherwise). Returns rows created."""
    Disaggregation = models("Disaggregation")
    Option = models("DisaggregationOption")
    DataElement = models("DataElement")
    DataSet = models("DataSet")
    created = 0
    disaggs = {}
    for order, (code, (sq, sr, en), options) in enumerate(DISAGGREGATIONS):
        d, new = Disaggregation.objects.get_or_create(
            code=code, defaults={"name_sq": sq, "name_sr": sr, "name_en": en, "order": order}
        )
        created += new
        disaggs[code] = d
        for o_order, (ocode, osq, osr, oen) in enumerate(options):
            _o, new = Option.objects.get_or_create(
                disaggregation=d,
                code=ocode,
                defaults={"name_sq": osq, "name_sr": osr, "name_en": oen, "order": o_order},
            )
            created += new
    elements = {}
    for order, (code, (sq, sr, en), dcodes) in enumerate(ELEMENTS):
        e, new = DataElement.objects.get_or_create(
            code=code, defaults={"name_sq": sq, "name_sr": sr, "name_en": en, "order": order * 10}
        )
        created += new
        if new:
            e.disaggregations.set([disaggs[c] for c in dcodes])
        elements[code] = e
    for code, kind, (sq, sr, en), ecodes in DATA_SETS:
        ds, new = DataSet.objects.get_or_create(
            code=code,
            defaults={"institution_kind": kind, "name_sq": sq, "name_sr": sr, "name_en": en},
        )
        created += new
        if new:
            ds.elements.set([elements[c] for c in ecodes])
    return created


def ensure_default_catalogue() -> int:
    """Idempotent: safe on a fresh or a running database."""
    from django.apps import apps

    return install(lambda name: apps.get_model("statistics", name))
