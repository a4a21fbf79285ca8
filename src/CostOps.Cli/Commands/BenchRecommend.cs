using System.Diagnostics;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Local;
using CostOps.Infrastructure.Recommendations;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops bench recommend</c>: generates N usage events inside ClickHouse (queries/recommendations/bench_seed_events,
/// INSERT ... SELECT FROM numbers()) in a throwaway database, then times full recommendation runs: the grouped profile
/// queries over the 30-day window, re-pricing, the rules and writing the run. Budgets are left out (no Azure Tables):
/// they cost one grouped spend query, timed by <c>bench budgets</c>. Runs start once the seed's background merges have
/// settled (their time and the parts left are reported). The first run meets an empty day cache (schema 0013) and
/// computes every whole day of the window (reported as <c>first_run_seconds</c>); each timed run after it is a daily
/// run: one more event is written first (one of the seed's again, a new version of it), so one whole day's events have
/// changed and that day is computed again, as the day that became whole since the last run is. The database is dropped afterwards.
/// </summary>
public static class BenchRecommend
{
    private const double TargetSeconds = 5.0;

    private static readonly CliOption<long> Events = CliOption.Long("events", "N", "events to generate", min: 1_000).Default(10_000_000);
    private static readonly CliOption<int> Runs = CliOption.Int("runs", "N", "daily recommendation runs to time after the first", min: 1).Default(3);

    public static CliForm Form { get; } = new("recommend", "", "seconds per recommendation run over N events", [Events, Runs, CliOption.Json]);

    public static async Task<IReadOnlyDictionary<string, object>> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var events = args.Get(Events);
        var runs = args.Get(Runs);

        var services = context.Services;
        var chOptions = services.GetRequiredService<IOptions<ClickHouseOptions>>().Value;
        await using var database = await BenchDatabase.CreateAsync(services, "bench_recommend", cancellationToken);
        var clickHouse = database.ClickHouse;
        var catalog = services.GetRequiredService<SqlCatalog>();
        var time = TimeProvider.System;
        var now = time.GetUtcNow();
        Task SeedAsync(ulong rows) => clickHouse.ExecuteAsync(catalog.Get(SqlNames.Recommendations.BenchSeedEvents),
            new QueryParameters { { "now", now }, { "rows", rows } }, cancellationToken);
        context.Error.WriteLine($"Generating {events:N0} events inside ClickHouse...");
        var seed = Stopwatch.StartNew();
        await SeedAsync((ulong)events);
        var seedSeconds = seed.Elapsed.TotalSeconds;
        // Timed on the settled table a scheduled run meets, not beside the seed's own merges.
        context.Error.WriteLine("Waiting for background merges to finish...");
        var mergeWait = await database.WaitForMergesAsync(TimeSpan.FromMinutes(3), cancellationToken);
        var parts = await database.ActivePartsAsync("usage_events", cancellationToken);

        var service = new RecommendationService(
            new UsageProfileReader(clickHouse, catalog),
            new BudgetPressureReader(new NoBudgets(), new BudgetSpendReader(clickHouse, catalog, new SpendRollups(clickHouse, catalog, time))),
            new RecommendationRepository(clickHouse, catalog),
            new RecommendationStateStore(new TableStorage(new TableStorageOptions { ConnectionString = "UseDevelopmentStorage=true" })),
            // The bundled catalog: the benchmark measures the analysis, not the price table.
            new BundledPriceCatalogSource(),
            time,
            Options.Create(new RecommendationOptions { WindowDays = 30 }),
            NullLogger<RecommendationService>.Instance);

        context.Error.WriteLine($"Timing a first run and {runs} daily run(s)...");
        var first = await service.RunAsync(30, null, scheduled: false, persist: true, cancellationToken);
        var results = new List<RecommendationRun>();
        for (var i = 0; i < runs; i++)
        {
            await SeedAsync(1);
            results.Add(await service.RunAsync(30, null, scheduled: false, persist: true, cancellationToken));
        }
        var perRun = results.Select(x => x.Elapsed.TotalSeconds).Order().ToArray();
        var median = perRun[perRun.Length / 2];
        var last = results[^1];
        return new Dictionary<string, object>
        {
            ["benchmark"] = "recommend",
            ["engine"] = chOptions.UseServer ? "clickhouse-server" : "embedded-chdb",
            ["events"] = events,
            ["window_days"] = 30,
            ["seed_seconds"] = Math.Round(seedSeconds, 3),
            ["merge_wait_seconds"] = Math.Round(mergeWait.TotalSeconds, 3),
            ["usage_events_parts"] = parts,
            ["first_run_seconds"] = Math.Round(first.Elapsed.TotalSeconds, 3),
            ["runs"] = runs,
            ["seconds_per_run"] = Math.Round(median, 3),
            ["query_seconds_per_run"] = Math.Round(results.Select(x => x.QueryElapsed.TotalSeconds).Order().ToArray()[runs / 2], 3),
            ["analysis_seconds_per_run"] = Math.Round(results.Select(x => x.AnalysisElapsed.TotalSeconds).Order().ToArray()[runs / 2], 3),
            ["write_seconds_per_run"] = Math.Round(results.Select(x => x.WriteElapsed.TotalSeconds).Order().ToArray()[runs / 2], 3),
            ["max_run_seconds"] = Math.Round(perRun[^1], 3),
            ["scopes"] = last.Scopes,
            ["recommendations"] = last.Recommendations.Count,
            ["target_seconds_per_run"] = TargetSeconds,
            ["target_met"] = median <= TargetSeconds,
        };
    }

    /// <summary>No budgets in the benchmark: the budget-pressure query is measured by <c>bench budgets</c>.</summary>
    private sealed class NoBudgets : IBudgetStore
    {
        public Task<StoredBudget?> GetAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult<StoredBudget?>(null);
        public Task<IReadOnlyList<StoredBudget>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<StoredBudget>>([]);
        public Task<StoredBudget> AddAsync(Budget budget, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<StoredBudget> UpdateAsync(Budget budget, string? ifMatch, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<string?> ChangeTokenAsync(CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);
    }
}
