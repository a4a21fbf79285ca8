namespace CostOps.Cli;

/// <summary>
/// A command line after the command name: positional arguments, <c>--name value</c> options and <c>--flag</c>s.
/// Options a command does not read are reported as errors, so typos never pass silently.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _repeated = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public CliArgs(IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        var positional = new List<string>();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var name = arg[2..];
                string? value = null;
                var eq = name.IndexOf('=');
                if (eq >= 0)
                {
                    value = name[(eq + 1)..];
                    name = name[..eq];
                }
                else if (!flags.Contains(name))
                {
                    value = e.MoveNext() ? e.Current : throw new CliUsageException($"--{name} needs a value.");
                }
                _options[name] = value;
                if (value is not null) (_repeated.TryGetValue(name, out var all) ? all : _repeated[name] = []).Add(value);
            }
            else
            {
                positional.Add(arg);
            }
        }
        Positional = positional;
    }

    public IReadOnlyList<string> Positional { get; }

    public string? Option(string name)
    {
        _read.Add(name);
        return _options.GetValueOrDefault(name);
    }

    /// <summary>Every value of an option that may be given more than once (<c>--tenant a --tenant b</c>), in order.</summary>
    public IReadOnlyList<string> Options(string name)
    {
        _read.Add(name);
        return _repeated.GetValueOrDefault(name) ?? [];
    }

    public bool Flag(string name)
    {
        _read.Add(name);
        return _options.ContainsKey(name);
    }

    /// <summary>Throws for any option the command never asked about.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0) throw new CliUsageException($"Unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}.");
    }
}

/// <summary>A mistake on the command line: printed with the command's usage, exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
