using System.Globalization;
using System.Text;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Budgets;

/// <summary>
/// The real budget services from the hosts' composition root (<see cref="CostOpsTestHost"/>), on the class's ClickHouse
/// database and on Azure tables of their own (unique prefix per test), with only the clock replaced and short retry and
/// timeout settings.
/// </summary>
public sealed class BudgetTestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-15T12:00:00Z", CultureInfo.InvariantCulture);

    private readonly CostOpsTestHost _host;

    private BudgetTestHost(CostOpsTestHost host, FakeTimeProvider time)
    {
        _host = host;
        Time = time;
    }

    public FakeTimeProvider Time { get; }
    public TableStorage Tables => _host.Tables;
    public IClickHouse ClickHouse => _host.ClickHouse;
    public BudgetEvaluator Evaluator => _host.Get<BudgetEvaluator>();
    public SpendRollups Rollups => _host.Get<SpendRollups>();
    public AlertDeliveryWorker Delivery => _host.Get<AlertDeliveryWorker>();
    public AlertOutbox Outbox => _host.Get<AlertOutbox>();
    public PricingNoticeService Notices => _host.Get<PricingNoticeService>();
    public BudgetService Budgets => _host.Get<BudgetService>();
    public BudgetApi Api => _host.Get<BudgetApi>();
    public UsageIngestionHandler Ingestion => _host.Get<UsageIngestionHandler>();

    public static async Task<BudgetTestHost> StartAsync(ClickHouseFixture clickHouse, string mode = "Local", string? tablePrefix = null,
        FakeTimeProvider? time = null, Dictionary<string, string?>? settings = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Webhooks:Mode"] = mode,
            ["Webhooks:RequestTimeout"] = "00:00:00.300",
            ["Resilience:AlertDelivery:MaxAttempts"] = "5",
            ["Resilience:AlertDelivery:InitialDelay"] = "00:00:01",
            ["Resilience:AlertDelivery:MaxDelay"] = "00:00:04",
            ["Budgets:StatusCacheDuration"] = "00:00:10",
        };
        foreach (var (k, v) in settings ?? []) config[k] = v;
        time ??= new FakeTimeProvider(Start);
        var host = tablePrefix is null
            ? await CostOpsTestHost.StartAsync(database: clickHouse.ClickHouse.Database, time: time, settings: config)
            : CostOpsTestHost.Beside(clickHouse.ClickHouse.Database, tablePrefix, time, config);
        return new BudgetTestHost(host, time);
    }

    /// <summary>A second host on the same tables and database, as a second evaluator instance would be.</summary>
    public Task<BudgetTestHost> TwinAsync(ClickHouseFixture clickHouse) =>
        StartAsync(clickHouse, tablePrefix: Tables.Prefix, time: Time);

    public static Budget Monthly(string id, string tenant, decimal limit, string? webhook = null, IReadOnlyList<BudgetThreshold>? thresholds = null) => new()
    {
        Id = id,
        Scope = new BudgetScope(tenant),
        LimitUsd = limit,
        Thresholds = thresholds ?? Budget.DefaultThresholds,
        Channels = webhook is null ? BudgetChannels.None : new BudgetChannels(new Uri(webhook), "test-secret-0123456789"),
    };

    /// <summary>Writes one spend_hourly slice (a distinct hour per call keeps ReplacingMergeTree from collapsing them).</summary>
    public async Task SpendAsync(string tenant, DateTimeOffset hour, decimal costUsd, string project = "chat", string model = "gpt-4o")
    {
        var row = $$"""{"hour":"{{hour.UtcDateTime:yyyy-MM-dd HH:00:00}}","tenant":"{{tenant}}","project":"{{project}}","user":"u1","feature":"","provider":"openai","model":"{{model}}","requests":1,"cost_usd":"{{costUsd.ToString(CultureInfo.InvariantCulture)}}","version":"{{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss.ffffff}}"}""";
        await ClickHouse.InsertAsync("spend_hourly", "JSONEachRow", Encoding.UTF8.GetBytes(row + "\n"));
    }

    /// <summary>Writes one usage event with tags (for tag-scoped budgets, which read events).</summary>
    public async Task EventAsync(string tenant, DateTimeOffset at, decimal costUsd, string tagKey, string tagValue)
    {
        var row = $$"""{"event_id":"{{Guid.NewGuid():N}}","timestamp":"{{at.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}}","tenant":"{{tenant}}","model":"gpt-4o","input_tokens":10,"output_tokens":5,"tags":{"{{tagKey}}":"{{tagValue}}"},"cost_usd":"{{costUsd.ToString(CultureInfo.InvariantCulture)}}","price_status":"priced","ingested_at":"{{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss.fff}}"}""";
        await ClickHouse.InsertAsync("usage_events", "JSONEachRow", Encoding.UTF8.GetBytes(row + "\n"));
    }

    /// <summary>Evaluates, then runs delivery until nothing is due (advancing the fake clock past each backoff).</summary>
    public async Task<EvaluationReport> TickAsync()
    {
        var report = await Evaluator.EvaluateAsync();
        await DeliverAllAsync();
        return report;
    }

    public async Task DeliverAllAsync(int rounds = 8)
    {
        for (var i = 0; i < rounds; i++)
        {
            var run = await Delivery.RunOnceAsync();
            if (run.Due == 0 && (await Outbox.ListAsync(status: AlertStatuses.Pending)).Count == 0) return;
            Time.Advance(TimeSpan.FromSeconds(5));
        }
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
