"""The side panels of the main window."""
