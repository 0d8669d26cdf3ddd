using System.Runtime.InteropServices;
using Auki.Foxglove.Live;
using Auki.Native.Interop;

namespace Auki.Native.Exports;

/// <summary>
/// The "Foxglove live server" section of auki.h: start a <see cref="FoxgloveServer"/> over a storage
/// root, read its port, stop it. The server runs on its own threads; the handle only owns it.
/// </summary>
internal static unsafe class FoxgloveExports
{
    [UnmanagedCallersOnly(EntryPoint = "auki_foxglove_server_start")]
    public static int Start(byte* root, byte* host, uint port, nint* output)
    {
        try
        {
            OutStrings.Begin(output, "out");
            string rootPath = Utf8Args.Required(root, "root");
            if (port > 65535) throw new AukiException(AukiErrorCode.InvalidArgument, $"port must be 0-65535, not {port}", field: "port");
            var options = new FoxgloveServerOptions { Host = Utf8Args.Optional(host, "host") ?? "127.0.0.1", Port = (int)port };
            var server = FoxgloveServer.Start(rootPath, options);
            try
            {
                *output = HandleTable.Add(HandleKind.FoxgloveServer, server, static s => ((FoxgloveServer)s).Dispose());
            }
            catch
            {
                server.Dispose();
                throw;
            }
            return LastError.Ok();
        }
        catch (Exception e) { return Guard.Fail(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_foxglove_server_port")]
    public static uint Port(nint server)
    {
        try
        {
            return (uint)HandleTable.Target<FoxgloveServer>(server, HandleKind.FoxgloveServer).Port;
        }
        catch (Exception e)
        {
            Guard.Fail(e);
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "auki_foxglove_server_close")]
    public static void Close(nint server) => HandleTable.Free(server, HandleKind.FoxgloveServer);
}
