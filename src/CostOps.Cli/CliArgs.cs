namespace CostOps.Cli;

/// <summary>
/// A command line after the command name, parsed against the command's <see cref="CliSyntax"/>: positional arguments
/// (the action first, for a command with actions), <c>--name value</c> (or <c>--name=value</c>) options and
/// <c>--flag</c>s. Everything wrong with it is a usage error here, before the command runs: an option its form does
/// not declare (with the closest declared name when one is near), a value that does not parse (naming the option and
/// what it takes), a required option missing, or one given twice that may not be.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<object?>> _values = new(StringComparer.Ordinal);

    public CliArgs(IEnumerable<string> args, CliSyntax syntax)
    {
        var given = new List<(string Name, string? Value)>();
        var positional = new List<string>();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                positional.Add(arg);
                continue;
            }
            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=');
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (!syntax.Flags.Contains(name) && e.MoveNext())
            {
                value = e.Current;
            }
            given.Add((name, value));
        }
        Positional = positional;
        Form = syntax.Select(positional.FirstOrDefault());

        foreach (var (name, text) in given)
        {
            var option = Form.Find(name) ?? throw new CliUsageException(Unknown(name, syntax), Form);
            var values = _values.TryGetValue(name, out var list) ? list : _values[name] = [];
            if (values.Count > 0 && !option.IsRepeatable) throw new CliUsageException($"{option} is given more than once.", Form);
            if (option.Parse is not { } parse)
            {
                if (text is not null) throw new CliUsageException($"{option} takes no value.", Form);
                values.Add(true);
                continue;
            }
            if (text is null) throw new CliUsageException($"{option} needs a value.", Form);
            values.Add(parse(text) ?? throw new CliUsageException($"{option} takes {option.Expected}, not '{text}'.", Form));
        }
        var missing = Form.Options.FirstOrDefault(o => o.IsRequired && !_values.ContainsKey(o.Name));
        if (missing is not null) throw new CliUsageException($"{missing} is required.", Form);
    }

    /// <summary>The arguments that are not options, the action first for a command with actions.</summary>
    public IReadOnlyList<string> Positional { get; }

    /// <summary>The form the command line was parsed as.</summary>
    public CliForm Form { get; }

    /// <summary>Whether the option (a flag, or one with a value) was given.</summary>
    public bool Has(CliOption option) => Values(option).Count > 0;

    /// <summary>The option's value; when it was not given, its default (or, for an option without one, null).</summary>
    public T Get<T>(CliOption<T> option) => Values(option) is [.., var last] ? (T)last! : option.WhenAbsent;

    /// <summary>Every value of a repeatable option, in the order given.</summary>
    public IReadOnlyList<T> GetAll<T>(CliOption<T> option) => Values(option).Select(v => (T)v!).ToList();

    private List<object?> Values(CliOption option)
    {
        // Reading an option the form does not declare is a mistake in the command, not on the command line.
        if (Form.Find(option.Name) is null) throw new InvalidOperationException($"{option} is read but not declared for '{Form.Verb}'.");
        return _values.GetValueOrDefault(option.Name) ?? [];
    }

    /// <summary>The error for an undeclared <paramref name="name"/>: where it belongs instead, or the declared name it is nearest to.</summary>
    private string Unknown(string name, CliSyntax syntax)
    {
        var where = Form.Verb is null ? "" : $" of '{Form.Verb}'";
        if (syntax.Forms.Any(f => f.Find(name) is not null)) return $"--{name} is not an option{where}.";
        var nearest = Form.Options
            .Select(o => (o.Name, Distance: EditDistance(name, o.Name)))
            .Where(c => c.Distance <= Math.Max(1, name.Length / 3) || (name.Length >= 3 && c.Name.StartsWith(name, StringComparison.Ordinal)))
            .OrderBy(c => c.Distance)
            .ToList();
        // Only an obvious suggestion: one candidate, or one clearly nearer than the rest.
        var suggestion = nearest is [var only] || (nearest.Count > 1 && nearest[0].Distance < nearest[1].Distance) ? $" (did you mean --{nearest[0].Name}?)" : "";
        return $"unknown option --{name}{where}{suggestion}.";
    }

    /// <summary>Levenshtein distance, with a swap of two neighbours counted as one edit (<c>fromat</c> is one from <c>format</c>).</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}

/// <summary>
/// A mistake on the command line: printed with the command's usage (only <see cref="Form"/>'s when the mistake is in
/// the options of a known form), exit code 2.
/// </summary>
public sealed class CliUsageException(string message, CliForm? form = null) : Exception(message)
{
    public CliForm? Form { get; } = form;
}
