using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops demo</c>: the main job. For now it prepares everything (embedded ClickHouse schema, Azure tables on
/// Azurite) and prints the schema; traffic, budgets and recommendations join as those parts land.
/// </summary>
public sealed class DemoCommand : ICliCommand
{
    public string Name => "demo";
    public string Summary => "Prepare everything locally and show what CostOps holds (the main job).";
    public string Usage => "costops demo";
    public bool NeedsTables => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.RejectUnknown();
        var services = context.Services;
        context.Out.WriteLine("[1/2] Migrating the ClickHouse schema and creating Azure tables...");
        var applied = await services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        var tables = services.GetRequiredService<TableStorage>();
        await tables.EnsureTablesAsync(cancellationToken);
        context.Out.WriteLine($"      {applied.Count} migration(s) applied now; Azure tables: {string.Join(", ", TableNames.All)}.");

        context.Out.WriteLine("[2/2] Schema:");
        var clickHouse = services.GetRequiredService<IClickHouse>();
        var catalog = services.GetRequiredService<SqlCatalog>();
        context.Out.Write(await clickHouse.QueryAsync(catalog.Get("admin/schema_overview"), "PrettyCompact",
            new QueryParameters { { "database", clickHouse.Database } }, cancellationToken));
        context.Out.WriteLine();
        context.Out.WriteLine("Look further: costops sql \"SELECT count() FROM usage_events\" --format PrettyCompact");
        return 0;
    }
}
