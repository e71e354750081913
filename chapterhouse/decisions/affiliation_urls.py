from django.urls import path

from chapterhouse.decisions import affiliation_views as views

urlpatterns = [
    path("", views.affiliation_list, name="affiliation_list"),
    path("<int:organization_id>/", views.affiliation_detail, name="affiliation_detail"),
    path("<int:organization_id>/move/", views.affiliation_move, name="affiliation_move"),
    path("<int:organization_id>/propose/", views.affiliation_propose,
         name="affiliation_propose"),
    path("<int:organization_id>/invite/", views.affiliation_invite, name="affiliation_invite"),
]
