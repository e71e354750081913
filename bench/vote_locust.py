"""(child of vote_load.py) The voters, as locust users, in a process of their own.

    python bench/vote_locust.py SITE PREPARED.json SPAWN_SECONDS DEADLINE_SECONDS

Locust runs on gevent and must patch the standard library before anything else imports
`socket` or `ssl`; run in the parent, after subprocess and psycopg were loaded, its greenlets
waited on unpatched calls and every request looked 10-20 times slower than the server served it.
Each voter votes once and then stays idle: locust keeps the number of running users at its
target, so a voter that stopped would be replaced by a new one at once and the voters would
arrive in ever larger bursts instead of `floor(rate)` a second. Prints the figures as JSON.
"""

import locust  # noqa: F401, I001 (first: gevent's monkey-patching)

import json
import re
import sys
import time

import gevent
from locust import HttpUser, constant, task
from locust.env import Environment


def run(site: str, prepared: dict, spawn_seconds: float, deadline: float) -> dict:
    sessions = list(prepared["sessions"])
    options = prepared["options"]
    voters = len(sessions)
    done: list[int] = []
    answered: list[int] = []

    class Voter(HttpUser):
        host = site
        wait_time = constant(deadline)  # one vote, then idle until the run ends

        def on_start(self) -> None:
            self.number = len(sessions)
            self.client.cookies.set("sessionid", sessions.pop(), domain="127.0.0.1")

        @task
        def vote(self) -> None:
            path = f"/decisions/{prepared['poll']}/"
            page = self.client.get(path, name="poll page")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            with self.client.post(path + "vote/", name="vote", catch_response=True, data={
                    "csrfmiddlewaretoken": token.group(1) if token else "",
                    "choice": options[self.number % len(options)]}) as response:
                if response.status_code == 200 and "Your receipt" in response.text:
                    response.success()
                    done.append(1)
                else:
                    response.failure(f"vote not recorded: HTTP {response.status_code}")
            answered.append(1)

    env = Environment(user_classes=[Voter])
    runner = env.create_local_runner()
    started = time.monotonic()
    runner.start(voters, spawn_rate=voters / spawn_seconds)
    while time.monotonic() - started < deadline:
        gevent.sleep(0.5)
        if len(answered) == voters:
            break
    runner.quit()
    elapsed = time.monotonic() - started
    total = env.stats.total
    per = {name: env.stats.get(name, method) for name, method in
           (("poll page", "GET"), ("vote", "POST"))}
    return {
        "seconds": round(elapsed, 1),
        "requests": total.num_requests, "errors": total.num_failures,
        "votes_ok": len(done),
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "max_ms": round(total.max_response_time or 0),
        "vote_p95_ms": per["vote"].get_response_time_percentile(0.95),
        "page_p95_ms": per["poll page"].get_response_time_percentile(0.95),
        "throughput_rps": round(total.num_requests / max(elapsed, 1), 1),
    }


if __name__ == "__main__":
    site, prepared_file, spawn, deadline = sys.argv[1:5]
    with open(prepared_file) as handle:
        figures = run(site, json.load(handle), float(spawn), float(deadline))
    print(json.dumps(figures))
