"""The `holidays` library's US calendars kept between runs (in the user's data folder).

Importing the library costs about 0.1 s at every start of the program (it loads every country it
knows), for a dozen dates a year that only a new version of it can change. So each year's dates
are kept in a small JSON file named by the library's version, and the library is imported only
for a year it has not answered yet, or after it was upgraded."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from datetime import date
from importlib import metadata
from pathlib import Path

from workstation.core import deadlines

log = logging.getLogger(__name__)


class KeptHolidays:
    """A holiday source that answers from its file and asks the library for what it lacks."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._years = self._read()

    def __call__(self, year: int) -> dict[date, str]:
        kept = self._years.get(str(year))
        if kept is not None:
            return {date.fromisoformat(day): name for day, name in kept.items()}
        found = deadlines.library_holidays(year)
        self._years[str(year)] = {day.isoformat(): name for day, name in sorted(found.items())}
        self._write()
        return found

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            years = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(years, dict) and all(isinstance(v, dict) for v in years.values()):
                for days in years.values():
                    for day in days:
                        date.fromisoformat(day)  # a damaged file is read again from the library
                return years
        except (OSError, ValueError, TypeError):
            pass
        return {}

    def _write(self) -> None:
        """Written aside and renamed, so two programs starting at once never read half a file;
        a folder that cannot take it only means the library is asked again next time."""
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(self._years, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as error:
            log.info("the holiday calendar could not be kept (%s); it is built again next time", error.strerror)
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def keep_holidays(folder: Path) -> None:
    """From now on, holidays come from `folder`'s file for the installed library version."""
    try:
        version = metadata.version("holidays")
    except metadata.PackageNotFoundError:  # a frozen build without the distribution's metadata
        return
    deadlines.use_holiday_source(KeptHolidays(folder / f"us-holidays-{version}.json"))
