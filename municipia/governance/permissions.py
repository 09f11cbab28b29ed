"""Who may do what in governance (filled in by the governance work)."""
