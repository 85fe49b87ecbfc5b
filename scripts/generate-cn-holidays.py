#!/usr/bin/env python3
"""Writes route's Chinese public-holiday calendar (holidays and 调休 make-up working days).

Source: PyPI `chinesecalendar` 1.11.0, which transcribes the State Council General
Office's yearly notices (国务院办公厅关于…部分节假日安排的通知). Run it in a venv:

    python3 -m venv /tmp/cc && /tmp/cc/bin/pip install chinesecalendar==1.11.0
    /tmp/cc/bin/python scripts/generate-cn-holidays.py 2024 2026 \
        > Services/Route/Route/Resources/cn-holidays.json

Route never fetches it at run time; an operator adds next year's dates by hand (or with
a newer chinesecalendar) when the State Council publishes them each autumn.
"""
import datetime
import json
import sys

import chinese_calendar

first, last = int(sys.argv[1]), int(sys.argv[2])
holidays, workdays = [], []
day = datetime.date(first, 1, 1)
while day.year <= last:
    is_holiday, name = chinese_calendar.get_holiday_detail(day)
    # Only statutory holidays on dates that would otherwise be worked, and weekend dates
    # made working days; ordinary weekends follow from the weekday.
    if is_holiday and name is not None and day.weekday() < 5:
        holidays.append({"date": day.isoformat(), "name": str(name)})
    elif not is_holiday and day.weekday() >= 5:
        workdays.append({"date": day.isoformat(), "name": str(name) if name else "调休"})
    day += datetime.timedelta(days=1)

json.dump({
    "source": "PyPI chinesecalendar %s (State Council General Office holiday notices)" % chinese_calendar.__version__,
    "years": list(range(first, last + 1)),
    "holidays": holidays,
    "workdays": workdays,
}, sys.stdout, ensure_ascii=False, indent=1)
sys.stdout.write("\n")
