namespace Auki.Activity;

/// <summary>
/// What <see cref="ActivityStore.Update"/> changes (Roboto's <c>SessionUpdate</c>): a field whose
/// <c>Set…</c> flag is false is left as it is; set with null, name and description are cleared.
/// </summary>
public sealed record SessionUpdate
{
    /// <summary>Whether <see cref="Name"/> is to be applied.</summary>
    public bool SetName { get; init; }

    /// <summary>The new name (null clears); at most 120 code points.</summary>
    public string? Name { get; init; }

    /// <summary>Whether <see cref="Description"/> is to be applied.</summary>
    public bool SetDescription { get; init; }

    /// <summary>The new description (null clears).</summary>
    public string? Description { get; init; }

    /// <summary>Tags and metadata to put and remove.</summary>
    public MetadataChangeset Changeset { get; init; } = MetadataChangeset.Empty;
}

/// <summary>What <see cref="ActivityStore.Create(SessionCreate)"/> creates (Roboto's <c>CreateSessionRequest</c>, without custom fields).</summary>
public sealed record SessionCreate(string? Name, IReadOnlyList<string> DeviceIds, string? Description, MetadataChangeset Attributes);
