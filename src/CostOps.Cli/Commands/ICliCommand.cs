namespace CostOps.Cli.Commands;

/// <summary>One <c>costops</c> command: a thin host over services that also run in the Functions app.</summary>
public interface ICliCommand
{
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>Usage line(s) shown with <c>costops help NAME</c> and on a usage error.</summary>
    string Usage { get; }

    /// <summary>Options given without a value.</summary>
    IReadOnlySet<string> Flags => new HashSet<string>();

    /// <summary>Whether the command needs Azure Tables (locally: Azurite is started when not already running).</summary>
    bool NeedsTables => false;

    /// <summary>Whether the command reads or writes CostOps' tables: pending migrations are applied first, as hosts do at start-up.</summary>
    bool NeedsSchema => false;

    /// <summary>Settings this command runs with over the configured ones (the demo's loopback webhook receiver).</summary>
    IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken);
}
