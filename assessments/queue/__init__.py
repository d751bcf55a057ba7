"""The trainer's grouped « À corriger »: one page gathering what waits for them in the other
rooms (deliverables, drafts, mémoires to mark, reconciliations). It imports those rooms' selectors;
no room imports it."""
