from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("me/", views.my_record, name="me"),
    path("me/consent/", views.my_consent, name="consent"),
    path("accounts/invite/<uidb64>/<token>/", views.InviteConfirmView.as_view(), name="invite"),
    path("accounts/invite/done/", views.InviteDoneView.as_view(), name="invite-done"),
]
