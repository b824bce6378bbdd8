"""The clinics' local time (``TIME_ZONE``) and UTC: days, wall times and instants.

Instants are kept in UTC, where adding a duration is exact; days and wall times are the clinics' own, so a
local day lasts 23 or 25 hours on daylight-saving changes and a range of 09:00-14:00 is five hours every day.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone


def zone() -> ZoneInfo:
    return timezone.get_current_timezone()


def wall_time(day: date, minutes: int) -> datetime:
    """The instant (UTC) at which the clocks of TIME_ZONE show ``minutes`` after the midnight of ``day``.

    1440 is the next day's midnight. A wall time that a daylight-saving change skips or repeats is read as
    Python reads it (PEP 495, fold 0): with the offset in force before the change.
    """
    extra_days, minutes = divmod(minutes, 24 * 60)
    local = datetime.combine(
        day + timedelta(days=extra_days), time(minutes // 60, minutes % 60), tzinfo=zone()
    )
    return local.astimezone(UTC)


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first instant of a day in TIME_ZONE and of the next, in UTC (23 or 25 hours apart on DST days)."""
    return wall_time(day, 0), wall_time(day + timedelta(days=1), 0)


def local_date(instant: datetime) -> date:
    return instant.astimezone(zone()).date()
