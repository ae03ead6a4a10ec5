"""API endpoints for one's own account: list and revoke one's personal API tokens, as on the API tokens page.

Creating a token stays on the page: a token counts as a recent sign-in, so a script could otherwise mint tokens
that outlive the one it was given."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from kinplan.accounts import schemas as s
from kinplan.accounts.models import ApiToken
from kinplan.accounts.services import api_token_revoke
from kinplan.core.api import found_or_404

router = Router(tags=["account"])


@router.get("/me/api-tokens", response=list[s.ApiTokenOut], summary="Your personal API tokens, newest first")
def list_api_tokens(request: HttpRequest):  # type: ignore[no-untyped-def]
    return list(ApiToken.objects.filter(user=request.user))


@router.post(
    "/me/api-tokens/{token_id}/revoke",
    response=s.ApiTokenOut,
    summary="Revoke one of your API tokens at once (scripts using it get 401 from then on)",
)
def revoke_api_token(request: HttpRequest, token_id: int):  # type: ignore[no-untyped-def]
    token = found_or_404(ApiToken.objects.filter(user=request.user), token_id)
    return api_token_revoke(actor=request.user, token=token)
