"""The club's one way of writing times: 24-hour, as on the check-in pages and in the CSV.

Django's en-GB formats write "6 p.m."; everything else here says 18:00.
"""

DATE_FORMAT = "D j M Y"  # 'Tue 6 Oct 2026'
TIME_FORMAT = "H:i"  # '18:00'
DATETIME_FORMAT = "D j M Y, H:i"  # 'Tue 6 Oct 2026, 18:05'
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
