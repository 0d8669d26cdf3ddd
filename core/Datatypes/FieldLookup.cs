using System.Collections.Concurrent;
using Google.Protobuf.Reflection;

namespace Auki.Datatypes;

/// <summary>
/// A message's fields by number, as an array: the wire walks look a field up for every value they
/// read, and <see cref="MessageDescriptor.FindFieldByNumber"/> goes through the descriptor pool's
/// dictionary each time — most of what checking a pose on a typed append cost.
/// </summary>
internal static class FieldLookup
{
    // Upstream's messages number their fields densely from 1; a sparse one falls back to the pool.
    private const int MaxDense = 256;
    private static readonly ConcurrentDictionary<MessageDescriptor, FieldDescriptor?[]> Tables = new();

    public static FieldDescriptor? Find(MessageDescriptor type, ulong number)
    {
        var table = Tables.GetOrAdd(type, Build);
        return number < (ulong)table.Length ? table[number] : number <= int.MaxValue ? type.FindFieldByNumber((int)number) : null;
    }

    private static FieldDescriptor?[] Build(MessageDescriptor type)
    {
        int max = 0;
        foreach (var field in type.Fields.InFieldNumberOrder())
            if (field.FieldNumber <= MaxDense) max = Math.Max(max, field.FieldNumber);
        var table = new FieldDescriptor?[max + 1];
        foreach (var field in type.Fields.InFieldNumberOrder())
            if (field.FieldNumber <= MaxDense) table[field.FieldNumber] = field;
        return table;
    }
}
