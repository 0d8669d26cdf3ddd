// Reads an MCAP file written by `auki export --profile foxglove` the way Foxglove does and checks
// every channel against what storegen recorded (EXPECT.json from `storegen foxglove`): channels and
// schemas through @mcap/core's indexed reader; each message decoded twice, with protobufjs from the
// FileDescriptorSet in the file's own schema record, and with @mcap/support's
// protobufFromBinaryDescriptor (the MCAP tooling's own reading of a protobuf schema record).
//
//   node foxglove.mjs FILE.mcap EXPECT.json utc|monotonic
//
// Prints one line per check and "N passed, N failed"; exits 1 on any failure.
import { readFileSync } from "node:fs";
import protobuf from "protobufjs";
import descriptor from "protobufjs/ext/descriptor/index.js";
import { McapIndexedReader } from "@mcap/core";
import { loadDecompressHandlers, protobufFromBinaryDescriptor } from "@mcap/support";

const [file, expectPath, time] = process.argv.slice(2);
if (!file || !expectPath || !["utc", "monotonic"].includes(time)) {
  console.error("usage: node foxglove.mjs FILE.mcap EXPECT.json utc|monotonic");
  process.exit(2);
}
const bytes = new Uint8Array(readFileSync(file));
const expect = JSON.parse(readFileSync(expectPath, "utf8"));

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
}
const hex = (data) => Buffer.from(data).toString("hex");

const reader = await McapIndexedReader.Initialize({
  readable: { size: async () => BigInt(bytes.length), read: async (o, s) => bytes.subarray(Number(o), Number(o + s)) },
  decompressHandlers: await loadDecompressHandlers(),
});
const channels = [...reader.channelsById.values()];
check("one channel per expected topic", JSON.stringify(channels.map((c) => c.topic).sort())
  === JSON.stringify(expect.channels.map((c) => c.topic).sort()), channels.map((c) => c.topic).join(", "));

// Decoders from the schema records alone.
const decoders = new Map();
for (const channel of channels) {
  const schema = reader.schemasById.get(channel.schemaId);
  try {
    const set = descriptor.FileDescriptorSet.decode(schema.data);
    const names = set.file.map((f) => f.name);
    // Complete and in protoc --include_imports order: every import appears before the file importing it.
    const complete = set.file.every((f, i) => (f.dependency ?? []).every((d) => names.indexOf(d) >= 0 && names.indexOf(d) < i));
    const type = protobuf.Root.fromDescriptor(set).lookupType(schema.name);
    const foxglove = protobufFromBinaryDescriptor(schema.data).lookupType(schema.name);
    decoders.set(channel.id, { type, foxglove, schema, complete });
  } catch (e) {
    check(`${channel.topic}: its schema record decodes as a FileDescriptorSet holding ${schema?.name}`, false, e.message);
  }
}

const got = new Map(channels.map((c) => [c.topic, []]));
for await (const m of reader.readMessages({ validateCrcs: true })) got.get(reader.channelsById.get(m.channelId).topic).push(m);

// Expected values, compared field by field (numbers exactly; "data" as hex).
function same(actual, wanted, path = "") {
  if (Array.isArray(wanted)) {
    if (!Array.isArray(actual) || actual.length !== wanted.length) return `${path}: ${JSON.stringify(actual)} vs ${JSON.stringify(wanted)}`;
    for (let i = 0; i < wanted.length; i++) { const d = same(actual[i], wanted[i], `${path}[${i}]`); if (d) return d; }
    return null;
  }
  if (wanted !== null && typeof wanted === "object") {
    for (const [k, v] of Object.entries(wanted)) { const d = same(actual?.[k], v, `${path}.${k}`); if (d) return d; }
    return null;
  }
  return actual === wanted || String(actual) === String(wanted) ? null : `${path}: ${JSON.stringify(actual)} vs ${JSON.stringify(wanted)}`;
}

for (const want of expect.channels) {
  const channel = channels.find((c) => c.topic === want.topic);
  const decoder = channel && decoders.get(channel.id);
  if (!decoder) { check(`${want.topic}: channel with a decodable schema`, false); continue; }
  check(`${want.topic}: schema ${want.schema}, protobuf, complete FileDescriptorSet`,
    decoder.schema.name === want.schema && decoder.schema.encoding === "protobuf" && channel.messageEncoding === "protobuf" && decoder.complete,
    `${decoder.schema.name} ${decoder.schema.encoding} ${channel.messageEncoding}`);
  const messages = got.get(want.topic);
  check(`${want.topic}: ${want.messages.length} messages`, messages.length === want.messages.length, `${messages.length}`);
  want.messages.forEach((w, i) => {
    const m = messages[i];
    if (!m) return;
    const object = decoder.type.toObject(decoder.type.decode(m.data), { longs: String, bytes: String, defaults: true, arrays: true });
    if (typeof object.data === "string") object.data = hex(Buffer.from(object.data, "base64"));
    const problem = same(object, w.fields);
    check(`${want.topic}[${i}]: decoded fields equal the recorded ones`, problem === null, problem);
    let viaFoxglove = null;
    try { viaFoxglove = decoder.foxglove.toObject(decoder.foxglove.decode(m.data), { longs: String, bytes: String, defaults: true }); } catch (e) { viaFoxglove = e; }
    if (viaFoxglove && typeof viaFoxglove.data === "string") viaFoxglove.data = hex(Buffer.from(viaFoxglove.data, "base64"));
    check(`${want.topic}[${i}]: @mcap/support's schema reader decodes the same fields`, !(viaFoxglove instanceof Error) && same(viaFoxglove, w.fields) === null,
      String(viaFoxglove instanceof Error ? viaFoxglove : same(viaFoxglove, w.fields)));
    // utc: Unix ns through the store's clocks; monotonic: the timestamp as recorded.
    const logTime = BigInt(time === "utc" ? w.log_time : w.recorded);
    check(`${want.topic}[${i}]: log_time = publish_time = ${logTime} (${time})`, m.logTime === logTime && m.publishTime === logTime, `${m.logTime}`);
    if (want.stamped) {
      const ts = object.timestamp;
      check(`${want.topic}[${i}]: message timestamp equals its log time`,
        ts && BigInt(ts.seconds) * 1000000000n + BigInt(ts.nanos) === logTime, JSON.stringify(ts));
    }
  });
}

// What the file came from: Metadata records.
const metadata = [];
for await (const record of reader.readMetadata()) metadata.push(record);
const named = (name) => metadata.filter((r) => r.name === name).map((r) => r.metadata);
const exported = named("auki.export")[0];
check("auki.export metadata names the profile and how to get the original payloads",
  exported?.get("profile") === "foxglove" && exported?.get("time") === time && /--profile raw/.test(exported?.get("original_payloads") ?? ""));
const sessions = named("auki.session");
check("auki.session metadata names every peer, app and boot session", expect.sessions.every((s) =>
  sessions.some((m) => m.get("peer_id") === s.peer_id && m.get("app_id") === s.app_id && m.get("boot_session_id") === s.boot_session_id)),
  JSON.stringify(sessions.map((m) => Object.fromEntries(m))));
const manifests = named("auki.manifest");
check("auki.manifest metadata per log, manifest as JSON", manifests.length === 8
  && manifests.every((m) => JSON.parse(m.get("manifest") ?? m.get("log_manifest")) !== null), `${manifests.length}`);
const registry = named("auki.registry");
const kinds = new Set(registry.map((m) => m.get("kind")));
check("auki.registry metadata holds the sensor, clock and frame entries as stored", ["sensor", "clock", "frame"].every((k) => kinds.has(k))
  && registry.every((m) => JSON.parse(m.get("entry")).peer_id === m.get("peer_id")), [...kinds].join(","));
check("statistics count the metadata records", reader.statistics.metadataCount === metadata.length, `${reader.statistics.metadataCount}`);

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
