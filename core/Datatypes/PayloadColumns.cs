using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;

namespace Auki.Datatypes;

/// <summary>How one column of a decoded table holds its values.</summary>
public enum ColumnKind
{
    /// <summary>IEEE double, 8 bytes per row.</summary>
    Float64,
    /// <summary>IEEE float, 4 bytes per row.</summary>
    Float32,
    /// <summary>Signed 64-bit, 8 bytes per row (int64, sint64, sfixed64).</summary>
    Int64,
    /// <summary>Unsigned 64-bit, 8 bytes per row (uint64, fixed64).</summary>
    UInt64,
    /// <summary>Signed 32-bit, 4 bytes per row (int32, sint32, sfixed32, enum numbers).</summary>
    Int32,
    /// <summary>Unsigned 32-bit, 4 bytes per row (uint32, fixed32).</summary>
    UInt32,
    /// <summary>One byte per row, 0 or 1.</summary>
    Bool,
    /// <summary>UTF-8 text per row: data plus n+1 byte offsets.</summary>
    String,
    /// <summary>Bytes per row: data plus n+1 byte offsets.</summary>
    Bytes,
    /// <summary>A repeated scalar: elements of <see cref="PayloadColumn.Element"/> packed, n+1 byte offsets.</summary>
    List,
    /// <summary>A repeated message: per row a JSON array of objects (proto field names, every field), n+1 byte offsets.</summary>
    Json,
}

/// <summary>One column: the dotted message path (proto field names, Roboto's message path) and how it is held.</summary>
public sealed record PayloadColumn(string Path, ColumnKind Kind, ColumnKind Element = ColumnKind.Bytes)
{
    /// <summary>Bytes per row of a fixed-width kind (or per element of a list); 0 for variable-width kinds.</summary>
    public static int WidthOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Float64 or ColumnKind.Int64 or ColumnKind.UInt64 => 8,
        ColumnKind.Float32 or ColumnKind.Int32 or ColumnKind.UInt32 => 4,
        ColumnKind.Bool => 1,
        _ => 0,
    };

    /// <summary>The kind's name as the C ABI and Python see it (<c>float64</c>, <c>list</c>, …).</summary>
    public static string NameOf(ColumnKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary><c>{"path", "kind"}</c>, plus <c>"element"</c> for a list.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["path"] = Path, ["kind"] = NameOf(Kind) };
        if (Kind == ColumnKind.List) o["element"] = NameOf(Element);
        return o;
    }
}

/// <summary>
/// The columns a message type flattens to: every scalar leaf reachable through singular
/// sub-messages, named by its dotted path of proto field names (<c>translation.x</c>), in field
/// number order depth first. A repeated scalar is one list column (Roboto: "array-typed paths
/// become one list-valued column"), a repeated message one JSON column. A log without a type
/// has one column, <c>payload</c>, its bytes.
/// </summary>
public sealed class PayloadSchema
{
    /// <summary>The name of the only column of an untyped log.</summary>
    public const string PayloadColumnName = "payload";

    private PayloadSchema(MessageDescriptor? type, IReadOnlyList<PayloadColumn> columns)
    {
        Type = type;
        Columns = columns;
    }

    /// <summary>The message type; null for raw bytes.</summary>
    public MessageDescriptor? Type { get; }

    /// <summary>Columns in order.</summary>
    public IReadOnlyList<PayloadColumn> Columns { get; }

    /// <summary>Every column of <paramref name="type"/> (or the raw payload column).</summary>
    public static PayloadSchema For(MessageDescriptor? type)
    {
        var columns = new List<PayloadColumn>();
        if (type is null) columns.Add(new PayloadColumn(PayloadColumnName, ColumnKind.Bytes));
        else Flatten(type, "", columns, 0);
        return new PayloadSchema(type, columns);
    }

    /// <summary>
    /// The columns Roboto's message-path filters keep: a filter matches a column when it equals
    /// its path or a dotted ancestor of it (<c>"translation"</c> selects <c>translation.x/y/z</c>);
    /// include (when given) keeps only matches, exclude then drops matches. A filter that matches
    /// no column is InvalidArgument naming the known paths (a misspelled path would otherwise read nothing).
    /// </summary>
    public PayloadSchema Select(IReadOnlyList<string>? include, IReadOnlyList<string>? exclude)
    {
        foreach (var filter in (include ?? []).Concat(exclude ?? []))
            if (!Columns.Any(c => Matches(filter, c.Path)))
                throw AukiException.Invalid($"message path \"{filter}\" names no field of {Type?.FullName ?? "a raw log"}; known: {string.Join(", ", Columns.Select(c => c.Path))}");
        var kept = Columns
            .Where(c => include is null || include.Any(f => Matches(f, c.Path)))
            .Where(c => exclude is null || !exclude.Any(f => Matches(f, c.Path)))
            .ToList();
        return new PayloadSchema(Type, kept);
    }

    /// <summary><c>{"type": "auki.pose.SpatialTransform" | null, "columns": [...]}</c>.</summary>
    public JsonObject ToJson()
    {
        var columns = new JsonArray();
        foreach (var c in Columns) columns.Add((JsonNode)c.ToJson());
        return new JsonObject { ["type"] = Type?.FullName, ["columns"] = columns };
    }

    private static bool Matches(string filter, string path) =>
        filter == path || (path.StartsWith(filter, StringComparison.Ordinal) && path.Length > filter.Length && path[filter.Length] == '.');

    private static void Flatten(MessageDescriptor type, string prefix, List<PayloadColumn> columns, int depth)
    {
        if (depth > 16) throw AukiException.Invalid($"{type.FullName} nests too deeply to flatten into columns");
        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            string path = prefix + field.Name;
            if (field.FieldType == FieldType.Message)
            {
                if (field.IsRepeated) columns.Add(new PayloadColumn(path, ColumnKind.Json));
                else Flatten(field.MessageType, path + ".", columns, depth + 1);
                continue;
            }
            var kind = KindOf(field.FieldType);
            if (!field.IsRepeated) columns.Add(new PayloadColumn(path, kind));
            else if (PayloadColumn.WidthOf(kind) > 0) columns.Add(new PayloadColumn(path, ColumnKind.List, kind));
            else columns.Add(new PayloadColumn(path, ColumnKind.Json)); // repeated string/bytes: a JSON list
        }
    }

    /// <summary>The column kind of a scalar field type.</summary>
    public static ColumnKind KindOf(FieldType type) => type switch
    {
        FieldType.Double => ColumnKind.Float64,
        FieldType.Float => ColumnKind.Float32,
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => ColumnKind.Int64,
        FieldType.UInt64 or FieldType.Fixed64 => ColumnKind.UInt64,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 or FieldType.Enum => ColumnKind.Int32,
        FieldType.UInt32 or FieldType.Fixed32 => ColumnKind.UInt32,
        FieldType.Bool => ColumnKind.Bool,
        FieldType.String => ColumnKind.String,
        FieldType.Bytes => ColumnKind.Bytes,
        _ => throw AukiException.Invalid($"field type {type} has no column kind"),
    };
}
