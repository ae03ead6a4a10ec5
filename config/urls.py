from django.urls import include, path

from kinplan.accounts.admin import admin_site
from kinplan.api import api
from kinplan.core import views as core_views
from kinplan.dashboards import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("", include("kinplan.assessments.urls")),
    path("", include("kinplan.planning.urls")),
    path("", include("kinplan.providers.urls")),
    path("", include("kinplan.referrals.urls")),
    path("", include("kinplan.meetings.urls")),
    path("", include("kinplan.court.urls")),
    path("", include("kinplan.notes.urls")),
    path("", include("kinplan.permanent_care.urls")),
    path("", include("kinplan.documents.urls")),
    path("", include("kinplan.calendars.urls")),
    path("", include("kinplan.notifications.urls")),
    path("", include("kinplan.privacy.urls")),
    path("", include("kinplan.audit.urls")),
    path("", include("kinplan.fhir.urls")),
    path("", include("kinplan.spreadsheets.urls")),
    # Last of the case pages: its cases/<pk>/<kind>/add/ and …/<obj_pk>/edit/ patterns would catch the others'.
    path("", include("kinplan.cases.urls")),
    path("accounts/", include("kinplan.accounts.urls")),
    path("manage/", admin_site.urls),
    path("api/v1/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
]

handler403 = "kinplan.core.views.permission_denied"
handler404 = "kinplan.core.views.page_not_found"
handler500 = "kinplan.core.views.server_error"
