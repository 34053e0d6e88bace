"""Appeal Workstation: offline case files, worklist and appeal letters for claim denials."""

__version__ = "0.1.0"
