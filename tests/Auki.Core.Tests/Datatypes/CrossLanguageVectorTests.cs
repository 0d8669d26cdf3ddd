using System.Text;
using System.Text.Json;
using CsCheck;
using Google.Protobuf;

namespace Auki.Core.Tests.Datatypes;

/// <summary>
/// C# and Python must encode the same values to the same bytes. This test generates random values
/// of every message with a fixed seed and pins them, with Google.Protobuf's encoding, in
/// python_tests/fixtures/datatypes_cross_vectors.jsonl; python_tests/datatypes/test_datatypes_cross.py
/// builds each message from the JSON with auki_datatypes and compares its bytes, and decodes the
/// bytes back. Run with AUKI_UPDATE_VECTORS=1 to rewrite the file after a .proto change.
/// </summary>
public class CrossLanguageVectorTests
{
    const int PerMessage = 25;
    static readonly string FilePath = Path.Combine(RepoPaths.Root, "python_tests", "fixtures", "datatypes_cross_vectors.jsonl");

    static string Render()
    {
        var formatter = new JsonFormatter(JsonFormatter.Settings.Default);
        var text = new StringBuilder();
        var pcg = new PCG(1, 20260522);
        foreach (var descriptor in AllMessages.Descriptors().OrderBy(d => d.FullName, StringComparer.Ordinal))
        {
            var gen = MessageGen.For(descriptor, finite: true);
            for (int i = 0; i < PerMessage; i++)
            {
                var message = gen.Generate(pcg, null, out _);
                // One JSON object per line: {"type": full name, "json": proto3 JSON, "hex": bytes}.
                var buffer = new MemoryStream();
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartObject();
                    w.WriteString("type", descriptor.FullName);
                    w.WritePropertyName("json");
                    JsonDocument.Parse(formatter.Format(message)).RootElement.WriteTo(w);
                    w.WriteString("hex", Convert.ToHexStringLower(message.ToByteArray()));
                    w.WriteEndObject();
                }
                text.Append(Encoding.UTF8.GetString(buffer.ToArray())).Append('\n');
            }
        }
        return text.ToString();
    }

    [Fact]
    public void The_pinned_cross_language_vectors_are_current()
    {
        string expected = Render();
        if (Environment.GetEnvironmentVariable("AUKI_UPDATE_VECTORS") == "1")
            File.WriteAllText(FilePath, expected);
        Assert.True(File.Exists(FilePath), $"{FilePath} is missing: run this test with AUKI_UPDATE_VECTORS=1");
        Assert.True(expected == File.ReadAllText(FilePath),
            $"{FilePath} is out of date (a .proto or the generator changed): rerun with AUKI_UPDATE_VECTORS=1 and commit it");
    }

    [Fact]
    public void Every_proto_file_is_covered()
    {
        var onDisk = Directory.GetFiles(Path.Combine(RepoPaths.Root, "proto", "auki"), "*.proto").Select(Path.GetFileName).Order();
        Assert.Equal(onDisk, AllMessages.Files().Select(f => Path.GetFileName(f.Name)).Order());
    }
}
