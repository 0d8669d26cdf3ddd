// A Foxglove WebSocket client for the tests and the benchmark, built on Foxglove's own
// @foxglove/ws-protocol client over the `ws` package, decoding with protobufjs from the schema
// each channel advertises (as Foxglove's example client does).
//
//   node client.mjs check URL TOPIC=LAST_TS...   subscribe to each TOPIC, print "ready", then print one JSON
//                                                line per message until a message at or after LAST_TS arrived
//                                                on every topic; exit 1 on a protocol error or a 60 s timeout.
//   node client.mjs stall URL TOPIC...            subscribe, print "stalled", stop reading the socket; on a
//                                                line on stdin read again until the server's drop report came.
//   node client.mjs bench URL TOPIC...            subscribe, print "ready"; per message print
//                                                {"topic","ts","recv_ns"} (recv_ns from the wall clock).
import { createHash } from "node:crypto";
import { createInterface } from "node:readline";
import wsProtocol from "@foxglove/ws-protocol";
import protobuf from "protobufjs";
import descriptor from "protobufjs/ext/descriptor/index.js";
import WebSocket from "ws";

const { FoxgloveClient } = wsProtocol;
const [mode, url, ...rest] = process.argv.slice(2);
if (!["check", "stall", "bench"].includes(mode) || !url) {
  console.error("usage: node client.mjs check|stall|bench URL TOPIC[=LAST_TS]...");
  process.exit(2);
}
const wanted = new Map(rest.map((arg) => {
  const eq = arg.lastIndexOf("=");
  return eq > 0 ? [arg.slice(0, eq), BigInt(arg.slice(eq + 1))] : [arg, null];
}));

const out = (obj) => process.stdout.write(JSON.stringify(obj, (_, v) => (typeof v === "bigint" ? v.toString() : v)) + "\n");
const fail = (message) => {
  out({ error: message });
  process.exit(1);
};

// Bytes fields become {len, sha256}: the test compares them with what it wrote without shipping megabytes.
function summarize(value) {
  if (value instanceof Uint8Array) return { len: value.length, sha256: createHash("sha256").update(value).digest("hex") };
  if (Array.isArray(value)) return value.map(summarize);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, summarize(v)]));
  return value;
}

function decoderFor(channel) {
  if (channel.encoding !== "protobuf") return null;
  if (channel.schemaEncoding !== "protobuf") fail(`${channel.topic}: schemaEncoding ${channel.schemaEncoding}, expected protobuf`);
  const set = descriptor.FileDescriptorSet.decode(Buffer.from(channel.schema, "base64"));
  const root = protobuf.Root.fromDescriptor(set);
  return root.lookupType(channel.schemaName);
}

const ws = new WebSocket(url, [FoxgloveClient.SUPPORTED_SUBPROTOCOL]);
const client = new FoxgloveClient({ ws });
const bySubscription = new Map(); // subscription id -> {channel, type}
const remaining = new Map(wanted);
let serverInfo = null;
const timer = mode === "check" ? setTimeout(() => fail(`timed out waiting for ${[...remaining.keys()].join(", ")}`), 60000) : null;

client.on("error", (e) => fail(`client error: ${e?.message ?? e}`));
client.on("serverInfo", (info) => {
  serverInfo = info;
});
client.on("status", (s) => out({ status: s }));
client.on("advertise", (channels) => {
  if (!serverInfo) fail("advertise before serverInfo");
  for (const channel of channels) {
    if (!wanted.has(channel.topic) || [...bySubscription.values()].some((s) => s.channel.topic === channel.topic)) continue;
    const id = client.subscribe(channel.id);
    bySubscription.set(id, { channel, type: decoderFor(channel), last: -1n });
    out({ subscribed: channel.topic, schemaName: channel.schemaName, encoding: channel.encoding, schemaEncoding: channel.schemaEncoding });
  }
  if (bySubscription.size === wanted.size) {
    if (mode === "stall") {
      // Let the subscribe go out, then stop reading: the kernel buffers fill and the server must cope.
      setTimeout(() => {
        ws._socket.pause();
        out({ stalled: true });
        stall();
      }, 200);
    } else out({ ready: true });
  }
});

let received = 0;
client.on("message", ({ subscriptionId, timestamp, data }) => {
  const sub = bySubscription.get(subscriptionId);
  if (!sub) fail(`message for unknown subscription ${subscriptionId}`);
  const topic = sub.channel.topic;
  received++;
  if (timestamp < sub.last) fail(`${topic}: message at ${timestamp} after one at ${sub.last}`);
  sub.last = timestamp;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (mode === "bench") {
    out({ topic, ts: timestamp, recv_ns: BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6)) });
    return;
  }
  const message = sub.type ? summarize(sub.type.toObject(sub.type.decode(bytes), { longs: String, defaults: true })) : summarize(bytes);
  if (mode === "check") out({ topic, ts: timestamp, schemaName: sub.channel.schemaName, message });
  const last = remaining.get(topic);
  if (last !== undefined && last !== null && timestamp >= last) remaining.delete(topic);
  if (mode === "check" && remaining.size === 0) {
    clearTimeout(timer);
    client.close();
    process.exit(0);
  }
});

// The stalled client: on a line on stdin, read again until the server's drop report arrives (it
// queues behind the frames kept for this client) or 10 s passed, and say how many messages came.
let resumed = false;
function stall() {
  const lines = createInterface({ input: process.stdin });
  lines.once("line", () => {
    received = 0;
    resumed = true;
    ws._socket.resume();
    setTimeout(finishStall, 10000);
  });
}
function finishStall() {
  out({ resumed: true, received });
  client.close();
  process.exit(0);
}
client.on("status", (s) => {
  if (resumed && s.message.includes("not keeping up")) finishStall();
});
