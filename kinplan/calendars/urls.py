from django.urls import path

from kinplan.calendars import views

app_name = "calendars"

urlpatterns = [
    path("calendar/", views.calendar_settings, name="settings"),
    path("calendar/<str:secret>.ics", views.calendar_feed, name="feed"),
    path("cases/<int:pk>/meetings/<int:meeting_pk>/invitation.ics", views.meeting_invitation, name="meeting"),
]
