"""The calendar page (issue or stop one's private feed), the feed itself, and a meeting's invitation file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinplan.calendars import ics, selectors, services
from kinplan.calendars.models import CalendarFeed
from kinplan.cases.permissions import case_get_for_user_or_404
from kinplan.meetings.models import Meeting

CALENDAR = "text/calendar; charset=utf-8"


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """See whether one's feed is on; get a new private address (the old one stops) or stop it."""
    address = None
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            services.calendar_feed_revoke(actor=request.user)
            messages.success(request, _("Your calendar feed is stopped: its address no longer works."))
            return redirect("calendars:settings")
        _feed, secret = services.calendar_feed_issue(actor=request.user)
        address = request.build_absolute_uri(reverse("calendars:feed", args=[secret]))
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    upcoming = selectors.calendar_events(request.user)[:10]
    return render(request, "calendars/settings.html", {"feed": feed, "address": address, "upcoming": upcoming})


def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The feed, for calendar apps (which cannot sign in): the secret in the address is the key."""
    feed = services.calendar_feed_for(secret)
    if feed is None:
        raise Http404(_("No such calendar."))
    base_url = request.build_absolute_uri("/").rstrip("/")
    # Calendar apps send no session: the events are written in the language the owner chose, if any.
    with translation.override(feed.user.language or translation.get_language()):
        body = ics.feed_ics(selectors.calendar_events(feed.user), name="Kinplan", base_url=base_url)
    response = HttpResponse(body, content_type=CALENDAR)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def meeting_invitation(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """One meeting as an .ics invitation, to attach to an email to its participants."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    meeting = get_object_or_404(
        Meeting.objects.prefetch_related(
            "participants__person",
            "participants__user",
            "participants__team_member__person",
            "participants__team_member__user",
        ),
        pk=meeting_pk,
        case=case,
    )
    path = reverse("meetings:detail", args=[case.pk, meeting.pk])
    body = ics.meeting_invitation_ics(
        meeting, organiser_email=request.user.email, base_url=request.build_absolute_uri("/").rstrip("/"), path=path
    )
    response = HttpResponse(body, content_type=CALENDAR)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response
