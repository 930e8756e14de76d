#!/usr/bin/python3
"""Independent reference for journeys() (test/pgtap/journeys.sql).

Not part of the test run (the tests are self-contained SQL): run it by hand
from the repository top to regenerate the seeded event streams and the
journeys expected from them, written from the rules of doc/journeys.md and
sharing no code with the extension:

    /usr/bin/python3 test/reference/journeys_reference.py

writes test/data/journeys_events.csv (customer_id, event_time,
channel, conversion_value) and test/data/journeys_expected.csv (options,
customer_id, journey_no, path, touch_times, converted, conversion_time,
value).  Calendar days (lookback_days) are counted in TIME_ZONE, which the
test sets as the session's TimeZone.

The rules, as a user reads them:
  * a row with a value is a conversion; its channel, if any, is also a touch
    at the same time;
  * order: time, then touches before conversions, touches by channel (byte
    order), conversions by value;
  * session=S: a touch less than S after the previous touch (conversions end
    the run) collapses into the last kept touch when it has the same
    channel, or -- with direct_override=false -- when it is the direct
    channel and the last kept touch is not;
  * each conversion closes a journey of the kept touches since the previous
    conversion (reset=conversion) or of all kept touches so far
    (reset=never); kept touches after the last conversion (or all of them
    when none converted) form one non-converting journey, whose reference
    time is its last touch;
  * per journey, relative to the reference time: lookback drops touches older
    than it, lookback_days drops touches more than N calendar days before it,
    then max_touches keeps the last N.
"""
import csv
import datetime as dt
import os
import random
from zoneinfo import ZoneInfo

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TIME_ZONE = "America/New_York"
TZ = ZoneInfo(TIME_ZONE)
UTC = dt.timezone.utc
SEED = 20261205

CHANNELS = ["email", "social", "search", "direct", "display", "paid search", "affiliate"]

# (name, options text or None for the three-argument form, parsed options)
OPTION_SETS = [
    ("default", None, {}),
    ("never", "reset=never", {"reset": "never"}),
    ("lookback", "lookback=3 days", {"lookback": dt.timedelta(days=3)}),
    ("never_days_max", "reset=never, lookback_days=2, max_touches=4",
     {"reset": "never", "lookback_days": 2, "max_touches": 4}),
    ("days1", "lookback_days=1", {"lookback_days": 1}),
    ("session", "session=2 hours", {"session": dt.timedelta(hours=2)}),
    ("session_direct", "session=3 hours, direct=direct, direct_override=false",
     {"session": dt.timedelta(hours=3), "direct": "direct", "keep_direct": True}),
    ("max2", "max_touches=2", {"max_touches": 2}),
    ("never_lookback_session", "reset=never, lookback=2 days, session=90 minutes",
     {"reset": "never", "lookback": dt.timedelta(days=2), "session": dt.timedelta(minutes=90)}),
]


def make_events(rng):
    """Seeded streams: 160 customers, 0-30 events on a coarse grid so that
    equal times, equal channels and equal values happen often."""
    base = dt.datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    events = []
    for cust in range(1, 161):
        n = rng.choice([1, 2, 3, 5, 8, 12, 20, 30])
        for _ in range(n):
            # 30-minute grid over 12 days, sometimes the very same instant
            t = base + dt.timedelta(minutes=30 * rng.randrange(0, 12 * 48))
            r = rng.random()
            if r < 0.78:
                events.append((cust, t, rng.choice(CHANNELS), None))
            elif r < 0.90:
                events.append((cust, t, None, float(rng.choice([10, 25, 25, 99.5, 0]))))
            else:
                events.append((cust, t, rng.choice(CHANNELS), float(rng.choice([10, 40, 0.5]))))
        # bursts: the same channel several times within a few hours, and ties
        if rng.random() < 0.5 and events and events[-1][0] == cust:
            c, t0 = rng.choice(CHANNELS), events[-1][1]
            for k in range(rng.randrange(2, 5)):
                events.append((cust, t0 + dt.timedelta(minutes=40 * k), c, None))
            events.append((cust, t0 + dt.timedelta(minutes=50), "direct", None))
            events.append((cust, t0, rng.choice(CHANNELS), None))
    return events


def journeys(evs, opts):
    items = []
    for _, t, ch, v in evs:
        if ch is not None:
            items.append((t, 0, ch.encode(), 0.0, ch))
        if v is not None:
            items.append((t, 1, b"", v, None))
    items.sort(key=lambda x: (x[0], x[1], x[2], x[3]))
    session = opts.get("session")
    keep_direct = opts.get("keep_direct", False)
    direct = opts.get("direct", "direct")
    never = opts.get("reset") == "never"

    kept = []           # (time, channel) of kept touches, in order
    out = []
    seg = 0
    prev_time = None    # previous touch of the run (None after a conversion)
    last_kept = None

    def cut(touches, ref):
        lo = 0
        if "lookback" in opts:
            while lo < len(touches) and ref - touches[lo][0] > opts["lookback"]:
                lo += 1
        if "lookback_days" in opts:
            ref_day = ref.astimezone(TZ).date()
            while lo < len(touches) and (ref_day - touches[lo][0].astimezone(TZ).date()).days > opts["lookback_days"]:
                lo += 1
        if "max_touches" in opts:
            lo = max(lo, len(touches) - opts["max_touches"])
        return touches[lo:]

    for t, kind, _, v, ch in items:
        if kind == 1:
            ts = cut(kept[0 if never else seg:], t)
            out.append((ts, True, t, v))
            seg = len(kept)
            prev_time = None
            continue
        collapse = False
        if session is not None and prev_time is not None and t - prev_time < session:
            if ch == last_kept:
                collapse = True
            elif keep_direct and ch == direct and last_kept != direct:
                collapse = True
        prev_time = t
        if collapse:
            continue
        last_kept = ch
        kept.append((t, ch))
    if len(kept) > seg:
        tail = kept[0 if never else seg:]
        out.append((cut(tail, tail[-1][0]), False, None, None))
    return out


def pg_text_array(xs):
    def q(x):
        if any(c in x for c in ' ,"{}\\') or x == "":
            return '"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return x
    return "{" + ",".join(q(x) for x in xs) + "}"


def ts(t):
    return t.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00")


def fmt_value(v):
    return repr(float(v))


def main():
    rng = random.Random(SEED)
    events = make_events(rng)
    by_cust = {}
    for e in events:
        by_cust.setdefault(e[0], []).append(e)
    with open(os.path.join(ROOT, "test/data/journeys_events.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["customer_id", "event_time", "channel", "conversion_value"])
        for cust, t, ch, v in events:
            w.writerow([cust, ts(t), "" if ch is None else ch, "" if v is None else fmt_value(v)])
    rows = 0
    with open(os.path.join(ROOT, "test/data/journeys_expected.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["option_set", "customer_id", "journey_no", "path", "touch_times",
                    "converted", "conversion_time", "value"])
        for name, _, opts in OPTION_SETS:
            for cust in sorted(by_cust):
                for no, (touches, conv, ct, v) in enumerate(journeys(by_cust[cust], opts), 1):
                    w.writerow([name, cust, no, pg_text_array([c for _, c in touches]),
                                pg_text_array([ts(t) for t, _ in touches]),
                                "t" if conv else "f", "" if ct is None else ts(ct),
                                "" if v is None else fmt_value(v)])
                    rows += 1
    print(f"{len(events)} events of {len(by_cust)} customers; {rows} expected journeys "
          f"over {len(OPTION_SETS)} option sets")
    for name, text, _ in OPTION_SETS:
        print(f"  {name}: {text!r}")


if __name__ == "__main__":
    main()
