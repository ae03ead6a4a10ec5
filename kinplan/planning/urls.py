from django.urls import path

from kinplan.planning import views

app_name = "planning"

PLAN = "cases/<int:pk>/plan"

urlpatterns = [
    path(f"{PLAN}/", views.plan_detail, name="plan"),
    path(f"{PLAN}/new/", views.plan_new, name="new"),
    path(f"{PLAN}/edit/", views.plan_edit, name="edit"),
    path(f"{PLAN}/move/", views.plan_move, name="move"),
    path(f"{PLAN}/revise/", views.plan_revise, name="revise"),
    path(f"{PLAN}/timeline/", views.plan_timeline, name="timeline"),
    path(f"{PLAN}/goals/new/", views.goal_new, name="goal_new"),
    path(f"{PLAN}/goals/<int:parent_pk>/intermediate/new/", views.goal_new, name="intermediate_new"),
    path(f"{PLAN}/goals/<int:goal_pk>/edit/", views.goal_edit, name="goal_edit"),
    path(f"{PLAN}/goals/<int:goal_pk>/status/", views.goal_status, name="goal_status"),
    path(f"{PLAN}/goals/<int:goal_pk>/steps/new/", views.step_new, name="step_new"),
    path(f"{PLAN}/steps/<int:step_pk>/", views.step_row, name="step_row"),
    path(f"{PLAN}/steps/<int:step_pk>/edit/", views.step_edit, name="step_edit"),
    path(f"{PLAN}/steps/<int:step_pk>/start/", views.step_start, name="step_start"),
    path(f"{PLAN}/steps/<int:step_pk>/<str:action>/", views.step_action, name="step_action"),
    path(f"{PLAN}/needs/<int:need_pk>/defer/", views.need_defer, name="need_defer"),
    path(f"{PLAN}/deferrals/<int:deferral_pk>/withdraw/", views.deferral_withdraw, name="deferral_withdraw"),
    path(f"{PLAN}/agreement/<int:member_pk>/", views.agreement_record, name="agreement"),
    path("overdue/", views.overdue, name="overdue"),
]
