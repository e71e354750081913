from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

from chapterhouse.chapters import views as chapter_views
from chapterhouse.health.views import healthz
from chapterhouse.members import views as member_views

# Accounts (issue 9): the admin also requires a verified second factor; staff log in at /login/
# (password, then /login/verify/) rather than on the admin's own form.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", include("chapterhouse.dashboard.urls")),
    path("", include("chapterhouse.goals.urls")),  # issue 14: /history/, /progress/
    path("chapters/", include("chapterhouse.chapters.urls")),
    path("invitations/", chapter_views.invitation_list, name="invitations"),
    path("invitations/<int:invitation_id>/", chapter_views.invitation_respond,
         name="invitation_respond"),
    path("invitations/email/<str:token>/", chapter_views.email_invitation,
         name="email_invitation"),
    path("planner/", include("chapterhouse.planner.urls")),
    path("maps/", include("chapterhouse.maps.urls")),
    path("organizing/", include("chapterhouse.organizing.urls")),
    path("members/", include("chapterhouse.members.urls")),
    path("meetings/", include("chapterhouse.meetings.urls")),
    path("decisions/", include("chapterhouse.decisions.urls")),
    path("organizing/affiliations/", include("chapterhouse.decisions.affiliation_urls")),
    path("calls/", include("chapterhouse.coordination.urls")),
    path("help/", include("chapterhouse.helpboard.urls")),
    path("messages/", include("chapterhouse.inbox.urls")),
    path("resources/", include("chapterhouse.resources.urls")),
    path("email/", include("chapterhouse.notices.urls")),
    path("followups/", include("chapterhouse.followups.urls")),
    path("splits/", include("chapterhouse.splits.urls")),
    path("convention/", include("chapterhouse.convention.urls")),
    path("login/", member_views.MemberLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/verify/", member_views.staff_verify, name="staff_verify"),
    path("login/enrol/", member_views.staff_enrol, name="staff_enrol"),
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),  # issue 10: for monitors and load balancers
]
