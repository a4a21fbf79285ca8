using System.Diagnostics;
using System.Globalization;
using Azure;
using CostOps.Core.Pricing;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Pricing;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops prices list|show|set|import|export|override|alias</c>: the pricing table in Azure Tables (seeded from the
/// bundled catalog on first use, then editable). Changes reach running services at their next refresh.
/// </summary>
public sealed class PricesCommand : ICliCommand
{
    public string Name => "prices";
    public string Summary => "Manage the pricing table: list, show, set, import, export, tenant overrides and aliases.";
    private static readonly CliOption<string?> Provider = CliOption.Text("provider", "P", "the provider (openai, anthropic, ...)");
    private static readonly CliOption<string?> Model = CliOption.Text("model", "M", "the model");
    private static readonly CliOption<string?> ModelFilter = CliOption.Text("model", "TEXT", "only models whose name contains this");
    private static readonly CliOption<string?> Tenant = CliOption.Text("tenant", "T", "the tenant");
    private static readonly CliOption<DateOnly?> EffectiveFrom = CliOption.Date("effective-from", "the first day the price applies");
    private static readonly CliOption<DateOnly?> EffectiveTo = CliOption.Date("effective-to", "the last day the override applies (default: open-ended)");
    private static readonly CliOption<decimal?> DiscountPercent = CliOption.Decimal("discount-percent", "X", "a discount off the listed prices, instead of explicit prices");
    private static readonly CliOption<string?> Alias = CliOption.Text("alias", "NAME", "the name the tenant's traffic uses");
    private static readonly CliOption<string> SyncFrom = CliOption.Text("from", "FILE|https-URL", "a LiteLLM-format price map").Required();
    private static readonly CliOption<DateOnly?> Effective = CliOption.Date("effective", "the day changed prices take effect (default: today)");
    private static readonly CliFlag Apply = CliOption.Flag("apply", "store the changes (without it, only report them)");

    // Prices, in USD per 1M tokens (the request fee per request).
    private static readonly CliOption<decimal?> Input = Usd("input", "input");
    private static readonly CliOption<decimal?> Output = Usd("output", "output");
    private static readonly CliOption<decimal?> CacheRead = Usd("cache-read", "cache reads");
    private static readonly CliOption<decimal?> CacheWrite = Usd("cache-write", "cache writes (5 minutes)");
    private static readonly CliOption<decimal?> CacheWrite1h = Usd("cache-write-1h", "cache writes (1 hour)");
    private static readonly CliOption<decimal?> BatchInput = Usd("batch-input", "batch input");
    private static readonly CliOption<decimal?> BatchOutput = Usd("batch-output", "batch output");
    private static readonly CliOption<long?> TierThreshold = CliOption.Long("tier-threshold", "N", "input tokens above which the tier prices apply", min: 0);
    private static readonly CliOption<decimal?> TierInput = Usd("tier-input", "input above the tier threshold");
    private static readonly CliOption<decimal?> TierOutput = Usd("tier-output", "output above the tier threshold");
    private static readonly CliOption<decimal?> RequestFee = CliOption.Decimal("request-fee", "X", "USD per request");
    private static readonly CliOption<string> Source = CliOption.Text("source", "TEXT", "where the price comes from").Default("costops prices set");

    /// <summary>What <see cref="ReadPrice"/> reads besides the first day.</summary>
    private static readonly CliOption[] PriceOptions =
        [CacheRead, CacheWrite, CacheWrite1h, BatchInput, BatchOutput, TierThreshold, TierInput, TierOutput, RequestFee, Source];

    public CliSyntax Syntax { get; } = new(
        new CliForm("list", "", "the price versions in the table", [Provider, ModelFilter]),
        new CliForm("show", "", "how a model resolves, its prices and overrides", [Model.Required(), Provider, Tenant]),
        new CliForm("set", "", "add or replace a price version", [Provider.Required(), Model.Required(), EffectiveFrom.Required(), Input.Required(), Output.Required(), .. PriceOptions]),
        new CliForm("import", "FILE.json", "load a catalog file into the table", []),
        new CliForm("export", "[FILE.json]", "write the table as a catalog file (default: standard output)", []),
        new CliForm("override", "", "a tenant's negotiated prices: a discount, or explicit prices",
            [Tenant.Required(), Provider.Required(), Model.Required(), EffectiveFrom.Required(), EffectiveTo, DiscountPercent, Input, Output, .. PriceOptions]),
        new CliForm("alias", "", "a tenant's own name for a model", [Tenant.Required(), Alias.Required(), Model.Required(), Provider]),
        new CliForm("sync", "", "compare with a LiteLLM-format price map and apply the differences", [SyncFrom, Effective, Apply, CliOption.Json]));
    public bool NeedsTables => true;

    // sync reports the stored traffic a change would touch.
    public bool NeedsSchema => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await RunCoreAsync(args, context, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            context.Error.WriteLine($"costops prices: Azure Tables refused the request ({e.Status} {e.ErrorCode}): {e.Message.Split('\n')[0]}");
            return 1;
        }
        catch (PriceConflictException e)
        {
            context.Error.WriteLine($"costops prices: {e.Message}");
            return 1;
        }
        catch (FormatException e)
        {
            context.Error.WriteLine($"costops prices: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> RunCoreAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var store = new PriceTableStore(context.Services.GetRequiredService<TableStorage>(), context.Services.GetRequiredService<CostOps.Infrastructure.Access.AuditLog>());
        var verb = args.Form.Verb;
        if (verb != "import")
        {
            var added = await store.SeedAsync(BundledCatalog.Load(), cancellationToken);
            if (added > 0) context.Error.WriteLine($"Seeded the pricing table with {added} price version(s) from the bundled catalog.");
        }
        return verb switch
        {
            "list" => await ListAsync(args, context, store, cancellationToken),
            "show" => await ShowAsync(args, context, store, cancellationToken),
            "set" => await SetAsync(args, context, store, cancellationToken),
            "import" => await ImportAsync(args, context, store, cancellationToken),
            "export" => await ExportAsync(args, context, store, cancellationToken),
            "override" => await OverrideAsync(args, context, store, cancellationToken),
            "alias" => await AliasAsync(args, context, store, cancellationToken),
            "sync" => await SyncAsync(args, context, store, cancellationToken),
            _ => throw new UnreachableException($"no handler for prices {verb}"),
        };
    }

    private static async Task<int> ListAsync(CliArgs args, CliContext context, PriceTableStore store, CancellationToken cancellationToken)
    {
        var provider = OptionalProvider(args);
        var filter = args.Get(ModelFilter);
        var document = await store.LoadAsync(cancellationToken);
        var rows = document.Models
            .Where(m => provider is null || m.Provider == provider)
            .Where(m => filter is null || m.Model.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .SelectMany(m => m.Prices.Select(p => new[]
            {
                m.Provider.OtelName(), m.Model, p.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), N(p.Input), N(p.Output), N(p.CacheRead),
                N(p.CacheWrite5m), N(p.BatchInput), N(p.BatchOutput), p.TierThresholdTokens?.ToString(CultureInfo.InvariantCulture) ?? "",
            }))
            .ToList();
        WriteTable(context.Out, ["provider", "model", "from", "input", "output", "cache_read", "cache_write", "batch_in", "batch_out", "tier_above"], rows);
        context.Out.WriteLine($"{rows.Count} price version(s) of {document.Models.Count} model(s); USD per 1M tokens.");
        return 0;
    }

    private static async Task<int> ShowAsync(CliArgs args, CliContext context, PriceTableStore store, CancellationToken cancellationToken)
    {
        var model = args.Get(Model)!;
        var provider = args.Get(Provider);
        var tenant = args.Get(Tenant);
        var catalog = await store.LoadCatalogAsync(cancellationToken: cancellationToken);
        var resolution = catalog.Resolve(tenant, provider, model);
        if (resolution.Model is not { } entry)
        {
            context.Out.WriteLine($"unknown_model: '{model}' does not resolve{(provider is null ? "" : $" for provider {provider}")}.");
            return 1;
        }
        context.Out.WriteLine($"{entry.Provider.OtelName()} / {entry.Model}");
        if (entry.Ids.Count > 0) context.Out.WriteLine($"  also known as: {string.Join(", ", entry.Ids)}");
        var c = entry.Capabilities;
        context.Out.WriteLine($"  class {c.Class}, context {c.ContextWindow:N0}, max output {c.MaxOutputTokens:N0}, modalities {string.Join("+", c.Modalities)}, reasoning {c.Reasoning}, caching {c.Caching}");
        if (entry.Notes is { } notes) context.Out.WriteLine($"  note: {notes}");
        foreach (var p in entry.Prices.OrderBy(p => p.EffectiveFrom))
        {
            context.Out.WriteLine($"  {entry.VersionId(p)}  input {N(p.Input)}  output {N(p.Output)}  cache read {N(p.CacheRead)}  cache write {N(p.CacheWrite5m)} / 1h {N(p.CacheWrite1h)}"
                + $"  batch {N(p.BatchInput)} / {N(p.BatchOutput)}"
                + (p.TierThresholdTokens is { } t ? $"  above {t:N0}: input {N(p.AboveTier?.Input)} output {N(p.AboveTier?.Output)}" : "")
                + (p.RequestFee is { } fee ? $"  fee {N(fee)}/request" : "")
                + $"  ({p.Source})");
        }
        foreach (var o in resolution.Overrides)
        {
            context.Out.WriteLine($"  {o.Id}: " + (o.DiscountPercent is { } d ? $"{N(d)}% off" : $"explicit input {N(o.Prices!.Input)} output {N(o.Prices.Output)}")
                + (o.EffectiveTo is { } to ? $" until {to:yyyy-MM-dd}" : ""));
        }
        return 0;
    }

    private static async Task<int> SetAsync(CliArgs args, CliContext context, PriceTableStore store, CancellationToken cancellationToken)
    {
        var provider = OptionalProvider(args)!.Value;
        var model = args.Get(Model)!;
        var price = ReadPrice(args, args.Get(EffectiveFrom)!.Value);

        var document = await store.LoadAsync(cancellationToken);
        var entry = document.Models.FirstOrDefault(m => m.Provider == provider && string.Equals(m.Model, model, StringComparison.OrdinalIgnoreCase))
            ?? new CatalogModel { Provider = provider, Model = model, Prices = [price] };
        var existing = await store.GetAsync(provider, entry.Model, price.EffectiveFrom, cancellationToken);
        await store.SetAsync(entry, price, existing?.ETag ?? default, cancellationToken);
        context.Out.WriteLine($"{(existing is null ? "Added" : "Replaced")} {entry.VersionId(price)}.");
        return 0;
    }

    private static async Task<int> ImportAsync(CliArgs args, CliContext context, PriceTableStore store, CancellationToken cancellationToken)
    {
        var file = args.Positional.Count == 2 ? args.Positional[1] : throw new CliUsageException("give the catalog file to import.");
        var document = PriceCatalogJson.Parse(await File.ReadAllTextAsync(file, cancellationToken));
        var rows = await store.ImportAsync(document, cancellationToken);
        context.Out.WriteLine($"Imported {rows} price version(s) of {document.Models.Count} model(s) from {file}.");
        return 0;
    }

    private static async Task<int> ExportAsync(CliArgs args, CliContext context, PriceTableStore store, CancellationToken cancellationToken)
    {
        var json = PriceCatalogJson.Serialize(await store.LoadAsync(cancellationToken));
        if (args.Positional.Count == 2)
        {
            await File.WriteAllTextAsync(args.Positional[1], json + "\n", cancellationToken);
            context.Error.WriteLine($"Wrote {args.Positional[1]}.");
        }
        else
        {
            context.Out.WriteLine(json);
        }
        return 0;
    }

    private static async Task<int> OverrideAsync(CliArgs args, CliContext context, PriceTableStore store, CancellationToken cancellationToken)
    {
        var tenant = args.Get(Tenant)!;
        var provider = OptionalProvider(args)!.Value;
        var model = args.Get(Model)!;
        var from = args.Get(EffectiveFrom)!.Value;
        var to = args.Get(EffectiveTo);
        var discount = args.Get(DiscountPercent);
        if (discount is not null && PriceOptions.Prepend(Input).Prepend(Output).FirstOrDefault(args.Has) is { } price)
            throw new CliUsageException($"{DiscountPercent} or prices, not both ({price} given).");
        var prices = discount is null ? ReadPrice(args, from) : null;

        // Overrides name the canonical model: resolve what the user typed so a dated id works too.
        var catalog = (await store.LoadAsync(cancellationToken)).ToCatalog();
        var canonical = catalog.Resolve(null, provider.OtelName(), model).Model?.Model
            ?? throw new CliUsageException($"'{model}' is not in the pricing table for {provider.OtelName()}; add a price first (costops prices set).");
        var value = new PriceOverride { Tenant = tenant, Provider = provider, Model = canonical, EffectiveFrom = from, EffectiveTo = to, DiscountPercent = discount, Prices = prices };
        var problems = value.Validate();
        if (problems.Count > 0) throw new CliUsageException(string.Join("; ", problems));
        await store.SetOverrideAsync(value, cancellationToken);
        context.Out.WriteLine($"Saved {value.Id}.");
        return 0;
    }

    private static async Task<int> AliasAsync(CliArgs args, CliContext context, PriceTableStore store, CancellationToken cancellationToken)
    {
        var tenant = args.Get(Tenant)!;
        var alias = args.Get(Alias)!;
        var model = args.Get(Model)!;
        var provider = OptionalProvider(args) ?? ProviderId.Unknown;
        await store.SetAliasAsync(new ModelAlias(tenant, alias, model, provider), cancellationToken);
        context.Out.WriteLine($"Saved alias '{alias}' -> {model}{(provider == ProviderId.Unknown ? "" : $" ({provider.OtelName()})")} for tenant {tenant}.");
        return 0;
    }

    private static async Task<int> SyncAsync(CliArgs args, CliContext context, PriceTableStore store, CancellationToken cancellationToken)
    {
        var from = args.Get(SyncFrom);
        var effective = args.Get(Effective) ?? DateOnly.FromDateTime(context.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var apply = args.Has(Apply);
        var json = args.Has(CliOption.Json);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var service = new PriceMapSyncService(store, http, context.Services.GetService<IClickHouse>(), context.Services.GetService<SqlCatalog>());
        var report = await service.SyncAsync(from, effective, apply, cancellationToken);
        if (json) context.Out.WriteLine(PriceSyncReportJson.Write(report));
        else PriceSyncReportJson.WriteText(report, context.Out);
        return 0;
    }

    private static ModelPrice ReadPrice(CliArgs args, DateOnly effectiveFrom)
    {
        var tierInput = args.Get(TierInput);
        var tierOutput = args.Get(TierOutput);
        var price = new ModelPrice
        {
            EffectiveFrom = effectiveFrom,
            Source = args.Get(Source),
            Input = args.Get(Input) ?? throw new CliUsageException($"{Input} is required (USD per 1M tokens)."),
            Output = args.Get(Output) ?? throw new CliUsageException($"{Output} is required (USD per 1M tokens)."),
            CacheRead = args.Get(CacheRead),
            CacheWrite5m = args.Get(CacheWrite),
            CacheWrite1h = args.Get(CacheWrite1h),
            BatchInput = args.Get(BatchInput),
            BatchOutput = args.Get(BatchOutput),
            RequestFee = args.Get(RequestFee),
            TierThresholdTokens = args.Get(TierThreshold),
            AboveTier = tierInput is null && tierOutput is null ? null : new TierPrices { Input = tierInput, Output = tierOutput },
        };
        var problems = price.Validate();
        return problems.Count == 0 ? price : throw new CliUsageException(string.Join("; ", problems));
    }

    private static ProviderId? OptionalProvider(CliArgs args) => args.Get(Provider) is { } p
        ? Providers.TryParse(p, out var id) ? id : throw new CliUsageException($"unknown provider '{p}'. Known: {string.Join(", ", Providers.All.Select(x => x.OtelName()))}.")
        : null;

    private static CliOption<decimal?> Usd(string name, string what) => CliOption.Decimal(name, "X", $"USD per 1M tokens of {what}");

    private static string N(decimal? value) => value is { } v ? (v / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture) : "-";

    private static void WriteTable(TextWriter output, string[] headers, List<string[]> rows)
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i >= 3 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(headers));
        foreach (var row in rows) output.WriteLine(Line(row));
    }
}
