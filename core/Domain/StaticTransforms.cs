using System.Text.Json.Nodes;
using Auki.Manifests;
using Auki.Registry;
using Auki.Sessions;

namespace Auki.Domains;

/// <summary>
/// <c>resolve_static_transform</c>: the single entry of a sealed rigid pose log, an upstream
/// <c>auki.pose.SpatialTransform</c> (returned as its canonical JSON, so the caller rebuilds the
/// message exactly as written, presence included). A log of this session (or a finished local copy) is read from
/// disk; a remote one is streamed through the joined domain from its owner (or a member's copy).
/// </summary>
internal static class StaticTransforms
{
    /// <summary>Appended to upstream's stub texts when no domain is joined.</summary>
    public const string JoinHint = "; join a domain first (auki_domain.Domain.join or Session.join_domain with a broker)";

    public static JsonObject Resolve(Session session, LogRef logRef)
    {
        if (logRef.SourcePeerId == session.PeerId && session.FindLog(logRef.ResourceId) is { } own)
        {
            if (own.Spec is not PoseLogSpec { WriterMode: "rigid" })
                throw NotStatic(logRef, "it is not a rigid pose log");
            if (!own.Data.IsSealed) throw NotStatic(logRef, "it is not sealed (close its handle to seal it)");
            return Single(logRef, own.Data.Read().ToList());
        }
        var domain = Memberships.Of(session)
            ?? throw AukiException.NotImplemented(SessionRemoteLogs.ResolveNotImplemented + JoinHint);
        if (logRef.SourcePeerId == session.PeerId)
            throw AukiException.NotFound($"no log {Ids.RustDebug.Str(logRef.ResourceId)} in this session");
        if (domain.FindMaterialization(logRef) is { } local && local.Handle.Data.IsSealed)
            return Single(logRef, local.Handle.Data.Read().ToList());

        using var deadline = domain.NewDeadline();
        domain.Sync(deadline, $"static transform of {logRef}");
        var (server, row) = domain.ResolveServer(logRef);
        if (row is null) throw AukiException.NotFound($"peer {Ids.RustDebug.Str(logRef.SourcePeerId)} advertises no log {Ids.RustDebug.Str(logRef.ResourceId)}");
        if ((string?)row["variant"] != "pose_log" || (string?)row["pose"]?["writer_mode"] != "rigid")
            throw NotStatic(logRef, "it is not a rigid pose log");
        if ((string?)row["state"] != "sealed") throw NotStatic(logRef, "it is not sealed");
        // The owner's catalog carries the value (AdvertisedTransforms): no stream to open, wait on and end.
        if (server == logRef.SourcePeerId && domain.Book.StaticTransform(server, logRef.ResourceId) is { } advertised)
            return Single(logRef, [advertised]);

        using var stream = domain.OpenStream(logRef, ReadFrom.FromStart, deadline);
        var entries = new List<Auki.Logs.LogEntry>();
        while (true)
        {
            var next = stream.Next(deadline.Remaining, out var entry);
            if (next == StreamNext.End) break;
            if (next == StreamNext.Timeout)
                throw deadline.Timeout($"static transform of {logRef}: the stream did not end");
            entries.Add(new Logs.LogEntry(entry.TimestampNs, entry.Payload));
            if (entries.Count > 1) break;
        }
        return Single(logRef, entries);
    }

    private static JsonObject Single(LogRef logRef, List<Logs.LogEntry> entries)
    {
        if (entries.Count != 1) throw NotStatic(logRef, entries.Count == 0 ? "it has no entry" : "it has more than one entry");
        PoseTransform.Decode(entries[0].Payload); // refuses a payload that is no SpatialTransform, naming the retired format
        return Datatypes.PayloadJson.ToJson(Datatypes.Pose.SpatialTransform.Descriptor, entries[0].Payload);
    }

    private static AukiException NotStatic(LogRef logRef, string why) =>
        AukiException.Invalid($"log {logRef} has no static transform: {why}");
}
