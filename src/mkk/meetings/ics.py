"""An iCalendar (RFC 5545) file for a meeting, written by hand.

Lines end in CRLF and are folded at 75 octets; text values escape backslash, semicolon,
comma and newlines. Times are given in UTC (the meeting's local time is Europe/Belgrade, the
server's TIME_ZONE), a meeting without a start time is an all-day event.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone

from .models import Meeting, MeetingStatus


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size = " ", 1  # continuation lines start with one space
            limit = 75
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_times(meeting: Meeting) -> tuple[str, str]:
    """DTSTART and DTEND properties (name and value) for the meeting."""
    if not meeting.start_time:
        start = meeting.date.strftime("%Y%m%d")
        end = (meeting.date + dt.timedelta(days=1)).strftime("%Y%m%d")
        return f"DTSTART;VALUE=DATE:{start}", f"DTEND;VALUE=DATE:{end}"
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    begin = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=tz)
    finish = (
        dt.datetime.combine(meeting.date, meeting.end_time, tzinfo=tz)
        if meeting.end_time
        else begin + dt.timedelta(hours=2)
    )
    return f"DTSTART:{_utc(begin)}", f"DTEND:{_utc(finish)}"


def meeting_calendar(meeting: Meeting, *, domain: str = "mkk.local") -> str:
    """The .ics text of one meeting (METHOD:PUBLISH, so any calendar can import it)."""
    mechanism = meeting.mechanism
    summary = f"{mechanism.name} – {meeting.get_kind_display()}"
    agenda = [f"{i}. {item.title}" for i, item in enumerate(meeting.agenda_items.all(), start=1)]
    dtstart, dtend = meeting_times(meeting)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//MKK//Meetings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{domain}",
        f"DTSTAMP:{_utc(timezone.now())}",
        dtstart,
        dtend,
        f"SEQUENCE:{meeting.invitation_sequence}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if meeting.place:
        lines.append(f"LOCATION:{escape_text(meeting.place)}")
    if agenda:
        lines.append(f"DESCRIPTION:{escape_text(chr(10).join(agenda))}")
    lines.append(
        "STATUS:CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "STATUS:CONFIRMED"
    )
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
