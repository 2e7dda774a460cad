"""A class on two servers: HAProxy keeps each student on their replica, and a student whose
replica goes away is told so and carries on on the other one.

Runs the real ``deploy/haproxy.cfg`` with Debian's ``haproxy`` in front of two
``streamlit run`` replicas on loopback ports (the addresses come in through the environment,
as in ``deploy/compose.yaml``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.browser.harness import (
    ARTIFACTS,
    ROOT,
    StreamlitServer,
    exceptions_on,
    free_port,
    open_page,
    rerun,
    train_the_fit,
    wait_for_script,
)

HAPROXY_CANDIDATES = ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy")
MOVED = "Your server restarted or went away"


def haproxy_path() -> str | None:
    return next((p for p in HAPROXY_CANDIDATES if os.path.exists(p)), None) or shutil.which(
        "haproxy"
    )


def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_until(condition, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(message)
        time.sleep(0.2)


@pytest.fixture
def replicas_behind_proxy():
    """Two replicas (app1, app2) and HAProxy in front of them; yields (proxy_url, servers)."""
    haproxy = haproxy_path()
    if haproxy is None:
        message = "haproxy not found (install Debian's `haproxy` package)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: the proxy test must run in CI")
        pytest.skip(message)
    servers = {
        name: StreamlitServer(env={"COURSE_REPLICA": name, "COURSE_IDLE_MINUTES": "60"})
        for name in ("app1", "app2")
    }
    proxy_port = free_port()
    env = {
        **os.environ,
        "PROXY_BIND": f"127.0.0.1:{proxy_port}",
        "APP1_ADDR": f"127.0.0.1:{servers['app1'].port}",
        "APP2_ADDR": f"127.0.0.1:{servers['app2'].port}",
        "CHECK_INTER": "500ms",
    }
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"haproxy-{proxy_port}.log", "w")  # noqa: SIM115 (closed below)
    proxy = None
    try:
        for server in servers.values():
            server.start()
        proxy = subprocess.Popen(
            [haproxy, "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{proxy_port}"
        wait_until(lambda: http_status(url + "/_stcore/health") == 200, 30, "haproxy never up")
        yield url, servers
    finally:
        if proxy is not None:
            proxy.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proxy.wait(timeout=10)
        for server in servers.values():
            server.stop()
        log.close()


def replica_of(page) -> str:
    """The replica the browser is pinned to (its affinity cookie); the app names it too."""
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    name = cookies["SERVERID"]
    try:
        page.get_by_test_id("stSidebar").get_by_text(f"Server {name}").wait_for(timeout=20_000)
    except Exception:
        page.screenshot(path=ARTIFACTS / "proxy_debug.png", full_page=True)
        raise
    return name


def test_students_stay_on_their_replica_and_are_told_when_it_goes_away(
    replicas_behind_proxy, chromium, screenshots
):
    url, servers = replicas_behind_proxy
    contexts = []

    def student():
        context = chromium.new_context(viewport={"width": 1400, "height": 1600})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(120_000)
        open_page(page, url + "/fundamentals")
        return page

    try:
        alice = student()
        alice_home = replica_of(alice)
        bob = student()  # least connections: the other replica, unless the proxy thinks not
        for _ in range(3):
            if replica_of(bob) != alice_home:
                break
            bob.context.close()
            bob = student()
        bob_home = replica_of(bob)
        assert {alice_home, bob_home} == {"app1", "app2"}

        for page in (alice, bob):
            train_the_fit(page)
        for page, home in ((alice, alice_home), (bob, bob_home)):
            rerun(page)
            rerun(page)
            assert replica_of(page) == home  # affinity: every rerun on the same server …
            page.get_by_text("Finished: 60 epochs").wait_for()  # … which still has the model
            assert page.get_by_text(MOVED).count() == 0

        # Alice's server goes away: her browser reconnects through the proxy to Bob's
        servers[alice_home].stop()
        alice.get_by_text(MOVED).wait_for(timeout=90_000)
        wait_for_script(alice)
        assert replica_of(alice) == bob_home
        notice = alice.get_by_test_id("stAlert").filter(has_text=MOVED).inner_text()
        assert "trained models were lost" in notice and "press Start again" in notice
        alice.screenshot(path=screenshots / "proxy_moved_student.png", full_page=False)
        # … and the app works there: she trains again
        train_the_fit(alice)
        alice.get_by_role("button", name="Understood").click()
        alice.get_by_text(MOVED).wait_for(state="detached")
        wait_for_script(alice)
        alice.get_by_text("Finished: 60 epochs").wait_for()

        # Bob noticed nothing: same server, same model, no notice
        rerun(bob)
        assert replica_of(bob) == bob_home
        bob.get_by_text("Finished: 60 epochs").wait_for()
        assert bob.get_by_text(MOVED).count() == 0
        assert exceptions_on(alice) == [] and exceptions_on(bob) == []

        # every replica down: the proxy's page says so in plain words
        servers[bob_home].stop()
        wait_until(lambda: http_status(url + "/") == 503, 30, "the proxy never said 503")
        down = chromium.new_context().new_page()
        down.goto(url + "/")
        down.get_by_text("The course app is restarting").wait_for()
        down.screenshot(path=screenshots / "proxy_all_down.png")
        down.context.close()
    finally:
        for context in contexts:
            with contextlib.suppress(Exception):
                context.close()
