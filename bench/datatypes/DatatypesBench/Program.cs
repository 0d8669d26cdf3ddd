// Per-message encode/decode cost from C#: a 6.9 MB raw camera entry (1920x1200 rgb8 + intrinsics)
// and a pose, each beside packing/unpacking the same fields by hand (BinaryPrimitives + one
// memcpy of the frame) in the same run. Best of 5 rounds.
using System.Buffers.Binary;
using System.Diagnostics;
using Auki.Datatypes.Camera;
using Auki.Datatypes.Pose;
using Google.Protobuf;

const int FrameBytes = 1920 * 1200 * 3;
byte[] pixels = new byte[FrameBytes];
new Random(7).NextBytes(pixels);

var intrinsics = new DynamicIntrinsics { Fx = 1234.5, Fy = 1234.5, Cx = 960, Cy = 600, DistortionCoefficients = { 0.1, -0.2, 0.001, 0.002, 0.0 } };
// UnsafeWrap: the message borrows the caller's frame; encoding copies it once, into the output.
var camera = new CameraFrame { DynamicIntrinsics = intrinsics, Frame = UnsafeByteOperations.UnsafeWrap(pixels) };
byte[] cameraBytes = camera.ToByteArray();
byte[] cameraOut = new byte[cameraBytes.Length];
var pose = new SpatialTransform
{
    Translation = new Vec3 { X = 1.25, Y = -2.5, Z = 0.75 },
    Orientation = new Quat { X = 0.1, Y = 0.2, Z = 0.3, W = 0.927 },
};
byte[] poseBytes = pose.ToByteArray();
byte[] poseOut = new byte[poseBytes.Length];
byte[] packedCamera = new byte[9 * 8 + FrameBytes];
byte[] packedPose = new byte[7 * 8];

Row("camera 6.9 MB: encode, ToByteArray (allocates)", 200, () => camera.ToByteArray().Length);
Row("camera 6.9 MB: encode, WriteTo(span)", 200, () => { camera.WriteTo(cameraOut.AsSpan()); return cameraOut[^1]; });
Row("camera 6.9 MB: baseline pack 9 f64 + memcpy frame", 200, () => PackCamera(packedCamera));
Row("camera 6.9 MB: decode, ParseFrom (copies the frame once)", 200, () => CameraFrame.Parser.ParseFrom(cameraBytes).Frame.Length);
Row("camera 6.9 MB: baseline unpack 9 f64 + copy frame out", 200, () => UnpackCamera(packedCamera));
Row("pose: encode, ToByteArray", 2_000_000, () => pose.ToByteArray().Length);
Row("pose: encode, WriteTo(span)", 2_000_000, () => { pose.WriteTo(poseOut.AsSpan()); return poseOut[0]; });
Row("pose: construct + encode", 2_000_000, () => new SpatialTransform
{
    Translation = new Vec3 { X = 1.25, Y = -2.5, Z = 0.75 },
    Orientation = new Quat { X = 0.1, Y = 0.2, Z = 0.3, W = 0.927 },
}.ToByteArray().Length);
Row("pose: baseline pack 7 f64 (56 bytes)", 2_000_000, () => PackPose(packedPose));
Row("pose: decode, ParseFrom", 2_000_000, () => (int)SpatialTransform.Parser.ParseFrom(poseBytes).Orientation.W);
Row("pose: baseline unpack 7 f64", 2_000_000, () => UnpackPose(packedPose));

int PackCamera(byte[] dst)
{
    var s = dst.AsSpan();
    BinaryPrimitives.WriteDoubleLittleEndian(s, intrinsics.Fx);
    BinaryPrimitives.WriteDoubleLittleEndian(s[8..], intrinsics.Fy);
    BinaryPrimitives.WriteDoubleLittleEndian(s[16..], intrinsics.Cx);
    BinaryPrimitives.WriteDoubleLittleEndian(s[24..], intrinsics.Cy);
    for (int i = 0; i < 5; i++) BinaryPrimitives.WriteDoubleLittleEndian(s[(32 + 8 * i)..], intrinsics.DistortionCoefficients[i]);
    pixels.CopyTo(s[72..]);
    return dst[^1];
}

int UnpackCamera(byte[] src)
{
    double sum = 0;
    for (int i = 0; i < 9; i++) sum += BinaryPrimitives.ReadDoubleLittleEndian(src.AsSpan(8 * i));
    return src.AsSpan(72).ToArray().Length + (int)sum;
}

int PackPose(byte[] dst)
{
    var s = dst.AsSpan();
    BinaryPrimitives.WriteDoubleLittleEndian(s, pose.Translation.X);
    BinaryPrimitives.WriteDoubleLittleEndian(s[8..], pose.Translation.Y);
    BinaryPrimitives.WriteDoubleLittleEndian(s[16..], pose.Translation.Z);
    BinaryPrimitives.WriteDoubleLittleEndian(s[24..], pose.Orientation.X);
    BinaryPrimitives.WriteDoubleLittleEndian(s[32..], pose.Orientation.Y);
    BinaryPrimitives.WriteDoubleLittleEndian(s[40..], pose.Orientation.Z);
    BinaryPrimitives.WriteDoubleLittleEndian(s[48..], pose.Orientation.W);
    return dst[0];
}

int UnpackPose(byte[] src)
{
    var t = new SpatialTransform { Translation = new Vec3(), Orientation = new Quat() };
    t.Translation.X = BinaryPrimitives.ReadDoubleLittleEndian(src);
    t.Translation.Y = BinaryPrimitives.ReadDoubleLittleEndian(src.AsSpan(8));
    t.Translation.Z = BinaryPrimitives.ReadDoubleLittleEndian(src.AsSpan(16));
    t.Orientation.X = BinaryPrimitives.ReadDoubleLittleEndian(src.AsSpan(24));
    t.Orientation.Y = BinaryPrimitives.ReadDoubleLittleEndian(src.AsSpan(32));
    t.Orientation.Z = BinaryPrimitives.ReadDoubleLittleEndian(src.AsSpan(40));
    t.Orientation.W = BinaryPrimitives.ReadDoubleLittleEndian(src.AsSpan(48));
    return (int)t.Orientation.W;
}

static void Row(string name, int iterations, Func<int> op)
{
    int sink = 0;
    for (int i = 0; i < Math.Max(2, iterations / 100); i++) sink += op();  // warm-up
    double best = double.MaxValue;
    for (int round = 0; round < 5; round++)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < iterations / 5; i++) sink += op();
        best = Math.Min(best, sw.Elapsed.TotalNanoseconds / (iterations / 5));
    }
    Console.WriteLine($"C#  {name,-62} {Format(best),12}   (sink {sink & 1})");
}

static string Format(double ns) => ns >= 1e6 ? $"{ns / 1e6:F2} ms" : ns >= 1e3 ? $"{ns / 1e3:F2} µs" : $"{ns:F1} ns";
