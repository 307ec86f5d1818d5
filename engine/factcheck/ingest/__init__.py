"""Bringing claims into a workspace: a new workspace (`factcheck init`), ClaimReview feeds and spreadsheet
rows (`factcheck import`) written as claims files that load as they are, ready for review."""
