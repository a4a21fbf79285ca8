using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using CostOps.Core.Pricing;
using CostOps.Infrastructure.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops cost</c>: prices one call with the prices in force (catalog, table edits, tenant overrides) and shows
/// the components; <c>--json</c> prints one object with exact decimal strings. Exit code 1 when the model is unknown.
/// </summary>
public sealed class CostCommand : ICliCommand
{
    public string Name => "cost";
    public string Summary => "Price one LLM call and show its cost components.";
    /// <summary>Prices come from the pricing table in Azure Tables (Azurite locally).</summary>
    public bool NeedsTables => true;

    private static readonly CliOption<string> Model = CliOption.Text("model", "M", "the model, as the provider names it or an alias").Required();
    private static readonly CliOption<string?> Provider = CliOption.Text("provider", "P", "the provider, when the model name alone is ambiguous");
    private static readonly CliOption<long> InputTokens = Count("input-tokens", "input tokens, cached and cache-write ones included").Required();
    private static readonly CliOption<long> OutputTokens = Count("output-tokens", "output tokens, reasoning ones included").Required();
    private static readonly CliOption<long> CachedInputTokens = Count("cached-input-tokens", "input tokens read from the cache").Default(0);
    private static readonly CliOption<long> CacheWriteTokens = Count("cache-write-tokens", "input tokens written to the cache").Default(0);
    private static readonly CliOption<long> CacheWrite1hTokens = Count("cache-write-1h-tokens", "of those, written for an hour").Default(0);
    private static readonly CliOption<long> ReasoningTokens = Count("reasoning-tokens", "output tokens spent reasoning").Default(0);
    private static readonly CliFlag Batch = CliOption.Flag("batch", "a batch call (batch prices)");
    private static readonly CliOption<string?> Tier = CliOption.Text("service-tier", "priority|flex", "the service tier (default standard)");
    private static readonly CliOption<long> Images = Count("images", "images generated").Default(0);
    private static readonly CliOption<decimal> Seconds = CliOption.Decimal("seconds", "X", "seconds of audio or video").Default(0m);
    private static readonly CliOption<long> Characters = Count("characters", "characters (text to speech)").Default(0);
    private static readonly CliOption<long> WebSearches = Count("web-searches", "web searches").Default(0);
    private static readonly CliOption<DateTimeOffset?> At = CliOption.Instant("at", "price as of this instant (default: now)");
    private static readonly CliOption<string?> Tenant = CliOption.Text("tenant", "T", "apply this tenant's overrides and aliases");

    public CliSyntax Syntax { get; } = new(new CliForm("",
    [
        Model, Provider, InputTokens, OutputTokens, CachedInputTokens, CacheWriteTokens, CacheWrite1hTokens, ReasoningTokens, Batch, Tier,
        Images, Seconds, Characters, WebSearches, At, Tenant, CliOption.Json,
    ]));

    public Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var model = args.Get(Model);
        var provider = args.Get(Provider);
        var tenant = args.Get(Tenant);
        var usage = new UsageTokens(
            args.Get(InputTokens),
            args.Get(OutputTokens),
            args.Get(CachedInputTokens),
            args.Get(CacheWriteTokens),
            args.Get(CacheWrite1hTokens),
            args.Get(ReasoningTokens),
            args.Has(Batch),
            Units: new UsageUnits(args.Get(Images), args.Get(Seconds), args.Get(Characters), args.Get(WebSearches)),
            ServiceTier: args.Get(Tier) switch
            {
                null or "standard" or "default" => ServiceTier.Standard,
                "priority" => ServiceTier.Priority,
                "flex" => ServiceTier.Flex,
                var other => throw new CliUsageException($"--service-tier must be priority, flex or standard, not '{other}'."),
            });
        var at = args.Get(At) ?? context.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var json = args.Has(CliOption.Json);
        if (usage.CachedInput + usage.CacheWrite > usage.Input)
            throw new CliUsageException("cached and cache-write tokens are part of --input-tokens: their sum cannot exceed it.");
        if (usage.Reasoning > usage.Output)
            throw new CliUsageException("--reasoning-tokens are part of --output-tokens: they cannot exceed it.");
        if (usage.CacheWrite1h > usage.CacheWrite)
            throw new CliUsageException("--cache-write-1h-tokens are part of --cache-write-tokens: they cannot exceed it.");

        var catalog = context.Services.GetService<IPriceCatalogSource>()?.Current ?? BundledCatalog.Load().ToCatalog(fallback: UnknownModelFallback.Standard);
        var result = catalog.Price(tenant, provider, model, at, usage);
        if (json) WriteJson(context.Out, result, model, at, usage);
        else WriteText(context.Out, result, model, at, usage);
        return Task.FromResult(result.IsPriced ? 0 : 1);
    }

    private static CliOption<long?> Count(string name, string help) => CliOption.Long(name, "N", help, min: 0);

    /// <summary>Exact, without trailing zeros: 0.0125 rather than 0.012500000.</summary>
    internal static string Usd(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<string> FlagNames(PricingFlags flags) =>
        Enum.GetValues<PricingFlags>().Where(f => f != PricingFlags.None && flags.HasFlag(f)).Select(f => JsonNamingPolicy.SnakeCaseLower.ConvertName(f.ToString()));

    private static void WriteJson(TextWriter output, PricedCost r, string model, DateTimeOffset at, UsageTokens usage)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("provider", r.Provider.OtelName());
            w.WriteString("model", r.CanonicalModel ?? "");
            w.WriteString("model_as_sent", model);
            w.WriteString("cost_usd", Usd(r.Total));
            w.WriteString("price_status", r.Status.ToWireName());
            w.WriteString("price_version", r.PriceVersion ?? "");
            if (r.OverrideVersion is null) w.WriteNull("override_version");
            else w.WriteString("override_version", r.OverrideVersion);
            w.WriteString("at", at.ToString("O", CultureInfo.InvariantCulture));
            w.WriteStartObject("components");
            w.WriteString("input_usd", Usd(r.Components.Input));
            w.WriteString("cache_read_usd", Usd(r.Components.CacheRead));
            w.WriteString("cache_write_usd", Usd(r.Components.CacheWrite));
            w.WriteString("output_usd", Usd(r.Components.Output));
            w.WriteString("request_fee_usd", Usd(r.Components.RequestFee));
            w.WriteString("units_usd", Usd(r.Components.Units));
            w.WriteEndObject();
            w.WriteStartObject("tokens");
            w.WriteNumber("input", usage.Input);
            w.WriteNumber("uncached_input", Math.Max(0, usage.Input - usage.CachedInput - usage.CacheWrite));
            w.WriteNumber("cached_input", usage.CachedInput);
            w.WriteNumber("cache_write", usage.CacheWrite);
            w.WriteNumber("cache_write_1h", usage.CacheWrite1h);
            w.WriteNumber("output", usage.Output);
            w.WriteNumber("reasoning", usage.Reasoning);
            w.WriteBoolean("batch", usage.Batch);
            w.WriteEndObject();
            w.WriteStartArray("notes");
            foreach (var flag in FlagNames(r.Flags)) w.WriteStringValue(flag);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteText(TextWriter output, PricedCost r, string model, DateTimeOffset at, UsageTokens usage)
    {
        if (r.Status == PriceStatus.UnknownModel)
        {
            output.WriteLine($"unknown_model: no price for '{model}' (provider '{r.Provider.OtelName()}') at {at:O}.");
            output.WriteLine("Such events are stored with cost 0 and status unknown_model, and listed; add a price with 'costops prices set' (docs/pricing.md).");
            return;
        }
        if (r.Status == PriceStatus.EstimatedPrice)
        {
            output.WriteLine($"estimated_price: no price for '{model}' (provider '{r.Provider.OtelName()}') at {at:O}; estimated with {r.PriceVersion}.");
            output.WriteLine("Such events count against budgets at this estimate, marked estimated; add the real price with 'costops prices set' or 'costops prices sync' (docs/pricing.md).");
        }
        else output.WriteLine($"{r.Provider.OtelName()} / {r.CanonicalModel}   price version {r.PriceVersion}{(r.OverrideVersion is null ? "" : $", {r.OverrideVersion}")}");
        output.WriteLine($"  input        {Usd(r.Components.Input),24} USD   ({Math.Max(0, usage.Input - usage.CachedInput - usage.CacheWrite):N0} uncached tokens)");
        output.WriteLine($"  cache read   {Usd(r.Components.CacheRead),24} USD   ({usage.CachedInput:N0} tokens)");
        output.WriteLine($"  cache write  {Usd(r.Components.CacheWrite),24} USD   ({usage.CacheWrite:N0} tokens)");
        output.WriteLine($"  output       {Usd(r.Components.Output),24} USD   ({usage.Output:N0} tokens, {usage.Reasoning:N0} of them reasoning)");
        if (r.Components.RequestFee != 0) output.WriteLine($"  request fee  {Usd(r.Components.RequestFee),24} USD");
        if (r.Components.Units != 0) output.WriteLine($"  units        {Usd(r.Components.Units),24} USD   (images, seconds, characters, searches)");
        output.WriteLine($"  total        {Usd(r.Total),24} USD   ({r.Status.ToWireName()})");
        if ((r.Flags & PricingFlags.CacheReadAtInputPrice) != 0) output.WriteLine("  note: the model has no cache-read price; cache reads were billed at the input price.");
        if ((r.Flags & PricingFlags.CacheWriteAtInputPrice) != 0) output.WriteLine("  note: the model has no cache-write price; cache writes were billed at the input price.");
        if ((r.Flags & PricingFlags.AboveTier) != 0) output.WriteLine("  note: input is above the long-context threshold; long-context prices applied.");
        if ((r.Flags & PricingFlags.UnpricedUnits) != 0) output.WriteLine("  note: the model has no price for some of the units given (images, seconds, characters, searches); they count as 0.");
        if ((r.Flags & PricingFlags.BatchPrices) != 0) output.WriteLine("  note: batch prices applied.");
        if (usage.Batch && (r.Flags & PricingFlags.BatchPrices) == 0) output.WriteLine("  note: batch call, but the model has no batch prices; standard prices applied.");
    }
}
