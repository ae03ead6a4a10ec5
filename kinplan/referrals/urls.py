from django.urls import path

from kinplan.referrals import views

app_name = "referrals"

# Not cases/<pk>/referrals/<id>/edit/: the cases app's cases/<pk>/<kind>/<obj_pk>/edit/ would catch it.
REFERRAL = "cases/<int:pk>/referrals/<int:referral_pk>"

urlpatterns = [
    path("referrals/", views.referral_list, name="list"),
    path("cases/<int:pk>/referrals/new/", views.referral_new, name="new"),
    path(f"{REFERRAL}/", views.referral_detail, name="detail"),
    path(f"{REFERRAL}/change/", views.referral_change, name="change"),
    path(f"{REFERRAL}/consent/", views.consent_record, name="consent"),
    path(f"{REFERRAL}/move/", views.referral_move, name="move"),
]
