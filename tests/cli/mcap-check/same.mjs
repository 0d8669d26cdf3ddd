// Reads two MCAP files with Foxglove's reader (@mcap/core's indexed reader, chunk CRCs checked, and
// its stream reader front to back) and checks they hold the same messages, each in log-time order
// (messages at the same time may come in another order when chunks overlap); prints how many
// chunks each compression names in the second file.
//
//   node same.mjs EXPECTED.mcap ACTUAL.mcap
//
// Prints one line per check, then "chunks: <compression>=N ..." and "N passed, N failed"; exits 1 on any failure.
import { readFileSync } from "node:fs";
import { McapIndexedReader, McapStreamReader } from "@mcap/core";
import { loadDecompressHandlers } from "@mcap/support";

const [expectedPath, actualPath] = process.argv.slice(2);
if (!expectedPath || !actualPath) {
  console.error("usage: node same.mjs EXPECTED.mcap ACTUAL.mcap");
  process.exit(2);
}
const decompressHandlers = await loadDecompressHandlers();
let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}

async function read(path) {
  const bytes = new Uint8Array(readFileSync(path));
  const readable = {
    size: async () => BigInt(bytes.length),
    read: async (offset, size) => bytes.subarray(Number(offset), Number(offset + size)),
  };
  const reader = await McapIndexedReader.Initialize({ readable, decompressHandlers });
  const messages = [];
  let ordered = true;
  let previous = -1n;
  for await (const m of reader.readMessages({ validateCrcs: true })) {
    const time = String(m.logTime).padStart(20, "0");
    messages.push(`${time} ${reader.channelsById.get(m.channelId).topic} ${m.sequence} ${Buffer.from(m.data).toString("hex")}`);
    if (m.logTime < previous) ordered = false;
    previous = m.logTime;
  }
  messages.sort();
  const stream = new McapStreamReader({ decompressHandlers, validateCrcs: true });
  stream.append(bytes);
  let streamed = 0;
  for (let r; (r = stream.nextRecord()); ) if (r.type === "Message") streamed++;
  return { reader, messages, ordered, streamed, done: stream.done() };
}

try {
  const expected = await read(expectedPath);
  const actual = await read(actualPath);
  check("both files open in the indexed reader and read back with chunk CRCs checked", true);
  check("the same number of messages", actual.messages.length === expected.messages.length,
    `${actual.messages.length} vs ${expected.messages.length}`);
  check("messages come back in log-time order", actual.ordered && expected.ordered);
  const first = actual.messages.findIndex((m, i) => m !== expected.messages[i]);
  check("the same messages (log time, topic, sequence, data)", first < 0, `first difference at message ${first}`);
  check("the stream reader walks the second file to its end and sees every message",
    actual.done && actual.streamed === actual.messages.length, `${actual.streamed}`);
  check("statistics count every message", actual.reader.statistics?.messageCount === BigInt(actual.messages.length));
  const counts = {};
  for (const ci of actual.reader.chunkIndexes) counts[ci.compression || "none"] = (counts[ci.compression || "none"] ?? 0) + 1;
  console.log(`chunks: ${Object.entries(counts).map(([k, v]) => `${k}=${v}`).sort().join(" ")}`);
} catch (e) {
  check("both files read back", false, e.message);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
