using System.Buffers;
using Auki.Datatypes;

namespace Auki.Foxglove;

/// <summary>
/// A pose log as <c>foxglove.FrameTransform</c>: parent = the manifest's from frame, child = its to
/// frame, translation and rotation as recorded (an absent orientation stays all zeros: not guessed).
/// </summary>
internal sealed class FrameTransformChannel : FoxgloveChannel
{
    public required string Parent { get; init; }
    public required string Child { get; init; }

    public override void Convert(long timestampNs, ReadOnlySpan<byte> payload, IBufferWriter<byte> message)
    {
        Span<double> t = stackalloc double[3];
        Span<double> q = stackalloc double[4];
        try
        {
            var reader = new WireReader(payload);
            while (!reader.AtEnd)
            {
                ulong key = reader.Varint();
                if (key == (1 << 3 | 2)) ReadDoubles(reader.LengthDelimited(), t);
                else if (key == (2 << 3 | 2)) ReadDoubles(reader.LengthDelimited(), q);
                else reader.Skip((int)(key & 7));
            }
        }
        catch (FormatException e)
        {
            throw AukiException.Invalid($"payload does not decode as auki.pose.SpatialTransform: {e.Message}");
        }
        long time = LogTime(timestampNs);
        int translation = 0, rotation = 0;
        foreach (var v in t) translation += WireWriter.SizeOfDouble(v);
        foreach (var v in q) rotation += WireWriter.SizeOfDouble(v);
        int size = WireWriter.SizeOfTimestamp(time) + WireWriter.SizeOfString(Parent) + WireWriter.SizeOfString(Child)
            + WireWriter.SizeOfMessage(translation) + WireWriter.SizeOfMessage(rotation);
        var w = new WireWriter(message.GetSpan(size));
        w.Timestamp(1, time);
        w.String(2, Parent);
        w.String(3, Child);
        w.Message(4, translation);
        for (int i = 0; i < 3; i++) w.Double(i + 1, t[i]);
        w.Message(5, rotation);
        for (int i = 0; i < 4; i++) w.Double(i + 1, q[i]);
        message.Advance(w.Position);
    }

    // Vec3 / Quat: doubles at fields 1..n (a repeated occurrence merges: the last value wins).
    private static void ReadDoubles(ReadOnlySpan<byte> body, Span<double> values)
    {
        var reader = new WireReader(body);
        while (!reader.AtEnd)
        {
            ulong key = reader.Varint();
            int field = (int)(key >> 3);
            if ((key & 7) == 1 && field >= 1 && field <= values.Length)
                values[field - 1] = BitConverter.ToDouble(reader.Take(8, "double"));
            else reader.Skip((int)(key & 7));
        }
    }
}
