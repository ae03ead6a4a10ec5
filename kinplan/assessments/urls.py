from django.urls import path

from kinplan.assessments import views

app_name = "assessments"

ONE = "cases/<int:pk>/assessments/<int:a_pk>"

urlpatterns = [
    path("cases/<int:pk>/assessments/", views.assessment_list, name="list"),
    path("cases/<int:pk>/assessments/new/", views.assessment_new, name="new"),
    path(f"{ONE}/", views.assessment_detail, name="detail"),
    path(f"{ONE}/edit/", views.assessment_edit, name="edit"),
    path(f"{ONE}/complete/", views.assessment_complete, name="complete"),
    path(f"{ONE}/risk-factors/add/", views.risk_factor_add, name="risk_factor_add"),
    path(f"{ONE}/risk-factors/<int:f_pk>/edit/", views.risk_factor_edit, name="risk_factor_edit"),
    path(
        f"{ONE}/risk-factors/<int:obj_pk>/remove/",
        views.finding_remove,
        {"kind": "risk-factors"},
        name="risk_factor_remove",
    ),
    path(f"{ONE}/needs/add/", views.need_add, name="need_add"),
    path(f"{ONE}/needs/<int:n_pk>/edit/", views.need_edit, name="need_edit"),
    path(f"{ONE}/needs/<int:obj_pk>/remove/", views.finding_remove, {"kind": "needs"}, name="need_remove"),
]
