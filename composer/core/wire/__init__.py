"""Gigya's wire: endpoints and data centers, request signing, and the HTTP client."""
