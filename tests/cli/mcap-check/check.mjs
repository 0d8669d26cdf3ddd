// Reads an MCAP file written by `auki export` with Foxglove's reader (@mcap/core: the indexed
// reader, which seeks through the summary and checks the summary CRC, and the stream reader,
// which walks every record and checks chunk CRCs) and compares it with the entries the test
// store was built from (EXPECT.json from storegen).
//
//   node check.mjs FILE.mcap EXPECT.json store|session COMPRESSION [FROM_NS TO_NS]
//
// Prints one line per check and "N passed, N failed"; exits 1 on any failure.
import { readFileSync } from "node:fs";
import { crc32 } from "node:zlib";
import { McapIndexedReader, McapStreamReader } from "@mcap/core";
import { loadDecompressHandlers } from "@mcap/support";

const [file, expectPath, mode, compression, fromArg, toArg] = process.argv.slice(2);
if (!file || !expectPath || !["store", "session"].includes(mode) || !["zstd", "lz4", "none"].includes(compression)) {
  console.error("usage: node check.mjs FILE.mcap EXPECT.json store|session zstd|lz4|none [FROM_NS TO_NS]");
  process.exit(2);
}
const bytes = new Uint8Array(readFileSync(file));
const expect = JSON.parse(readFileSync(expectPath, "utf8"));
const from = fromArg === undefined ? null : BigInt(fromArg);
const to = toArg === undefined ? null : BigInt(toArg);

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}
const hex = (data) => Buffer.from(data).toString("hex");

// What the file should hold: topic -> [[logTime, payloadHex]], clipped to the windows.
const wanted = new Map();
const inWindow = (ts, lo, hi) => (lo === null || ts >= lo) && (hi === null || ts <= hi);
if (mode === "store") {
  for (const log of expect.logs) {
    wanted.set(log.topic, log.entries.map(([ts, p]) => [BigInt(ts), p]).filter(([ts]) => inWindow(ts, from, to)));
  }
} else {
  for (const f of expect.activity_session.files) {
    const log = expect.logs.find((l) => l.topic === f.topic);
    const lo = f.from === undefined ? from : from === null ? BigInt(f.from) : [from, BigInt(f.from)].reduce((a, b) => (a > b ? a : b));
    const hi = f.to === undefined ? to : to === null ? BigInt(f.to) : [to, BigInt(f.to)].reduce((a, b) => (a < b ? a : b));
    wanted.set(f.topic, log.entries.map(([ts, p]) => [BigInt(ts), p]).filter(([ts]) => inWindow(ts, lo, hi)));
  }
}
const wantedCount = [...wanted.values()].reduce((n, e) => n + e.length, 0);

const decompressHandlers = await loadDecompressHandlers();
const readable = {
  size: async () => BigInt(bytes.length),
  read: async (offset, size) => bytes.subarray(Number(offset), Number(offset + size)),
};

// 1. Indexed reading: summary, statistics, channels and schemas, messages by seeking through chunk indexes.
let reader;
try {
  reader = await McapIndexedReader.Initialize({ readable, decompressHandlers });
  check("indexed reader opens the file (magic, footer, summary, summary CRC)", true);
} catch (e) {
  check("indexed reader opens the file (magic, footer, summary, summary CRC)", false, e.message);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(1);
}
check("header names the writer", reader.header.library.startsWith("auki "), reader.header.library);
const channels = [...reader.channelsById.values()];
const topics = channels.map((c) => c.topic).sort();
check("one channel per log, topic /<peer>/<resource_id>", JSON.stringify(topics) === JSON.stringify([...wanted.keys()].sort()),
  `${topics.join(", ")} vs ${[...wanted.keys()].sort().join(", ")}`);
check("channels carry their manifest and file id as metadata",
  channels.every((c) => c.metadata.get("auki.file_id") && c.metadata.get("source_peer_id") === c.topic.split("/")[1]));
check("channels use the auki payload encoding", channels.every((c) => c.messageEncoding === "x-auki-payload"));
const sensorChannels = channels.filter((c) => c.metadata.get("auki.kind") === "sensor");
check("every sensor channel has a schema derived from its registry entry", sensorChannels.every((c) => {
  const schema = reader.schemasById.get(c.schemaId);
  if (!schema || schema.encoding !== "x-auki-registry-json") return false;
  const entry = JSON.parse(Buffer.from(schema.data).toString("utf8"));
  return schema.name === `auki.${entry.kind}` && entry.sensor_id === c.topic.split("/").slice(2).join("/")
    && JSON.parse(c.metadata.get("sensor")).hash !== undefined;
}));
check("non-sensor channels without a registry entry have schema 0",
  channels.filter((c) => c.metadata.get("auki.kind") === "pose").every((c) => c.schemaId === 0));
const stats = reader.statistics;
check("statistics count every message", stats !== undefined && stats.messageCount === BigInt(wantedCount),
  `${stats?.messageCount} vs ${wantedCount}`);
check("statistics count messages per channel", channels.every((c) =>
  (stats.channelMessageCounts.get(c.id) ?? 0n) === BigInt(wanted.get(c.topic).length)));
check("chunk indexes name the compression", reader.chunkIndexes.length >= (wantedCount > 0 ? 1 : 0)
  && reader.chunkIndexes.every((ci) => ci.compression === (compression === "none" ? "" : compression)),
  reader.chunkIndexes.map((ci) => ci.compression).join(","));
check("chunk indexes point at message indexes", reader.chunkIndexes.every((ci) => ci.messageIndexOffsets.size > 0));
check("data end record carries the data-section CRC of every byte before it",
  reader.dataSectionCrc !== undefined && reader.dataSectionCrc === crc32(bytes.subarray(0, Number(reader.dataEndOffset))),
  `${reader.dataSectionCrc}`);

const got = new Map([...wanted.keys()].map((t) => [t, []]));
let previous = -1n;
let ordered = true;
let timesMatch = true;
for await (const m of reader.readMessages({ validateCrcs: true })) {
  const topic = reader.channelsById.get(m.channelId).topic;
  got.get(topic).push([m.logTime, hex(m.data)]);
  if (m.logTime < previous) ordered = false;
  if (m.publishTime !== m.logTime) timesMatch = false;
  previous = m.logTime;
}
check("messages come back in log-time order", ordered);
check("publish_time equals log_time (the entry timestamp)", timesMatch);
for (const [topic, entries] of wanted) {
  const actual = got.get(topic);
  const same = actual.length === entries.length && actual.every(([t, p], i) => t === entries[i][0] && p === entries[i][1]);
  check(`${topic}: ${entries.length} messages with the recorded timestamps and payload bytes`, same,
    `got ${actual.length}: ${JSON.stringify(actual.slice(0, 3).map(([t, p]) => [String(t), p]))}`);
}

// 2. Indexed seeking: a time range query reads only what it asks for.
if (wantedCount > 1) {
  const all = [...wanted.values()].flat().map(([t]) => t).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = all[Math.floor(all.length / 2)];
  let n = 0;
  for await (const m of reader.readMessages({ startTime: mid })) if (m.logTime >= mid) n++;
  check("a time-range query through the indexes finds the later half", n === all.filter((t) => t >= mid).length, `${n}`);
}

// 3. Streaming every record front to back (chunk CRCs checked).
try {
  const stream = new McapStreamReader({ decompressHandlers, validateCrcs: true });
  stream.append(bytes);
  const seen = {};
  for (let r; (r = stream.nextRecord()); ) seen[r.type] = (seen[r.type] ?? 0) + 1;
  check("stream reader walks every record to the closing magic", stream.done());
  check("stream reader sees every message", (seen.Message ?? 0) === wantedCount, `${seen.Message}`);
  check("each chunk is followed by its message indexes", (seen.MessageIndex ?? 0) >= (seen.Chunk ?? 0) || wantedCount === 0);
  check("summary offsets are written", (seen.SummaryOffset ?? 0) >= 3, `${seen.SummaryOffset}`);
} catch (e) {
  check("stream reader walks every record", false, e.message);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
