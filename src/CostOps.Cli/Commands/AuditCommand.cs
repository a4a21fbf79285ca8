using System.Globalization;
using CostOps.Infrastructure.Access;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary><c>costops audit [--since ISO] [--json]</c>: the audit trail, newest first (what <c>GET /api/audit</c> shows).</summary>
public sealed class AuditCommand : ICliCommand
{
    public string Name => "audit";
    public string Summary => "Show the audit trail: who changed prices, overrides, aliases, budgets and keys, and how.";
    private static readonly CliOption<DateTimeOffset?> Since = CliOption.Instant("since", "only entries from this instant on");

    public CliSyntax Syntax { get; } = new(new CliForm("", [Since, CliOption.Json]));
    public bool NeedsTables => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var since = args.Get(Since);
        var json = args.Has(CliOption.Json);
        var entries = await context.Services.GetRequiredService<AuditLog>().ListAsync(since, cancellationToken: cancellationToken);
        if (json)
        {
            context.Out.WriteLine(AuditLog.ToJson(entries));
            return 0;
        }
        TextTable.Write(context.Out, ["at", "actor", "action", "target", "after"],
            entries.Select(e => (IReadOnlyList<string>)
            [
                e.At.ToString("u", CultureInfo.InvariantCulture), e.Actor, e.Action, e.Target,
                e.After is { Length: > 80 } after ? after[..77] + "..." : e.After ?? "",
            ]).ToList());
        return 0;
    }
}
