using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Auki.Json;
using Google.Protobuf.Reflection;

namespace Auki.Datatypes;

/// <summary>
/// A batch of decoded payloads held as columns (what a DataFrame is built from): per row a
/// timestamp, and per selected <see cref="PayloadColumn"/> a value, written straight from the
/// wire bytes against the message descriptors (no message objects, no reflection). proto3
/// semantics: a field absent from the wire — or inside an absent sub-message — reads as its
/// default (0, empty); a singular field seen twice keeps the last value; repeated fields append.
/// </summary>
/// <remarks>
/// Buffers live on the pinned object heap and are reused batch after batch, so a caller across
/// the C ABI borrows them until the next <see cref="Clear"/>: fixed-width columns are
/// <c>rows × width</c> little-endian bytes, variable ones data plus <c>rows + 1</c> byte offsets.
/// </remarks>
public sealed unsafe class PayloadTable
{
    private sealed class Column(PayloadColumn def, int index)
    {
        public readonly PayloadColumn Def = def;
        public readonly int Index = index;
        public readonly int Width = PayloadColumn.WidthOf(def.Kind);
        public readonly int ElementWidth = def.Kind == ColumnKind.List ? PayloadColumn.WidthOf(def.Element) : 0;
        public byte[] Data = Pinned<byte>(256);
        public int Used;
        public ulong[] Offsets = Pinned<ulong>(16);
        public JsonArray? JsonRow;
    }

    // One message type's fields that lead to a selected column, by field number.
    private sealed class Plan
    {
        public readonly Dictionary<int, Step> ByNumber = [];
        public Step?[] Small = []; // ByNumber for field numbers below its length: an index, not a hash, per field read

        public bool TryGet(ulong number, out Step step)
        {
            if (number < (ulong)Small.Length)
            {
                step = Small[(int)number]!;
                return step is not null;
            }
            return ByNumber.TryGetValue((int)number, out step!);
        }
    }

    private sealed record Step(FieldDescriptor Field, Column? Column, Plan? Sub);

    private readonly Column[] _columns;
    private readonly Plan? _plan;
    private long[] _timestamps = Pinned<long>(1024);

    /// <summary>A table for the columns of <paramref name="schema"/>.</summary>
    public PayloadTable(PayloadSchema schema)
    {
        Schema = schema;
        _columns = schema.Columns.Select((c, i) => new Column(c, i)).ToArray();
        if (schema.Type is not null)
        {
            var byPath = _columns.ToDictionary(c => c.Def.Path, StringComparer.Ordinal);
            _plan = Build(schema.Type, "", byPath, 0) ?? new Plan();
        }
        Clear();
    }

    /// <summary>The columns this table holds.</summary>
    public PayloadSchema Schema { get; }

    /// <summary>Rows in the batch.</summary>
    public int Rows { get; private set; }

    /// <summary>Bytes held by the variable-width columns (how a batch is bounded by size).</summary>
    public long VariableBytes { get; private set; }

    /// <summary>Start a new batch (the buffers are kept).</summary>
    public void Clear()
    {
        Rows = 0;
        VariableBytes = 0;
        foreach (var c in _columns)
        {
            c.Used = 0;
            c.Offsets[0] = 0;
        }
    }

    /// <summary>
    /// Decode one payload into a new row. A payload that does not decode as the schema's type is
    /// InvalidArgument (naming the type, the timestamp and why) and adds no row.
    /// </summary>
    public void Add(long timestampNs, ReadOnlySpan<byte> payload)
    {
        int row = Rows;
        Grow(ref _timestamps, row + 1);
        _timestamps[row] = timestampNs;
        foreach (var c in _columns)
        {
            if (c.Width > 0)
            {
                Grow(ref c.Data, (row + 1) * c.Width);
                new Span<byte>(c.Data, row * c.Width, c.Width).Clear();
            }
            else
            {
                Grow(ref c.Offsets, row + 2);
                c.Offsets[row] = (ulong)c.Used;
                if (c.Def.Kind == ColumnKind.Json) c.JsonRow = [];
            }
        }
        try
        {
            if (_plan is null) Append(_columns[0], payload);
            else Walk(_plan, payload, row, 0);
        }
        catch (FormatException e)
        {
            foreach (var c in _columns) if (c.Width == 0) c.Used = (int)c.Offsets[row];
            throw AukiException.Invalid($"payload at timestamp_ns {timestampNs} does not decode as {Schema.Type!.FullName}: {e.Message}");
        }
        long added = 0;
        foreach (var c in _columns)
        {
            if (c.Width > 0) continue;
            if (c.JsonRow is { } array)
            {
                Append(c, CanonicalJson.Serialize(array));
                c.JsonRow = null;
            }
            c.Offsets[row + 1] = (ulong)c.Used;
            added += c.Used - (long)c.Offsets[row];
        }
        VariableBytes += added;
        Rows = row + 1;
    }

    /// <summary>The batch's timestamps (<see cref="Rows"/> items), valid until the next <see cref="Clear"/>.</summary>
    public long* Timestamps => (long*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_timestamps));

    /// <summary>
    /// Column <paramref name="index"/>: its data and byte length, and for variable-width kinds its
    /// <c>Rows + 1</c> byte offsets (null for fixed-width kinds). Valid until the next <see cref="Clear"/>.
    /// </summary>
    public void ColumnData(int index, out byte* data, out long length, out ulong* offsets)
    {
        if ((uint)index >= (uint)_columns.Length)
            throw AukiException.Invalid($"column index {index} is out of range (the table has {_columns.Length} columns)");
        var c = _columns[index];
        data = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(c.Data));
        length = c.Width > 0 ? (long)Rows * c.Width : c.Used;
        offsets = c.Width > 0 ? null : (ulong*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(c.Offsets));
    }

    private static Plan? Build(MessageDescriptor type, string prefix, Dictionary<string, Column> byPath, int depth)
    {
        var plan = new Plan();
        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            string path = prefix + field.Name;
            if (field.FieldType == FieldType.Message && !field.IsRepeated)
            {
                if (depth < 16 && Build(field.MessageType, path + ".", byPath, depth + 1) is { } sub) plan.ByNumber[field.FieldNumber] = new Step(field, null, sub);
            }
            else if (byPath.TryGetValue(path, out var column)) plan.ByNumber[field.FieldNumber] = new Step(field, column, null);
        }
        if (plan.ByNumber.Count == 0) return null;
        plan.Small = new Step?[Math.Min(64, plan.ByNumber.Keys.Max() + 1)];
        foreach (var (number, step) in plan.ByNumber)
            if (number < plan.Small.Length) plan.Small[number] = step;
        return plan;
    }

    private void Walk(Plan plan, ReadOnlySpan<byte> data, int row, int depth)
    {
        var reader = new WireReader(data);
        while (!reader.AtEnd)
        {
            ulong key = reader.Varint();
            int wire = (int)(key & 7);
            ulong number = key >> 3;
            if (number == 0 || number > 536_870_911) throw new FormatException($"invalid field number {number}");
            if (!plan.TryGet(number, out var step)) { reader.Skip(wire); continue; } // not selected, or unknown
            var field = step.Field;
            if (step.Sub is not null)
            {
                Expect(field, wire, 2);
                Walk(step.Sub, reader.LengthDelimited(), row, depth + 1);
                continue;
            }
            var column = step.Column!;
            switch (column.Def.Kind)
            {
                case ColumnKind.String:
                case ColumnKind.Bytes:
                    Expect(field, wire, 2);
                    var bytes = reader.LengthDelimited();
                    if (column.Def.Kind == ColumnKind.String) CheckUtf8(field, bytes);
                    column.Used = (int)column.Offsets[row]; // a singular field seen again: the last one wins
                    Append(column, bytes);
                    break;
                case ColumnKind.List:
                    if (wire == 2)
                    {
                        var packed = new WireReader(reader.LengthDelimited());
                        while (!packed.AtEnd) AppendElement(column, Scalar(field, ref packed, WireTypeOf(field.FieldType)));
                    }
                    else AppendElement(column, Scalar(field, ref reader, wire));
                    break;
                case ColumnKind.Json:
                    column.JsonRow!.Add(field.FieldType switch
                    {
                        FieldType.Message => ToDict(field.MessageType, Expect(field, wire, 2, ref reader), depth + 1),
                        FieldType.String => Utf8(field, Expect(field, wire, 2, ref reader)),
                        _ => JsonValue.Create(Convert.ToBase64String(Expect(field, wire, 2, ref reader))),
                    });
                    break;
                default:
                    ulong bits = Scalar(field, ref reader, wire);
                    fixed (byte* p = &column.Data[row * column.Width]) Store(p, bits, column.Width);
                    break;
            }
        }
    }

    // The value of one scalar as raw little-endian bits of its column width (zig-zag decoded, sign kept).
    private static ulong Scalar(FieldDescriptor field, ref WireReader reader, int wire)
    {
        string where = field.Name;
        switch (field.FieldType)
        {
            case FieldType.Double:
            case FieldType.Fixed64:
            case FieldType.SFixed64:
                Expect(field, wire, 1);
                return BinaryPrimitives.ReadUInt64LittleEndian(reader.Take(8, where));
            case FieldType.Float:
            case FieldType.Fixed32:
            case FieldType.SFixed32:
                Expect(field, wire, 5);
                return BinaryPrimitives.ReadUInt32LittleEndian(reader.Take(4, where));
        }
        Expect(field, wire, 0);
        ulong v = reader.Varint();
        return field.FieldType switch
        {
            FieldType.SInt64 => (ulong)((long)(v >> 1) ^ -(long)(v & 1)),
            FieldType.SInt32 => (uint)((int)((uint)v >> 1) ^ -(int)(v & 1)),
            FieldType.Int32 or FieldType.Enum or FieldType.UInt32 => (uint)v,
            FieldType.Bool => v != 0 ? 1UL : 0UL,
            _ => v,
        };
    }

    private static void Store(byte* p, ulong bits, int width)
    {
        switch (width)
        {
            case 8: Unsafe.WriteUnaligned(p, bits); break;
            case 4: Unsafe.WriteUnaligned(p, (uint)bits); break;
            default: *p = (byte)bits; break;
        }
    }

    private void AppendElement(Column c, ulong bits)
    {
        Grow(ref c.Data, c.Used + c.ElementWidth);
        fixed (byte* p = &c.Data[c.Used]) Store(p, bits, c.ElementWidth);
        c.Used += c.ElementWidth;
    }

    private static void Append(Column c, ReadOnlySpan<byte> bytes)
    {
        Grow(ref c.Data, c.Used + bytes.Length);
        bytes.CopyTo(c.Data.AsSpan(c.Used));
        c.Used += bytes.Length;
    }

    // A repeated message element as a dict: every field by its proto name, defaults included.
    private static JsonObject ToDict(MessageDescriptor type, ReadOnlySpan<byte> data, int depth)
    {
        if (depth > 64) throw new FormatException("messages nested deeper than 64");
        var obj = new JsonObject();
        foreach (var f in type.Fields.InFieldNumberOrder())
            obj[f.Name] = f.IsRepeated ? new JsonArray() : f.FieldType == FieldType.Message ? ToDict(f.MessageType, [], depth + 1) : Default(f);
        var reader = new WireReader(data);
        while (!reader.AtEnd)
        {
            ulong key = reader.Varint();
            int wire = (int)(key & 7);
            var field = FieldLookup.Find(type, key >> 3);
            if (field is null) { reader.Skip(wire); continue; }
            JsonNode? value;
            if (field.FieldType == FieldType.Message) value = ToDict(field.MessageType, Expect(field, wire, 2, ref reader), depth + 1);
            else if (field.FieldType == FieldType.String) value = Utf8(field, Expect(field, wire, 2, ref reader));
            else if (field.FieldType == FieldType.Bytes) value = JsonValue.Create(Convert.ToBase64String(Expect(field, wire, 2, ref reader)));
            else if (field.IsRepeated && wire == 2)
            {
                var packed = new WireReader(reader.LengthDelimited());
                var array = (JsonArray)obj[field.Name]!;
                while (!packed.AtEnd) array.Add(Number(field, Scalar(field, ref packed, WireTypeOf(field.FieldType))));
                continue;
            }
            else value = Number(field, Scalar(field, ref reader, wire));
            if (field.IsRepeated) ((JsonArray)obj[field.Name]!).Add(value);
            else obj[field.Name] = value;
        }
        return obj;
    }

    private static JsonNode? Default(FieldDescriptor f) => f.FieldType switch
    {
        FieldType.String or FieldType.Bytes => JsonValue.Create(""),
        FieldType.Bool => JsonValue.Create(false),
        FieldType.Double or FieldType.Float => JsonValue.Create(0.0),
        _ => JsonValue.Create(0),
    };

    private static JsonNode? Number(FieldDescriptor f, ulong bits) => PayloadSchema.KindOf(f.FieldType) switch
    {
        ColumnKind.Float64 => Finite(BitConverter.UInt64BitsToDouble(bits)),
        ColumnKind.Float32 => Finite(BitConverter.Int32BitsToSingle((int)bits)),
        ColumnKind.Int64 => JsonValue.Create((long)bits),
        ColumnKind.UInt64 => JsonValue.Create(bits),
        ColumnKind.Int32 => JsonValue.Create((int)(uint)bits),
        ColumnKind.UInt32 => JsonValue.Create((uint)bits),
        _ => JsonValue.Create(bits != 0),
    };

    // RFC 8785 has no NaN or infinities: they travel as the strings proto3 JSON uses.
    private static JsonNode Finite(double d) => double.IsFinite(d) ? JsonValue.Create(d)
        : JsonValue.Create(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private static JsonNode Utf8(FieldDescriptor field, ReadOnlySpan<byte> bytes)
    {
        try { return JsonValue.Create(StrictUtf8.GetString(bytes)); }
        catch (DecoderFallbackException) { throw new FormatException($"field {field.Name} is not valid UTF-8"); }
    }

    private static void CheckUtf8(FieldDescriptor field, ReadOnlySpan<byte> bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw new FormatException($"field {field.Name} is not valid UTF-8");
    }

    private static void Expect(FieldDescriptor field, int wire, int expected)
    {
        if (wire != expected) throw new FormatException($"field {field.Name} (#{field.FieldNumber}) has wire type {wire}, expected {expected}");
    }

    private static ReadOnlySpan<byte> Expect(FieldDescriptor field, int wire, int expected, ref WireReader reader)
    {
        Expect(field, wire, expected);
        return reader.LengthDelimited();
    }

    private static int WireTypeOf(FieldType t) => t switch
    {
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => 1,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => 5,
        _ => 0,
    };

    private static T[] Pinned<T>(int length) where T : unmanaged => GC.AllocateUninitializedArray<T>(length, pinned: true);

    private static void Grow<T>(ref T[] array, int needed) where T : unmanaged
    {
        if (needed <= array.Length) return;
        var bigger = Pinned<T>((int)Math.Min(Array.MaxLength, Math.Max(needed, (long)array.Length * 2)));
        array.AsSpan().CopyTo(bigger);
        array = bigger;
    }
}
