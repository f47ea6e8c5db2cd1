"""The bench's baseline: an empty Streamlit page served like the app (time to idle is compared to it)."""
import streamlit as st

st.write("空白页 · empty page")
