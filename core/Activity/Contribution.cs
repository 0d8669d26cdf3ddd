namespace Auki.Activity;

/// <summary>A held file as stored in the session document, with who added it and when.</summary>
public sealed record Contribution(SessionFile File, long CreatedNs, string CreatedBy);
