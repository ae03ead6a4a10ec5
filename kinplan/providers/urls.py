from django.urls import path

from kinplan.providers import views

app_name = "providers"

urlpatterns = [
    path("providers/", views.directory, name="directory"),
    path("providers/<int:pk>/", views.provider_detail, name="detail"),
    path("cases/<int:pk>/supports/add/", views.informal_support_add, name="informal_add"),
    path("cases/<int:pk>/supports/<int:support_pk>/edit/", views.informal_support_edit, name="informal_edit"),
]
