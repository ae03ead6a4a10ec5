from __future__ import annotations

from kinplan.permanent_care.tests.conftest import family, staff  # noqa: F401 (fixtures for the spend export)
