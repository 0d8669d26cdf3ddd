using System.Text.Json.Nodes;
using Auki.Registry;
using Auki.Sessions;

namespace Auki.Domains;

/// <summary>
/// The session methods that reach other peers' logs, upstream's <c>materialize_remote_log</c> and
/// <c>resolve_static_transform</c>: they work through the domain the session joined and, without
/// one, keep upstream's NotImplemented texts with a hint to join.
/// </summary>
public static class SessionRemoteLogs
{
    /// <summary>Upstream's text for the materialization stub.</summary>
    public const string MaterializeNotImplemented =
        "not implemented: full materialization deferred to Phase 5 (open remote stream, ingest samples)";

    /// <summary>Upstream's text for the static-transform stub.</summary>
    public const string ResolveNotImplemented =
        "not implemented: resolve_static_transform deferred to Phase 5 (requires remote stream path)";

    /// <summary>
    /// Copy a remote log into <c>&lt;root&gt;/logs/&lt;source_peer_id&gt;/&lt;resource_id&gt;/</c> and keep it
    /// current through the joined domain (see <see cref="Domain.Materialize"/>).
    /// </summary>
    public static LogHandle MaterializeRemoteLog(this Session session, LogRef logRef, ulong retentionNs, ulong segmentDurationNs) =>
        Memberships.Of(session) is { } domain
            ? domain.Materialize(logRef, retentionNs, segmentDurationNs)
            : throw AukiException.NotImplemented(MaterializeNotImplemented + StaticTransforms.JoinHint);

    /// <summary>
    /// The single transform of a sealed rigid pose log as <c>{"translation":{x,y,z},"rotation":{x,y,z,w}}</c>:
    /// this session's own log from disk, a remote one through the joined domain.
    /// </summary>
    public static JsonObject ResolveStaticTransform(this Session session, LogRef logRef) => StaticTransforms.Resolve(session, logRef);
}
