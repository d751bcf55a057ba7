"""The pedagogical team's mémoire board: every learner's mémoire with filters and exports, and the
bulk assignment of tutors. It reads the mémoire and marking rooms; no room imports it."""
