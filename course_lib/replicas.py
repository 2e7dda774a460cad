"""Several app servers behind one proxy: which replica a student is on, and whether their
session was lost on the way.

Streamlit keeps a student's session (their settings, their model being trained) in the memory
of the one server process their browser talks to. A class bigger than one server holds runs
several *replicas* of the app behind HAProxy (``deploy/haproxy.cfg``), which keeps each
student on the same replica with an affinity cookie (``SERVERID=<replica>``).

When a replica goes away (restarted, crashed, scaled down), HAProxy sends its students to
another one. Their browser reconnects by itself, but the session, and the model in it,
stayed behind. Two things in the websocket request that opens the new session tell:

- the browser asks to *resume* its old session: Streamlit's client passes the old session's
  id as the third entry of ``Sec-WebSocket-Protocol``. A server that does not know that id
  starts a fresh session with another id, so "asked for one id, got another" means the old
  session is gone (its server restarted or went away, or it expired while the student was
  away longer than ``server.disconnectedSessionTTL``);
- the ``course_replica`` cookie, which HAProxy sets on each websocket reply, still names the
  replica the previous websocket went to; if that is not this replica, the student moved.

:func:`lost_session` turns both into the words the student reads. Each replica is told its
own name in ``COURSE_REPLICA`` (the same name as its ``server`` line in haproxy.cfg);
without it (one server, Community Cloud, a laptop) only the first signal is used.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

#: The environment variable that names this replica (e.g. ``app1``), set per server.
REPLICA_ENV = "COURSE_REPLICA"
#: The cookie HAProxy sets on every websocket reply: the replica that websocket went to.
REPLICA_COOKIE = "course_replica"
#: The header in which Streamlit's client names the session it wants to resume.
RESUME_HEADER = "Sec-WebSocket-Protocol"

MOVED_MESSAGE = (
    "Your server restarted or went away; you are now on another one (server {new}, before: "
    "{old}). Your trained models were lost with the old server: press Start again to "
    "retrain. Settings kept in the page address are still there."
)
RESTARTED_MESSAGE = (
    "Your session on the server ended (the server restarted, or you were away for a long "
    "time), and you are on a fresh one. Your trained models were lost: press Start again "
    "to retrain. Settings kept in the page address are still there."
)

#: Seconds between two runs of the page's empty timed fragment. Streamlit's client reruns
#: the page as soon as it reconnects only when a timed fragment exists (else it waits for
#: the student's next click), and that rerun is what shows the notice.
HEARTBEAT_SECONDS = 60

_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def this_replica(environ: Mapping[str, str] | None = None) -> str | None:
    """The name of the replica this process is, from ``COURSE_REPLICA``; ``None`` when unset."""
    name = (os.environ if environ is None else environ).get(REPLICA_ENV, "").strip()
    return name if _NAME.match(name) else None


def resumed_session_id(headers: Mapping[str, str]) -> str | None:
    """The id of the session the browser asked to resume, or ``None`` on a first visit.

    Streamlit's client sends ``Sec-WebSocket-Protocol: streamlit, <xsrf token>, <session id>``
    (empty entries keep their place).
    """
    raw = _header(headers, RESUME_HEADER) or ""
    entries = [entry.strip() for entry in raw.split(",")]
    return entries[2] if len(entries) >= 3 and entries[2] else None


def previous_replica(cookies: Mapping[str, str]) -> str | None:
    """The replica the browser's previous websocket went to (``course_replica`` cookie)."""
    value = (cookies.get(REPLICA_COOKIE) or "").strip()
    return value if _NAME.match(value) else None


def lost_session(
    headers: Mapping[str, str],
    cookies: Mapping[str, str],
    session_id: str,
    replica: str | None,
) -> str | None:
    """What to tell a student whose previous session is gone, or ``None`` when it is not.

    Args:
        headers, cookies: of the websocket request that opened this session
            (``st.context.headers``, ``st.context.cookies``).
        session_id: the id of the session running now.
        replica: this replica's name (:func:`this_replica`), ``None`` without a proxy.
    """
    wanted = resumed_session_id(headers)
    if wanted is None or wanted == session_id:
        return None  # a first visit, or the old session was resumed with its model
    before = previous_replica(cookies)
    if replica is not None and before is not None and before != replica:
        return MOVED_MESSAGE.format(old=before, new=replica)
    return RESTARTED_MESSAGE


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None
