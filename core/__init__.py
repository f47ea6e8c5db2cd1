"""XingCun Cockpit domain: models, queries, scoring, workflow and alerts (no Streamlit here)."""
