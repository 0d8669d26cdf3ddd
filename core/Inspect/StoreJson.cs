using System.Text.Json;
using Auki.Registry;

namespace Auki.Inspect;

/// <summary>
/// The JSON form of what <see cref="StoreWalker"/> found, written once for every face: <c>auki ls
/// --json</c> (indented), the C ABI's <c>auki_store_*</c> listings and, through them, Python's
/// <c>auki_data.Store</c>. Field names are the project's one name per concept (docs/names.md).
/// </summary>
/// <remarks>
/// A log is <c>{file_id, root, peer_id, source_peer_id, boot_session_id, standalone, resource_id,
/// app_id, kind, sensor, sensor_kind, sensor_type, clock, payload_type, entries, bytes, segment_count,
/// min_timestamp_ns, max_timestamp_ns, state, notes}</c>; a boot session <c>{boot_session_id,
/// peer_id, standalone, app_id, log_count, entries, bytes, min_timestamp_ns, max_timestamp_ns}</c>;
/// a peer <c>{peer_id, app_ids, boot_session_count, log_count, entries, bytes}</c>. The listing nests
/// them: <c>{storage_root, registry_entry_count, activity_session_count, peers: [peer + boot_sessions:
/// [boot session + logs: [log]]]}</c>.
/// </remarks>
public static class StoreJson
{
    /// <summary>The whole listing (<c>auki ls --json</c>).</summary>
    public static void WriteListing(Utf8JsonWriter w, string storageRoot, IReadOnlyList<StoreLog> logs, int registryEntries, int activitySessions)
    {
        w.WriteStartObject();
        w.WriteString("storage_root", storageRoot);
        w.WriteNumber("registry_entry_count", registryEntries);
        w.WriteNumber("activity_session_count", activitySessions);
        w.WriteStartArray("peers");
        foreach (var peer in StoreGroups.Peers(logs))
        {
            w.WriteStartObject();
            WritePeerFields(w, peer);
            w.WriteStartArray("boot_sessions");
            foreach (var boot in peer.BootSessions)
            {
                w.WriteStartObject();
                WriteBootSessionFields(w, boot);
                w.WriteStartArray("logs");
                foreach (var log in boot.Logs) WriteLog(w, log);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>An array of logs.</summary>
    public static void WriteLogs(Utf8JsonWriter w, IEnumerable<StoreLog> logs)
    {
        w.WriteStartArray();
        foreach (var log in logs) WriteLog(w, log);
        w.WriteEndArray();
    }

    /// <summary>An array of peers (without their boot sessions).</summary>
    public static void WritePeers(Utf8JsonWriter w, IEnumerable<StorePeer> peers)
    {
        w.WriteStartArray();
        foreach (var peer in peers)
        {
            w.WriteStartObject();
            WritePeerFields(w, peer);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>An array of boot sessions (without their logs).</summary>
    public static void WriteBootSessions(Utf8JsonWriter w, IEnumerable<StoreBootSession> sessions)
    {
        w.WriteStartArray();
        foreach (var boot in sessions)
        {
            w.WriteStartObject();
            WriteBootSessionFields(w, boot);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>One log.</summary>
    public static void WriteLog(Utf8JsonWriter w, StoreLog log)
    {
        w.WriteStartObject();
        w.WriteString("file_id", log.FileId);
        w.WriteString("root", log.Directory);
        w.WriteString("peer_id", log.PeerId);
        w.WriteString("source_peer_id", log.SourcePeerId);
        StringOrNull(w, "boot_session_id", log.BootSessionId);
        w.WriteBoolean("standalone", log.Standalone);
        w.WriteString("resource_id", log.ResourceId);
        StringOrNull(w, "app_id", log.AppId);
        StringOrNull(w, "kind", log.Kind);
        WriteRef(w, "sensor", log.SensorRef);
        StringOrNull(w, "sensor_kind", log.SensorKind);
        StringOrNull(w, "sensor_type", log.SensorType);
        WriteRef(w, "clock", log.ClockRef);
        StringOrNull(w, "payload_type", TypedLog.Of(log).Type?.FullName);
        w.WriteNumber("entries", log.Entries);
        w.WriteNumber("bytes", log.Bytes);
        w.WriteNumber("segment_count", log.Segments.Count);
        NumberOrNull(w, "min_timestamp_ns", log.FirstTimestampNs);
        NumberOrNull(w, "max_timestamp_ns", log.LastTimestampNs);
        w.WriteString("state", log.State);
        w.WriteStartArray("notes");
        foreach (var note in log.Notes) w.WriteStringValue(note);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WritePeerFields(Utf8JsonWriter w, StorePeer peer)
    {
        w.WriteString("peer_id", peer.PeerId);
        w.WriteStartArray("app_ids");
        foreach (var app in peer.AppIds) w.WriteStringValue(app);
        w.WriteEndArray();
        w.WriteNumber("boot_session_count", peer.BootSessions.Count);
        w.WriteNumber("log_count", peer.LogCount);
        w.WriteNumber("entries", peer.Entries);
        w.WriteNumber("bytes", peer.Bytes);
    }

    private static void WriteBootSessionFields(Utf8JsonWriter w, StoreBootSession boot)
    {
        StringOrNull(w, "boot_session_id", boot.BootSessionId);
        w.WriteString("peer_id", boot.PeerId);
        w.WriteBoolean("standalone", boot.Standalone);
        StringOrNull(w, "app_id", boot.AppId);
        w.WriteNumber("log_count", boot.Logs.Count);
        w.WriteNumber("entries", boot.Entries);
        w.WriteNumber("bytes", boot.Bytes);
        NumberOrNull(w, "min_timestamp_ns", boot.MinTimestampNs);
        NumberOrNull(w, "max_timestamp_ns", boot.MaxTimestampNs);
    }

    private static void WriteRef(Utf8JsonWriter w, string name, RegistryRef? r)
    {
        if (r is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        w.WriteString("hash", r.Hash);
        w.WriteString("id", r.Id);
        w.WriteString("peer_id", r.PeerId);
        w.WriteEndObject();
    }

    private static void StringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private static void NumberOrNull(Utf8JsonWriter w, string name, long? value)
    {
        if (value is long v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    /// <summary>Compact UTF-8 JSON of whatever <paramref name="write"/> writes (the C ABI's form).</summary>
    public static byte[] Compact(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(w);
        return buffer.WrittenSpan.ToArray();
    }
}
