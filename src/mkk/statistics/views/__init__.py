"""The statistics pages, one module per concern; ``urls.py`` names them through this package.

* ``comparison`` – a range against the same range a year earlier;
* ``entry`` – the data sets a user enters, the entry form and its live check;
* ``submissions`` – the list, one submission, submit / approve / return / delete / correct;
* ``completeness`` – who submitted for a period, and the reminders;
* ``exchange`` – import (CSV, DHIS2 dataValueSets) and export;
* ``catalogue`` – data sets, elements and categories.
"""

from .catalogue import catalogue, data_sets, disaggregation_new, element_new
from .comparison import index
from .completeness import completeness, remind
from .entry import entry, entry_check, entry_form
from .exchange import export, import_view
from .submissions import (
    submission,
    submission_approve,
    submission_correct,
    submission_delete,
    submission_return,
    submission_submit,
    submissions,
)

__all__ = [
    "catalogue",
    "completeness",
    "data_sets",
    "disaggregation_new",
    "element_new",
    "entry",
    "entry_check",
    "entry_form",
    "export",
    "import_view",
    "index",
    "remind",
    "submission",
    "submission_approve",
    "submission_correct",
    "submission_delete",
    "submission_return",
    "submission_submit",
    "submissions",
]
