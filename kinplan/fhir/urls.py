from django.urls import path

from kinplan.fhir import views

app_name = "fhir"

urlpatterns = [
    path("cases/<int:pk>/plan/fhir/", views.plan_download, name="plan"),
    path("cases/<int:pk>/plan/fhir/import/", views.plan_upload, name="import"),
    path("cases/<int:pk>/permanent-care/<int:arr_pk>/fhir/", views.arrangement_download, name="arrangement"),
]
