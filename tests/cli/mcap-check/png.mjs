// Reads a file written by `auki frame` back: a PNG through a small decoder of its own (signature,
// chunk CRCs, IHDR, zlib-inflated IDAT, the five row filters), compared pixel by pixel with the
// frame storegen recorded; a copied jpeg compared byte for byte.
//
//   node png.mjs FILE EXPECT.json LOG AT_NS       (LOG: a key of EXPECT.json's "frames")
import { readFileSync } from "node:fs";
import { crc32, inflateSync } from "node:zlib";

const [file, expectPath, log, at] = process.argv.slice(2);
const want = JSON.parse(readFileSync(expectPath, "utf8")).frames.find((f) => f.log === log && f.at === at);
const bytes = readFileSync(file);
const fail = (why) => { console.log(`FAIL ${why}`); process.exit(1); };
if (!want) fail(`no frame ${log} at ${at} in ${expectPath}`);

if (want.copied !== undefined) {
  if (bytes.toString("hex") !== want.copied) fail(`copied file differs: ${bytes.toString("hex")} vs ${want.copied}`);
  console.log("ok   the recorded file, byte for byte");
  process.exit(0);
}

if (bytes.subarray(0, 8).toString("hex") !== "89504e470d0a1a0a") fail("no PNG signature");
let pos = 8, header = null;
const idat = [];
for (;;) {
  const length = bytes.readUInt32BE(pos);
  const type = bytes.subarray(pos + 4, pos + 8).toString("latin1");
  const data = bytes.subarray(pos + 8, pos + 8 + length);
  if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== bytes.readUInt32BE(pos + 8 + length)) fail(`${type}: CRC mismatch`);
  if (type === "IHDR") header = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), depth: data[8], color: data[9], interlace: data[12] };
  if (type === "IDAT") idat.push(data);
  pos += 12 + length;
  if (type === "IEND") break;
}
if (pos !== bytes.length) fail("bytes after IEND");
if (!header || header.interlace !== 0) fail("no IHDR, or interlaced");
const channels = { 0: 1, 2: 3, 6: 4 }[header.color];
const bpp = (channels * header.depth) / 8;
const rowBytes = header.width * bpp;
const raw = inflateSync(Buffer.concat(idat));
if (raw.length !== header.height * (rowBytes + 1)) fail(`inflated ${raw.length} bytes for ${header.height} rows of ${rowBytes}`);
const pixels = Buffer.alloc(header.height * rowBytes);
for (let y = 0; y < header.height; y++) {
  const filter = raw[y * (rowBytes + 1)];
  for (let x = 0; x < rowBytes; x++) {
    const v = raw[y * (rowBytes + 1) + 1 + x];
    const a = x >= bpp ? pixels[y * rowBytes + x - bpp] : 0;
    const b = y > 0 ? pixels[(y - 1) * rowBytes + x] : 0;
    const c = x >= bpp && y > 0 ? pixels[(y - 1) * rowBytes + x - bpp] : 0;
    const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
    const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
    if (predictor === undefined) fail(`row ${y}: filter ${filter}`);
    pixels[y * rowBytes + x] = (v + predictor) & 0xff;
  }
}
if (header.width !== want.width || header.height !== want.height) fail(`${header.width}x${header.height} vs ${want.width}x${want.height}`);
// The recorded frame: rows of its stride, padding after the pixels; 16-bit samples little-endian.
const recorded = Buffer.from(want.pixels, "hex");
const stride = recorded.length / want.height;
for (let y = 0; y < header.height; y++) {
  for (let x = 0; x < rowBytes; x++) {
    let expected = recorded[y * stride + x];
    if (want.depth16) expected = recorded[y * stride + (x ^ 1)]; // PNG stores 16-bit samples big-endian
    if (pixels[y * rowBytes + x] !== expected) fail(`pixel byte ${x} of row ${y}: ${pixels[y * rowBytes + x]} vs ${expected}`);
  }
}
console.log(`ok   ${header.width}x${header.height} PNG (colour type ${header.color}, ${header.depth}-bit) equal to the recorded frame`);
