"""Shared Streamlit layer: setup, theme, widgets and cached data access."""
