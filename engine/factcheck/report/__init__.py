"""Render tensions for people (table, markdown) and programs (json, jsonl, csv)."""
