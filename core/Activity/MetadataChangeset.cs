using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Activity;

/// <summary>
/// Roboto's <c>MetadataChangeset</c>: tags to put and remove, metadata fields to put and remove.
/// Field keys use dot notation for nested objects (<c>"vehicle.battery.cells"</c>); applied in
/// the order put tags, remove tags, put fields, remove fields. Removing an absent tag or field is
/// silently ignored, as in Roboto.
/// </summary>
public sealed record MetadataChangeset(
    IReadOnlyList<string> PutTags,
    IReadOnlyList<string> RemoveTags,
    IReadOnlyList<KeyValuePair<string, JsonNode?>> PutFields,
    IReadOnlyList<string> RemoveFields)
{
    /// <summary>A changeset that changes nothing.</summary>
    public static MetadataChangeset Empty { get; } = new([], [], [], []);

    /// <summary>Tags after this changeset: new ones appended in order, removed ones dropped.</summary>
    public IReadOnlyList<string> ApplyTags(IReadOnlyList<string> tags)
    {
        var result = tags.ToList();
        foreach (var t in PutTags)
            if (!result.Contains(t)) result.Add(t);
        foreach (var t in RemoveTags) result.Remove(t);
        return result;
    }

    /// <summary>Metadata after this changeset (a new object; <paramref name="metadata"/> is not changed).</summary>
    public JsonObject ApplyMetadata(JsonObject metadata)
    {
        var result = metadata.DeepClone().AsObject();
        foreach (var (key, value) in PutFields) MetadataPath.Put(result, key, value?.DeepClone());
        foreach (var key in RemoveFields) MetadataPath.Remove(result, key);
        return result;
    }

    /// <summary>Throws InvalidArgument for an empty tag or a malformed key, before anything is written.</summary>
    public void Validate()
    {
        foreach (var t in PutTags.Concat(RemoveTags)) ValidateTag(t);
        foreach (var (key, _) in PutFields) MetadataPath.Split(key);
        foreach (var key in RemoveFields) MetadataPath.Split(key);
    }

    /// <summary>A tag is a non-empty string.</summary>
    public static void ValidateTag(string tag)
    {
        if (string.IsNullOrEmpty(tag)) throw AukiException.Invalid("tags must be non-empty strings");
    }

    /// <summary>True when the changeset would change <paramref name="tags"/> or <paramref name="metadata"/>.</summary>
    public bool Changes(IReadOnlyList<string> tags, JsonObject metadata) =>
        !ApplyTags(tags).SequenceEqual(tags)
        || CanonicalJson.SerializeToString(ApplyMetadata(metadata)) != CanonicalJson.SerializeToString(metadata);
}
