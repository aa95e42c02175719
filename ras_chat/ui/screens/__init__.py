"""Screens: the chat (with the worker's side panel) and the result."""
