from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("me/", views.my_record, name="me"),
    path("me/consent/", views.my_consent, name="consent"),
    path("me/data.json", views.my_data, {"extension": "json"}, name="data-json"),
    path("me/data.xlsx", views.my_data, {"extension": "xlsx"}, name="data-xlsx"),
    path("me/corrections/", views.my_correction, name="correction"),
    path("accounts/invite/<uidb64>/<token>/", views.InviteConfirmView.as_view(), name="invite"),
    path("accounts/invite/done/", views.InviteDoneView.as_view(), name="invite-done"),
]
