from django.urls import path

from kinplan.privacy import views

app_name = "privacy"

PERSON = "privacy/people/<int:pk>"

urlpatterns = [
    path(f"{PERSON}/subject-access/", views.subject_access, name="subject_access"),
    path(f"{PERSON}/subject-access.json", views.subject_access_json_download, name="subject_access_json"),
    path(f"{PERSON}/subject-access.pdf", views.subject_access_pdf_download, name="subject_access_pdf"),
    path(f"{PERSON}/erasure/", views.person_erasure_new, name="person_erasure_new"),
    path("privacy/retention/", views.retention_review, name="retention"),
    path("privacy/retention/<int:pk>/keep/", views.retention_keep, name="retention_keep"),
    path("privacy/cases/<int:pk>/erasure/", views.case_erasure_new, name="case_erasure_new"),
    path("privacy/erasure/", views.erasure_list, name="erasure_list"),
    path("privacy/erasure/<int:pk>/", views.erasure_detail, name="erasure_detail"),
    path("privacy/erasure/<int:pk>/decide/", views.erasure_decide, name="erasure_decide"),
]
