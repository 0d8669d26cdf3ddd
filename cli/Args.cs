using System.Globalization;

namespace Auki.Cli;

/// <summary>A mistake in how the command was called: printed with a pointer to --help, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>One option a command accepts.</summary>
/// <param name="Name">Long name with dashes (<c>--from</c>).</param>
/// <param name="ValueName">Placeholder for its value (<c>NS</c>); null for a switch.</param>
/// <param name="Short">Single-dash alias (<c>-o</c>), if any.</param>
/// <param name="Repeatable">May be given more than once.</param>
internal sealed record Option(string Name, string? ValueName = null, string? Short = null, bool Repeatable = false)
{
    public bool TakesValue => ValueName is not null;
}

/// <summary>
/// Parsed command line of one command: positionals, switches and option values. Accepts
/// <c>--name value</c>, <c>--name=value</c>, short aliases, and <c>--</c> to end options. A
/// value may start with a dash (<c>--from -5</c> is a value, not an option).
/// </summary>
internal sealed class Args
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public bool Help { get; private set; }

    public static Args Parse(IReadOnlyList<string> argv, IReadOnlyList<Option> options)
    {
        var args = new Args();
        bool onlyPositionals = false;
        for (int i = 0; i < argv.Count; i++)
        {
            string a = argv[i];
            if (onlyPositionals || a == "-" || !a.StartsWith('-'))
            {
                args.Positionals.Add(a);
                continue;
            }
            if (a == "--")
            {
                onlyPositionals = true;
                continue;
            }
            if (a is "-h" or "--help")
            {
                args.Help = true;
                continue;
            }
            string name = a;
            string? inline = null;
            int eq = a.IndexOf('=');
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = a[..eq];
                inline = a[(eq + 1)..];
            }
            var option = options.FirstOrDefault(o => o.Name == name || o.Short == name)
                ?? throw new UsageException($"unknown option {name}");
            if (!option.TakesValue)
            {
                if (inline is not null) throw new UsageException($"{option.Name} takes no value");
                args.Add(option, "");
                continue;
            }
            string value = inline ?? (i + 1 < argv.Count ? argv[++i] : throw new UsageException($"{option.Name} needs a value ({option.ValueName})"));
            args.Add(option, value);
        }
        return args;
    }

    private void Add(Option option, string value)
    {
        if (!_values.TryGetValue(option.Name, out var list)) _values[option.Name] = list = [];
        else if (!option.Repeatable) throw new UsageException($"{option.Name} given more than once");
        list.Add(value);
    }

    public bool Flag(string name) => _values.ContainsKey(name);

    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];

    /// <summary>An integer option (nanoseconds, sizes); absent → null.</summary>
    public long? Int64(string name)
    {
        string? text = Value(name);
        if (text is null) return null;
        if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw new UsageException($"{name} expects an integer, got \"{text}\"");
        return value;
    }

    /// <summary>The inclusive window <c>--from NS</c> .. <c>--to NS</c> (either may be absent); from after to is a usage error.</summary>
    public (long? From, long? To) Window()
    {
        long? from = Int64("--from"), to = Int64("--to");
        if (from > to) throw new UsageException($"--from {from} is after --to {to}");
        return (from, to);
    }

    /// <summary>Exactly <paramref name="min"/>..<paramref name="max"/> positionals, or a usage error naming them.</summary>
    public void ExpectPositionals(int min, int max, string what)
    {
        if (Positionals.Count < min) throw new UsageException($"missing {what}");
        if (Positionals.Count > max) throw new UsageException($"unexpected argument \"{Positionals[max]}\"");
    }
}
