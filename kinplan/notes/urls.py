from django.urls import path

from kinplan.notes import views

app_name = "notes"

NOTES = "cases/<int:pk>/notes"
NOTE = f"{NOTES}/<int:note_pk>"

urlpatterns = [
    path(f"{NOTES}/", views.note_list, name="list"),
    path(f"{NOTES}/new/", views.note_new, name="new"),
    path(f"{NOTE}/", views.note_detail, name="detail"),
    path(f"{NOTE}/strike-out/", views.note_strike_out, name="strike_out"),
    path(f"{NOTE}/confidentiality/", views.note_confidentiality, name="confidentiality"),
]
