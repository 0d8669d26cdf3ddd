using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Auki.Json;
using Auki.Native.Interop;
using Auki.Storage;

namespace Auki.Native.Exports;

/// <summary>auki_layout_path: upstream's auki_layout helpers (and ours) by name, resolved by core's StorageLayout.</summary>
internal static unsafe class LayoutExports
{
    [UnmanagedCallersOnly(EntryPoint = "auki_layout_path")]
    public static int LayoutPath(byte* helper, byte* argsJson, byte** output)
    {
        try
        {
            OutStrings.Begin(output, "out_path");
            string name = Utf8Args.Required(helper, "helper");
            var node = Utf8Args.Json(argsJson, "args_json");
            if (node is not JsonArray array) throw SerdeText.InvalidType(node, "a sequence of strings");
            var args = new List<string?>(array.Count);
            foreach (var item in array) args.Add(item is null ? null : JsonFields.AsString(item));
            OutStrings.Set(output, LayoutHelpers.Resolve(name, args));
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }
}
