"""Tests of drive_perception_client. Run: /usr/bin/python3 -m unittest discover -s clients/python

With DP_NODE_ENDPOINT set (e.g. tcp://127.0.0.1:5556), EndToEndTest also connects to a running node
and checks what it publishes; DP_NODE_TIMEOUT_S (default 15) bounds the wait.
"""

import contextlib
import threading
import io
import os
import random
import time
import tracemalloc
import unittest

import msgpack

import drive_perception_client as dpc


def pack(message):
    return msgpack.packb(message, use_bin_type=True)


def header(seq=7, width=3, height=2):
    return {"camera_id": "front", "seq": seq, "capture_mono_ns": 1_000_000_000, "capture_utc_ns": 5,
            "source_time_ns": -1, "width": width, "height": height,
            "stages": [{"stage": "capture", "start_ns": 1, "end_ns": 2}]}


def status(seq=0, health="ok"):
    """A status message with every key the node writes."""
    return {"schema": 1, "mono_ns": 1, "utc_ns": 2, "seq": seq, "health": health, "message": "", "source": "x.mcap",
            "source_state": "streaming", "reconnects": 0, "fps": 10.0, "latency_p50_ms": 1.0, "latency_p99_ms": 2.0,
            "deadline_ms": 100.0, "models": [],
            "counters": {"captured": 1, "processed": 1, "dropped_stale": 0, "dropped_deadline": 0,
                         "published_invalid": 0, "deadline_misses": 0, "stage_overruns": {}, "corrupt": 0}}


def lanes_message(seq=7):
    return {"schema": 1, "header": header(seq), "valid": True, "reason": "", "pipeline_latency_ms": 1.0,
            "lanes": [lane(1, "second_left", False, [6])]}


def lane(slot, name, present, counts, width=3, height=2):
    return {"slot": slot, "name": name, "present": present, "confidence": 0.5,
            "mask": {"w": width, "h": height, "counts": counts}, "polyline_px": [], "polyline_m": []}


class RleDecodeTest(unittest.TestCase):
    """Hand-made masks; each case runs with numpy (when installed) and without."""

    def paths(self):
        return [True, False] if dpc.np is not None else [False]

    def as_rows(self, decoded, width, height):
        flat = decoded.ravel().tolist() if hasattr(decoded, "ravel") else list(decoded)
        self.assertEqual(len(flat), width * height)
        return [flat[r * width:(r + 1) * width] for r in range(height)]

    def test_decode_rle_runs_cross_rows_row_major(self):
        # 3 wide, 2 high: 0-run of 1, 1-run of 3 (wraps into row 1), 0-run of 2.
        for use_numpy in self.paths():
            rows = self.as_rows(dpc.decode_rle({"w": 3, "h": 2, "counts": [1, 3, 2]}, use_numpy), 3, 2)
            self.assertEqual(rows, [[0, 1, 1], [1, 0, 0]])

    def test_decode_rle_leading_zero_run_of_length_zero_starts_inside(self):
        for use_numpy in self.paths():
            rows = self.as_rows(dpc.decode_rle({"w": 2, "h": 2, "counts": [0, 1, 2, 1]}, use_numpy), 2, 2)
            self.assertEqual(rows, [[1, 0], [0, 1]])

    def test_decode_rle_single_zero_run_is_empty_mask(self):
        for use_numpy in self.paths():
            rows = self.as_rows(dpc.decode_rle({"w": 4, "h": 1, "counts": [4]}, use_numpy), 4, 1)
            self.assertEqual(rows, [[0, 0, 0, 0]])

    def test_decode_rle_numpy_shape_is_height_by_width(self):
        if dpc.np is None:
            self.skipTest("numpy not installed: apt-get install -y python3-numpy")
        self.assertEqual(dpc.decode_rle({"w": 5, "h": 2, "counts": [10]}).shape, (2, 5))

    def test_decode_rle_counts_short_of_size_raises_with_sum(self):
        for use_numpy in self.paths():
            with self.assertRaisesRegex(dpc.RleError, "sum to 5, expected 6 for a 3x2"):
                dpc.decode_rle({"w": 3, "h": 2, "counts": [2, 3]}, use_numpy)

    def test_decode_rle_negative_run_raises(self):
        with self.assertRaisesRegex(dpc.RleError, "negative run length -1"):
            dpc.decode_rle({"w": 1, "h": 1, "counts": [2, -1]})

    def test_decode_rle_missing_counts_raises(self):
        with self.assertRaisesRegex(dpc.RleError, "lacks w, h or counts"):
            dpc.decode_rle({"w": 1, "h": 1})

    def test_mask_area_counts_one_runs(self):
        self.assertEqual(dpc.mask_area({"w": 3, "h": 2, "counts": [1, 3, 1, 1]}), 4)

    def test_decode_label_rle_runs_of_values(self):
        label = {"w": 3, "h": 2, "values": b"\x00\x02\x01", "counts": [2, 3, 1]}
        for use_numpy in self.paths():
            self.assertEqual(self.as_rows(dpc.decode_label_rle(label, use_numpy), 3, 2), [[0, 0, 2], [2, 2, 1]])

    def test_decode_label_rle_values_counts_mismatch_raises(self):
        with self.assertRaisesRegex(dpc.RleError, "2 values but 3 counts"):
            dpc.decode_label_rle({"w": 3, "h": 2, "values": b"\x00\x01", "counts": [2, 3, 1]})

    def test_decode_label_rle_bad_sum_raises(self):
        with self.assertRaisesRegex(dpc.RleError, "sum to 5, expected 6"):
            dpc.decode_label_rle({"w": 3, "h": 2, "values": b"\x00\x01", "counts": [2, 3]})


class PayloadTest(unittest.TestCase):
    def test_decode_payload_schema_1_map_decodes(self):
        message = dpc.decode_payload(dpc.STATUS, pack(status(3)))
        self.assertEqual(message["health"], "ok")
        self.assertEqual(dpc.decode_payload(dpc.LANES, pack(lanes_message()))["header"]["seq"], 7)

    def test_decode_payload_no_header_raises_rather_than_showing_valid(self):
        message = lanes_message()
        del message["header"]
        with self.assertRaisesRegex(dpc.PayloadError, "perception/lanes: not the node's schema: header is missing"):
            dpc.decode_payload(dpc.LANES, pack(message))

    def test_decode_payload_wrong_type_deep_inside_raises_with_path(self):
        message = lanes_message()
        message["lanes"][0]["mask"]["counts"] = "six"
        with self.assertRaisesRegex(dpc.PayloadError, r"lanes\[0\]\.mask\.counts is str, expected list"):
            dpc.decode_payload(dpc.LANES, pack(message))

    def test_decode_payload_bool_for_int_raises(self):
        message = status()
        message["seq"] = True
        with self.assertRaisesRegex(dpc.PayloadError, "seq is bool, expected int"):
            dpc.decode_payload(dpc.STATUS, pack(message))

    def test_decode_payload_other_schema_raises_naming_topic(self):
        with self.assertRaisesRegex(dpc.PayloadError, "perception/lanes: wire schema 2"):
            dpc.decode_payload(dpc.LANES, pack({"schema": 2}))

    def test_decode_payload_garbage_raises_naming_topic(self):
        with self.assertRaisesRegex(dpc.PayloadError, "perception/vehicles: not MessagePack"):
            dpc.decode_payload(dpc.VEHICLES, b"\xc1\xff\x00")

    def test_decode_payload_not_a_map_raises(self):
        with self.assertRaisesRegex(dpc.PayloadError, "expected a map, got list"):
            dpc.decode_payload(dpc.STATUS, pack([1, 2]))


def instance(box, mask_size=None, counts=None):
    w, h = mask_size or (box[2], box[3])
    return {"track_id": 1, "class": "car", "class_id": 13, "score": 0.9,
            "box": {"x": box[0], "y": box[1], "w": box[2], "h": box[3]},
            "mask": {"w": w, "h": h, "counts": counts if counts is not None else [w * h]}}


def vehicles_message(instances, width=3, height=2):
    return {"schema": 1, "header": header(width=width, height=height), "valid": True, "reason": "",
            "pipeline_latency_ms": 1.0, "kind": "vehicles", "instances": instances}


class SizeLimitTest(unittest.TestCase):
    """A message's masks are held to its own frame before anything is decoded (docs/WIRE.md, Limits)."""

    def test_decode_payload_lane_mask_larger_than_frame_raises(self):
        message = lanes_message()
        message["lanes"][0]["mask"] = {"w": 16384, "h": 16384, "counts": [0, 16384 * 16384]}
        with self.assertRaisesRegex(dpc.PayloadError, r"lanes\[0\]\.mask is 16384x16384, not within its 3x2 frame"):
            dpc.decode_payload(dpc.LANES, pack(message))

    def test_decode_payload_header_over_the_wire_limit_raises(self):
        message = lanes_message()
        message["header"]["width"] = message["header"]["height"] = 8193
        with self.assertRaisesRegex(dpc.PayloadError, "header's frame 8193x8193 is negative or over"):
            dpc.decode_payload(dpc.LANES, pack(message))

    def test_decode_payload_box_outside_frame_raises(self):
        with self.assertRaisesRegex(dpc.PayloadError, r"instances\[0\]\.box is not inside the 3x2 frame"):
            dpc.decode_payload(dpc.VEHICLES, pack(vehicles_message([instance((2, 0, 2, 2))])))

    def test_decode_payload_masks_over_four_frames_raise(self):
        five = [instance((0, 0, 3, 2)) for _ in range(5)]
        with self.assertRaisesRegex(dpc.PayloadError, "its masks hold 30 pixels, over 4 frames of 3x2"):
            dpc.decode_payload(dpc.VEHICLES, pack(vehicles_message(five)))
        self.assertEqual(len(dpc.decode_payload(dpc.VEHICLES, pack(vehicles_message(five[:4])))["instances"]), 4)

    def test_decode_rle_over_the_wire_limit_raises_before_allocating(self):
        with self.assertRaisesRegex(dpc.RleError, "over the wire's"):
            dpc.decode_rle({"w": 1 << 20, "h": 1 << 20, "counts": [0, 1 << 40]})

    def test_decode_payload_hostile_messages_allocate_at_most_what_their_frame_allows(self):
        """Property: for messages with made-up sizes and for arbitrary bytes, decoding the payload and then every mask
        in it either raises PayloadError/RleError or allocates at most 4 frames of the header's size (+ slack for
        the payload's own objects). Seeded, so a failure repeats."""
        rng = random.Random(16)

        def size():
            return rng.choice([rng.randint(1, 12)] * 6 + [rng.randint(0, 70000), 1 << 14, 1 << 24, -1])

        def counts(w, h):
            total = max(w * h, 0)
            return rng.choice([[total]] * 3 + [[0, total], [rng.randint(0, 1 << 31) for _ in range(rng.randint(0, 4))], []])

        def hostile():
            fw, fh = size(), size()
            if rng.random() < 0.5:
                lanes = []
                for slot in range(rng.randint(0, 6)):
                    w, h = rng.choice([(fw, fh)] * 3 + [(size(), size())])
                    lanes.append(lane(slot + 1, "ego_left", True, counts(w, h), w, h))
                return dpc.LANES, {"schema": 1, "header": header(width=fw, height=fh), "valid": True, "reason": "",
                                   "pipeline_latency_ms": 1.0, "lanes": lanes}
            instances = []
            for _ in range(rng.randint(0, rng.choice([3, 40]))):
                box = (rng.randint(-1, 2), rng.randint(-1, 2), size(), size())
                instances.append(instance(box, counts=counts(box[2], box[3])))
            return dpc.VEHICLES, vehicles_message(instances, fw, fh)

        def decode_all(topic, payload):
            message = dpc.decode_payload(topic, payload)
            for item in message.get("lanes", []) + message.get("instances", []):
                dpc.decode_rle(item["mask"])
            return message["header"]["width"] * message["header"]["height"]

        decoded = 0
        for i in range(400):
            if i % 4 == 3:
                topic, payload = dpc.LANES, bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
            else:
                topic, message = hostile()
                payload = pack(message)
            tracemalloc.start()
            try:
                frame = decode_all(topic, payload)
                decoded += 1
            except (dpc.PayloadError, dpc.RleError):
                frame = 0
            finally:
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            bound = dpc.MASK_FRAMES_PER_MESSAGE * max(frame, 0) + 200 * len(payload) + 256 * 1024
            self.assertLessEqual(peak, bound, f"case {i}: {len(payload)}-byte payload, frame {frame} px")
        self.assertGreater(decoded, 20, "the generator should also make messages that decode")


class FormatTest(unittest.TestCase):
    def test_format_line_lanes_lists_present_slots_and_age(self):
        message = {"schema": 1, "header": header(), "valid": True, "reason": "", "pipeline_latency_ms": 12.34,
                   "lanes": [lane(1, "second_left", False, [6]), lane(2, "ego_left", True, [0, 2, 4])]}
        line = dpc.format_line(dpc.LANES, message, now_mono_ns=1_020_000_000)
        self.assertEqual(line, "perception/lanes camera=front seq=7 age=20.0ms latency=12.3ms valid lanes=1/2 (ego_left)")

    def test_format_line_invalid_shows_reason_not_counts(self):
        message = {"schema": 1, "header": header(), "valid": False, "reason": "deadline",
                   "pipeline_latency_ms": 80.0, "instances": [], "kind": "vehicles"}
        line = dpc.format_line(dpc.VEHICLES, message, now_mono_ns=1_000_000_000)
        self.assertTrue(line.endswith("INVALID reason=deadline"), line)
        self.assertNotIn("instances=", line)

    def test_summarize_instances_decodes_masks(self):
        message = {"schema": 1, "header": header(), "valid": True, "reason": "", "pipeline_latency_ms": 1.0,
                   "kind": "vehicles", "instances": [{"track_id": 4, "class": "car", "class_id": 13, "score": 0.9,
                                                      "box": {"x": 1, "y": 0, "w": 2, "h": 2},
                                                      "mask": {"w": 2, "h": 2, "counts": [1, 3]}}]}
        summary = dpc.summarize(dpc.VEHICLES, message, now_mono_ns=1_000_000_000)
        self.assertEqual(summary["instances"][0]["mask_area"], 3)
        self.assertEqual(summary["instances"][0]["box"], [1, 0, 2, 2])


class SubscriberTest(unittest.TestCase):
    """Subscriber against a pyzmq PUB socket on a loopback port the OS picks."""

    def setUp(self):
        self.context = dpc.zmq.Context()
        self.pub = self.context.socket(dpc.zmq.PUB)
        self.pub.setsockopt(dpc.zmq.LINGER, 0)
        port = self.pub.bind_to_random_port("tcp://127.0.0.1")
        self.endpoint = f"tcp://127.0.0.1:{port}"

    def tearDown(self):
        self.pub.close()
        self.context.term()

    def connect(self, topics=dpc.TOPICS):
        """A subscriber that has received a probe, so nothing later is lost to the slow-joiner effect."""
        subscriber = dpc.Subscriber(self.endpoint, topics, context=self.context)
        deadline = time.monotonic() + 10
        while subscriber.receive_raw(0.05) is None:
            self.assertLess(time.monotonic(), deadline, "subscriber never connected")
            self.pub.send_multipart([topics[0].encode(), pack({"schema": 1, "probe": True})])
        while subscriber.receive_raw(0.2) is not None:
            pass
        return subscriber

    def test_receive_decodes_and_filters_topics_exactly(self):
        with self.connect([dpc.STATUS]) as subscriber:
            self.pub.send_multipart([b"perception/status_debug", pack(status(0))])
            self.pub.send_multipart([dpc.LANES.encode(), pack(lanes_message())])
            self.pub.send_multipart([dpc.STATUS.encode(), pack(status(5))])
            topic, message = subscriber.receive(5)
            self.assertEqual((topic, message["seq"]), (dpc.STATUS, 5))

    def test_receive_single_frame_raises_naming_topic(self):
        with self.connect([dpc.STATUS]) as subscriber:
            self.pub.send(dpc.STATUS.encode())
            with self.assertRaisesRegex(dpc.PayloadError, "perception/status: 1 frames"):
                subscriber.receive(5)

    def test_receive_latest_keeps_newest_per_topic(self):
        with self.connect([dpc.LANES, dpc.STATUS]) as subscriber:
            for seq in range(5):
                self.pub.send_multipart([dpc.LANES.encode(), pack(lanes_message(seq))])
            self.pub.send_multipart([dpc.STATUS.encode(), pack(status(9))])
            time.sleep(0.5)  # let every message reach the socket, so one drain sees them all
            latest = subscriber.receive_latest(5)
            self.assertEqual({t: m["header"]["seq"] if t == dpc.LANES else m["seq"] for t, m in latest.items()},
                             {dpc.LANES: 4, dpc.STATUS: 9})

    def test_main_garbage_between_good_messages_reports_each_and_goes_on_to_the_final_status(self):
        garbage = [
            [dpc.LANES.encode()],                                   # 1 frame
            [dpc.LANES.encode(), b"\x01", b"\x02"],                  # 3 frames
            [dpc.LANES.encode(), b"\xc1 not msgpack"],              # not MessagePack
            [dpc.LANES.encode(), pack([1, 2, 3])],                   # MessagePack, not a map
            [dpc.LANES.encode(), pack({k: v for k, v in lanes_message().items() if k != "header"})],  # no header
        ]
        out, err = io.StringIO(), io.StringIO()
        result = {}

        def listen():
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                result["code"] = dpc.main(["--endpoint", self.endpoint, "--topics", f"{dpc.LANES},{dpc.STATUS}", "--timeout", "10"])

        thread = threading.Thread(target=listen)
        thread.start()
        # main's subscriber joins at some point: repeat the sequence until it has seen a good message, then stop it.
        deadline = time.monotonic() + 15
        while thread.is_alive() and time.monotonic() < deadline:
            for frames in garbage:
                self.pub.send_multipart(frames)
            self.pub.send_multipart([dpc.LANES.encode(), pack(lanes_message(8))])
            if "seq=8" in out.getvalue():
                self.pub.send_multipart([dpc.STATUS.encode(), pack(status(1, health="stopped"))])
            time.sleep(0.05)
        thread.join(5)
        self.assertFalse(thread.is_alive(), "main did not stop after the final status")
        lines = out.getvalue().splitlines()
        self.assertEqual(result["code"], dpc.EXIT_UNREADABLE)
        for expected in ("1 frames", "3 frames", "not MessagePack", "expected a map", "header is missing"):
            self.assertTrue(any("CORRUPT" in l and expected in l for l in lines), f"{expected!r} not reported:\n{out.getvalue()}")
        # Only the good lane message is shown as valid.
        self.assertTrue(all("seq=8" in l for l in lines if l.startswith(dpc.LANES) and " valid" in l), out.getvalue())
        self.assertIn("the node stopped", err.getvalue())

    def test_receive_nothing_published_returns_none(self):
        with dpc.Subscriber(self.endpoint, context=self.context) as subscriber:
            self.assertIsNone(subscriber.receive(0.1))

    def test_subscriber_unknown_topic_raises_listing_valid_ones(self):
        with self.assertRaisesRegex(ValueError, "valid topics: perception/lanes"):
            dpc.Subscriber(self.endpoint, ["perception/lane"], context=self.context)

    def test_main_no_node_exits_3_saying_what_to_check(self):
        with contextlib.redirect_stderr(io.StringIO()) as err:
            code = dpc.main(["--endpoint", self.endpoint, "--timeout", "0.2"])
        self.assertEqual(code, dpc.EXIT_TIMEOUT)
        self.assertIn("is the node running and publishing there?", err.getvalue())


@unittest.skipUnless(os.environ.get("DP_NODE_ENDPOINT"), "set DP_NODE_ENDPOINT to test against a running node")
class EndToEndTest(unittest.TestCase):
    """Receives from a running node until it has lanes, vehicles and pedestrians of one frame and a status."""

    def test_node_publishes_decodable_consistent_messages(self):
        endpoint = os.environ["DP_NODE_ENDPOINT"]
        deadline = time.monotonic() + float(os.environ.get("DP_NODE_TIMEOUT_S", "15"))
        frames = {}     # (camera_id, seq) -> {topic: message}
        last_seq = {}   # topic -> last sequence seen
        statuses = []
        per_frame = (dpc.LANES, dpc.VEHICLES, dpc.PEDESTRIANS)
        complete = None
        with dpc.Subscriber(endpoint) as subscriber:
            while (complete is None or not statuses) and time.monotonic() < deadline:
                received = subscriber.receive(timeout_s=max(0.0, deadline - time.monotonic()))
                if received is None:
                    break
                topic, message = received
                dpc.summarize(topic, message)  # decodes every mask: raises on a bad one
                if topic == dpc.STATUS:
                    self.check_status(message)
                    statuses.append(message)
                    continue
                seq = message["header"]["seq"]
                self.assertGreater(seq, last_seq.get(topic, -1), f"{topic} sequence went backwards")
                last_seq[topic] = seq
                self.check_masks_fit(topic, message)
                key = (message["header"]["camera_id"], seq)
                frames.setdefault(key, {})[topic] = message
                if all(t in frames[key] for t in per_frame):
                    complete = frames[key]
        self.assertTrue(statuses, f"no {dpc.STATUS} from {endpoint} in time (it is published at 1 Hz)")
        self.assertIsNotNone(complete, f"no frame from {endpoint} arrived on all of {per_frame}; "
                                       f"topics seen: {sorted({t for f in frames.values() for t in f})}")
        headers = [complete[t]["header"] for t in per_frame]
        for key in ("capture_mono_ns", "capture_utc_ns", "width", "height"):
            self.assertEqual(len({h[key] for h in headers}), 1, f"{key} differs across topics of one frame")

    def check_status(self, message):
        self.assertIn(message["health"], ("ok", "degraded", "failed", "stopped"))
        for key in ("captured", "processed", "dropped_stale", "dropped_deadline", "published_invalid"):
            self.assertGreaterEqual(message["counters"][key], 0, key)

    def check_masks_fit(self, topic, message):
        h = message["header"]
        self.assertGreater(h["width"] * h["height"], 0, f"{topic} header has no frame size")
        if not message["valid"]:
            self.assertTrue(message["reason"], f"{topic} seq {h['seq']} is not valid but gives no reason")
            return
        if topic == dpc.LANES:
            self.assertEqual([l["slot"] for l in message["lanes"]], [1, 2, 3, 4])
            for l in message["lanes"]:
                if l["mask"]["w"] * l["mask"]["h"] > 0:
                    self.assertEqual((l["mask"]["h"], l["mask"]["w"]), (h["height"], h["width"]), l["name"])
        else:
            for i in message["instances"]:
                self.assertEqual((i["mask"]["w"], i["mask"]["h"]), (i["box"]["w"], i["box"]["h"]), i["track_id"])


if __name__ == "__main__":
    unittest.main()
