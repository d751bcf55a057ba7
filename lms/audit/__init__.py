"""The platform's decision log: who did what to whom, when, with the before and after.

Append-only (nothing updates or deletes an entry); every consequential change (accounts and
their powers today, marks and diplomas later) is written through `services.audit_record`."""
