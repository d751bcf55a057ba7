"""What the mémoire room announces, for the rooms above it to act on without the mémoire room
knowing them (the similarity check listens to `final_submitted`)."""

from django.dispatch import Signal

#: Sent once the final version's transaction is committed, with `memoire_id`.
final_submitted = Signal()
