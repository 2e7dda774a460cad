"""The router: page config, the chapters in the sidebar, the shared sidebar.

Run with ``streamlit run streamlit_app.py``. A chapter appears once its page file exists
(see ``course_lib/chapters.py``); nothing here imports TensorFlow.
"""

import streamlit as st

from course_lib import ui
from course_lib.chapters import CHAPTERS

st.set_page_config(
    page_title="Deep learning, hands on",
    page_icon=":material/school:",
    layout="wide",
    initial_sidebar_state="collapsed"
    if ui.presenting() or st.query_params.get("present") == "1"
    else "auto",
)

home = st.Page(
    "pages/home.py",
    title="Deep learning in the AI cosmos",
    icon=":material/home:",
    default=True,
)
chapters = [
    st.Page(chapter.page, title=chapter.label, icon=chapter.icon, url_path=chapter.url_path)
    for chapter in CHAPTERS
    if chapter.available
]
page = st.navigation({"Course": [home], "Chapters": chapters} if chapters else [home])
with st.sidebar:
    ui.presentation_toggle()
ui.presentation_style()
try:
    page.run()
finally:
    ui.sidebar()  # after the page, so the badge shows the device a chapter just loaded
