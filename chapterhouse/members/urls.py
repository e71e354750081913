from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from chapterhouse.members import views

urlpatterns = [
    path("join/", views.signup, name="member_signup"),
    path("join/check-your-email/", views.signup_done, name="member_signup_done"),
    path("confirm/<str:token>/", views.confirm, name="member_confirm"),
    path("profile/", views.profile, name="member_profile"),
    path("profile/email-consent/", views.email_consent, name="member_email_consent"),
    path("profile/data/", views.data_download, name="member_data_download"),
    path("profile/delete/", views.account_erase, name="member_erase"),
    # The log-in page lives at /login/; this older address keeps working.
    path("login/", RedirectView.as_view(pattern_name="login", permanent=True, query_string=True)),
    path("places/", views.place_search, name="place_search"),
    path("password-reset/", views.MemberPasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.MemberPasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("welcome/<uidb64>/<token>/", views.MemberInvitationAcceptView.as_view(),
         name="member_invitation_accept"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
