#!/usr/bin/python3
"""One soak subscriber: receives every topic from the node, optionally sleeping per message (a slow planner),
and at SIGTERM writes what it saw as JSON: messages per topic, the frames the node said it had processed in the
last status received (each processed frame publishes one lanes message), frame numbers skipped between lanes
messages (frames the node dropped as stale plus messages this subscriber lost), and malformed messages.

    subscriber.py --endpoint tcp://127.0.0.1:5599 --sleep-ms 200 --out slow.json
"""
import argparse
import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
import drive_perception_client as dpc  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--sleep-ms", type=float, default=0.0, help="sleep this long after each message (a slow subscriber)")
    ap.add_argument("--out", required=True, help="JSON summary written at exit")
    args = ap.parse_args()
    if args.sleep_ms < 0:
        ap.error("--sleep-ms must be >= 0")

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    counts, gaps, last_seq, malformed, processed = {}, 0, None, 0, None
    started = time.monotonic()
    with dpc.Subscriber(args.endpoint, rcvhwm=100) as sub:
        while not stop:
            try:
                got = sub.receive(timeout_s=0.5)
            except dpc.PayloadError:
                malformed += 1
                continue
            if got is None:
                continue
            topic, msg = got
            counts[topic] = counts.get(topic, 0) + 1
            if topic == dpc.STATUS:
                processed = msg["counters"]["processed"]
            if topic == dpc.LANES:
                seq = msg["header"]["seq"]
                if last_seq is not None and seq > last_seq + 1:
                    gaps += seq - last_seq - 1
                last_seq = seq
            if args.sleep_ms:
                time.sleep(args.sleep_ms / 1000.0)
    with open(args.out, "w") as f:
        json.dump({"sleep_ms": args.sleep_ms, "seconds": round(time.monotonic() - started, 1), "messages": counts,
                   "node_processed_at_last_status": processed, "lanes_seq_skipped": gaps,
                   "last_lanes_seq": last_seq, "malformed": malformed}, f, indent=1)


if __name__ == "__main__":
    main()
