from django.urls import path

from kinplan.court import views

app_name = "court"

COURT = "cases/<int:pk>/court"
ORDER = f"{COURT}/orders/<int:order_pk>"
CONDITION = f"{COURT}/conditions/<int:condition_pk>"
HEARING = f"{COURT}/hearings/<int:hearing_pk>"

urlpatterns = [
    path(f"{COURT}/", views.court_case, name="case"),
    path(f"{COURT}/orders/new/", views.order_new, name="order_new"),
    path(f"{ORDER}/", views.order_detail, name="order"),
    path(f"{ORDER}/edit/", views.order_edit, name="order_edit"),
    path(f"{ORDER}/end/", views.order_end, name="order_end"),
    path(f"{ORDER}/conditions/new/", views.condition_add, name="condition_add"),
    path(f"{CONDITION}/edit/", views.condition_edit, name="condition_edit"),
    path(f"{CONDITION}/compliance/", views.condition_compliance, name="condition_compliance"),
    path(f"{CONDITION}/steps/", views.condition_steps, name="condition_steps"),
    path(f"{COURT}/hearings/new/", views.hearing_new, name="hearing_new"),
    path(f"{HEARING}/edit/", views.hearing_edit, name="hearing_edit"),
    path(f"{HEARING}/outcome/", views.hearing_outcome, name="hearing_outcome"),
]
