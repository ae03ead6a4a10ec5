"""Sign-in by username and password, loading the user with their organisation in the same query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class UserWithOrganisationBackend(ModelBackend):
    """Every page reads the user's organisation (its terminology), so load it with the user: no extra query."""

    def get_user(self, user_id: Any) -> Any:
        user_model = self.__class__._user_model()
        try:
            user = user_model._default_manager.select_related("organisation").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    @staticmethod
    def _user_model() -> Any:
        from django.contrib.auth import get_user_model

        return get_user_model()
