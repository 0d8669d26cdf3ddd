using Auki.Datatypes;

namespace Auki.Foxglove;

/// <summary>The pixel bytes of a <c>CameraFrame</c>, found without copying them.</summary>
internal static class CameraFrames
{
    /// <summary><c>frame</c> (field 2; the last occurrence wins); InvalidArgument when the payload is not a CameraFrame.</summary>
    public static ReadOnlySpan<byte> Pixels(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new WireReader(payload);
            ReadOnlySpan<byte> frame = default;
            while (!reader.AtEnd)
            {
                ulong key = reader.Varint();
                if (key == (2 << 3 | 2)) frame = reader.LengthDelimited();
                else if (key == (1 << 3 | 2)) reader.LengthDelimited();
                else if ((key >> 3) is 1 or 2 || (key >> 3) == 0) throw new FormatException($"field {key >> 3} has wire type {key & 7}");
                else reader.Skip((int)(key & 7));
            }
            return frame;
        }
        catch (FormatException e)
        {
            throw AukiException.Invalid($"payload does not decode as auki.camera.CameraFrame: {e.Message}");
        }
    }
}
