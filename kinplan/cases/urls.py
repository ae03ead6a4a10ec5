from django.urls import path, register_converter

from kinplan.cases import views


class CaseRecordKind:
    """Only the kinds of record the case pages handle, so these generic patterns catch no other app's URLs."""

    regex = "case|household|relationship|team|participant"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CaseRecordKind, "case_record")

app_name = "cases"

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("cases/new/", views.case_new, name="new"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="edit"),
    path("cases/<int:pk>/restriction/", views.case_restriction, name="restriction"),
    path("cases/<int:pk>/break-glass/", views.break_glass, name="break_glass"),
    path("cases/restricted/", views.restricted_cases, name="restricted"),
    path("cases/<int:pk>/people/add/", views.participant_add, name="participant_add"),
    path("cases/<int:pk>/<case_record:kind>/add/", views.case_object_add, name="object_add"),
    path("cases/<int:pk>/<case_record:kind>/<int:obj_pk>/edit/", views.case_object_edit, name="object_edit"),
    path("cases/<int:pk>/<case_record:kind>/<int:obj_pk>/archive/", views.case_object_archive, name="object_archive"),
    path("people/search/", views.person_search, name="person_search"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
]
