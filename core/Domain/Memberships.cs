using System.Runtime.CompilerServices;
using Auki.Sessions;

namespace Auki.Domains;

/// <summary>
/// Which domain each session has joined (at most one). Kept here rather than on
/// <see cref="Session"/> so the session layer knows nothing of domains: Domains depends on
/// Sessions, never the reverse. Changes happen under the session's lock, as joining and leaving
/// take it; a collected session takes its entry with it.
/// </summary>
public static class Memberships
{
    private static readonly ConditionalWeakTable<Session, Domain> Joined = new();

    /// <summary>The domain <paramref name="session"/> joined, or null.</summary>
    public static Domain? Of(Session session) => Joined.TryGetValue(session, out var domain) ? domain : null;

    /// <summary>Record the membership (the caller holds the session's lock and checked there is none).</summary>
    internal static void Add(Session session, Domain domain) => Joined.AddOrUpdate(session, domain);

    /// <summary>Forget the membership if it is still <paramref name="domain"/> (the caller holds the session's lock).</summary>
    internal static void Remove(Session session, Domain domain)
    {
        if (Of(session) == domain) Joined.Remove(session);
    }
}
