using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Auki.Foxglove;

/// <summary>
/// A schema as Foxglove reads it, in an MCAP Schema record or a WebSocket channel advertisement:
/// the message's full name, its encoding (<c>protobuf</c>) and a serialized <c>FileDescriptorSet</c>
/// holding the message's file and every file it imports.
/// </summary>
public sealed record FoxgloveSchema(string Name, string Encoding, byte[] Data)
{
    /// <summary>The protobuf schema of <paramref name="message"/>: its full name and a complete FileDescriptorSet.</summary>
    public static FoxgloveSchema Protobuf(MessageDescriptor message) =>
        new(message.FullName, "protobuf", DescriptorSetOf(message.File));

    /// <summary>The file and its imports, each once, dependencies first (the order protoc's --include_imports writes).</summary>
    public static byte[] DescriptorSetOf(FileDescriptor file)
    {
        var set = new FileDescriptorSet();
        var seen = new HashSet<string>();
        void Add(FileDescriptor f)
        {
            if (!seen.Add(f.Name)) return;
            foreach (var dependency in f.Dependencies) Add(dependency);
            set.File.Add(FileDescriptorProto.Parser.ParseFrom(f.SerializedData));
        }
        Add(file);
        return set.ToByteArray();
    }
}
