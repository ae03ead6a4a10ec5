from kinplan.permanent_care.tests.conftest import family, staff  # noqa: F401 - the permanent care fixtures
