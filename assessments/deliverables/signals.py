"""What the deliverables room announces, for the rooms above it to act on without this room
knowing them (the similarity check indexes each new submission)."""

from django.dispatch import Signal

#: Sent once a new submission's transaction is committed, with `submission_id`.
submission_created = Signal()
