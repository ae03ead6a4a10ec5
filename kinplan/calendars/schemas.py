"""API schemas for one's own calendar: the private feed's state and the events in it."""

from __future__ import annotations

import datetime

from ninja import Field, Schema


class FeedOut(Schema):
    """The active feed, by the first characters of its secret (the address itself is shown only when issued)."""

    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None = Field(None, description="When a calendar app last read it.")


class FeedIssuedOut(FeedOut):
    address: str = Field(..., description="The feed's private address: shown once; subscribe a calendar app to it.")


class EventOut(Schema):
    uid: str
    summary: str
    start: datetime.datetime | datetime.date = Field(..., description="A time, or a date for all-day events.")
    end: datetime.datetime | None = None
    location: str = ""
    path: str = Field(..., description="The page for it in Kinplan.")


class CalendarOut(Schema):
    feed: FeedOut | None = Field(..., description="Your active feed, or null when none is issued.")
    events: list[EventOut] = Field(..., description="What your feed holds: a month ago to a year ahead, by date.")
