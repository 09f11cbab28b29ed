"""Governance pages: check permission, call a selector or service, render."""
