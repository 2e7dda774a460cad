"""Home: deep learning in the AI cosmos — the course map, the milestones, the scale."""

import streamlit as st

from course_lib import cosmos, ui
from course_lib.chapters import CHAPTERS

st.title("Deep learning, hands on")
st.markdown(
    "A neural network is *just a function*, learnt from data by backpropagation. Each "
    "chapter of the course turns one idea into something you can touch: move it, train "
    "it, break it, and see what happens."
)

st.header("Where deep learning sits", divider="gray")
left, right = st.columns([3, 2], vertical_alignment="center")
with left:
    ui.chart(cosmos.nested_fields_chart())
with right:
    for field in cosmos.FIELDS:
        st.markdown(f"**{field.name}**: {field.definition}.")
    st.caption(
        "Each field contains the next: every deep learning method is machine learning, "
        "and all machine learning is a way to do artificial intelligence."
    )

st.header("Milestones", divider="gray")
ui.chart(cosmos.timeline_chart())
columns = st.columns(len(cosmos.MILESTONES))
for column, milestone in zip(columns, cosmos.MILESTONES, strict=True):
    with column:
        st.markdown(f"**{milestone.name}** · {milestone.year}")
        st.caption(milestone.what)

st.subheader("From AlexNet to GPT-3: the networks grew")
ui.chart(cosmos.parameter_chart())
alexnet, gpt3 = (
    dict((n, p) for n, _, p in cosmos.PARAMETER_COUNTS)[k] for k in ("AlexNet", "GPT-3")
)
st.caption(
    f"GPT-3 has about {gpt3 / alexnet:,.0f} times as many parameters as AlexNet "
    "(about 60 million). Every one of them is learnt by the same recipe you will run in "
    "chapter 1: gradients by backpropagation, then a small step downhill."
)

st.header("The course", divider="gray")
st.markdown(
    "**Labs and the final project.** Every chapter offers *Notebook for the lab (.ipynb)*: "
    "the experiment you see on the page, written with the app's own functions in plain "
    "Keras, ready to open in Google Colab (File → Upload notebook). The course's labs start "
    "from these notebooks, and so can your final project: change the data, the network or "
    "the training, and compare with what the app showed."
)
for chapter in CHAPTERS:
    with st.container(border=True):
        if chapter.available:
            st.page_link(chapter.page, label=f"Chapter {chapter.label}", icon=chapter.icon)
        else:
            st.markdown(f"**Chapter {chapter.label}** · *coming soon*")
        st.markdown(f"*{chapter.lecture}* {chapter.activity}")
