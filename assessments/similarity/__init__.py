"""The similarity check of final mémoires against the platform's earlier documents (see services.py)."""
