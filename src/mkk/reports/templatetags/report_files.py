from django import template

from .. import filejobs

register = template.Library()


@register.inclusion_tag("reports/_report_files.html")
def report_files_status(report, can_manage=False):
    """The status of the background job rendering a report's files (nothing if there is none)."""
    jobs = filejobs.jobs_for(report)
    return {
        "report": report,
        "jobs": jobs,
        "pending": filejobs.pending(report),
        "files": list(report.files.all()) if jobs else [],
        "can_manage": can_manage,
        "show": bool(jobs),
    }
