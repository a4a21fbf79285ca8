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
    public string Usage =>
        "costops prices list [--provider P] [--model TEXT]\n"
        + "       costops prices show --model M [--provider P] [--tenant T]\n"
        + "       costops prices set --provider P --model M --effective-from YYYY-MM-DD --input X --output X [--cache-read X] [--cache-write X]\n"
        + "                          [--cache-write-1h X] [--batch-input X] [--batch-output X] [--tier-threshold N --tier-input X --tier-output X]\n"
        + "                          [--request-fee X] [--source TEXT]        (USD per 1M tokens; the fee per request)\n"
        + "       costops prices import FILE.json\n"
        + "       costops prices export [FILE.json]\n"
        + "       costops prices override --tenant T --provider P --model M --effective-from D [--effective-to D] (--discount-percent X | --input X --output X ...)\n"
        + "       costops prices alias --tenant T --alias NAME --model M [--provider P]\n"
        + "       costops prices sync --from FILE|https-URL [--effective YYYY-MM-DD] [--apply] [--json]   (a LiteLLM-format price map)";
    public bool NeedsTables => true;

    // sync reports the stored traffic a change would touch.
    public bool NeedsSchema => true;

    public IReadOnlySet<string> Flags => new HashSet<string> { "apply", "json" };

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
        var verb = args.Positional.Count > 0 ? args.Positional[0] : throw new CliUsageException("say what to do: list, show, set, import, export, override or alias.");
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
            _ => throw new CliUsageException($"unknown action '{verb}'."),
        };
    }

    private static async Task<int> ListAsync(CliArgs args, CliContext context, PriceTableStore store, CancellationToken cancellationToken)
    {
        var provider = OptionalProvider(args);
        var filter = args.Option("model");
        args.RejectUnknown();
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
        var model = args.Option("model") ?? throw new CliUsageException("--model is required.");
        var provider = args.Option("provider");
        var tenant = args.Option("tenant");
        args.RejectUnknown();
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
        var provider = OptionalProvider(args) ?? throw new CliUsageException("--provider is required.");
        var model = args.Option("model") ?? throw new CliUsageException("--model is required.");
        var price = ReadPrice(args);
        args.RejectUnknown();

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
        args.RejectUnknown();
        var file = args.Positional.Count == 2 ? args.Positional[1] : throw new CliUsageException("give the catalog file to import.");
        var document = PriceCatalogJson.Parse(await File.ReadAllTextAsync(file, cancellationToken));
        var rows = await store.ImportAsync(document, cancellationToken);
        context.Out.WriteLine($"Imported {rows} price version(s) of {document.Models.Count} model(s) from {file}.");
        return 0;
    }

    private static async Task<int> ExportAsync(CliArgs args, CliContext context, PriceTableStore store, CancellationToken cancellationToken)
    {
        args.RejectUnknown();
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
        var tenant = args.Option("tenant") ?? throw new CliUsageException("--tenant is required.");
        var provider = OptionalProvider(args) ?? throw new CliUsageException("--provider is required.");
        var model = args.Option("model") ?? throw new CliUsageException("--model is required.");
        var from = Date(args, "effective-from") ?? throw new CliUsageException("--effective-from is required.");
        var to = Date(args, "effective-to");
        var discount = Decimal(args, "discount-percent");
        var prices = discount is null ? ReadPrice(args, from) : null;
        args.RejectUnknown();

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
        var tenant = args.Option("tenant") ?? throw new CliUsageException("--tenant is required.");
        var alias = args.Option("alias") ?? throw new CliUsageException("--alias is required.");
        var model = args.Option("model") ?? throw new CliUsageException("--model is required.");
        var provider = OptionalProvider(args) ?? ProviderId.Unknown;
        args.RejectUnknown();
        await store.SetAliasAsync(new ModelAlias(tenant, alias, model, provider), cancellationToken);
        context.Out.WriteLine($"Saved alias '{alias}' -> {model}{(provider == ProviderId.Unknown ? "" : $" ({provider.OtelName()})")} for tenant {tenant}.");
        return 0;
    }

    private static async Task<int> SyncAsync(CliArgs args, CliContext context, PriceTableStore store, CancellationToken cancellationToken)
    {
        var from = args.Option("from") ?? throw new CliUsageException("--from is required: a LiteLLM-format price map file or https URL.");
        var effective = Date(args, "effective") ?? DateOnly.FromDateTime(context.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var apply = args.Flag("apply");
        var json = args.Flag("json");
        args.RejectUnknown();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var service = new PriceMapSyncService(store, http, context.Services.GetService<IClickHouse>(), context.Services.GetService<SqlCatalog>());
        var report = await service.SyncAsync(from, effective, apply, cancellationToken);
        if (json) context.Out.WriteLine(PriceSyncReportJson.Write(report));
        else PriceSyncReportJson.WriteText(report, context.Out);
        return 0;
    }

    private static ModelPrice ReadPrice(CliArgs args, DateOnly? from = null)
    {
        var effectiveFrom = from ?? Date(args, "effective-from") ?? throw new CliUsageException("--effective-from is required.");
        var threshold = args.Option("tier-threshold") is { } t
            ? long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new CliUsageException($"--tier-threshold must be a whole number, not '{t}'.")
            : (long?)null;
        var tierInput = Decimal(args, "tier-input");
        var tierOutput = Decimal(args, "tier-output");
        var price = new ModelPrice
        {
            EffectiveFrom = effectiveFrom,
            Source = args.Option("source") ?? "costops prices set",
            Input = Decimal(args, "input") ?? throw new CliUsageException("--input is required (USD per 1M tokens)."),
            Output = Decimal(args, "output") ?? throw new CliUsageException("--output is required (USD per 1M tokens)."),
            CacheRead = Decimal(args, "cache-read"),
            CacheWrite5m = Decimal(args, "cache-write"),
            CacheWrite1h = Decimal(args, "cache-write-1h"),
            BatchInput = Decimal(args, "batch-input"),
            BatchOutput = Decimal(args, "batch-output"),
            RequestFee = Decimal(args, "request-fee"),
            TierThresholdTokens = threshold,
            AboveTier = tierInput is null && tierOutput is null ? null : new TierPrices { Input = tierInput, Output = tierOutput },
        };
        var problems = price.Validate();
        return problems.Count == 0 ? price : throw new CliUsageException(string.Join("; ", problems));
    }

    private static ProviderId? OptionalProvider(CliArgs args) => args.Option("provider") is { } p
        ? Providers.TryParse(p, out var id) ? id : throw new CliUsageException($"unknown provider '{p}'. Known: {string.Join(", ", Providers.All.Select(x => x.OtelName()))}.")
        : null;

    private static decimal? Decimal(CliArgs args, string name) => args.Option(name) is { } text
        ? decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : throw new CliUsageException($"--{name} must be a decimal number like 2.50, not '{text}'.")
        : null;

    private static DateOnly? Date(CliArgs args, string name) => args.Option(name) is { } text
        ? DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : throw new CliUsageException($"--{name} must be a date like 2025-11-01, not '{text}'.")
        : null;

    private static string N(decimal? value) => value is { } v ? (v / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture) : "-";

    private static void WriteTable(TextWriter output, string[] headers, List<string[]> rows)
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i >= 3 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(headers));
        foreach (var row in rows) output.WriteLine(Line(row));
    }
}
