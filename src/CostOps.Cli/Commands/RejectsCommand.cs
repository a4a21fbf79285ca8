using System.Text.Json;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary><c>costops rejects</c>: the events ingestion refused, newest first, with the reason and the raw text.</summary>
public sealed class RejectsCommand : ICliCommand
{
    public string Name => "rejects";
    public string Summary => "List rejected events with their reasons (newest first).";
    private static readonly CliOption<string> Tenant = CliOption.Text("tenant", "T", "only this tenant's rejects").Default("");
    private static readonly CliOption<long> Limit = CliOption.Long("limit", "N", "at most this many", 0, uint.MaxValue).Default(50);

    public CliSyntax Syntax { get; } = new(new CliForm("", [Tenant, Limit, CliOption.Json]));
    public bool NeedsSchema => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var json = args.Has(CliOption.Json);
        var limit = (uint)args.Get(Limit);
        var tenant = args.Get(Tenant);

        var clickHouse = context.Services.GetRequiredService<IClickHouse>();
        var sql = context.Services.GetRequiredService<SqlCatalog>().Get(SqlNames.Ingest.ListRejects);
        var rows = await clickHouse.QueryAsync(sql, "JSONEachRow", new QueryParameters
        {
            { "tenant", tenant }, { "limit", limit }, { "raw_chars", json ? 8192u : 80u },
        }, cancellationToken);
        var parsed = rows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => JsonDocument.Parse(r).RootElement).ToList();

        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(parsed));
            return 0;
        }
        if (parsed.Count == 0)
        {
            context.Out.WriteLine("No rejected events.");
            return 0;
        }
        TextTable.Write(context.Out, ["received_at", "source", "event_id", "reason", "raw"],
            parsed.Select(r => (IReadOnlyList<string>)
            [
                r.GetProperty("received_at").GetString()!, r.GetProperty("source").GetString()!, r.GetProperty("event_id").GetString()!,
                r.GetProperty("reason").GetString()!, r.GetProperty("raw").GetString()!.ReplaceLineEndings(" "),
            ]).ToList());
        return 0;
    }
}
