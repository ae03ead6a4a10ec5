from django.urls import path

from kinplan.spreadsheets import views

app_name = "spreadsheets"

urlpatterns = [
    path("caseload/download/", views.caseload_download, name="caseload"),
    path("referrals/download/", views.referrals_download, name="referrals"),
    path("cases/<int:pk>/plan/download/", views.plan_download, name="plan"),
    path("cases/<int:pk>/permanent-care/<int:arr_pk>/spend/download/", views.spend_download, name="spend"),
    path("imports/cases/", views.import_cases, name="import_cases"),
    path("imports/cases/confirm/", views.import_cases_confirm, name="import_cases_confirm"),
]
