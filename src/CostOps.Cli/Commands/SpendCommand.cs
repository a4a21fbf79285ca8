using System.Globalization;
using CostOps.Infrastructure.Spend;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary><c>costops spend</c>: exact spend totals grouped by any of tenant, project, user, feature, provider, model, hour, day.</summary>
public sealed class SpendCommand : ICliCommand
{
    public string Name => "spend";
    public string Summary => "Spend totals (exact decimals) for a time range, grouped as you ask.";
    private static readonly CliOption<DateTimeOffset?> From = CliOption.Instant("from", "start, rounded down to the hour (default: 30 days before --to)");
    private static readonly CliOption<DateTimeOffset?> To = CliOption.Instant("to", "end, rounded up to the hour (default: now)");
    private static readonly CliOption<string> GroupBy =
        CliOption.Text("group-by", "tenant,project,user,feature,provider,model,hour,day", "what to total by, comma-separated").Default("tenant");
    private static readonly CliOption<string> Tenant = CliOption.Text("tenant", "T", "only this tenant's spend").Default("");

    public CliSyntax Syntax { get; } = new(new CliForm("", [From, To, GroupBy, Tenant, CliOption.Json]));
    public bool NeedsSchema => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var json = args.Has(CliOption.Json);
        var time = context.Services.GetRequiredService<TimeProvider>();
        // Rollups are hourly: the range is widened to whole hours (from rounded down, to rounded up).
        var to = SpendQuery.CeilingHour(args.Get(To) ?? time.GetUtcNow());
        var from = SpendQuery.FloorHour(args.Get(From) ?? to.AddDays(-30));
        var groups = args.Get(GroupBy).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tenant = args.Get(Tenant);

        IReadOnlyList<SpendRow> rows;
        try
        {
            rows = await context.Services.GetRequiredService<SpendQuery>().RunAsync(from, to, groups, tenant, cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message);
        }
        if (json)
        {
            context.Out.WriteLine(SpendQuery.ToJson(rows, groups).ToJsonString());
            return 0;
        }

        var shown = SpendQuery.Dimensions.Where(groups.Contains).ToList();
        var bucket = groups.Contains("hour") ? "hour" : groups.Contains("day") ? "day" : null;
        var headers = (bucket is null ? [] : new List<string> { bucket }).Concat(shown).Concat(["cost_usd", "requests", "input_tok", "output_tok", "cached_tok", "unpriced"]).ToList();
        context.Out.WriteLine($"Spend {from:yyyy-MM-dd HH:mm} .. {to:yyyy-MM-dd HH:mm} UTC{(tenant.Length > 0 ? $", tenant {tenant}" : "")}:");
        TextTable.Write(context.Out, headers, rows.Select(r => Row(r, bucket is not null, shown)).ToList(),
            new HashSet<int>(Enumerable.Range(headers.Count - 6, 6)));
        context.Out.WriteLine($"Total: {Money(rows.Sum(r => r.CostUsd))} over {rows.Sum(r => r.Requests):N0} requests");
        var estimated = rows.Sum(r => r.EstimatedCostUsd);
        if (estimated > 0)
        {
            context.Out.WriteLine($"  of which {Money(estimated)} is estimated for models without a price (unpriced column): add their prices (costops prices set | sync), then costops reprice.");
        }
        return 0;
    }

    /// <summary>
    /// Money as printed: to 4 places, and exactly when that would show a spend as $0.0000 (no silent $0: a total of
    /// $0.0037 printed as "$0.00" read as nothing spent).
    /// </summary>
    public static string Money(decimal usd)
    {
        var rounded = usd.ToString("N4", CultureInfo.InvariantCulture);
        return "$" + (usd != 0 && Math.Round(usd, 4) == 0 ? usd.ToString(CultureInfo.InvariantCulture) : rounded);
    }

    /// <summary>One printed row: bucket, dimensions ('-' for empty), money (<see cref="Money"/>), counts with separators.</summary>
    public static IReadOnlyList<string> Row(SpendRow r, bool withBucket, IEnumerable<string> dimensions) =>
        (withBucket ? [r.Period] : new List<string>())
        .Concat(dimensions.Select(d => r.Groups[d] is { Length: > 0 } v ? v : "-"))
        .Concat([
            Money(r.CostUsd),
            r.Requests.ToString("N0", CultureInfo.InvariantCulture), r.InputTokens.ToString("N0", CultureInfo.InvariantCulture),
            r.OutputTokens.ToString("N0", CultureInfo.InvariantCulture), r.CachedInputTokens.ToString("N0", CultureInfo.InvariantCulture),
            r.UnpricedRequests.ToString("N0", CultureInfo.InvariantCulture),
        ]).ToList();
}
