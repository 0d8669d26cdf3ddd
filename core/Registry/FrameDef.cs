using System.Text.Json.Nodes;
using Auki.Json;

namespace Auki.Registry;

/// <summary>
/// A coordinate-frame convention: handedness, where each axis points, length units. The four
/// presets are upstream's; <see cref="Custom"/> keeps a convention someone else uses, provided
/// the three axes are orthogonal (drawn from three distinct axis pairs).
/// </summary>
public sealed record FrameDef(string Name, string Handedness, string X, string Y, string Z, string Units)
{
    internal static readonly string[] HandednessValues = ["right", "left"];
    internal static readonly string[] AxisValues = ["forward", "backward", "up", "down", "left", "right"];
    internal static readonly string[] UnitValues = ["meters", "millimeters", "centimeters"];

    /// <summary>REP-103 body frame: x forward, y left, z up.</summary>
    public static FrameDef RosBody { get; } = new("ros_body", "right", "forward", "left", "up", "meters");
    /// <summary>REP-103 camera optical frame: x right, y down, z forward.</summary>
    public static FrameDef RosOptical { get; } = new("ros_optical", "right", "right", "down", "forward", "meters");
    /// <summary>OpenGL / Three.js: x right, y up, z backward.</summary>
    public static FrameDef OpenGl { get; } = new("opengl", "right", "right", "up", "backward", "meters");
    /// <summary>Unity: left-handed, x right, y up, z forward.</summary>
    public static FrameDef Unity { get; } = new("unity", "left", "right", "up", "forward", "meters");

    /// <summary>A custom convention; validated when registered.</summary>
    public static FrameDef Custom(string handedness, string x, string y, string z, string units) =>
        new("custom", handedness, x, y, z, units);

    /// <summary>A preset by name (<c>ros_body</c>, <c>ros_optical</c>, <c>opengl</c>, <c>unity</c>).</summary>
    public static FrameDef? Preset(string name) => name switch
    {
        "ros_body" => RosBody,
        "ros_optical" => RosOptical,
        "opengl" => OpenGl,
        "unity" => Unity,
        _ => null,
    };

    /// <summary>
    /// Parse a preset name or a JSON object <c>{"handedness", "axes":{"x","y","z"}, "units"}</c>
    /// (the shape of a frame entry's body), as the C ABI receives it.
    /// </summary>
    public static FrameDef Parse(string text)
    {
        var preset = Preset(text);
        if (preset is not null) return preset;
        if (!text.TrimStart().StartsWith('{'))
            throw AukiException.Invalid($"frame_def: unknown preset `{text}`, expected one of `ros_body`, `ros_optical`, `opengl`, `unity` or a JSON object");
        return FromBody(JsonText.Parse(text));
    }

    /// <summary>
    /// A convention from a frame body (<c>{"handedness", "axes":{"x","y","z"}, "units"}</c>; other
    /// keys, such as a whole entry's ids, are ignored). Errors name the field (<c>handedness: …</c>).
    /// Not validated: call <see cref="Validate"/>.
    /// </summary>
    public static FrameDef FromBody(JsonNode? node)
    {
        var f = JsonFields.Of(node, "struct FrameDef");
        var axes = JsonFields.Of(f.Required("axes"), "struct AxisConvention");
        return Custom(
            Field("handedness", () => f.Enum("handedness", HandednessValues)),
            Field("axes.x", () => axes.Enum("x", AxisValues)),
            Field("axes.y", () => axes.Enum("y", AxisValues)),
            Field("axes.z", () => axes.Enum("z", AxisValues)),
            Field("units", () => f.Enum("units", UnitValues)));
    }

    private static string Field(string name, Func<string> parse)
    {
        try { return parse(); }
        catch (AukiException e) { throw e.WithPrefix(name); }
    }

    /// <summary>Orthogonality check; upstream's message, prefixed <c>invalid axes: </c>.</summary>
    public void Validate()
    {
        if (Array.IndexOf(HandednessValues, Handedness) < 0) throw SerdeText.UnknownVariant(Handedness, HandednessValues).WithPrefix("handedness");
        if (Array.IndexOf(UnitValues, Units) < 0) throw SerdeText.UnknownVariant(Units, UnitValues).WithPrefix("units");
        foreach (var axis in new[] { X, Y, Z })
            if (Array.IndexOf(AxisValues, axis) < 0) throw SerdeText.UnknownVariant(axis, AxisValues).WithPrefix("axes");
        if (Pair(X) == Pair(Y) || Pair(Y) == Pair(Z) || Pair(X) == Pair(Z))
            throw AukiException.Invalid(
                $"invalid axes: axes must be orthogonal (drawn from three distinct axis-pairs); got x={Debug(X)} y={Debug(Y)} z={Debug(Z)}");
    }

    private static int Pair(string axis) => axis switch
    {
        "forward" or "backward" => 0,
        "left" or "right" => 1,
        _ => 2,
    };

    // Rust's {:?} of the AxisDirection enum prints the variant name.
    private static string Debug(string axis) => char.ToUpperInvariant(axis[0]) + axis[1..];

    /// <summary>The frame entry body (everything but peer_id and frame_id).</summary>
    public JsonObject ToBody() => new()
    {
        ["axes"] = new JsonObject { ["x"] = X, ["y"] = Y, ["z"] = Z },
        ["handedness"] = Handedness,
        ["units"] = Units,
    };

    /// <summary>Upstream's repr, e.g. <c>FrameDef.ros_body()</c>.</summary>
    public string Repr() => Name == "custom"
        ? $"FrameDef.custom(handedness=\"{Handedness}\", x=\"{X}\", y=\"{Y}\", z=\"{Z}\", units=\"{Units}\")"
        : $"FrameDef.{Name}()";
}
