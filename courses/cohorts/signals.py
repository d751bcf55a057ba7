"""What other apps may react to in a cohort's life, without the cohorts room knowing them."""

from django.dispatch import Signal

#: Sent by `services.cohort_save` inside its transaction, after the cohort is saved
#: (`sender=Cohort, cohort=…`); the forum gives the cohort its private space.
cohort_saved = Signal()
