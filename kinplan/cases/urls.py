from django.urls import path

from kinplan.cases import views

app_name = "cases"

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("cases/new/", views.case_new, name="new"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="edit"),
    path("cases/<int:pk>/people/add/", views.participant_add, name="participant_add"),
    path("cases/<int:pk>/<str:kind>/add/", views.case_object_add, name="object_add"),
    path("cases/<int:pk>/<str:kind>/<int:obj_pk>/edit/", views.case_object_edit, name="object_edit"),
    path("cases/<int:pk>/<str:kind>/<int:obj_pk>/archive/", views.case_object_archive, name="object_archive"),
    path("people/search/", views.person_search, name="person_search"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
]
