from chapterhouse.organizations.models import Organization
from chapterhouse.organizing.access import may_organize


def organization(request):
    return {
        "organization": Organization.objects.current(),
        "may_plan": may_organize(request.user),
    }
