"""Which replica a student is on, and the notice for one whose session was lost."""

from course_lib import replicas

OLD = "5f0c2a3e-1111-2222-3333-444455556666"
NEW = "9a8b7c6d-1111-2222-3333-444455556666"


def handshake(session_id: str | None) -> dict[str, str]:
    return {"Sec-Websocket-Protocol": f"streamlit, xsrf-token, {session_id or ''}"}


def test_the_replica_name_comes_from_the_environment():
    assert replicas.this_replica({"COURSE_REPLICA": "app2"}) == "app2"
    assert replicas.this_replica({}) is None
    assert replicas.this_replica({"COURSE_REPLICA": "<script>"}) is None


def test_a_first_visit_and_a_resumed_session_need_no_notice():
    assert replicas.lost_session(handshake(None), {}, NEW, "app1") is None
    assert replicas.lost_session({}, {}, NEW, None) is None
    assert replicas.lost_session(handshake(NEW), {"course_replica": "app1"}, NEW, "app1") is None


def test_a_student_moved_from_a_replica_that_went_away_is_told_so():
    message = replicas.lost_session(handshake(OLD), {"course_replica": "app2"}, NEW, "app1")
    assert "you are now on another one (server app1, before: app2)" in message
    assert "trained models were lost" in message and "press Start again" in message


def test_a_restarted_server_or_expired_session_says_so_without_a_proxy():
    for cookies, replica in (({}, None), ({"course_replica": "app1"}, "app1")):
        message = replicas.lost_session(handshake(OLD), cookies, NEW, replica)
        assert message == replicas.RESTARTED_MESSAGE


def test_odd_cookie_values_are_not_echoed():
    message = replicas.lost_session(handshake(OLD), {"course_replica": "<b>x</b>"}, NEW, "app1")
    assert message == replicas.RESTARTED_MESSAGE
