using CostOps.Core.Pricing;
using CostOps.Infrastructure.Pricing;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Pricing;

/// <summary>
/// The pricing table on a real Azurite. Every test gets tables of its own (xunit makes one instance per test), so
/// none sees the price versions another added, whatever order they run in.
/// </summary>
public sealed class PriceTableStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly AzuriteFixture _tables = new();

    private PriceTableStore Store => new(_tables.Tables);

    public Task InitializeAsync() => _tables.InitializeAsync();

    public Task DisposeAsync() => _tables.DisposeAsync();

    [Fact]
    public async Task Seeding_copies_the_bundled_catalog_once_and_keeps_edits()
    {
        var bundled = BundledCatalog.Load();
        await Store.SeedAsync(bundled);
        var edited = bundled.Models.First(m => m.Provider == ProviderId.Groq && m.Model == "openai/gpt-oss-120b");
        var price = edited.Prices[0] with { Input = 0.11m };
        var current = await Store.GetAsync(edited.Provider, edited.Model, price.EffectiveFrom);
        await Store.SetAsync(edited, price, current!.Value.ETag);

        var addedAgain = await Store.SeedAsync(bundled);
        var loaded = await Store.LoadAsync();

        Assert.Equal(0, addedAgain);
        Assert.Equal(bundled.Models.Count, loaded.Models.Count);
        Assert.Equal(bundled.Models.Sum(m => m.Prices.Count), loaded.Models.Sum(m => m.Prices.Count));
        Assert.Equal(0.11m, loaded.Models.Single(m => m.Provider == ProviderId.Groq && m.Model == "openai/gpt-oss-120b").Prices[0].Input);
        var sonnet = loaded.Models.Single(m => m.Provider == ProviderId.AwsBedrock && m.Model == "claude-sonnet-4-5");
        Assert.Contains("global.anthropic.claude-sonnet-4-5-20250929-v1:0", sonnet.Ids);
        Assert.Equal("frontier", sonnet.Capabilities.Class);
        Assert.Equal(200_000, sonnet.Prices[0].TierThresholdTokens);
    }

    [Fact]
    public async Task A_new_price_version_prices_events_after_its_date_only()
    {
        var bundled = BundledCatalog.Load();
        await Store.SeedAsync(bundled);
        var model = bundled.Models.Single(m => m.Provider == ProviderId.MistralAI && m.Model == "codestral");
        await Store.SetAsync(model, new ModelPrice { EffectiveFrom = new DateOnly(2026, 1, 15), Input = 0.2m, Output = 0.6m, Source = "test" }, default);

        var catalog = await Store.LoadCatalogAsync();
        var usage = new UsageTokens(1_000_000, 0);
        var before = catalog.Price(null, "mistral", "codestral-2508", new DateTimeOffset(2026, 1, 14, 23, 0, 0, TimeSpan.Zero), usage);
        var after = catalog.Price(null, "mistral", "codestral-2508", new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero), usage);

        Assert.Equal(0.3m, before.Total);
        Assert.Equal(0.2m, after.Total);
        Assert.Equal("mistral_ai/codestral@2026-01-15", after.PriceVersion);
    }

    [Fact]
    public async Task A_stale_ETag_loses_a_concurrent_price_edit()
    {
        var bundled = BundledCatalog.Load();
        await Store.SeedAsync(bundled);
        var model = bundled.Models.Single(m => m.Provider == ProviderId.Cohere && m.Model == "command-r-08-2024");
        var read = (await Store.GetAsync(model.Provider, model.Model, model.Prices[0].EffectiveFrom))!.Value;

        await Store.SetAsync(model, read.Price with { Input = 0.14m }, read.ETag);
        var conflict = await Assert.ThrowsAsync<PriceConflictException>(() => Store.SetAsync(model, read.Price with { Input = 0.13m }, read.ETag));

        Assert.Contains("changed by someone else", conflict.Message);
        Assert.Equal(0.14m, (await Store.GetAsync(model.Provider, model.Model, model.Prices[0].EffectiveFrom))!.Value.Price.Input);
    }

    [Fact]
    public async Task Overrides_and_aliases_round_trip_and_apply()
    {
        await Store.SeedAsync(BundledCatalog.Load());
        await Store.SetOverrideAsync(new PriceOverride { Tenant = "acme", Provider = ProviderId.Anthropic, Model = "claude-haiku-4-5", EffectiveFrom = new DateOnly(2025, 1, 1), DiscountPercent = 25m });
        await Store.SetOverrideAsync(new PriceOverride
        {
            Tenant = "acme", Provider = ProviderId.AzureOpenAI, Model = "gpt-4o", EffectiveFrom = new DateOnly(2025, 1, 1), EffectiveTo = new DateOnly(2030, 1, 1),
            Prices = new ModelPrice { EffectiveFrom = new DateOnly(2025, 1, 1), Input = 1m, Output = 3m, Source = "contract" },
        });
        await Store.SetAliasAsync(new ModelAlias("acme", "chat-prod/eu", "gpt-4o", ProviderId.AzureOpenAI));

        var catalog = await Store.LoadCatalogAsync();
        var usage = new UsageTokens(1_000_000, 0);
        var haiku = catalog.Price("acme", "anthropic", "claude-haiku-4-5-20251001", Now, usage);
        var deployment = catalog.Price("acme", null, "chat-prod/eu", Now, usage);

        Assert.Equal(0.75m, haiku.Total);
        Assert.Equal("override:acme/anthropic/claude-haiku-4-5@2025-01-01", haiku.OverrideVersion);
        Assert.Equal(1m, deployment.Total);
        Assert.Equal(ProviderId.AzureOpenAI, deployment.Provider);
    }

    [Fact]
    public async Task Export_then_import_reproduces_the_table()
    {
        await Store.SeedAsync(BundledCatalog.Load());
        var exported = PriceCatalogJson.Serialize(await Store.LoadAsync());

        var rows = await Store.ImportAsync(PriceCatalogJson.Parse(exported));
        var again = PriceCatalogJson.Serialize(await Store.LoadAsync() with { Version = PriceCatalogJson.Parse(exported).Version });

        Assert.True(rows >= 125);
        Assert.Equal(exported, again);
    }

    [Fact]
    public async Task Table_source_seeds_on_first_use_and_refreshes_after_the_interval()
    {
        var time = new FakeTimeProvider(Now);
        var source = new TablePriceCatalogSource(Store, Options.Create(new PricingOptions { RefreshInterval = TimeSpan.FromMinutes(5) }), time);

        var first = source.Current;
        Assert.True(first.Models.Count >= 125);
        Assert.Same(first, source.Current);

        var model = first.Models.Single(m => m.Provider == ProviderId.XAI && m.Model == "grok-3-mini");
        await Store.SetAsync(model, model.Prices[0] with { EffectiveFrom = new DateOnly(2026, 1, 20), Input = 0.2m }, default);
        time.Advance(TimeSpan.FromMinutes(6));
        var refreshed = await source.RefreshAsync();

        Assert.NotSame(first, refreshed);
        Assert.Same(refreshed, source.Current);
        Assert.Equal(0.2m, refreshed.Price(null, "xai", "grok-3-mini", Now, new UsageTokens(1_000_000, 0)).Total);
    }
}
