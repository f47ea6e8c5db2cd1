"""English names of the 准入清单's matter types, by code (the Chinese name is the stored one).

Matter types a county imports with codes of its own have no entry here; the English UI then shows the
stored Chinese name in parentheses (see ui.i18n.matter).
"""

from __future__ import annotations

MATTER_EN: dict[str, str] = {
    "T-PB-01": "Themed Party Day activities",
    "T-PB-02": "Party member vanguard index rating",
    "T-PB-03": "Filing of a 'five deliberations, two disclosures' matter",
    "T-EC-01": "Collective-economy project progress",
    "T-EC-02": "Living-environment inspection and rectification",
    "T-EC-03": "Open-bidding project delivery",
    "T-SA-01": "Dispute screening and mediation",
    "T-SA-02": "Work-safety hazard rectification",
    "T-SA-03": "Anti-fraud outreach to households",
    "T-PS-01": "Elderly-care needs survey",
    "T-PS-02": "Medical-insurance enrolment drive",
    "T-PS-03": "'One thing' joint handling",
    "V-PB-01": "Village affairs notice board update",
    "V-EC-01": "Door-to-door waste-sorting supervision",
    "V-EC-02": "Entrepreneurship pledge project",
    "V-SA-01": "Grid patrol report",
    "V-SA-02": "Flood and typhoon patrol",
    "V-PS-01": "Livelihood project handling",
    "V-PS-02": "Visits to households in difficulty",
    "X-01": "Filling in department reports on their behalf",
    "X-02": "Selling commercial insurance",
    "X-03": "Carrying out law-enforcement inspections",
    "X-04": "Repeated submission of ledger materials",
}
