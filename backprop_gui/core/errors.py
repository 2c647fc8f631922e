"""Errors a user can cause. Their text is ready for a person: the CLI prints it on one
line, the GUI shows it in a dialog. Nothing else about them needs explaining."""


class ProjectError(Exception):
    """Base of every error whose message is meant for the user, not a developer."""


class DatasetError(ProjectError):
    """A dataset could not be built or read (names the file, line, column where known)."""


class ConfigError(ProjectError):
    """A project file is malformed (names the file and the key path)."""
