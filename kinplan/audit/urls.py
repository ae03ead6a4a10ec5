from django.urls import path

from kinplan.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.audit_log, name="log"),
    path("audit/export/", views.audit_export, name="export"),
    path("audit/verify/", views.audit_verify, name="verify"),
]
