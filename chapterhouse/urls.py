from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from chapterhouse.chapters import views as chapter_views
from chapterhouse.members import views as member_views

urlpatterns = [
    path("", include("chapterhouse.dashboard.urls")),
    path("chapters/", include("chapterhouse.chapters.urls")),
    path("invitations/", chapter_views.invitation_list, name="invitations"),
    path("invitations/<int:invitation_id>/", chapter_views.invitation_respond,
         name="invitation_respond"),
    path("planner/", include("chapterhouse.planner.urls")),
    path("members/", include("chapterhouse.members.urls")),
    path("meetings/", include("chapterhouse.meetings.urls")),
    path("decisions/", include("chapterhouse.decisions.urls")),
    path("calls/", include("chapterhouse.coordination.urls")),
    path("help/", include("chapterhouse.helpboard.urls")),
    path("resources/", include("chapterhouse.resources.urls")),
    path("login/", member_views.MemberLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
