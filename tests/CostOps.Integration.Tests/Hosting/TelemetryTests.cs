using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.Budgets;
using CostOps.Infrastructure.Ingestion;
using CostOps.Infrastructure.Telemetry;
using CostOps.Integration.Tests.Budgets;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CostOps.Integration.Tests.Hosting;

/// <summary>
/// CostOps' metrics and spans as an exporter receives them: the hosts' composition root with OpenTelemetry's in-memory
/// exporter added (what <c>serve --otlp</c> or Azure Monitor would get), real ingestion, a real budget tick and real
/// webhook deliveries. The numbers read there must equal what the APIs answered. Other tests' hosts run in the same
/// process with meters and sources of the same name: the meter is scoped to its host, spans are told apart by source.
/// </summary>
public sealed class TelemetryTests
{
    private sealed class Exported : IAsyncDisposable
    {
        public required CostOpsTestHost Host { get; init; }
        public required List<MetricSnapshot> Metrics { get; init; }
        public required LockedCollection<Activity> Spans { get; init; }

        public CostOpsTelemetry Telemetry => Host.Get<CostOpsTelemetry>();

        /// <summary>Spans of this host's source only (other tests' hosts trace through sources of the same name).</summary>
        public IReadOnlyList<Activity> Own(string name)
        {
            return Spans.Snapshot().Where(a => a.Source == Telemetry.Source && a.OperationName == name).ToList();
        }

        /// <summary>Collects every instrument now (cumulative sums) and returns the newest snapshot of <paramref name="name"/>.</summary>
        public MetricSnapshot Metric(string name)
        {
            Metrics.Clear();
            Assert.True(Host.Get<MeterProvider>().ForceFlush(10_000));
            return Assert.Single(Metrics, m => m.Name == name);
        }

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }

    private static async Task<Exported> StartAsync(TimeProvider time, Dictionary<string, string?>? settings = null)
    {
        var metrics = new List<MetricSnapshot>();
        var spans = new LockedCollection<Activity>();
        var host = await CostOpsTestHost.StartAsync(time: time, settings: settings, services: services => services.AddOpenTelemetry().UseCostOps()
            .WithMetrics(m => m.AddInMemoryExporter(metrics))
            .WithTracing(t => t.AddInMemoryExporter(spans)));
        // What the host's start does (OpenTelemetry's hosted service): the providers exist before any work is measured.
        host.Get<TracerProvider>();
        host.Get<MeterProvider>();
        return new Exported { Host = host, Metrics = metrics, Spans = spans };
    }

    /// <summary>
    /// The exporter's list: it receives the spans of every host in the process (sources of one name are all heard), from
    /// their threads, while a test reads it.
    /// </summary>
    private sealed class LockedCollection<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public List<T> Snapshot() { lock (_items) return [.. _items]; }
        public int Count { get { lock (_items) return _items.Count; } }
        public bool IsReadOnly => false;
        public void Add(T item) { lock (_items) _items.Add(item); }
        public void Clear() { lock (_items) _items.Clear(); }
        public bool Contains(T item) { lock (_items) return _items.Contains(item); }
        public void CopyTo(T[] array, int arrayIndex) { lock (_items) _items.CopyTo(array, arrayIndex); }
        public bool Remove(T item) { lock (_items) return _items.Remove(item); }
        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Sum of a counter's points whose attributes include every one of <paramref name="attributes"/>.</summary>
    private static long Sum(MetricSnapshot metric, params (string Key, string Value)[] attributes)
    {
        long sum = 0;
        foreach (var point in metric.MetricPoints)
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags) tags[tag.Key] = tag.Value;
            if (attributes.All(a => tags.TryGetValue(a.Key, out var v) && (string?)v == a.Value)) sum += point.GetSumLong();
        }
        return sum;
    }

    /// <summary>Recorded values of a histogram whose attributes include every one of <paramref name="attributes"/>.</summary>
    private static long Count(MetricSnapshot metric, params (string Key, string Value)[] attributes)
    {
        long count = 0;
        foreach (var point in metric.MetricPoints)
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags) tags[tag.Key] = tag.Value;
            if (attributes.All(a => tags.TryGetValue(a.Key, out var v) && (string?)v == a.Value)) count += point.GetHistogramCount();
        }
        return count;
    }

    private static object? Tag(Activity span, string key) => span.TagObjects.FirstOrDefault(t => t.Key == key).Value;

    [Fact]
    public async Task The_durable_logs_uncommitted_events_are_a_gauge_that_a_commit_empties()
    {
        var logDirectory = Path.Combine(TestEnvironment.StateDirectory, TestEnvironment.UniqueName("otel-log-"));
        await using var exported = await StartAsync(new FakeTimeProvider(IngestionFixture.Now),
            new Dictionary<string, string?> { ["Ingestion:Acknowledge"] = "Logged", ["Ingestion:LogDirectory"] = logDirectory });
        var body = Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, 3).Select(i =>
            $$"""{"event_id":"log-{{i}}","timestamp":"2026-11-28T10:00:00Z","tenant":"otel-log","provider":"openai","model":"gpt-4o","input_tokens":10,"output_tokens":1}""")));
        var logged = exported.Host.Get<LoggedIngestion>();

        await logged.HandleAsync(body, "http", null, CancellationToken.None);
        Assert.Equal(3, Assert.Single(exported.Metric("costops.ingestion.log.uncommitted").MetricPoints).GetGaugeLastValueLong());
        await logged.CommitUncommittedAsync(CancellationToken.None);
        Assert.Equal(0, Assert.Single(exported.Metric("costops.ingestion.log.uncommitted").MetricPoints).GetGaugeLastValueLong());
    }

    [Fact]
    public async Task Ingestion_counts_and_commit_spans_equal_what_the_API_answered_rejects_and_replayed_duplicates_included()
    {
        var time = new FakeTimeProvider(IngestionFixture.Now);
        await using var exported = await StartAsync(time);
        var api = exported.Host.Get<UsageApi>();
        var tenant = TestEnvironment.UniqueName("otel-");
        // Three events (one of a model no price covers), one with negative tokens, one line that is not JSON.
        var body = Encoding.UTF8.GetBytes(string.Join('\n',
            $$"""{"event_id":"e1","timestamp":"2026-11-28T10:00:00Z","tenant":"{{tenant}}","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":10}""",
            $$"""{"event_id":"e2","timestamp":"2026-11-28T10:01:00Z","tenant":"{{tenant}}","provider":"openai","model":"gpt-4o","input_tokens":2000,"output_tokens":20}""",
            $$"""{"event_id":"e3","timestamp":"2026-11-28T10:02:00Z","tenant":"{{tenant}}","provider":"openai","model":"no-such-model-x","input_tokens":10,"output_tokens":1}""",
            $$"""{"event_id":"e4","timestamp":"2026-11-28T10:03:00Z","tenant":"{{tenant}}","provider":"openai","model":"gpt-4o","input_tokens":-5,"output_tokens":1}""",
            """{"event_id":"e5","timestamp":""") + "\n");

        // The caller's span (an HTTP request's, in a host): the commit is its child.
        JsonNode first, replay;
        ActivityContext caller;
        using (var request = exported.Telemetry.Source.StartActivity("test.request"))
        {
            caller = request!.Context;
            first = JsonNode.Parse((await api.IngestAsync(body, "http", CancellationToken.None)).Json!)!;
        }
        // The producer's retry of the whole body: every event is a duplicate now, the bad lines are rejected again.
        replay = JsonNode.Parse((await api.IngestAsync(body, "http", CancellationToken.None)).Json!)!;

        Assert.Equal((3, 2, 0, 1), ((int)first["accepted"]!, (int)first["rejected"]!, (int)first["duplicates"]!, (int)first["unpriced"]!));
        Assert.Equal((0, 2, 3), ((int)replay["accepted"]!, (int)replay["rejected"]!, (int)replay["duplicates"]!));
        var codes = first["results"]!.AsArray().Select(r => (string?)r!["code"]).Where(c => c is not null).Order().ToList();
        Assert.Equal(["event_malformed_json", "input_tokens_negative"], codes);

        var events = exported.Metric("costops.ingestion.events");
        Assert.Equal("{event}", events.Unit);
        Assert.Equal(3, Sum(events, ("outcome", "accepted")));
        Assert.Equal(3, Sum(events, ("outcome", "duplicate")));
        Assert.Equal(4, Sum(events, ("outcome", "rejected")));
        Assert.Equal(2, Sum(events, ("outcome", "rejected"), ("reject.code", "input_tokens_negative")));
        Assert.Equal(2, Sum(events, ("outcome", "rejected"), ("reject.code", "event_malformed_json")));
        Assert.Equal(10, Sum(events, ("ingestion.mode", "live")));
        Assert.Equal(1, Sum(exported.Metric("costops.pricing.unpriced")));
        var duration = exported.Metric("costops.ingestion.commit.duration");
        Assert.Equal("s", duration.Unit);
        Assert.Equal(2, Count(duration, ("ingestion.mode", "live")));
        Assert.Equal(0, Count(duration, ("error.type", "_OTHER")));
        // Nothing waits once both callers have their answers.
        Assert.Equal(0, Assert.Single(exported.Metric("costops.ingestion.queue.depth").MetricPoints).GetGaugeLastValueLong());

        var commits = exported.Own("costops.ingestion.commit");
        Assert.Equal(2, commits.Count);
        var firstCommit = Assert.Single(commits, c => c.ParentSpanId == caller.SpanId);
        Assert.Equal(caller.TraceId, firstCommit.TraceId);
        Assert.Equal((3, 2, 0, 1), ((int)Tag(firstCommit, "costops.ingestion.accepted")!, (int)Tag(firstCommit, "costops.ingestion.rejected")!,
            (int)Tag(firstCommit, "costops.ingestion.duplicates")!, (int)Tag(firstCommit, "costops.ingestion.unpriced")!));
        Assert.Equal("live", Tag(firstCommit, "costops.ingestion.mode"));
        Assert.Equal(1, Tag(firstCommit, "costops.ingestion.callers"));
        var replayCommit = Assert.Single(commits, c => c != firstCommit);
        // Not inside the first caller's span: the writer serves every caller, whoever started it.
        Assert.NotEqual(caller.TraceId, replayCommit.TraceId);
        Assert.Equal((0, 3), ((int)Tag(replayCommit, "costops.ingestion.accepted")!, (int)Tag(replayCommit, "costops.ingestion.duplicates")!));
        Assert.All(commits, c => Assert.Equal(ActivityStatusCode.Unset, c.Status));
    }

    [Fact]
    public async Task A_budget_tick_and_its_deliveries_are_measured_by_outcome_with_spans_per_tick_and_attempt()
    {
        var time = new FakeTimeProvider(BudgetTestHost.Start);
        await using var receiver = new WebhookReceiver(n => n == 1 ? 503 : 200);
        await using var exported = await StartAsync(time, new Dictionary<string, string?>
        {
            ["Webhooks:Mode"] = "Local",
            ["Webhooks:RequestTimeout"] = "00:00:02",
            ["Resilience:AlertDelivery:InitialDelay"] = "00:00:01",
            ["Resilience:AlertDelivery:MaxDelay"] = "00:00:04",
        });
        var tenant = TestEnvironment.UniqueName("otelb-");
        await exported.Host.Get<BudgetService>().AddAsync(BudgetTestHost.Monthly(tenant, tenant, 4m, receiver.Url(), [new(50, ThresholdKind.Actual)]));
        // $2.50 of gpt-4o input (1M tokens at $2.50 per 1M) through real ingestion: 62.5 % of $4.
        var usage = $$"""{"event_id":"b1","timestamp":"2026-11-10T10:00:00Z","tenant":"{{tenant}}","provider":"openai","model":"gpt-4o","input_tokens":1000000,"output_tokens":0}""";
        await exported.Host.Get<UsageApi>().IngestAsync(Encoding.UTF8.GetBytes(usage), "http", CancellationToken.None);

        var report = await exported.Host.Get<BudgetEvaluator>().EvaluateAsync();
        Assert.Single(report.Enqueued);
        var delivery = exported.Host.Get<AlertDeliveryWorker>();
        var firstRun = await delivery.RunOnceAsync();
        time.Advance(TimeSpan.FromSeconds(5));
        var secondRun = await delivery.RunOnceAsync();
        Assert.Equal((1, 1), (firstRun.Retrying, secondRun.Delivered));
        Assert.Equal([503, 200], receiver.Requests.Select(r => r.Answer));

        var deliveries = exported.Metric("costops.alerts.deliveries");
        Assert.Equal(1, Sum(deliveries, ("outcome", "retrying"), ("alert.channel", "webhook")));
        Assert.Equal(1, Sum(deliveries, ("outcome", "delivered"), ("alert.channel", "webhook")));
        Assert.Equal(0, Sum(deliveries, ("outcome", "failed")));
        Assert.Equal(2, Count(exported.Metric("costops.alerts.delivery.duration"), ("alert.channel", "webhook")));
        var tick = exported.Metric("costops.budgets.tick.duration");
        Assert.Equal(1, Count(tick));
        Assert.Equal(0, Count(tick, ("error.type", "_OTHER")));

        var tickSpan = Assert.Single(exported.Own("costops.budgets.tick"));
        Assert.Equal(1, Tag(tickSpan, "costops.budgets.alerts_enqueued"));
        var spendSpan = Assert.Single(exported.Own("costops.budgets.spend"));
        Assert.Equal(tickSpan.SpanId, spendSpan.ParentSpanId);
        var runs = exported.Own("costops.alerts.delivery.run");
        var attempts = exported.Own("costops.alerts.deliver");
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Contains(runs, r => r.SpanId == a.ParentSpanId));
        Assert.Equal([503, 200], attempts.OrderBy(a => (int)Tag(a, "costops.alert.attempt")!).Select(a => (int)Tag(a, "http.response.status_code")!));
        Assert.Equal(["retrying", "delivered"], attempts.OrderBy(a => (int)Tag(a, "costops.alert.attempt")!).Select(a => (string)Tag(a, "costops.alert.outcome")!));
    }

    [Fact]
    public void Exporters_follow_the_configuration_and_none_set_builds_no_pipeline()
    {
        static ServiceProvider Build(Dictionary<string, string?> settings)
        {
            var services = new ServiceCollection().AddLogging();
            services.AddCostOpsTelemetry(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            return services.BuildServiceProvider();
        }

        // Nothing asked for: no provider, so nothing listens and each measuring call is one check.
        using (var none = Build([]))
        {
            Assert.Null(none.GetService<TracerProvider>());
            Assert.Null(none.GetService<MeterProvider>());
            Assert.Null(none.GetRequiredService<CostOpsTelemetry>().StartCommit(IngestionMode.Live, 1));
        }
        // Azure Monitor and OTLP together (an App Insights resource and a collector): both exporters build.
        using (var both = Build(new()
        {
            [TelemetryOptions.AppInsightsSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/;LiveEndpoint=http://127.0.0.1:9/",
            ["Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9",
        }))
        {
            Assert.NotNull(both.GetService<TracerProvider>());
            Assert.NotNull(both.GetService<MeterProvider>());
        }
        using (var console = Build(new() { ["Telemetry:Console"] = "true" })) Assert.NotNull(console.GetService<TracerProvider>());
        Assert.Throws<InvalidOperationException>(() => Build(new() { ["Telemetry:OtlpEndpoint"] = "127.0.0.1:4317" }));
        Assert.Throws<InvalidOperationException>(() => Build(new() { ["Telemetry:OtlpEndpoint"] = "http://127.0.0.1:4317", ["Telemetry:OtlpProtocol"] = "carrier-pigeon" }));
    }

    [Fact]
    public void Event_Hubs_lag_is_the_last_enqueued_less_the_last_stored_per_partition_until_the_partition_is_given_up()
    {
        var metrics = new List<MetricSnapshot>();
        var services = new ServiceCollection();
        services.AddCostOpsTelemetry(new ConfigurationBuilder().Build());
        // Delta: a collection reports what was observed since the last one (a forgotten partition drops out).
        services.AddOpenTelemetry().UseCostOps().WithMetrics(m => m.AddInMemoryExporter(metrics,
            reader => reader.TemporalityPreference = MetricReaderTemporalityPreference.Delta));
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate(); // starts the metrics listeners, as a host's start does
        var telemetry = provider.GetRequiredService<CostOpsTelemetry>();

        // Another host in this process, with a meter of the same name: what it records is not this host's to export.
        var otherServices = new ServiceCollection();
        otherServices.AddCostOpsTelemetry(new ConfigurationBuilder().Build());
        using var other = otherServices.BuildServiceProvider();
        other.GetRequiredService<CostOpsTelemetry>().RecordEventHubsLag("usage", "7", lastStored: 1, lastEnqueued: 1_000);

        telemetry.RecordEventHubsLag("usage", "0", lastStored: null, lastEnqueued: 500);   // nothing stored yet: unknown, not reported
        telemetry.RecordEventHubsLag("usage", "0", lastStored: 399, lastEnqueued: 500);
        telemetry.RecordEventHubsLag("usage", "1", lastStored: 80, lastEnqueued: 80);
        telemetry.RecordEventHubsLag("usage", "1", lastStored: null, lastEnqueued: 95);    // an empty wait: 15 arrived since
        Assert.True(provider.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        var lag = Assert.Single(metrics, m => m.Name == "costops.eventhubs.lag");
        var byPartition = lag.MetricPoints.ToDictionary(
            p => { foreach (var t in p.Tags) if (t.Key == "messaging.destination.partition.id") return (string)t.Value!; return ""; },
            p => p.GetGaugeLastValueLong());
        Assert.Equal(new Dictionary<string, long> { ["0"] = 101, ["1"] = 15 }, byPartition);

        telemetry.ForgetEventHubsPartition("usage", "0");
        metrics.Clear();
        Assert.True(provider.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        var after = Assert.Single(metrics, m => m.Name == "costops.eventhubs.lag");
        var left = Assert.Single(after.MetricPoints);
        Assert.Equal(15, left.GetGaugeLastValueLong());
    }
}
