"""The router: page config, the chapters in the sidebar, the shared sidebar.

Run with ``streamlit run streamlit_app.py``. A chapter appears once its page file exists
(see ``course_lib/chapters.py``); nothing here imports TensorFlow. The pages live in
``app_pages/``: a folder named ``pages/`` would make Streamlit start each fresh server as an
old-style multipage app, and a first deep link to a chapter would say "Page not found".
"""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from course_lib import replicas, sharing, ui
from course_lib.chapters import CHAPTERS, ROOT
from course_lib.device import warm_up_in_background
from course_lib.ui.guard import guard
from course_lib.ui.server import close_tabs_left_behind, keep_keras_state_between_runs


def warm_up_default_fit() -> None:
    """Chapter 1's default network traced before the first student presses Start."""
    from course_lib.fundamentals.network import warm_up_default_fit as warm_up

    warm_up()


def warm_up_look_inside() -> None:
    """Chapter 4's "Look inside" read by the pretrained network before anyone opens it."""
    from app_pages.recurrent_networks_sections.look_inside import warm_up

    warm_up()


keep_keras_state_between_runs()  # no Keras clean-up after every run (see ui/server.py)

st.set_page_config(
    page_title="Deep learning, hands on",
    page_icon=":material/school:",
    layout="wide",
    initial_sidebar_state="collapsed"
    if ui.presenting() or st.query_params.get("present") == "1"
    else "auto",
)

home = st.Page(
    "app_pages/home.py",
    title="Deep learning in the AI cosmos",
    icon=":material/home:",
    default=True,
)
chapters = []
for chapter in CHAPTERS:
    if chapter.available:
        chapters.append(
            st.Page(chapter.page, title=chapter.label, icon=chapter.icon, url_path=chapter.url_path)
        )
        chapters += [  # the chapter's further pages, e.g. 5b AlphaZero
            st.Page(page, title=title, icon=icon, url_path=url_path)
            for page, url_path, title, icon in chapter.pages
            if (ROOT / page).is_file()
        ]
# A student whose session was lost (server restarted, or behind the class proxy, their
# replica went away) is told so once: their model stayed with the old session.
replica = replicas.this_replica()
lost = replicas.lost_session(
    st.context.headers, st.context.cookies, get_script_run_ctx().session_id, replica
)
if lost is not None and not st.session_state.get("_lost_session_read"):
    st.warning(lost, icon=":material/sync_problem:")
    if st.button("Understood", key="_lost_session_ok"):
        st.session_state["_lost_session_read"] = True
        st.rerun()
if replica is not None:
    st.sidebar.caption(f":material/dns: Server {replica}")
if "_browser_seen" not in st.session_state:  # this session's first run: a new tab or a reload
    st.session_state["_browser_seen"] = True
    close_tabs_left_behind(sharing.browser_of(st.context.cookies), get_script_run_ctx().session_id)


@st.fragment(run_every=replicas.HEARTBEAT_SECONDS)
def heartbeat() -> None:
    """Draws nothing: a timed fragment makes a reconnected browser rerun the page at once."""


with st.sidebar:
    heartbeat()
page = st.navigation({"Course": [home], "Chapters": chapters} if chapters else [home])
with st.sidebar:
    ui.presentation_toggle()
ui.presentation_style()
try:
    with guard():  # an unexpected error: one plain message, never a traceback
        page.run()
finally:
    ui.sidebar()  # after the page, so the badge shows the device a chapter just loaded
    # TensorFlow for the first chapter, and the default fit's trace, once Home has been drawn
    warm_up_in_background(warm_up_default_fit, warm_up_look_inside)
