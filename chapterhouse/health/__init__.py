"""/healthz (issue 10): is this install able to serve and to send? Database, cache, queue."""
