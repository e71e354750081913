"""Log record filters (issue 10)."""

import logging

from django_guid.log_filters import CorrelationId


class RequestId(CorrelationId):
    """django-guid's request id on `record.request_id`; "-" outside a request (commands,
    the worker), so every line has the same shape."""

    def __init__(self) -> None:
        super().__init__(correlation_id_field="request_id")

    def filter(self, record: logging.LogRecord) -> bool:
        super().filter(record)
        record.request_id = getattr(record, "request_id", None) or "-"
        return True
