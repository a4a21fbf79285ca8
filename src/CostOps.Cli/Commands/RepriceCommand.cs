using System.Globalization;
using System.Text.Json;
using CostOps.Infrastructure.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary><c>costops reprice</c>: recompute stored costs for a range after a price fix, rollups included, nothing counted twice.</summary>
public sealed class RepriceCommand : ICliCommand
{
    public string Name => "reprice";
    public string Summary => "Recompute stored costs for a time range with the current prices (after a price fix).";
    private static readonly CliOption<DateTimeOffset> From = CliOption.Instant("from", "start of the range").Required();
    private static readonly CliOption<DateTimeOffset> To = CliOption.Instant("to", "end of the range").Required();
    private static readonly CliOption<string?> Tenant = CliOption.Text("tenant", "T", "only this tenant's events");

    public CliSyntax Syntax { get; } = new(new CliForm("", [From, To, Tenant, CliOption.Json]));
    public bool NeedsTables => true;
    public bool NeedsSchema => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var json = args.Has(CliOption.Json);
        var from = args.Get(From);
        var to = args.Get(To);
        var tenant = args.Get(Tenant);

        var services = context.Services;
        var repricer = new Repricer(services.GetRequiredService<Infrastructure.ClickHouse.IClickHouse>(), services.GetRequiredService<Infrastructure.Sql.SqlCatalog>(),
            services.GetRequiredService<IPriceCatalogSource>(), services.GetRequiredService<SpendRollups>(), services.GetRequiredService<RollupRepair>(),
            services.GetRequiredService<TimeProvider>());
        var s = await repricer.RepriceAsync(from, to, tenant, cancellationToken);
        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(new
            {
                events = s.Events,
                changed = s.Changed,
                cost_before_usd = s.CostBefore.ToString(CultureInfo.InvariantCulture),
                cost_after_usd = s.CostAfter.ToString(CultureInfo.InvariantCulture),
            }));
        }
        else
        {
            context.Out.WriteLine($"Re-priced {s.Events:N0} events: {s.Changed:N0} changed, their cost ${s.CostBefore:N4} -> ${s.CostAfter:N4}; rollups rebuilt.");
        }
        return 0;
    }
}
