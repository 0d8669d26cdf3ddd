using System.Text.Json.Nodes;
using Auki.Manifests;
using Auki.Sessions;

namespace Auki.Catalog;

/// <summary>
/// The <c>/auki/resources/0.2.0</c> rows a session advertises: one per declared log, with the
/// head, the availability (from this process's writer, else measured on disk), and the kind's pointer block.
/// </summary>
public static class CatalogRows
{
    /// <summary>Rows for every log of <paramref name="session"/>: sensor, pose, time-transform, detection.</summary>
    public static JsonArray For(Session session)
    {
        var rows = new JsonArray();
        foreach (var handle in session.AllLogs()) rows.Add((JsonNode)Row(session, handle));
        return rows;
    }

    /// <summary>The row of one log.</summary>
    public static JsonObject Row(Session session, LogHandle handle)
    {
        var availability = LogAvailability.Of(handle);
        var row = new JsonObject
        {
            ["source_peer_id"] = handle.SourcePeerId,
            ["writer_peer_id"] = session.PeerId,
            ["resource_id"] = handle.ResourceId,
            ["variant"] = handle.Kind.Variant(),
            ["manifest"] = handle.Spec.CatalogPointer(),
            ["available"] = availability.ToJson(),
        };
        if (availability.Sealed)
        {
            row["state"] = "sealed";
            row["extent"] = new JsonObject { ["start_at_ns"] = availability.FirstNs, ["finish_at_ns"] = availability.LastNs };
        }
        else
        {
            row["state"] = "live";
            row["head"] = handle.Head.IsRolling
                ? new JsonObject { ["kind"] = "rolling", ["retention_ns"] = handle.Head.RetentionNs }
                : new JsonObject { ["kind"] = "fixed", ["started_at_ns"] = availability.Entries > 0 ? availability.FirstNs : 0 };
        }
        switch (handle.Spec)
        {
            case SensorLogSpec sensor:
                var entry = handle.SourcePeerId == session.PeerId ? session.Peer.Sensor(sensor.Sensor.Id) : null;
                var remote = handle.RemoteSensor;
                row["sensor"] = new JsonObject
                {
                    // Upstream falls back to camera/"" when the entry is unknown.
                    ["kind"] = remote?.Kind ?? (string?)entry?.Body["kind"] ?? "camera",
                    ["type"] = remote?.Type ?? (string?)entry?.Body["type"] ?? "",
                    ["sensor_id"] = sensor.Sensor.Id,
                    ["sensor_hash"] = sensor.Sensor.Hash,
                };
                break;
            case PoseLogSpec pose:
                row["pose"] = new JsonObject { ["writer_mode"] = pose.WriterMode };
                break;
        }
        return row;
    }
}
