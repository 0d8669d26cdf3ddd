using System.Text.Json.Nodes;
using Auki.Ids;
using Auki.Json;

namespace Auki.Registry;

/// <summary>
/// Builds a <see cref="RegistryEntry"/> from a whole entry as JSON (<c>peer_id</c>, the id field,
/// flattened body), the shape auki_registry's <c>*_entry</c> helpers return and read back.
/// </summary>
public static class RegistryEntryJson
{
    /// <summary>Parse and normalize; the id is validated with the registry rules.</summary>
    public static RegistryEntry Parse(RegistryKind kind, JsonNode? node)
    {
        var f = JsonFields.Of(node, "struct " + kind.Singular() + " entry");
        string peerId = f.String("peer_id");
        string id = f.String(kind.IdField());
        JsonObject body;
        string? sessionId = null;
        switch (kind)
        {
            case RegistryKind.Frame:
                var def = FrameDef.FromBody(f.Object);
                def.Validate();
                body = def.ToBody();
                break;
            case RegistryKind.Sensor:
                body = SensorBody.Parse(f.Object, "sensor entry", EntryKeys);
                break;
            case RegistryKind.Clock:
                body = ClockBody.Parse(f.Object);
                sessionId = f.OptionalString("session_id");
                break;
            case RegistryKind.Detector:
                body = DetectorBody.Parse(f.Object);
                body["output_types"] = Prefix("output_types", () => DetectorBody.ParseOutputTypes(Field(f, "output_types")));
                if (f.Has("input_types")) body["input_types"] = Prefix("input_types", () => DetectorBody.ParseInputTypes(f.Raw("input_types")));
                break;
            case RegistryKind.Map:
                body = MapBody.Parse(f.Object);
                MapBody.Validate(peerId, id, body);
                break;
            case RegistryKind.DeviceModel:
                body = DeviceModelBody.Parse(f.Object);
                DeviceModelBody.Validate(peerId, id, body);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
        RegistryId.Validate(id);
        return new RegistryEntry(kind, peerId, id, body, sessionId);
    }

    private static readonly string[] EntryKeys = ["peer_id", "sensor_id"];

    private static JsonNode Field(JsonFields f, string name) => f.Required(name);

    private static T Prefix<T>(string name, Func<T> parse)
    {
        try { return parse(); }
        catch (AukiException e) { throw e.WithPrefix(name); }
    }
}
