from django.urls import path

from kinplan.documents import views

app_name = "documents"

# Beside the pages they print: the plan page is cases/<pk>/plan/ (?version=N), and so on.
CASE = "cases/<int:pk>"

urlpatterns = [
    path(f"{CASE}/plan/family-plan.pdf", views.family_plan, name="family_plan"),
    path(f"{CASE}/plan/plan.pdf", views.service_plan, name="service_plan"),
    path(f"{CASE}/permanent-care/<int:arr_pk>/plan.pdf", views.support_plan, name="support_plan"),
    path(f"{CASE}/referrals/<int:referral_pk>/pack.pdf", views.referral_pack, name="referral_pack"),
    path(f"{CASE}/meetings/<int:mpk>/record.pdf", views.meeting_record, name="meeting_record"),
]
