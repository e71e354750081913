from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import LOOKUP_SEP
from django.contrib.auth.admin import UserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chapterhouse.members import services
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization


@admin.register(Member)
class MemberAdmin(UserAdmin):
    """Gender is deliberately absent: it is shown only in aggregates, never per member, not even
    to staff. Not a column, filter, search or ordering, not in the change form, and no lookup
    on it through the address (`?gender=woman`), which Django allows by default on a model's
    own fields."""

    ordering = ["display_name"]
    list_display = ["display_name", "email", "place", "willing_to_meet", "joined_on", "is_staff"]
    list_filter = ["willing_to_meet", "is_staff", "is_active", "place__continent_code"]
    search_fields = ["display_name", "email", "place__name"]
    autocomplete_fields = ["place"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "place", "languages", "willing_to_meet",
                                "joined_on"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups",
                                    "user_permissions"]}),
        # Roles (members/roles.py): appointed here by staff, never earned by an action.
        ("Roles", {"fields": ["is_resource_editor"]}),
        ("Dates", {"fields": ["last_login"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"],
                "fields": ["email", "display_name", "place", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login"]
    actions = ["erase_selected"]

    # Staff erase a member as the member would (members.services.member_erase), never delete:
    # deleting cascaded into attendance and rewrote past verdicts (issue 9, attack 5).
    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Erase the selected members (anonymise; history stays)"),
                  permissions=["change"])
    def erase_selected(self, request, queryset):
        members = list(queryset.filter(erased_at__isnull=True).exclude(pk=request.user.pk))
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(request, "admin/members/erase_confirmation.html", {
                **self.admin_site.each_context(request),
                "title": _("Erase members"),
                "members": members,
                "queryset": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            })
        today = Organization.objects.current().today
        for member in members:
            services.member_erase(member=member, actor=request.user, today=today)
        self.message_user(request, ngettext("%(count)d member erased.",
                                            "%(count)d members erased.", len(members))
                          % {"count": len(members)}, messages.SUCCESS)
        return None

    exclude = ["gender"]

    def lookup_allowed(self, lookup, value, request=None):
        if "gender" in lookup.split(LOOKUP_SEP):
            return False
        return super().lookup_allowed(lookup, value, request)
