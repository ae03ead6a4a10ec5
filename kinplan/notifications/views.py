"""The notification list, its unread count for the top bar, and the user's own settings page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinplan.notifications import selectors, services
from kinplan.notifications.forms import SettingsForm


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(
        selectors.notifications_for(request.user, unread_only=unread_only), settings.KINPLAN_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread_only": unread_only, "unread": selectors.unread_count(request.user)},
    )


@login_required
@require_GET
def unread_badge(request: HttpRequest) -> HttpResponse:
    """The top bar's count, fetched after the page loads so that no page pays for it."""
    return render(request, "notifications/partials/badge.html", {"unread": selectors.unread_count(request.user)})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one's own notification read and go to what it is about."""
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()})
    return redirect(notification.url if notification.url and safe else "notifications:list")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    if request.htmx:
        notification.refresh_from_db()
        return render(request, "notifications/partials/item.html", {"n": notification})
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_read(user=request.user)
    messages.success(request, _("%(count)s notification(s) marked read.") % {"count": count})
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def user_settings(request: HttpRequest) -> HttpResponse:
    """Your settings: your language, and which reminders you get and how."""
    choices = selectors.reminder_choices(request.user)
    form = SettingsForm(request.POST or None, choices=choices, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_settings(user=request.user, language=form.cleaned_data["language"], choices=form.chosen())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            translation.activate(form.cleaned_data["language"] or settings.LANGUAGE_CODE)
            messages.success(request, _("Your settings are saved."))
            return redirect("notifications:settings")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "notifications/settings.html", {"form": form, "has_email": bool(request.user.email)}, status=status
    )
