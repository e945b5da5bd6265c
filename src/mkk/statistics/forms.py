from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mkk.core import periods
from mkk.core.concurrency import VersionedFormMixin
from mkk.directory.i18n import localized
from mkk.directory.models import Institution

from .models import DataElement, DataSet, Disaggregation, PeriodType, Status
from .validation import MAX_FIGURE, check_values, offending_keys, spec_of


class SubmissionFilterForm(forms.Form):
    """Filters of the submissions list; an invalid value is dropped, never an error page."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False
    )
    data_set = forms.ModelChoiceField(
        label=_("Data set"), queryset=DataSet.objects.none(), required=False
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, institutions, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + list(Status.choices)
        self.fields["institution"].queryset = institutions
        self.fields["data_set"].queryset = DataSet.objects.all()
        self.fields["year"].choices = [("", "---------")] + [(y, str(y)) for y in years]

    def filters(self) -> dict:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class RangeForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ValidationError(_("The period ends before it starts."))
        if start and end and (end - start).days > 366 * 10:
            raise ValidationError(_("Choose a period of at most ten years."))
        return data


def field_name(code: str, key: str) -> str:
    return f"v__{code}__{key.replace('=', '-') if key else 'total'}"


class ValuesForm(VersionedFormMixin, forms.Form):
    """One number field per element and category of a data set."""

    def __init__(self, *args, data_set: DataSet, initial_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.data_set = data_set
        self.elements = list(
            data_set.elements.prefetch_related("disaggregations__options").order_by("order", "code")
        )
        initial_values = initial_values or {}
        self.layout = []
        for e in self.elements:
            rows = []
            keys = [("", _("Total"))]
            for d in e.disaggregations.all():
                keys += [
                    (f"{d.code}={o.code}", f"{localized(d, 'name')}: {localized(o, 'name')}")
                    for o in d.options.all()
                ]
            for key, label in keys:
                name = field_name(e.code, key)
                self.fields[name] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=0,
                    max_value=MAX_FIGURE,
                    initial=initial_values.get((e.code, key)),
                    widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
                    error_messages={
                        "min_value": _("Figures cannot be negative."),
                        "invalid": _("Enter a whole number."),
                    },
                )
                rows.append((key, name))
            self.layout.append((e, rows))

    def sections(self):
        """[(element, [bound field, ...])] for the template."""
        return [(e, [self[name] for _key, name in rows]) for e, rows in self.layout]

    def columns(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """The breakdowns of the data set's elements, in order of first appearance:
        [(category code, category name, [(option code, option name), ...])]."""
        seen: dict[str, tuple[str, str, list[tuple[str, str]]]] = {}
        for e in self.elements:
            for d in e.disaggregations.all():
                if d.code not in seen:
                    opts = [(o.code, localized(o, "name")) for o in d.options.all()]
                    seen[d.code] = (d.code, localized(d, "name"), opts)
        return list(seen.values())

    def grid(self) -> list[dict]:
        """One row per element: its total, then per breakdown its option fields (None where the
        element has no such breakdown) and the sum of the parts as given so far."""
        offending = getattr(self, "offending", set())
        rows = []
        for e, _keys in self.layout:
            own = {d.code for d in e.disaggregations.all()}
            total = self._cell(e.code, "", offending)
            groups = []
            for cat_code, _name, options in self.columns():
                if cat_code not in own:
                    groups.append({"code": cat_code, "cells": [None] * len(options), "own": False})
                    continue
                cells = [self._cell(e.code, f"{cat_code}={o}", offending) for o, _n in options]
                numbers = [self._number(c) for c in cells]
                given = [n for n in numbers if n is not None]
                groups.append(
                    {
                        "code": cat_code,
                        "cells": cells,
                        "own": True,
                        "sum": sum(given) if given else None,
                        "bad": any(c.field.widget.attrs.get("aria-invalid") for c in cells),
                    }
                )
            rows.append({"element": e, "total": total, "groups": groups})
        return rows

    def _cell(self, code: str, key: str, offending: set):
        bound = self[field_name(code, key)]
        attrs = bound.field.widget.attrs
        attrs["data-element"] = code
        if key:
            attrs["data-part"] = f"{code}:{key.partition('=')[0]}"
        else:
            attrs["data-total"] = code
        if (code, key) in offending or bound.errors:
            attrs["aria-invalid"] = "true"
            attrs["class"] = "mismatch"
        return bound

    @staticmethod
    def _number(bound) -> int | None:
        value = bound.value()
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def values(self) -> dict[tuple[str, str], int | None]:
        out = {}
        for e, rows in self.layout:
            for key, name in rows:
                out[(e.code, key)] = self.cleaned_data.get(name)
        return out

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        values = {k: v for k, v in self.values().items() if v is not None}
        specs = [spec_of(e) for e in self.elements]
        errors = check_values(specs, values)
        if errors:
            self.offending = offending_keys(specs, values)
            raise ValidationError(errors)
        return data


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs correcting"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class CorrectionForm(ValuesForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = forms.CharField(
            label=_("Reason for the correction"),
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Required: it is kept in the audit log with every changed figure."),
        )


class ImportForm(forms.Form):
    FORMATS = [("csv", _("CSV")), ("dhis2", _("DHIS2 dataValueSets (JSON)"))]
    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS)
    approve = forms.BooleanField(
        label=_("Approve the imported figures at once (coordinators)"), required=False
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB."))
        return f


class ElementForm(forms.ModelForm):
    data_sets = forms.ModelMultipleChoiceField(
        label=_("Data sets"),
        queryset=DataSet.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=True,
    )

    class Meta:
        model = DataElement
        fields = ["code", "name_sq", "name_sr", "name_en", "description", "disaggregations"]
        widgets = {
            "disaggregations": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_sets"].label_from_instance = lambda ds: f"{ds.name} ({ds.code})"
        self.fields["disaggregations"].label_from_instance = lambda d: d.name


class DisaggregationForm(forms.ModelForm):
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: code; Albanian name; Serbian name; English name. "
            "E.g. rural; Fshat; Selo; Rural"
        ),
    )

    class Meta:
        model = Disaggregation
        fields = ["code", "name_sq", "name_sr", "name_en"]

    def clean_options(self):
        out = []
        for number, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            if len(parts) != 4 or not all(parts):
                raise ValidationError(
                    _("Line %(number)s: write code; Albanian; Serbian; English.")
                    % {"number": number}
                )
            out.append(tuple(parts))
        return out


def parse_day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


FILTER_PERIOD_TYPES = (PeriodType.MONTH, PeriodType.QUARTER, PeriodType.HALF_YEAR, PeriodType.YEAR)


def chosen_period(query, default: str) -> tuple[dt.date, dt.date, str]:
    """The period a page's filter asks for: ``period_type`` (else ``default``) containing
    ``day``, or without a day the last complete one; ``(start, end, type)``."""
    ptype = query.get("period_type", default)
    if ptype not in FILTER_PERIOD_TYPES:
        ptype = default
    day = parse_day(query.get("day"))
    p = (
        periods.containing(ptype, day)
        if day
        else periods.last_complete(ptype, timezone.localdate())
    )
    return p.start, p.end, ptype


def period_type_choices() -> list[tuple[str, str]]:
    """The period types a filter offers, with their labels."""
    return [(t.value, t.label) for t in FILTER_PERIOD_TYPES]


class DataSetSettingsForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = DataSet
        fields = ["period_type", "deadline_days", "warning_factor", "is_active"]


DataSetSettingsFormSet = forms.modelformset_factory(
    DataSet, form=DataSetSettingsForm, extra=0, can_delete=False
)
