#!/usr/bin/env python3
"""Subscriber library and command line for a DrivePerception node.

The node publishes on a ZeroMQ PUB socket (default tcp://127.0.0.1:5556). Every message is two
frames, [topic][payload]; the payload is a MessagePack map with string keys (docs/WIRE.md).

Needs Debian's python3-zmq and python3-msgpack; python3-numpy is optional (masks then decode to
numpy arrays, else to bytes). Run with /usr/bin/python3:

    /usr/bin/python3 clients/python/drive_perception_client.py --endpoint tcp://127.0.0.1:5556

Ages ("age=") compare this host's monotonic clock with the node's capture time on its monotonic
clock: meaningful only when the node runs on the same host. The node's own "latency=" is valid anywhere.
"""

import argparse
import json
import sys
import time

import msgpack
import zmq

try:
    import numpy as np
except ImportError:  # numpy is optional: masks then decode to bytes
    np = None

SCHEMA_VERSION = 1
DEFAULT_ENDPOINT = "tcp://127.0.0.1:5556"

LANES = "perception/lanes"
VEHICLES = "perception/vehicles"
PEDESTRIANS = "perception/pedestrians"
CLASSMAP = "perception/classmap"
STATUS = "perception/status"
TOPICS = (LANES, VEHICLES, PEDESTRIANS, CLASSMAP, STATUS)
PER_FRAME_TOPICS = (LANES, VEHICLES, PEDESTRIANS, CLASSMAP)

EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE, EXIT_TIMEOUT = 0, 1, 2, 3

# What a message can honestly describe (docs/WIRE.md, "Limits"; WireLimits in the C# library): a frame of at most
# 2^25 pixels (8K UHD fits), and masks that together hold at most 4 frames of pixels (4 lane slots of frame size).
# A mask of two run lengths can claim any size: without these, decoding one small hostile message could make this
# process allocate gigabytes.
MAX_FRAME_PIXELS = 1 << 25
MASK_FRAMES_PER_MESSAGE = 4


class PayloadError(ValueError):
    """A message that arrived but cannot be read; names the topic."""

    def __init__(self, topic, problem):
        super().__init__(f"Unreadable payload on {topic}: {problem}")
        self.topic = topic


class RleError(ValueError):
    """Run lengths that do not describe an image of the stated size."""


def _use_numpy(use_numpy):
    if use_numpy is None:
        return np is not None
    if use_numpy and np is None:
        raise RuntimeError("numpy is not installed: apt-get install -y python3-numpy, or pass use_numpy=False")
    return use_numpy


def _checked_counts(rle, what):
    try:
        width, height, counts = int(rle["w"]), int(rle["h"]), [int(n) for n in rle["counts"]]
    except (KeyError, TypeError, ValueError) as e:
        raise RleError(f"{what} lacks w, h or counts: {e!r}") from e
    if width < 0 or height < 0:
        raise RleError(f"{what} has a negative size {width}x{height}")
    if width * height > MAX_FRAME_PIXELS:
        raise RleError(f"{what} is {width}x{height}, over the wire's {MAX_FRAME_PIXELS} pixels")
    for i, n in enumerate(counts):
        if n < 0:
            raise RleError(f"{what} has a negative run length {n} at run {i}")
    total = sum(counts)
    if total != width * height:
        raise RleError(f"{what} counts sum to {total}, expected {width * height} for a {width}x{height} image")
    return width, height, counts


def decode_rle(mask, use_numpy=None):
    """Decodes a binary RleMask dict ({"w", "h", "counts"}) to 1 inside, 0 outside.

    Counts alternate runs of 0 and 1 pixels, starting with 0, row by row from the top-left (row-major,
    unlike COCO's column-major). Returns a (h, w) uint8 numpy array, or, without numpy (or with
    use_numpy=False), bytes of length w*h in row-major order. Raises RleError when the counts do not
    sum to w*h.
    """
    width, height, counts = _checked_counts(mask, "mask")
    if _use_numpy(use_numpy):
        values = (np.arange(len(counts)) % 2).astype(np.uint8)
        return np.repeat(values, counts).reshape(height, width)
    out = bytearray(width * height)
    pos = 0
    for i, n in enumerate(counts):
        if i % 2 == 1:
            out[pos:pos + n] = b"\x01" * n
        pos += n
    return bytes(out)


def decode_label_rle(label, use_numpy=None):
    """Decodes a LabelRle dict ({"w", "h", "values", "counts"}): run i is counts[i] pixels of values[i].

    Returns a (h, w) uint8 numpy array or, without numpy, row-major bytes. Raises RleError when values
    and counts differ in length or the counts do not sum to w*h.
    """
    width, height, counts = _checked_counts(label, "label map")
    values = bytes(label.get("values", b""))
    if len(values) != len(counts):
        raise RleError(f"label map has {len(values)} values but {len(counts)} counts")
    if _use_numpy(use_numpy):
        return np.repeat(np.frombuffer(values, dtype=np.uint8), counts).reshape(height, width)
    return b"".join(bytes([v]) * n for v, n in zip(values, counts))


def mask_area(mask):
    """Pixels inside a binary RleMask, from its run lengths (checked, not decoded)."""
    _checked_counts(mask, "mask")
    return sum(int(n) for n in mask["counts"][1::2])


# The keys the node writes in every message (docs/WIRE.md). A map lacking one is not the node's: without this
# check a payload with no header would be read as a message and could be shown as valid.
_RLE = {"h": int, "w": int, "counts": list}
_HEADER = {"camera_id": str, "seq": int, "capture_mono_ns": int, "capture_utc_ns": int, "source_time_ns": int,
           "width": int, "height": int, "stages": [{"stage": str, "start_ns": int, "end_ns": int}]}
_FRAME = {"schema": int, "header": _HEADER, "valid": bool, "reason": str, "pipeline_latency_ms": (int, float)}
_LANE = {"slot": int, "name": str, "present": bool, "confidence": (int, float), "mask": _RLE,
         "polyline_px": list, "polyline_m": list}
_INSTANCE = {"track_id": int, "class": str, "class_id": int, "score": (int, float),
             "box": {"x": int, "y": int, "w": int, "h": int}, "mask": _RLE}
_COUNTERS = {"captured": int, "processed": int, "dropped_stale": int, "dropped_deadline": int,
             "published_invalid": int, "deadline_misses": int, "stage_overruns": dict, "corrupt": int}
SHAPES = {
    LANES: dict(_FRAME, lanes=[_LANE]),
    VEHICLES: dict(_FRAME, kind=str, instances=[_INSTANCE]),
    PEDESTRIANS: dict(_FRAME, kind=str, instances=[_INSTANCE]),
    CLASSMAP: dict(_FRAME, classmap={"h": int, "w": int, "values": bytes, "counts": list}, classes=list),
    STATUS: {"schema": int, "mono_ns": int, "utc_ns": int, "seq": int, "health": str, "message": str, "source": str,
             "source_state": str, "reconnects": int, "counters": _COUNTERS, "fps": (int, float),
             "latency_p50_ms": (int, float), "latency_p99_ms": (int, float), "deadline_ms": (int, float),
             "models": [{"name": str, "task": str, "accelerator": str, "precision": str}]},
}


def shape_problem(value, shape, path=""):
    """None when value has the shape (a dict of key -> type, nested dict or [element shape]), else what is wrong."""
    where = path or "the payload"
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return f"{where} is {type(value).__name__}, expected a map"
        missing = [k for k in shape if k not in value]
        if missing:
            return ", ".join(f"{path}.{k}" if path else k for k in missing) + (" is" if len(missing) == 1 else " are") + " missing"
        for key, inner in shape.items():
            problem = shape_problem(value[key], inner, f"{path}.{key}" if path else key)
            if problem:
                return problem
        return None
    if isinstance(shape, list):
        if not isinstance(value, list):
            return f"{where} is {type(value).__name__}, expected an array"
        for i, item in enumerate(value):
            problem = shape_problem(item, shape[0], f"{path}[{i}]")
            if problem:
                return problem
        return None
    # bool is an int in Python: a field typed int must not take a bool, nor a bool field an int.
    if isinstance(value, bool) != (shape is bool) or not isinstance(value, shape):
        names = "/".join(t.__name__ for t in shape) if isinstance(shape, tuple) else shape.__name__
        return f"{where} is {type(value).__name__}, expected {names}"
    return None


def decode_payload(topic, payload):
    """Decodes a payload to a dict; raises PayloadError for bad MessagePack, another schema version, or a
    map that lacks a key the node always writes (docs/WIRE.md)."""
    try:
        message = msgpack.unpackb(payload, raw=False, strict_map_key=False)
    except Exception as e:  # msgpack raises several unrelated types for bad input
        raise PayloadError(topic, f"not MessagePack ({len(payload)} bytes): {e}") from e
    if not isinstance(message, dict):
        raise PayloadError(topic, f"expected a map, got {type(message).__name__}")
    schema = message.get("schema")
    if schema != SCHEMA_VERSION:
        raise PayloadError(topic, f"wire schema {schema!r}, this client reads schema {SCHEMA_VERSION}; "
                                  "use a client for that schema (docs/WIRE.md)")
    if topic in SHAPES:
        problem = shape_problem(message, SHAPES[topic]) or size_problem(message)
        if problem:
            raise PayloadError(topic, f"not the node's schema: {problem} (docs/WIRE.md)")
    return message


def size_problem(message):
    """None when every mask of a per-frame message (already of the right shape) could come from its frame: each fits
    the header's frame, instance boxes lie inside it, all together at most MASK_FRAMES_PER_MESSAGE frames of pixels.
    That bounds what decoding all of its masks allocates by the frame, not by sizes the message makes up."""
    if "header" not in message:
        return None  # status: no masks
    width, height = message["header"]["width"], message["header"]["height"]
    if width < 0 or height < 0 or width * height > MAX_FRAME_PIXELS:
        return f"header's frame {width}x{height} is negative or over the wire's {MAX_FRAME_PIXELS} pixels"
    masks = [(f"lanes[{i}].mask", lane["mask"]) for i, lane in enumerate(message.get("lanes", []))]
    for i, instance in enumerate(message.get("instances", [])):
        box, mask = instance["box"], instance["mask"]
        if (mask["w"], mask["h"]) != (box["w"], box["h"]):
            return f"instances[{i}].mask is {mask['w']}x{mask['h']} but its box is {box['w']}x{box['h']}"
        if box["x"] < 0 or box["y"] < 0 or box["x"] + box["w"] > width or box["y"] + box["h"] > height:
            return f"instances[{i}].box is not inside the {width}x{height} frame"
        masks.append((f"instances[{i}].mask", mask))
    if "classmap" in message:
        masks.append(("classmap", message["classmap"]))
    total = 0
    for path, mask in masks:
        if mask["w"] < 0 or mask["h"] < 0 or mask["w"] > width or mask["h"] > height:
            return f"{path} is {mask['w']}x{mask['h']}, not within its {width}x{height} frame"
        total += mask["w"] * mask["h"]
    if total > MASK_FRAMES_PER_MESSAGE * width * height:
        return f"its masks hold {total} pixels, over {MASK_FRAMES_PER_MESSAGE} frames of {width}x{height}"
    return None


class Subscriber:
    """SUB socket on a node's endpoint. Topic filtering is exact (ZeroMQ's own filter matches prefixes).

    Messages published before the connection is up are not delivered (ZeroMQ's "slow joiner").
    """

    def __init__(self, endpoint=DEFAULT_ENDPOINT, topics=TOPICS, rcvhwm=1000, context=None, server_key=None):
        """server_key: the node's CURVE public key (40-char Z85 bytes, e.g. load_server_key("node.key")) when it
        serves encrypted (--curve-key); None: plain. With the wrong key, or against a plain node, nothing arrives."""
        unknown = [t for t in topics if t not in TOPICS]
        if unknown or not topics:
            raise ValueError(f"Unknown or no topics {unknown}; valid topics: {', '.join(TOPICS)}")
        self.endpoint = endpoint
        self.topics = tuple(topics)
        self.malformed = 0  # messages on a subscribed topic that were not [topic][payload]
        self._context = context or zmq.Context.instance()
        self._socket = self._context.socket(zmq.SUB)
        self._socket.setsockopt(zmq.LINGER, 0)
        self._socket.setsockopt(zmq.RCVHWM, rcvhwm)
        if server_key is not None:
            if not zmq.has("curve"):
                self._socket.close()
                raise ValueError("this libzmq has no CURVE support; install Debian's python3-zmq (built with libsodium)")
            # A key pair of our own per connection: it only encrypts; the node cannot check it (NetMQ has no ZAP).
            public, secret = zmq.curve_keypair()
            self._socket.curve_secretkey = secret
            self._socket.curve_publickey = public
            self._socket.curve_serverkey = server_key
        try:
            self._socket.connect(endpoint)
        except zmq.ZMQError as e:
            self._socket.close()
            raise ValueError(f"Cannot connect to {endpoint!r}: {e}. Examples: tcp://127.0.0.1:5556, "
                             "ipc:///path (libzmq ipc; a NetMQ node's ipc:// is not reachable from Python)") from e
        for t in self.topics:
            self._socket.setsockopt(zmq.SUBSCRIBE, t.encode("ascii"))

    def receive_raw(self, timeout_s=None):
        """Waits up to timeout_s (None: forever) for a message; returns (topic, payload bytes) or None.

        Raises PayloadError for a message that is not [topic][payload] (counted in self.malformed); the
        subscriber stays usable: call again for the next message."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not self._socket.poll(None if left is None else int(left * 1000)):
                return None
            frames = self._socket.recv_multipart(zmq.NOBLOCK)
            topic = frames[0].decode("ascii", errors="replace")
            if topic in self.topics:
                if len(frames) != 2:
                    self.malformed += 1
                    raise PayloadError(topic, f"{len(frames)} frames; the wire format is [topic][payload]")
                return topic, frames[1]
            if deadline is not None and time.monotonic() >= deadline:
                return None

    def receive(self, timeout_s=None):
        """Like receive_raw, but returns (topic, decoded dict) or None; raises PayloadError."""
        raw = self.receive_raw(timeout_s)
        return None if raw is None else (raw[0], decode_payload(*raw))

    def receive_latest(self, timeout_s=None):
        """Waits for a message, then drains the socket; returns {topic: newest dict}, empty on timeout."""
        latest = {}
        raw = self.receive_raw(timeout_s)
        while raw is not None:
            latest[raw[0]] = raw[1]
            raw = self.receive_raw(0)
        return {topic: decode_payload(topic, payload) for topic, payload in latest.items()}

    def close(self):
        self._socket.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def load_server_key(path):
    """The node's public key from its certificate file (NAME.key from `./drive-perception keys`); raises ValueError."""
    import zmq.auth
    try:
        public, _ = zmq.auth.load_certificate(path)
    except (OSError, ValueError) as e:
        raise ValueError(f"Cannot read the node's public key from {path!r}: {e}. Copy NAME.key from the node "
                         "(`./drive-perception keys --out DIR` wrote it).") from e
    if not public or len(public) != 40:
        raise ValueError(f"{path!r} holds no 40-character public-key: it is not a ZeroMQ certificate. Copy NAME.key from the node.")
    return public


def age_ms(message, now_mono_ns):
    """This host's monotonic time minus the capture (or heartbeat) time; same-host only."""
    stamp = message["mono_ns"] if "mono_ns" in message else message["header"]["capture_mono_ns"]
    return (now_mono_ns - stamp) / 1e6


def summarize(topic, message, now_mono_ns=None, use_numpy=None):
    """A JSON-friendly summary of a decoded message; every mask is decoded (and so checked)."""
    now_mono_ns = time.monotonic_ns() if now_mono_ns is None else now_mono_ns
    out = {"topic": topic, "schema": message["schema"], "age_ms": round(age_ms(message, now_mono_ns), 3)}
    if topic == STATUS:
        for key in ("seq", "health", "message", "source", "camera_id", "source_state", "reconnects", "fps",
                    "latency_p50_ms", "latency_p99_ms", "deadline_ms", "counters", "models"):
            out[key] = message.get(key)
        return out
    header = message["header"]
    out.update(camera_id=header["camera_id"], seq=header["seq"], capture_mono_ns=header["capture_mono_ns"],
               capture_utc_ns=header["capture_utc_ns"], width=header["width"], height=header["height"],
               stages=[s["stage"] for s in header["stages"]], valid=message["valid"], reason=message["reason"],
               pipeline_latency_ms=message["pipeline_latency_ms"])
    if topic == LANES:
        out["lanes"] = [dict(slot=l["slot"], name=l["name"], present=l["present"], confidence=l["confidence"],
                             **_mask_summary(l["mask"], use_numpy), polyline_px=l["polyline_px"],
                             polyline_m=l["polyline_m"]) for l in message["lanes"]]
    elif topic in (VEHICLES, PEDESTRIANS):
        out["kind"] = message["kind"]
        out["instances"] = [{"track_id": i["track_id"], "class": i["class"], "class_id": i["class_id"],
                             "score": i["score"], "box": [i["box"][k] for k in ("x", "y", "w", "h")],
                             **_mask_summary(i["mask"], use_numpy)} for i in message["instances"]]
    elif topic == CLASSMAP:
        labels = decode_label_rle(message["classmap"], use_numpy)
        pixels = labels.ravel().tolist() if hasattr(labels, "ravel") else list(labels)
        histogram = {}
        for v in pixels:
            histogram[str(v)] = histogram.get(str(v), 0) + 1
        out.update(classes=message["classes"], shape=[message["classmap"]["h"], message["classmap"]["w"]],
                   histogram=histogram)
    return out


def _mask_summary(mask, use_numpy):
    pixels = decode_rle(mask, use_numpy)
    area = int(pixels.sum()) if hasattr(pixels, "sum") else sum(pixels)
    return {"mask_shape": [mask["h"], mask["w"]], "mask_area": area}


def format_line(topic, message, now_mono_ns):
    """The one line the CLI prints per message (same fields as the C# MessageSummary)."""
    age = f"{age_ms(message, now_mono_ns):.1f}"
    if topic == STATUS:
        c = message["counters"]
        line = f"{topic} seq={message['seq']} age={age}ms health={message['health']}"
        if message.get("message"):
            line += f" \"{message['message']}\""
        line += (f" source={message['source_state']} fps={message['fps']:.1f} p50={message['latency_p50_ms']:.1f}ms"
                 f" p99={message['latency_p99_ms']:.1f}ms captured={c['captured']} processed={c['processed']}"
                 f" dropped_stale={c['dropped_stale']} dropped_deadline={c['dropped_deadline']}"
                 f" invalid={c['published_invalid']} misses={c['deadline_misses']} corrupt={c['corrupt']}"
                 f" reconnects={message['reconnects']}")
        return line
    h = message["header"]
    line = (f"{topic} camera={h['camera_id']} seq={h['seq']} age={age}ms"
            f" latency={message['pipeline_latency_ms']:.1f}ms")
    if not message["valid"]:
        return line + f" INVALID reason={message['reason']}"
    line += " valid"
    if topic == LANES:
        present = [l["name"] for l in message["lanes"] if l["present"]]
        line += f" lanes={len(present)}/{len(message['lanes'])}" + (f" ({','.join(present)})" if present else "")
    elif topic in (VEHICLES, PEDESTRIANS):
        line += f" instances={len(message['instances'])}"
        classes = sorted(i["class"] for i in message["instances"])
        for name in sorted(set(classes)):
            line += f" {name}:{classes.count(name)}"
    elif topic == CLASSMAP:
        cm = message["classmap"]
        line += f" classmap={cm['w']}x{cm['h']} runs={len(cm['counts'])} classes={len(message['classes'])}"
    return line


def main(argv=None):
    parser = argparse.ArgumentParser(description="Print the messages of a DrivePerception node, one line each.")
    parser.add_argument("--endpoint", default=DEFAULT_ENDPOINT, help=f"node's PUB endpoint (default {DEFAULT_ENDPOINT})")
    parser.add_argument("--topics", default=",".join(TOPICS), help="comma-separated topics (default: all)")
    parser.add_argument("--count", type=int, default=0, help="exit after this many messages (default: run until Ctrl-C)")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds to wait for each message before giving up (default 10; 0: forever)")
    parser.add_argument("--json", action="store_true", help="print one JSON summary per message, masks decoded")
    parser.add_argument("--curve-server-key", metavar="FILE",
                        help="the node's public certificate (NAME.key) when it serves encrypted (--curve-key)")
    args = parser.parse_args(argv)
    topics = [t.strip() for t in args.topics.split(",") if t.strip()]
    try:
        server_key = load_server_key(args.curve_server_key) if args.curve_server_key else None
        subscriber = Subscriber(args.endpoint, topics, server_key=server_key)
    except ValueError as e:
        print(e, file=sys.stderr)
        return EXIT_USAGE
    received, unreadable = 0, 0
    with subscriber:
        try:
            while args.count <= 0 or received < args.count:
                try:
                    raw = subscriber.receive_raw(args.timeout or None)
                except PayloadError as e:  # not [topic][payload]: counted, reported, and on to the next
                    received += 1
                    unreadable += 1
                    print(f"{e.topic} CORRUPT {e}", flush=True)
                    continue
                if raw is None:
                    print(f"No message within {args.timeout} s from {args.endpoint} on {', '.join(topics)}: "
                          "is the node running and publishing there?", file=sys.stderr)
                    return EXIT_TIMEOUT
                received += 1
                now = time.monotonic_ns()
                try:
                    message = decode_payload(*raw)
                    print(json.dumps(summarize(raw[0], message, now)) if args.json else format_line(raw[0], message, now),
                          flush=True)
                except (PayloadError, RleError, KeyError, TypeError, ValueError, IndexError, AttributeError) as e:
                    unreadable += 1
                    print(f"{raw[0]} CORRUPT {e}", flush=True)
                    continue
                if raw[0] == STATUS and message.get("health") == "stopped":
                    print(f"the node stopped: {message.get('message', '')}", file=sys.stderr)
                    break
        except KeyboardInterrupt:
            pass
    if unreadable:
        print(f"{unreadable} of {received} messages could not be read", file=sys.stderr)
    return EXIT_UNREADABLE if unreadable else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
