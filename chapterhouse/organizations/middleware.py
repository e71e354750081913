"""One read of the organization per request: views, access checks, the clock and the context
processor all ask for it."""

from chapterhouse.organizations.models import read_once


class OrganizationPerRequest:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        with read_once():
            return self.get_response(request)
