// Reads an MCAP file with the official TypeScript reader (@mcap/core), Foxglove's own zstd/lz4 decoders and
// Foxglove's JSON schemas, and checks it against an expectation file written by the C# test:
//
//   node tests/mcap-crosscheck/check.mjs RECORDING.mcap EXPECTED.json
//
// EXPECTED.json:
//   {
//     "messageCount": 120,
//     "minChunks": 2,                                   // optional
//     "compressions": ["zstd"],                         // optional: each must appear in some chunk index
//     "channels": [{ "topic": "/camera/front/image", "messageEncoding": "json",
//                    "schemaName": "foxglove.CompressedImage", "schemaEncoding": "jsonschema",
//                    "metadata": {}, "count": 40 }],
//     "decode": [{ "topic": "/perception/lanes", "index": 0, "base64": "..." },   // exact payload bytes
//                { "topic": "/perception/overlay", "index": 0, "json": { ... } }] // payload parsed as JSON
//   }
//
// Checks: the indexed reader (footer, summary CRC, summary, chunk indexes, message indexes, chunk CRCs) and
// the stream reader (every record in file order, chunk CRCs) both read the file; both see the expected
// channels and per-topic counts; messages come out in log-time order; the data section CRC matches a CRC
// computed here with @foxglove/crc; foxglove.* schemas equal @foxglove/schemas and their messages carry
// every field those schemas require; the "decode" messages match. Exit code 0 when all hold, 1 otherwise.

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { isDeepStrictEqual } from "node:util";
import { McapIndexedReader, McapStreamReader } from "@mcap/core";
import { crc32 } from "@foxglove/crc";

const require = createRequire(import.meta.url);
const zstd = require("@foxglove/wasm-zstd");
const lz4 = require("@foxglove/wasm-lz4");
const foxgloveJsonSchemas = require("@foxglove/schemas/jsonschema");

const failures = [];
function check(condition, message) {
  if (!condition) {
    failures.push(message);
  }
}

async function main() {
  const [file, expectedFile] = process.argv.slice(2);
  if (!file || !expectedFile) {
    console.error("usage: node check.mjs RECORDING.mcap EXPECTED.json");
    process.exit(2);
  }

  const bytes = new Uint8Array(await readFile(file));
  const expected = JSON.parse(await readFile(expectedFile, "utf8"));
  await zstd.isLoaded;
  await lz4.isLoaded;
  const decompressHandlers = {
    zstd: (data, size) => zstd.decompress(data, Number(size)),
    lz4: (data, size) => lz4(data, Number(size)),
  };

  const indexed = await readIndexed(bytes, decompressHandlers, expected);
  const streamed = readStreamed(bytes, decompressHandlers);

  for (const [name, result] of [["indexed", indexed], ["stream", streamed]]) {
    check(result.total === expected.messageCount,
      `${name} reader: ${result.total} messages, expected ${expected.messageCount}`);
    for (const channel of expected.channels) {
      const count = result.countsByTopic.get(channel.topic) ?? 0;
      check(count === channel.count, `${name} reader: topic ${channel.topic} has ${count} messages, expected ${channel.count}`);
    }
  }

  // The data section CRC covers every byte before the Data End record, magic and Header included.
  if (indexed.reader.dataSectionCrc !== undefined) {
    const actual = crc32(bytes.subarray(0, Number(indexed.reader.dataEndOffset)));
    check(actual === indexed.reader.dataSectionCrc,
      `data section CRC: file says ${indexed.reader.dataSectionCrc}, computed ${actual}`);
  } else {
    failures.push("Data End record carries no data section CRC");
  }

  for (const decode of expected.decode ?? []) {
    const message = indexed.messagesByTopic.get(decode.topic)?.[decode.index];
    if (!message) {
      failures.push(`decode: no message ${decode.index} on ${decode.topic}`);
      continue;
    }
    if (decode.base64 !== undefined) {
      const actual = Buffer.from(message.data).toString("base64");
      check(actual === decode.base64, `decode: ${decode.topic}[${decode.index}] payload differs`);
    }
    if (decode.json !== undefined) {
      const actual = JSON.parse(Buffer.from(message.data).toString("utf8"));
      check(isDeepStrictEqual(actual, decode.json),
        `decode: ${decode.topic}[${decode.index}] JSON differs:\n  got      ${JSON.stringify(actual)}\n  expected ${JSON.stringify(decode.json)}`);
    }
    console.log(`decoded ${decode.topic}[${decode.index}]: ${message.data.byteLength} bytes, log time ${message.logTime}`);
  }

  console.log(`library: ${indexed.reader.header.library}; profile: '${indexed.reader.header.profile}'`);
  console.log(`chunks: ${indexed.reader.chunkIndexes.length} (${[...new Set(indexed.reader.chunkIndexes.map((c) => c.compression || "none"))].join(", ")})`);
  for (const channel of indexed.reader.channelsById.values()) {
    const schema = indexed.reader.schemasById.get(channel.schemaId);
    console.log(`channel ${channel.id} ${channel.topic} [${channel.messageEncoding}] schema=${schema?.name ?? "-"} (${schema?.encoding ?? "-"}): ${indexed.countsByTopic.get(channel.topic) ?? 0} messages`);
  }

  if (failures.length > 0) {
    console.error(`FAIL: ${failures.length} check(s) failed for ${file}`);
    for (const failure of failures) {
      console.error(`  - ${failure}`);
    }
    process.exit(1);
  }
  console.log(`OK: ${file}: ${indexed.total} messages read by @mcap/core's indexed and stream readers`);
}

async function readIndexed(bytes, decompressHandlers, expected) {
  const readable = {
    size: async () => BigInt(bytes.byteLength),
    read: async (offset, length) => bytes.subarray(Number(offset), Number(offset + length)),
  };
  const reader = await McapIndexedReader.Initialize({ readable, decompressHandlers });

  // Channels and schemas from the summary.
  check(reader.channelsById.size === expected.channels.length,
    `summary has ${reader.channelsById.size} channels, expected ${expected.channels.length}`);
  for (const want of expected.channels) {
    const channel = [...reader.channelsById.values()].find((c) => c.topic === want.topic);
    if (!channel) {
      failures.push(`summary has no channel for topic ${want.topic}`);
      continue;
    }
    check(channel.messageEncoding === want.messageEncoding,
      `${want.topic}: message encoding '${channel.messageEncoding}', expected '${want.messageEncoding}'`);
    check(isDeepStrictEqual(Object.fromEntries(channel.metadata), want.metadata ?? {}),
      `${want.topic}: metadata ${JSON.stringify(Object.fromEntries(channel.metadata))}`);
    const schema = reader.schemasById.get(channel.schemaId);
    check((schema?.name ?? null) === (want.schemaName ?? null), `${want.topic}: schema '${schema?.name}', expected '${want.schemaName}'`);
    check((schema?.encoding ?? null) === (want.schemaEncoding ?? null),
      `${want.topic}: schema encoding '${schema?.encoding}', expected '${want.schemaEncoding}'`);
  }

  // Statistics.
  const stats = reader.statistics;
  check(stats !== undefined, "summary has no Statistics record");
  if (stats) {
    check(stats.messageCount === BigInt(expected.messageCount), `statistics: ${stats.messageCount} messages, expected ${expected.messageCount}`);
    check(stats.channelCount === expected.channels.length, `statistics: ${stats.channelCount} channels`);
    check(stats.chunkCount === reader.chunkIndexes.length, `statistics: ${stats.chunkCount} chunks but ${reader.chunkIndexes.length} chunk indexes`);
    for (const channel of reader.channelsById.values()) {
      const want = expected.channels.find((c) => c.topic === channel.topic);
      const count = stats.channelMessageCounts.get(channel.id) ?? 0n;
      check(count === BigInt(want?.count ?? 0), `statistics: ${channel.topic} has ${count} messages, expected ${want?.count ?? 0}`);
    }
  }
  check(reader.chunkIndexes.length >= (expected.minChunks ?? 0),
    `${reader.chunkIndexes.length} chunks, expected at least ${expected.minChunks}`);
  for (const compression of expected.compressions ?? []) {
    check(reader.chunkIndexes.some((c) => c.compression === compression), `no chunk uses compression '${compression}'`);
  }

  // Foxglove schemas: the same JSON as Foxglove's package.
  for (const schema of reader.schemasById.values()) {
    if (schema.encoding === "jsonschema" && schema.name.startsWith("foxglove.")) {
      const upstream = foxgloveJsonSchemas[schema.name.slice("foxglove.".length)];
      const actual = JSON.parse(Buffer.from(schema.data).toString("utf8"));
      check(upstream !== undefined && isDeepStrictEqual(actual, upstream),
        `schema ${schema.name} differs from @foxglove/schemas' jsonschema export`);
    }
  }

  // Messages in log-time order, message index and chunk CRCs checked by the reader.
  const countsByTopic = new Map();
  const messagesByTopic = new Map();
  let total = 0;
  let previousLogTime = -1n;
  for await (const message of reader.readMessages({ validateCrcs: true })) {
    const channel = reader.channelsById.get(message.channelId);
    check(message.logTime >= previousLogTime, `log time went backwards at message ${total}`);
    previousLogTime = message.logTime;
    countsByTopic.set(channel.topic, (countsByTopic.get(channel.topic) ?? 0) + 1);
    if (!messagesByTopic.has(channel.topic)) {
      messagesByTopic.set(channel.topic, []);
    }
    messagesByTopic.get(channel.topic).push(message);
    total++;

    const schema = reader.schemasById.get(channel.schemaId);
    if (schema?.encoding === "jsonschema" && channel.messageEncoding === "json") {
      const payload = JSON.parse(Buffer.from(message.data).toString("utf8"));
      const missing = missingRequired(JSON.parse(Buffer.from(schema.data).toString("utf8")), payload, "");
      check(missing.length === 0, `${channel.topic} message ${total}: missing required ${missing.join(", ")}`);
    }
  }

  return { reader, total, countsByTopic, messagesByTopic };
}

function readStreamed(bytes, decompressHandlers) {
  const reader = new McapStreamReader({ decompressHandlers, validateCrcs: true });
  reader.append(bytes);
  const topics = new Map();
  const countsByTopic = new Map();
  let total = 0;
  for (let record; (record = reader.nextRecord()); ) {
    if (record.type === "Channel") {
      topics.set(record.id, record.topic);
    } else if (record.type === "Message") {
      const topic = topics.get(record.channelId);
      check(topic !== undefined, `stream reader: message on channel ${record.channelId} before its Channel record`);
      countsByTopic.set(topic, (countsByTopic.get(topic) ?? 0) + 1);
      total++;
    }
  }
  check(reader.done(), "stream reader did not reach the footer and closing magic");
  return { total, countsByTopic };
}

// Paths of fields that a JSON schema marks "required" but the value lacks (objects and arrays, recursively).
function missingRequired(schema, value, path) {
  const missing = [];
  if (schema?.type === "object" && value && typeof value === "object") {
    for (const name of schema.required ?? []) {
      if (!(name in value)) {
        missing.push(`${path}/${name}`);
      }
    }
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (name in value) {
        missing.push(...missingRequired(property, value[name], `${path}/${name}`));
      }
    }
  } else if (schema?.type === "array" && Array.isArray(value)) {
    value.forEach((item, i) => missing.push(...missingRequired(schema.items, item, `${path}/${i}`)));
  }
  return missing;
}

main().catch((error) => {
  console.error(`FAIL: ${error?.stack ?? error}`);
  process.exit(1);
});
