"""Administration of accounts in the Wagtail admin (/cms/users/): who may grant what, the forms and
views that enforce it, and the audit of every change to an account's powers."""
