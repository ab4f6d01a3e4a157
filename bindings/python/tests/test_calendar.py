"""The working calendar: weekly pattern, hours, zone, holidays and deadlines in working time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

import oa
from conftest import signed_in

BEIJING = timezone(timedelta(hours=8))


def test_the_default_calendar(office: oa.Office, admin: oa.Session) -> None:
    settings = office.get_work_calendar(admin)
    assert settings.working_weekdays == [0, 1, 2, 3, 4]
    assert settings.hours == [oa.WorkHours(time(9), time(12)), oa.WorkHours(time(13, 30), time(18))]
    assert settings.utc_offset == "+08:00"
    assert "WorkCalendarSettings(working_weekdays=[0, 1, 2, 3, 4]" in repr(settings)


def test_set_the_calendar(office: oa.Office, admin: oa.Session) -> None:
    settings = office.set_work_calendar(
        admin, working_weekdays=[5, 0, 1], hours=[oa.WorkHours(time(8), time(16))], utc_offset="Z"
    )
    assert (settings.working_weekdays, settings.utc_offset) == ([0, 1, 5], "+00:00")
    assert settings.hours[0].start == time(8) and settings.hours[0].end == time(16)
    assert office.get_work_calendar(admin) == settings


def test_calendar_validation(office: oa.Office, admin: oa.Session) -> None:
    with pytest.raises(oa.ValidationError) as caught:
        office.set_work_calendar(
            admin, working_weekdays=[0, 0], hours=[oa.WorkHours(time(12), time(9))], utc_offset="8 hours"
        )
    assert {f.path for f in caught.value.fields} == {"working_weekdays[1]", "hours[0].end", "utc_offset"}
    with pytest.raises(oa.ValidationError, match=r"working_weekdays\[0\]"):
        office.set_work_calendar(admin, working_weekdays=[7], hours=[], utc_offset="+08:00")
    with pytest.raises(TypeError):
        office.set_work_calendar(admin, working_weekdays=[0], hours=[(time(9), time(12))], utc_offset="+08:00")  # type: ignore[list-item]


def test_holidays(office: oa.Office, admin: oa.Session) -> None:
    assert office.list_holidays(admin, 2026) == office.list_holidays(admin, 2026)
    assert office.list_holidays(admin, 2026).holidays == []
    year = office.set_holidays(admin, 2026, [date(2026, 10, 2), date(2026, 10, 1)], [date(2026, 9, 27)])
    assert (year.year, year.holidays, year.makeup_days) == (
        2026,
        [date(2026, 10, 1), date(2026, 10, 2)],
        [date(2026, 9, 27)],
    )
    assert office.list_holidays(admin, 2026) == year
    assert "HolidayYear(year=2026" in repr(year)
    with pytest.raises(oa.ValidationError) as caught:
        office.set_holidays(admin, 2026, [date(2025, 1, 1)], [date(2025, 1, 1)])
    assert {f.path for f in caught.value.fields} >= {"holidays[0]", "makeup_days[0]"}
    with pytest.raises(oa.ValidationError, match="year"):
        office.list_holidays(admin, 1066)
    with pytest.raises(oa.ValidationError, match="year"):
        office.list_holidays(admin, 2**40)
    with pytest.raises(TypeError, match=r"holidays\[0\]"):
        office.set_holidays(admin, 2026, [datetime(2026, 10, 1, tzinfo=timezone.utc)], [])
    with pytest.raises(TypeError, match=r"makeup_days\[1\]"):
        office.set_holidays(admin, 2026, [], [date(2026, 9, 27), "2026-10-10"])  # type: ignore[list-item]


def test_deadlines_count_working_time(office: oa.Office, admin: oa.Session) -> None:
    friday_afternoon = datetime(2026, 1, 2, 17, 0, tzinfo=BEIJING)
    due = office.add_working_time(admin, friday_afternoon, oa.WorkDuration.hours(2))
    assert due == datetime(2026, 1, 5, 10, 0, tzinfo=BEIJING)
    assert due.tzinfo is not None and due.utcoffset() == timedelta(0)
    office.set_holidays(admin, 2026, [date(2026, 1, 5)], [])
    assert office.add_working_time(admin, friday_afternoon, oa.WorkDuration(120, "minutes")) == datetime(
        2026, 1, 6, 10, 0, tzinfo=BEIJING
    )
    assert office.add_working_time(admin, friday_afternoon, oa.WorkDuration.days(1)) == datetime(
        2026, 1, 6, 17, 0, tzinfo=BEIJING
    )
    with pytest.raises(oa.ValidationError, match="naive"):
        office.add_working_time(admin, datetime(2026, 1, 2, 17, 0), oa.WorkDuration.hours(1))
    with pytest.raises(oa.ValidationError, match="duration.unit"):
        office.add_working_time(admin, friday_afternoon, oa.WorkDuration(1, "weeks"))  # type: ignore[arg-type]
    with pytest.raises(oa.ValidationError, match="amount"):
        oa.WorkDuration.days(-1)


def test_work_values() -> None:
    assert oa.WorkDuration.minutes(30) == oa.WorkDuration(30, "minutes")
    assert {oa.WorkDuration.days(1), oa.WorkDuration(1, "days")} == {oa.WorkDuration.days(1)}
    assert repr(oa.WorkDuration.hours(4)) == "WorkDuration(amount=4, unit='hours')"
    hours = oa.WorkHours(time(9), time(12))
    assert repr(hours) == "WorkHours(start=datetime.time(9, 0), end=datetime.time(12, 0))"


def test_anyone_signed_in_learns_todays_date_in_the_offices_zone(
    office: oa.Office, admin: oa.Session, root: oa.Department
) -> None:
    _, clerk = signed_in(office, admin, "clerk", root.id)
    # Asked between two readings of the clock, so that a midnight between them cannot fail it.
    before = datetime.now(BEIJING).date()
    today = office.today(clerk)
    assert isinstance(today, date) and today in (before, datetime.now(BEIJING).date())
    with pytest.raises(oa.PermissionDeniedError):
        office.get_work_calendar(clerk)  # the settings stay closed to the clerk

    # Twelve hours behind UTC, where the date is usually not Beijing's.
    settings = office.get_work_calendar(admin)
    office.set_work_calendar(admin, working_weekdays=settings.working_weekdays, hours=settings.hours, utc_offset="-12:00")
    far_west = timezone(timedelta(hours=-12))
    before = datetime.now(far_west).date()
    assert office.today(clerk) in (before, datetime.now(far_west).date())
