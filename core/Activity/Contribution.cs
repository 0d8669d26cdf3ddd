namespace Auki.Activity;

/// <summary>
/// A held file as stored in the session document, with who added it and when, and the Unix-epoch
/// offset set on this contribution (Roboto's <c>set_unix_offset</c>; null = none of its own).
/// </summary>
public sealed record Contribution(SessionFile File, long CreatedNs, string CreatedBy, long? UnixOffsetNs = null);
