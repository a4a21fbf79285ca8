using Microsoft.Extensions.Hosting;

namespace CostOps.Cli.Commands;

/// <summary>One <c>costops</c> command: a thin host over services that also run in the Functions app.</summary>
public interface ICliCommand
{
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>Its forms and options, declared once: the usage text, the help and the parsing of its command line come from them.</summary>
    CliSyntax Syntax { get; }

    /// <summary>Whether the command needs Azure Tables (locally: Azurite is started when not already running).</summary>
    bool NeedsTables => false;

    /// <summary>Whether the command reads or writes CostOps' tables: pending migrations are applied first, as hosts do at start-up.</summary>
    bool NeedsSchema => false;

    /// <summary>Settings this command runs with over the configured ones (the demo's loopback webhook receiver).</summary>
    IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>
    /// The builder of the host the command runs in, before <see cref="CliApp"/> adds the CostOps services to it: a plain
    /// host by default; <c>serve</c> makes the web host it serves from, configured from its arguments.
    /// </summary>
    IHostApplicationBuilder CreateHostBuilder(CliArgs args) => Host.CreateApplicationBuilder(CliApp.HostSettings);

    Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken);
}
