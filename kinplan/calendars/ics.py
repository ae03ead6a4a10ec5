"""iCalendar files (RFC 5545) with the icalendar library: a user's feed, and one meeting's invitation."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from kinplan.calendars.selectors import Event
from kinplan.meetings.models import Meeting

PRODID = "-//Kinplan//Kinplan calendar//EN"


def _calendar(name: str, method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    return calendar


def feed_ics(events: list[Event], *, name: str, base_url: str) -> bytes:
    """The user's feed: one event per meeting, step due date, review and hearing."""
    calendar = _calendar(name)
    stamp = timezone.now()
    for event in events:
        vevent = VEvent()
        vevent.add("uid", event.uid)
        vevent.add("dtstamp", stamp)
        vevent.add("summary", event.summary)
        vevent.add("dtstart", event.start)
        if event.end is not None:
            vevent.add("dtend", event.end)
        elif not isinstance(event.start, datetime.datetime):
            vevent.add("dtend", event.start + datetime.timedelta(days=1))  # an all-day event
        if event.location:
            vevent.add("location", event.location)
        vevent.add("url", base_url + event.path)
        vevent.add("description", _("Open it in Kinplan: %(url)s") % {"url": base_url + event.path})
        calendar.add_component(vevent)
    return calendar.to_ical()


def meeting_invitation_ics(meeting: Meeting, *, organiser_email: str, base_url: str, path: str) -> bytes:
    """One meeting as an invitation to send to its participants: when, where, what for, and who is invited
    (those with an email address)."""
    calendar = _calendar(str(meeting), method="REQUEST")
    vevent = VEvent()
    vevent.add("uid", f"meeting-{meeting.pk}@kinplan")
    vevent.add("dtstamp", timezone.now())
    vevent.add("summary", meeting.get_kind_display())
    vevent.add("dtstart", meeting.starts_at)
    vevent.add("dtend", meeting.starts_at + datetime.timedelta(hours=1))
    vevent.add("location", meeting.place)
    vevent.add("description", meeting.purpose)
    vevent.add("url", base_url + path)
    if organiser_email:
        vevent.add("organizer", vCalAddress(f"mailto:{organiser_email}"))
    for participant in meeting.participants.all():
        email = _email_of(participant)
        if email:
            attendee = vCalAddress(f"mailto:{email}")
            attendee.params["cn"] = vText(_name_of(participant))
            attendee.params["role"] = vText("REQ-PARTICIPANT" if participant.is_required else "OPT-PARTICIPANT")
            vevent.add("attendee", attendee, encode=0)
    calendar.add_component(vevent)
    return calendar.to_ical()


def _person_or_user(participant):  # type: ignore[no-untyped-def]
    member = participant.team_member
    return participant.person or participant.user or (member.person or member.user if member else None)


def _email_of(participant) -> str:  # type: ignore[no-untyped-def]
    who = _person_or_user(participant)
    return getattr(who, "email", "") or ""


def _name_of(participant) -> str:  # type: ignore[no-untyped-def]
    who = _person_or_user(participant)
    return str(who) if who is not None else participant.name
