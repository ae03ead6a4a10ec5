from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.dashboards import selectors
from kinplan.permanent_care.selectors import waiting_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where everyone lands: their role's dashboard (the administrator, who sees no case, manages the system)."""
    if request.user.role == User.Role.ADMINISTRATOR:
        return redirect("admin:index")
    today = timezone.localdate()
    context = {
        **selectors.dashboard(user=request.user, today=today),
        "waiting": waiting_for(request.user, today),
        "today": today,
    }
    return render(request, "dashboards/home.html", context)
