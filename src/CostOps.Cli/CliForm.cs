namespace CostOps.Cli;

/// <summary>
/// One way to call a command: its action word (<c>add</c> in <c>costops budgets add</c>; none for a command without
/// actions), the arguments it takes as they read in the usage text (<c>ID</c>), a line of help and its options.
/// </summary>
public sealed class CliForm
{
    public CliForm(string? verb, string arguments, string help, IReadOnlyList<CliOption> options)
    {
        var repeated = options.GroupBy(o => o.Name).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"--{repeated.Key} is declared twice for '{verb}'.", nameof(options));
        Verb = verb;
        Arguments = arguments;
        Help = help;
        Options = options;
    }

    /// <summary>A command without actions.</summary>
    public CliForm(string arguments, IReadOnlyList<CliOption> options)
        : this(null, arguments, "", options)
    {
    }

    public string? Verb { get; }

    public string Arguments { get; }

    public string Help { get; }

    public IReadOnlyList<CliOption> Options { get; }

    public CliOption? Find(string name) => Options.FirstOrDefault(o => o.Name == name);
}
