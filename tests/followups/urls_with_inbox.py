"""The site's URLs plus a stand-in for the messaging page another branch adds (`inbox_write`),
to see the follow-up pages link to it."""

from django.http import HttpResponse
from django.urls import path

from chapterhouse.urls import urlpatterns as site

urlpatterns = [*site, path("inbox/write/<int:member_id>/", lambda request, member_id:
                           HttpResponse(), name="inbox_write")]
