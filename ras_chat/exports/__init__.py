"""What leaves ras-chat for a worker or a council's systems: the hand-off record
(`ras-handoff/4`, JSON), the letter and the worker's summary (Markdown, HTML), and FHIR.

Built from what the store holds (`Store.details`); nothing here writes to the store.
"""
