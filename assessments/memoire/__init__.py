"""The mémoire: one explicit state machine from the subject to the final version, then (later)
marking and soutenance."""
