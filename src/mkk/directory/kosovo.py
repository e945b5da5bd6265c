"""All 38 municipalities of Kosovo with their police region and, where public, population.

Police regions: the eight regional directorates of the Kosovo Police (Drejtoritë Rajonale të
Policisë), with the municipalities whose police stations each one commands, as listed on the
Kosovo Police website (kosovopolice.com, "Drejtoritë rajonale" / "Regionalne direkcije").

Population: Kosovo Agency of Statistics (ASK), Population, Households and Housing Census 2024,
preliminary results published on 12 July 2024 (resident population). Only the municipalities
whose exact figure was published are filled in; every other one is left empty rather than
guessed. The four northern municipalities (North Mitrovica, Zveçan, Zubin Potok, Leposaviq)
largely boycotted the census, so their registered counts are not their population and are
left empty too.

Existing rows (matched on code) keep their names; only the region and population are set.
"""

from __future__ import annotations

POPULATION_SOURCE = "ASK, Census 2024 (preliminary results, 12.07.2024)"
POPULATION_YEAR = 2024

# code, Albanian, Serbian, English
REGIONS = [
    ("prishtina", "Prishtinë", "Priština", "Prishtina"),
    ("mitrovica-south", "Mitrovicë Jug", "Mitrovica Jug", "Mitrovica South"),
    ("mitrovica-north", "Mitrovicë Veri", "Mitrovica Sever", "Mitrovica North"),
    ("peja", "Pejë", "Peć", "Peja"),
    ("prizren", "Prizren", "Prizren", "Prizren"),
    ("gjakova", "Gjakovë", "Đakovica", "Gjakova"),
    ("gjilan", "Gjilan", "Gnjilane", "Gjilan"),
    ("ferizaj", "Ferizaj", "Uroševac", "Ferizaj"),
]

# code, Albanian, Serbian, English, region, population (ASK census 2024, see above) or None
MUNICIPALITIES = [
    ("prishtina", "Prishtinë", "Priština", "Prishtina", "prishtina", 227154),
    ("podujeva", "Podujevë", "Podujevo", "Podujeva", "prishtina", None),
    ("obiliq", "Obiliq", "Obilić", "Obiliq", "prishtina", None),
    ("fushe-kosova", "Fushë Kosovë", "Kosovo Polje", "Fushë Kosova", "prishtina", None),
    ("lipjan", "Lipjan", "Lipljan", "Lipjan", "prishtina", None),
    ("gracanica", "Graçanicë", "Gračanica", "Gračanica", "prishtina", None),
    ("drenas", "Drenas", "Glogovac", "Drenas", "prishtina", None),
    (
        "mitrovica-south",
        "Mitrovicë e Jugut",
        "Južna Mitrovica",
        "South Mitrovica",
        "mitrovica-south",
        None,
    ),
    ("vushtrri", "Vushtrri", "Vučitrn", "Vushtrri", "mitrovica-south", None),
    ("skenderaj", "Skenderaj", "Srbica", "Skenderaj", "mitrovica-south", None),
    (
        "mitrovica-north",
        "Mitrovicë e Veriut",
        "Severna Mitrovica",
        "North Mitrovica",
        "mitrovica-north",
        None,
    ),
    ("zvecan", "Zveçan", "Zvečan", "Zvečan", "mitrovica-north", None),
    ("zubin-potok", "Zubin Potok", "Zubin Potok", "Zubin Potok", "mitrovica-north", None),
    ("leposaviq", "Leposaviq", "Leposavić", "Leposavić", "mitrovica-north", None),
    ("peja", "Pejë", "Peć", "Peja", "peja", None),
    ("istog", "Istog", "Istok", "Istog", "peja", None),
    ("klina", "Klinë", "Klina", "Klina", "peja", None),
    ("gjakova", "Gjakovë", "Đakovica", "Gjakova", "gjakova", 78824),
    ("decan", "Deçan", "Dečani", "Deçan", "gjakova", None),
    ("junik", "Junik", "Junik", "Junik", "gjakova", None),
    ("rahovec", "Rahovec", "Orahovac", "Rahovec", "gjakova", None),
    ("malisheva", "Malishevë", "Mališevo", "Malisheva", "gjakova", None),
    ("prizren", "Prizren", "Prizren", "Prizren", "prizren", 147428),
    ("suhareka", "Suharekë", "Suva Reka", "Suhareka", "prizren", None),
    ("dragash", "Dragash", "Dragaš", "Dragash", "prizren", None),
    ("mamusha", "Mamushë", "Mamuša", "Mamusha", "prizren", None),
    ("gjilan", "Gjilan", "Gnjilane", "Gjilan", "gjilan", None),
    ("kamenica", "Kamenicë", "Kamenica", "Kamenica", "gjilan", None),
    ("viti", "Viti", "Vitina", "Viti", "gjilan", None),
    ("novoberda", "Novobërdë", "Novo Brdo", "Novo Brdo", "gjilan", None),
    ("ranillug", "Ranillug", "Ranilug", "Ranilug", "gjilan", None),
    ("partesh", "Partesh", "Parteš", "Partesh", "gjilan", None),
    ("kllokot", "Kllokot", "Klokot", "Kllokot", "gjilan", None),
    ("ferizaj", "Ferizaj", "Uroševac", "Ferizaj", "ferizaj", 109345),
    ("kacanik", "Kaçanik", "Kačanik", "Kaçanik", "ferizaj", None),
    ("shtime", "Shtime", "Štimlje", "Shtime", "ferizaj", None),
    ("shterpca", "Shtërpcë", "Štrpce", "Štrpce", "ferizaj", None),
    ("hani-i-elezit", "Hani i Elezit", "Elez Han", "Hani i Elezit", "ferizaj", None),
]


def install(get_model) -> None:
    """Create or complete the regions and municipalities (idempotent).

    ``get_model(name)`` returns the model class (historical models in a migration)."""
    Region = get_model("Region")  # noqa: N806
    Municipality = get_model("Municipality")  # noqa: N806
    regions = {}
    for order, (code, sq, sr, en) in enumerate(REGIONS):
        regions[code], _ = Region.objects.update_or_create(
            code=code, defaults={"name_sq": sq, "name_sr": sr, "name_en": en, "order": order}
        )
    for code, sq, sr, en, region, population in MUNICIPALITIES:
        m, _created = Municipality.objects.get_or_create(
            code=code, defaults={"name_sq": sq, "name_sr": sr, "name_en": en}
        )
        m.name_sr = m.name_sr or sr
        m.name_en = m.name_en or en
        m.region = regions[region]
        if population is not None and m.population is None:
            m.population = population
            m.population_year = POPULATION_YEAR
            m.population_source = POPULATION_SOURCE
        m.save()


def ensure_kosovo() -> None:
    """Install the regions and municipalities now (the demo and tests after a flush)."""
    from django.apps import apps

    install(lambda name: apps.get_model("directory", name))
