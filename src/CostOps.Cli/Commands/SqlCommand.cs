using CostOps.Infrastructure.ClickHouse;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary><c>costops sql "QUERY"</c>: runs a query on the configured ClickHouse and prints its output.</summary>
public sealed class SqlCommand : ICliCommand
{
    public string Name => "sql";
    public string Summary => "Run a query on the configured ClickHouse (embedded or server) and print the result.";
    private static readonly CliOption<string> Format =
        CliOption.Choice("format", "ClickHouse output format", ClickHouseInsert.SupportedOutputFormats, StringComparer.OrdinalIgnoreCase).Default("TSV");

    public CliSyntax Syntax { get; } = new(new CliForm("\"<query>\" | -", [Format]));

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var format = args.Get(Format);
        var query = args.Positional switch
        {
            ["-"] => await Console.In.ReadToEndAsync(cancellationToken),
            [var q] => q,
            [] => throw new CliUsageException("give the query as one argument (quote it), or - to read it from standard input."),
            _ => throw new CliUsageException("give the query as one quoted argument."),
        };
        var clickHouse = context.Services.GetRequiredService<IClickHouse>();
        context.Out.Write(await clickHouse.QueryAsync(query, format, cancellationToken: cancellationToken));
        return 0;
    }
}
