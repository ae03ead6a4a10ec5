from django.urls import path

from kinplan.meetings import views

app_name = "meetings"

MEETINGS = "cases/<int:pk>/meetings"
MEETING = f"{MEETINGS}/<int:mpk>"

urlpatterns = [
    path(f"{MEETINGS}/new/", views.meeting_new, name="new"),
    path(f"{MEETING}/", views.meeting_detail, name="detail"),
    path(f"{MEETING}/record/", views.meeting_record, name="record"),
    path(f"{MEETING}/change/", views.meeting_change, name="change"),
    path(f"{MEETING}/status/<str:to>/", views.meeting_move, name="move"),
    path(f"{MEETING}/support-role/", views.support_role, name="support_role"),
    path(f"{MEETING}/invite-team/", views.invite_team, name="invite_team"),
    path(f"{MEETING}/participants/new/", views.participant_new, name="participant_new"),
    path(f"{MEETING}/participants/<int:ppk>/", views.participant_row, name="participant_row"),
    path(f"{MEETING}/participants/<int:ppk>/participation/", views.participation, name="participation"),
    path(f"{MEETING}/participants/<int:ppk>/outcome/", views.outcome, name="outcome"),
    path(f"{MEETING}/actions/new/", views.action_new, name="action_new"),
    path(f"{MEETING}/actions/<int:apk>/plan-step/", views.action_step, name="action_step"),
    path(f"{MEETING}/actions/<int:apk>/done/", views.action_done, name="action_done"),
]
