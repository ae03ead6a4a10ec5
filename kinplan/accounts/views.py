"""Sign-in, and the user's own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinplan.accounts.forms import ApiTokenForm
from kinplan.accounts.models import ApiToken
from kinplan.accounts.services import api_token_create, api_token_revoke
from kinplan.core.forms import save_or_show_errors


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List, create and revoke personal API tokens; a new token is shown once."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST":
        created = save_or_show_errors(form, lambda: api_token_create(actor=request.user, **form.cleaned_data))
        if created:
            new_token = created[1]
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token '%(name)s' revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")
