using CostOps.Core.Pricing;
using CostOps.Infrastructure.Ingestion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Pricing;

/// <summary>
/// The prices in force, read from the pricing table and cached in process. <see cref="Current"/> never waits on
/// storage after the first load: when the copy is older than the refresh interval, one background refresh starts and
/// callers keep the previous catalog until it lands. A failed refresh keeps the previous catalog and is logged.
/// </summary>
public sealed class TablePriceCatalogSource : IPriceCatalogSource
{
    private readonly PriceTableStore _store;
    private readonly PricingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TablePriceCatalogSource>? _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile PriceCatalog? _current;
    private long _loadedAt;
    private int _refreshing;
    private readonly Lock _firstLoadGate = new();
    private Task<PriceCatalog>? _firstLoad;

    public TablePriceCatalogSource(PriceTableStore store, IOptions<PricingOptions> options, TimeProvider time, ILogger<TablePriceCatalogSource>? logger = null)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public PriceCatalog Current
    {
        get
        {
            var current = _current;
            if (current is null) return FirstLoad().GetAwaiter().GetResult();
            if (_time.GetElapsedTime(Interlocked.Read(ref _loadedAt)) >= _options.RefreshInterval && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await RefreshAsync();
                    }
                    catch (Exception e)
                    {
                        _logger?.LogWarning(e, "Refreshing the pricing table failed; the previous prices stay in force.");
                    }
                    finally
                    {
                        Volatile.Write(ref _refreshing, 0);
                    }
                });
            }
            return current;
        }
    }

    public async ValueTask<PriceCatalog> CurrentAsync(CancellationToken cancellationToken) =>
        _current is null ? await FirstLoad().WaitAsync(cancellationToken) : Current;

    // Callers arriving together before the first load share one load (each used to run its own, one after another,
    // blocking a pool thread each: a fresh instance hit by 32 concurrent requests starved for minutes).
    private Task<PriceCatalog> FirstLoad()
    {
        lock (_firstLoadGate)
        {
            if (_firstLoad is null || _firstLoad.IsFaulted || _firstLoad.IsCanceled) _firstLoad = Task.Run(() => RefreshAsync());
            return _firstLoad;
        }
    }

    /// <summary>Reads the table now (seeding it first when configured) and makes the result current.</summary>
    public async Task<PriceCatalog> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            if (_options.SeedFromBundledCatalog && _current is null) await _store.SeedAsync(BundledCatalog.Load(), cancellationToken);
            var catalog = await _store.LoadCatalogAsync(_options.Fallback(), cancellationToken);
            _current = catalog;
            Interlocked.Exchange(ref _loadedAt, _time.GetTimestamp());
            return catalog;
        }
        finally
        {
            _refreshGate.Release();
        }
    }
}
