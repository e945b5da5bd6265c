"""The mapping table between our codes and a DHIS2 instance's UIDs, as CSV.

--export FILE writes every (element, disaggregation) and every institution of the reporting
types, with the UIDs known so far (empty where none); fill it in and --load it again.
--generate-demo fills missing UIDs with made-up ones (demonstration and tests only).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mkk.core.spreadsheet import csv_writer, unneutralise
from mkk.directory.models import Institution, Municipality
from mkk.statistics import services
from mkk.statistics.comparison import element_keys
from mkk.statistics.exchange import mapping_generate
from mkk.statistics.models import DataElement, Dhis2DataElementMap, Dhis2OrgUnitMap

COLUMNS = [
    "kind",
    "element",
    "disaggregation",
    "municipality",
    "institution",
    "dataElement",
    "categoryOptionCombo",
    "orgUnit",
]


class Command(BaseCommand):
    help = "Export, load or generate the DHIS2 mapping table (CSV)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--export", metavar="FILE")
        group.add_argument("--load", metavar="FILE")
        group.add_argument("--generate-demo", action="store_true")
        parser.add_argument("--municipality", help="Limit institutions to this municipality.")

    def _institutions(self, code):
        qs = Institution.objects.select_related("municipality")
        if code:
            if not Municipality.objects.filter(code=code).exists():
                raise CommandError(f"No municipality with code {code!r}.")
            qs = qs.filter(municipality__code=code)
        return qs

    def handle(self, *args, **o):
        insts = self._institutions(o["municipality"])
        if o["generate_demo"]:
            self.stdout.write(f"{mapping_generate(insts)} mappings added.")
            return
        if o["export"]:
            out = io.StringIO()
            w = csv_writer(out, lineterminator="\n")
            w.writerow(COLUMNS)
            de = {(m.element_id, m.key): m for m in Dhis2DataElementMap.objects.all()}
            for e in DataElement.objects.prefetch_related("disaggregations__options"):
                for key in element_keys(e):
                    m = de.get((e.pk, key))
                    w.writerow(
                        [
                            "element",
                            e.code,
                            key,
                            "",
                            "",
                            m.data_element_uid if m else "",
                            m.category_option_combo_uid if m else "",
                            "",
                        ]
                    )
            ou = {m.institution_id: m.org_unit_uid for m in Dhis2OrgUnitMap.objects.all()}
            for i in insts:
                w.writerow(
                    ["org_unit", "", "", i.municipality.code, i.name_sq, "", "", ou.get(i.pk, "")]
                )
            Path(o["export"]).write_text(out.getvalue(), encoding="utf-8")
            return
        self._load(Path(o["load"]), insts)

    def _load(self, path: Path, insts):
        rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
        try:
            n = services.dhis2_mapping_load(
                actor=None,
                rows=[{k: unneutralise(v) for k, v in r.items()} for r in rows],
                institutions=insts,
            )
        except ValidationError as exc:
            raise CommandError(
                "The file was refused; nothing was saved.\n" + "\n".join(exc.messages)
            ) from exc
        self.stdout.write(f"{n} mappings loaded.")
