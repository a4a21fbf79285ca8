using Azure;
using Azure.Data.Tables;
using CostOps.Infrastructure.Alerts;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Pricing;

/// <summary>
/// What the price refresh schedule does (<c>%PriceRefreshSchedule%</c> in the Functions app, the same setting in
/// <c>costops serve</c>): once a day, when <see cref="PricingOptions.SyncSource"/> is set, the same sync as
/// <c>costops prices sync --apply</c> effective that day (UTC), its diff recorded in the <c>pricesyncs</c> table
/// (one row per day: a rerun the same day finds the row and does nothing); then, every time, the in-process prices
/// are reloaded so the new versions apply at once. An applied sync notifies the tenants using a changed or added model
/// (<see cref="PricingNoticeService"/>).
/// </summary>
public sealed class ScheduledPriceRefresh(
    TablePriceCatalogSource source, PriceTableStore store, TableStorage tables, IOptions<PricingOptions> options, TimeProvider time,
    ILogger<ScheduledPriceRefresh> logger, IClickHouse? clickHouse = null, SqlCatalog? queries = null, PricingNoticeService? notices = null)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Runs the day's sync if due, then reloads prices; returns the sync's report, or null when none ran.</summary>
    public async Task<PriceSyncReport?> RunAsync(CancellationToken cancellationToken = default)
    {
        var report = await SyncIfDueAsync(cancellationToken);
        await source.RefreshAsync(cancellationToken);
        return report;
    }

    private async Task<PriceSyncReport?> SyncIfDueAsync(CancellationToken cancellationToken)
    {
        var from = options.Value.SyncSource;
        if (string.IsNullOrWhiteSpace(from)) return null;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var log = tables.Table(TableNames.PriceSyncs);
        var key = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if ((await log.GetEntityIfExistsAsync<TableEntity>("sync", key, cancellationToken: cancellationToken)).HasValue) return null;

        // The diff is against the table as services see it: seeded first, as the first reload would.
        if (options.Value.SeedFromBundledCatalog) await store.SeedAsync(Core.Pricing.BundledCatalog.Load(), cancellationToken);
        var report = await new PriceMapSyncService(store, Http, clickHouse, queries).SyncAsync(from, today, apply: true, cancellationToken);
        // Before the record, so a concurrent instance's identical notices collide in the outbox rather than being lost to
        // its 409. The window left: a crash between applying and enqueueing (a rerun finds nothing left to change).
        if (report.Applied && notices is not null) await notices.NotifyPriceChangesAsync(report.Plan, cancellationToken);
        try
        {
            // The diff is the record a reviewer reads; a concurrent instance that recorded first wins.
            await log.AddEntityAsync(new TableEntity("sync", key)
            {
                ["From"] = from,
                ["Added"] = report.Plan.Added.Count,
                ["Changed"] = report.Plan.Changed.Count,
                ["Gone"] = report.Plan.Gone.Count,
                ["Pinned"] = report.Plan.Pinned.Count,
                ["Report"] = Truncate(PriceSyncReportJson.Write(report)),
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
        logger.LogInformation("Price sync from {From}: {Added} added, {Changed} changed, {Gone} gone (kept), {Pinned} pinned (kept).",
            from, report.Plan.Added.Count, report.Plan.Changed.Count, report.Plan.Gone.Count, report.Plan.Pinned.Count);
        return report;
    }

    // Azure Tables holds at most 64 KiB per string property (32K UTF-16 characters).
    private static string Truncate(string json) => json.Length <= 32_000 ? json : json[..31_980] + "\n…(truncated)";
}
