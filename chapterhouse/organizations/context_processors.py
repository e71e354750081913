from chapterhouse.organizations.models import Organization


def organization(request):
    return {"organization": Organization.objects.current()}
