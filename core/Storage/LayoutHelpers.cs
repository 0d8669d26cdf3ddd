using Auki.Registry;

namespace Auki.Storage;

/// <summary>
/// The path helpers of upstream's <c>auki_layout</c> module by name, plus the two that name what
/// this project's writers write (<c>registry_entry_path</c>, <c>log_root</c>). Every one resolves
/// through <see cref="StorageLayout"/>, so a helper and a writer cannot disagree.
/// </summary>
public static class LayoutHelpers
{
    /// <summary>The helper names, in upstream's order, then ours.</summary>
    public static readonly string[] Names =
    [
        "registries_root", "sensor_entry_path", "clock_entry_path", "frame_entry_path", "detector_entry_path",
        "session_root", "timetransform_log_path", "sensorlog_path", "poselog_path", "detection_log_path",
        "id_to_segment", "registry_entry_path", "log_root",
    ];

    /// <summary>
    /// Resolve <paramref name="helper"/> with its positional string arguments; <c>log_root</c>'s
    /// optional session id is null for the era-A <c>&lt;root&gt;/logs/…</c> form.
    /// </summary>
    public static string Resolve(string helper, IReadOnlyList<string?> args)
    {
        return helper switch
        {
            "registries_root" => StorageLayout.RegistriesRoot(Arg(args, 0, 1, helper)),
            "sensor_entry_path" => Legacy(args, helper, RegistryKind.Sensor),
            "clock_entry_path" => Legacy(args, helper, RegistryKind.Clock),
            "frame_entry_path" => Legacy(args, helper, RegistryKind.Frame),
            "detector_entry_path" => Legacy(args, helper, RegistryKind.Detector),
            "session_root" => StorageLayout.SessionRoot(Arg(args, 0, 2, helper), Arg(args, 1, 2, helper)),
            "timetransform_log_path" => StorageLayout.TimeTransformLogPath(Arg(args, 0, 3, helper), Arg(args, 1, 3, helper), Arg(args, 2, 3, helper)),
            "sensorlog_path" => StorageLayout.SensorLogPath(Arg(args, 0, 2, helper), Arg(args, 1, 2, helper)),
            "poselog_path" => StorageLayout.PoseLogPath(Arg(args, 0, 3, helper), Arg(args, 1, 3, helper), Arg(args, 2, 3, helper)),
            "detection_log_path" => StorageLayout.DetectionLogPath(Arg(args, 0, 3, helper), Arg(args, 1, 3, helper), Arg(args, 2, 3, helper)),
            "id_to_segment" => StorageLayout.IdToSegment(Arg(args, 0, 1, helper)),
            "registry_entry_path" => StorageLayout.RegistryEntryPath(Arg(args, 0, 5, helper),
                RegistryKinds.Parse(Arg(args, 1, 5, helper)).Directory(), Arg(args, 2, 5, helper), Arg(args, 3, 5, helper), Arg(args, 4, 5, helper)),
            "log_root" => StorageLayout.LogRoot(Arg(args, 0, 4, helper), args.Count > 3 ? args[3] : null, Arg(args, 1, 4, helper), Arg(args, 2, 4, helper)),
            _ => throw AukiException.Invalid($"unknown layout helper `{helper}`, expected one of {string.Join(", ", Names)}"),
        };
    }

    // (app_root, id, hash) is upstream's Python helper (no peer directory, the pre-#216 layout);
    // (app_root, peer_id, id, hash) is the newest crate's, and the file RegistryStore writes.
    private static string Legacy(IReadOnlyList<string?> args, string helper, RegistryKind kind) =>
        args.Count == 4
            ? StorageLayout.RegistryEntryPath(Arg(args, 0, 4, helper), kind.Directory(), Arg(args, 1, 4, helper), Arg(args, 2, 4, helper), Arg(args, 3, 4, helper))
            : StorageLayout.LegacyRegistryEntryPath(Arg(args, 0, 3, helper), kind.Directory(), Arg(args, 1, 3, helper), Arg(args, 2, 3, helper), kind.IdField());

    private static string Arg(IReadOnlyList<string?> args, int index, int arity, string helper)
    {
        // log_root and the *_entry_path helpers take 3 or 4; every other helper exactly its arity.
        bool countOk = helper is "log_root" or "sensor_entry_path" or "clock_entry_path" or "frame_entry_path" or "detector_entry_path"
            ? args.Count is 3 or 4
            : args.Count == arity;
        if (!countOk) throw AukiException.Invalid($"{helper} takes {arity} arguments, got {args.Count}");
        return args[index] ?? throw AukiException.Invalid($"{helper}: argument {index + 1} must be a string");
    }
}
