using System.Text.Json;
using CostOps.Core.Pricing;
using CostOps.Core.Pricing.CommunityMap;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;

namespace CostOps.Infrastructure.Pricing;

/// <summary>
/// <c>prices sync</c>: reads a community price map (a file or an https URL), diffs it against the pricing table and,
/// when asked, writes the difference as new effective-dated rows (never changing an existing version of another date).
/// The diff also says which stored traffic a change would touch, so a re-price (<c>costops reprice</c>) stays an
/// explicit decision.
/// </summary>
public sealed class PriceMapSyncService(PriceTableStore store, HttpClient http, IClickHouse? clickHouse = null, SqlCatalog? queries = null)
{
    /// <summary>The most a map may weigh: the real one is under 2 MB.</summary>
    public const long MaxMapBytes = 64L * 1024 * 1024;

    /// <summary>Reads the map, plans the sync and applies it when <paramref name="apply"/> is set.</summary>
    /// <exception cref="FormatException">The source cannot be read or is not a price map.</exception>
    public async Task<PriceSyncReport> SyncAsync(string from, DateOnly effective, bool apply, CancellationToken cancellationToken = default)
    {
        var text = await ReadAsync(from, cancellationToken);
        var source = $"{from} as of {effective:yyyy-MM-dd}";
        var map = LiteLlmPriceMap.Parse(text, effective, source);
        var current = (await store.LoadAsync(cancellationToken)).Models;
        var plan = PriceSync.Plan(current, map.Models, effective, from);
        var traffic = await TrafficAsync(effective, cancellationToken);
        if (apply && !plan.IsEmpty) await WriteAsync(current, plan, cancellationToken);
        return new PriceSyncReport(from, plan, map.Models.Count, map.Skipped, traffic, apply && !plan.IsEmpty);
    }

    private async Task WriteAsync(IReadOnlyList<CatalogModel> current, PriceSyncPlan plan, CancellationToken cancellationToken)
    {
        // Only the rows the plan touches: added models, each change's new version, and the latest version of an entry
        // that gained ids (ids live in each row's metadata).
        var after = PriceSync.Apply(current, plan).ToDictionary(m => (m.Provider, m.Model.ToLowerInvariant()));
        CatalogModel Updated(ProviderId provider, string model) => after[(provider, model.ToLowerInvariant())];
        var rows = plan.Added
            .Concat(plan.Changed.Select(c => Updated(c.Model.Provider, c.Model.Model) with { Prices = [c.New] }))
            .Concat(plan.Aliases.Select(a => Updated(a.Provider, a.Model)).Distinct()
                .Select(m => m with { Prices = [m.Prices.MaxBy(p => p.EffectiveFrom)!] }))
            .ToList();
        await store.ImportAsync(new CatalogDocument("", rows), cancellationToken);
    }

    private async Task<IReadOnlyList<TrafficSince>> TrafficAsync(DateOnly effective, CancellationToken cancellationToken)
    {
        if (clickHouse is null || queries is null) return [];
        var json = await clickHouse.QueryAsync(queries.Get(SqlNames.Pricing.TrafficSince), "JSONEachRow", new QueryParameters
        {
            { "from", new DateTimeOffset(effective.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) },
        }, cancellationToken);
        var result = new List<TrafficSince>();
        foreach (var line in json.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            var row = document.RootElement;
            result.Add(new TrafficSince(
                row.GetProperty("entry").GetString() ?? "",
                row.GetProperty("unknown_model").GetString() ?? "",
                long.Parse(row.GetProperty("events").ToString(), System.Globalization.CultureInfo.InvariantCulture),
                decimal.Parse(row.GetProperty("cost_usd").GetString() ?? "0", System.Globalization.CultureInfo.InvariantCulture)));
        }
        return result;
    }

    private async Task<string> ReadAsync(string from, CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(from, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode) throw new FormatException($"{from} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            if (response.Content.Headers.ContentLength > MaxMapBytes) throw new FormatException($"{from} is larger than {MaxMapBytes} bytes.");
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        if (!File.Exists(from)) throw new FormatException($"no such file: {from}");
        if (new FileInfo(from).Length > MaxMapBytes) throw new FormatException($"{from} is larger than {MaxMapBytes} bytes.");
        return await File.ReadAllTextAsync(from, cancellationToken);
    }
}

/// <summary>What a sync found (and whether it wrote it): the plan, how many entries the map priced and skipped, and the traffic since the effective date.</summary>
public sealed record PriceSyncReport(string From, PriceSyncPlan Plan, int MapModels, IReadOnlyList<string> Skipped, IReadOnlyList<TrafficSince> Traffic, bool Applied);

/// <summary>Stored events from a date on: per price entry (<c>provider/model</c>), or per unpriced model string.</summary>
public sealed record TrafficSince(string Entry, string UnknownModel, long Events, decimal CostUsd);
