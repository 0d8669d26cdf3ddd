using System.Collections;
using CsCheck;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Auki.Core.Tests.Datatypes;

/// <summary>
/// A CsCheck generator of any message from its descriptor, so every message (and any added to
/// proto/auki later) gets random round trips without a hand-written generator per type. Zero
/// values come up often on purpose: default omission is where encoders differ.
/// </summary>
static class MessageGen
{
    const int MaxDepth = 4;

    /// <param name="finite">Only finite floats: the cross-language file carries values as JSON.</param>
    public static Gen<IMessage> For(MessageDescriptor descriptor, bool finite = false) => Message(descriptor, finite, 0);

    static Gen<IMessage> Message(MessageDescriptor d, bool finite, int depth)
    {
        Gen<Action<IMessage>[]> setters = Gen.Const(Array.Empty<Action<IMessage>>());
        foreach (var field in d.Fields.InFieldNumberOrder().Where(f => f.RealContainingOneof is null))
            setters = Append(setters, Field(field, finite, depth));
        foreach (var oneof in d.Oneofs)
        {
            var members = oneof.Fields;
            // One member set (even to its default: a oneof member is always sent), or none.
            var choice = Gen.Int[0, members.Count].SelectMany(i => i == members.Count
                ? Gen.Const<Action<IMessage>>(_ => { })
                : Value(members[i], finite, depth).Select<object, Action<IMessage>>(v => m => members[i].Accessor.SetValue(m, v)));
            setters = Append(setters, choice);
        }
        return setters.Select(all =>
        {
            var message = d.Parser.ParseFrom(ByteString.Empty);
            foreach (var set in all) set(message);
            return message;
        });
    }

    static Gen<Action<IMessage>[]> Append(Gen<Action<IMessage>[]> setters, Gen<Action<IMessage>> next) =>
        Gen.Select(setters, next, (all, one) => (Action<IMessage>[])[.. all, one]);

    static Gen<Action<IMessage>> Field(FieldDescriptor f, bool finite, int depth)
    {
        if (f.IsRepeated)
        {
            int max = f.FieldType == FieldType.Message ? (depth < MaxDepth ? 3 : 0) : 6;
            return Value(f, finite, depth).Array[0, max].Select<object[], Action<IMessage>>(items => m =>
            {
                var list = (IList)f.Accessor.GetValue(m);
                foreach (var item in items) list.Add(item);
            });
        }
        if (f.FieldType == FieldType.Message)
        {
            // Absent, or present (possibly empty: that is 0a 00 on the wire, not nothing).
            if (depth >= MaxDepth) return Gen.Const<Action<IMessage>>(_ => { });
            return Gen.Bool.SelectMany(present => present
                ? Value(f, finite, depth).Select<object, Action<IMessage>>(v => m => f.Accessor.SetValue(m, v))
                : Gen.Const<Action<IMessage>>(_ => { }));
        }
        // A singular -0.0 is omitted like 0.0 by every implementation (prost, Google.Protobuf,
        // betterproto compare with != 0), so it decodes as +0.0: generate +0.0 to keep equality.
        return Value(f, finite, depth).Select<object, Action<IMessage>>(v => m => f.Accessor.SetValue(m, PositiveZero(v)));
    }

    static object PositiveZero(object v) => v switch
    {
        double d when d == 0 => 0.0,
        float s when s == 0 => 0f,
        _ => v,
    };

    static Gen<object> Value(FieldDescriptor f, bool finite, int depth) => f.FieldType switch
    {
        FieldType.Double => OftenZero(finite ? Gen.Double.Where(double.IsFinite) : Gen.Double, 0.0),
        FieldType.Float => OftenZero(finite ? Gen.Float.Where(float.IsFinite) : Gen.Float, 0f),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => OftenZero(Gen.Long, 0L),
        FieldType.UInt64 or FieldType.Fixed64 => OftenZero(Gen.ULong, 0UL),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => OftenZero(Gen.Int, 0),
        FieldType.UInt32 or FieldType.Fixed32 => OftenZero(Gen.UInt, 0U),
        FieldType.Bool => Gen.Bool.Select(b => (object)b),
        // No surrogates: a lone one does not survive UTF-8, in any implementation.
        FieldType.String => Gen.String[Gen.Char['\u0020', '\uD7FF'], 0, 12].Select(s => (object)s),
        FieldType.Bytes => Gen.Byte.Array[0, 24].Select(b => (object)ByteString.CopyFrom(b)),
        FieldType.Message => Message(f.MessageType, finite, depth + 1).Select(m => (object)m),
        _ => throw new NotSupportedException($"{f.FullName}: {f.FieldType} is not used by any auki message"),
    };

    static Gen<object> OftenZero<T>(Gen<T> gen, T zero) where T : notnull =>
        Gen.Frequency((1, Gen.Const((object)zero)), (3, gen.Select(v => (object)v)));
}
