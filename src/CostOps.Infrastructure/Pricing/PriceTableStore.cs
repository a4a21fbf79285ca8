using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using CostOps.Core.Pricing;
using CostOps.Infrastructure.Access;
using CostOps.Infrastructure.Tables;

namespace CostOps.Infrastructure.Pricing;

/// <summary>
/// The pricing table in Azure Tables: one row per (provider, model, price version) in <c>prices</c>, tenant overrides
/// in <c>priceoverrides</c>, tenant aliases in <c>modelaliases</c>. Seeded from the bundled catalog (only rows that do
/// not exist yet, so edits survive), then edited with <c>costops prices set|import</c>. Updates of an existing row
/// carry its ETag: a concurrent edit makes the second writer fail instead of silently winning.
/// </summary>
/// Every change through <see cref="SetAsync"/>, <see cref="DeleteAsync"/>, <see cref="ImportAsync"/>, overrides and aliases
/// is recorded in the audit trail when one is given.
public sealed class PriceTableStore(TableStorage tables, AuditLog? audit = null)
{
    private const int BatchSize = 100; // Azure Tables' transaction limit

    private TableClient Prices => tables.Table(TableNames.Prices);
    private TableClient Overrides => tables.Table(TableNames.PriceOverrides);
    private TableClient Aliases => tables.Table(TableNames.ModelAliases);

    /// <summary>Adds the bundled catalog's rows that the table lacks; returns how many were added.</summary>
    public async Task<int> SeedAsync(CatalogDocument bundled, CancellationToken cancellationToken = default)
    {
        var existing = new HashSet<(string, string)>();
        await foreach (var row in Prices.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            existing.Add((row.PartitionKey, row.RowKey));
        }
        var missing = Rows(bundled).Where(r => !existing.Contains((r.PartitionKey, r.RowKey))).ToList();
        foreach (var partition in missing.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(BatchSize))
            {
                try
                {
                    await Prices.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), cancellationToken);
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    // Another instance starting at the same moment seeded some of these rows: add the rest one by one.
                    foreach (var row in chunk) await AddIfAbsentAsync(row, cancellationToken);
                }
            }
        }
        return missing.Count;
    }

    private async Task AddIfAbsentAsync(TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await Prices.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
    }

    /// <summary>Writes every row of a catalog (replacing rows with the same key); returns the row count.</summary>
    public async Task<int> ImportAsync(CatalogDocument document, CancellationToken cancellationToken = default)
    {
        var rows = Rows(document).ToList();
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(BatchSize))
            {
                await Prices.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
            }
        }
        if (audit is not null)
            await audit.RecordAsync("price.import", $"{rows.Count} price version(s)", null,
                string.Join(", ", rows.Select(r => $"{r.PartitionKey}/{r.RowKey}").Take(50)) + (rows.Count > 50 ? ", ..." : ""), cancellationToken);
        return rows.Count;
    }

    /// <summary>
    /// Adds or replaces one price version. Replacing requires <paramref name="expected"/> to match the row's current
    /// ETag when given (from <see cref="GetAsync"/>); a mismatch throws <see cref="PriceConflictException"/>.
    /// </summary>
    public async Task SetAsync(CatalogModel model, ModelPrice price, ETag? expected = null, CancellationToken cancellationToken = default)
    {
        var before = audit is null ? null : await GetAsync(model.Provider, model.Model, price.EffectiveFrom, cancellationToken);
        await WriteAsync(model, price, expected, cancellationToken);
        if (audit is not null)
            await audit.RecordAsync("price.set", $"{model.Provider.OtelName()}/{model.Model}@{price.EffectiveFrom:yyyy-MM-dd}",
                before is { } b ? PriceCatalogJson.SerializePrice(b.Price) : null, PriceCatalogJson.SerializePrice(price), cancellationToken);
    }

    private async Task WriteAsync(CatalogModel model, ModelPrice price, ETag? expected, CancellationToken cancellationToken)
    {
        var row = Row(model, price);
        if (expected is null)
        {
            await Prices.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
            return;
        }
        try
        {
            if (expected.Value == default) await Prices.AddEntityAsync(row, cancellationToken);
            else await Prices.UpdateEntityAsync(row, expected.Value, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw new PriceConflictException($"{model.Provider.OtelName()}/{model.Model}@{price.EffectiveFrom:yyyy-MM-dd} was changed by someone else; read it again and retry.", e);
        }
    }

    /// <summary>One price version with its ETag, or null.</summary>
    public async Task<(ModelPrice Price, ETag ETag)?> GetAsync(ProviderId provider, string model, DateOnly effectiveFrom, CancellationToken cancellationToken = default)
    {
        var response = await Prices.GetEntityIfExistsAsync<TableEntity>(provider.OtelName(), RowKey(model, effectiveFrom), cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } row ? (PriceCatalogJson.ParsePrice(row.GetString("Price")), row.ETag) : null;
    }

    /// <summary>Removes one price version; returns whether it existed.</summary>
    public async Task<bool> DeleteAsync(ProviderId provider, string model, DateOnly effectiveFrom, CancellationToken cancellationToken = default)
    {
        var before = audit is null ? null : await GetAsync(provider, model, effectiveFrom, cancellationToken);
        var response = await Prices.DeleteEntityAsync(provider.OtelName(), RowKey(model, effectiveFrom), ETag.All, cancellationToken);
        if (audit is not null && before is { } b)
            await audit.RecordAsync("price.delete", $"{provider.OtelName()}/{model}@{effectiveFrom:yyyy-MM-dd}", PriceCatalogJson.SerializePrice(b.Price), null, cancellationToken);
        return response.Status != 404;
    }

    /// <summary>Every entry in the table, versions grouped per (provider, model).</summary>
    public async Task<CatalogDocument> LoadAsync(CancellationToken cancellationToken = default)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Prices.QueryAsync<TableEntity>(cancellationToken: cancellationToken)) rows.Add(row);
        var models = rows
            .GroupBy(r => (r.PartitionKey, Model: r.GetString("Model")))
            .Select(g =>
            {
                var versions = g.Select(r => (Row: r, Price: PriceCatalogJson.ParsePrice(r.GetString("Price")))).OrderBy(v => v.Price.EffectiveFrom).ToList();
                var meta = ParseMeta(versions[^1].Row.GetString("Meta"));
                return new CatalogModel
                {
                    Provider = Providers.Parse(g.Key.PartitionKey),
                    Model = g.Key.Model,
                    Ids = meta.Ids ?? [],
                    Notes = meta.Notes,
                    Pinned = meta.Pinned ?? false,
                    Capabilities = meta.Capabilities ?? new ModelCapabilities(),
                    Prices = versions.Select(v => v.Price).ToList(),
                };
            })
            .Where(m => m.Provider != ProviderId.Unknown)
            .OrderBy(m => m.Provider).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
        var version = rows.Count == 0 ? "" : "table@" + rows.Max(r => r.Timestamp ?? DateTimeOffset.MinValue).ToString("yyyy-MM-ddTHH:mm:ssZ");
        return new CatalogDocument(version, models);
    }

    /// <summary>Adds or replaces a tenant override.</summary>
    public async Task SetOverrideAsync(PriceOverride value, CancellationToken cancellationToken = default)
    {
        var problems = value.Validate();
        if (problems.Count > 0) throw new ArgumentException("Invalid override: " + string.Join("; ", problems), nameof(value));
        var row = new TableEntity(value.Tenant, $"{value.Provider.OtelName()}|{EscapeKey(value.Model)}@{value.EffectiveFrom:yyyy-MM-dd}")
        {
            ["Provider"] = value.Provider.OtelName(),
            ["Model"] = value.Model,
            ["EffectiveFrom"] = value.EffectiveFrom.ToString("yyyy-MM-dd"),
            ["EffectiveTo"] = value.EffectiveTo?.ToString("yyyy-MM-dd"),
            ["DiscountPercent"] = value.DiscountPercent?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Price"] = value.Prices is null ? null : PriceCatalogJson.SerializePrice(value.Prices),
        };
        await Overrides.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        if (audit is not null)
            await audit.RecordAsync("override.set", $"{value.Tenant}:{row.RowKey}", null,
                System.Text.Json.JsonSerializer.Serialize(row.Where(p => p.Key is not ("odata.etag" or "PartitionKey" or "RowKey" or "Timestamp")).ToDictionary()), cancellationToken);
    }

    public async Task<IReadOnlyList<PriceOverride>> LoadOverridesAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<PriceOverride>();
        await foreach (var row in Overrides.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            list.Add(new PriceOverride
            {
                Tenant = row.PartitionKey,
                Provider = Providers.Parse(row.GetString("Provider")),
                Model = row.GetString("Model"),
                EffectiveFrom = DateOnly.Parse(row.GetString("EffectiveFrom"), System.Globalization.CultureInfo.InvariantCulture),
                EffectiveTo = row.GetString("EffectiveTo") is { } to ? DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture) : null,
                DiscountPercent = row.GetString("DiscountPercent") is { } d ? decimal.Parse(d, System.Globalization.CultureInfo.InvariantCulture) : null,
                Prices = row.GetString("Price") is { } p ? PriceCatalogJson.ParsePrice(p) : null,
            });
        }
        return list;
    }

    /// <summary>Adds or replaces a tenant alias.</summary>
    public async Task SetAliasAsync(ModelAlias alias, CancellationToken cancellationToken = default)
    {
        await Aliases.UpsertEntityAsync(new TableEntity(alias.Tenant, EscapeKey(alias.Alias))
        {
            ["Alias"] = alias.Alias,
            ["Model"] = alias.Model,
            ["Provider"] = alias.Provider.OtelName(),
        }, TableUpdateMode.Replace, cancellationToken);
        if (audit is not null)
            await audit.RecordAsync("alias.set", $"{alias.Tenant}:{alias.Alias}", null, $"{alias.Provider.OtelName()}/{alias.Model}", cancellationToken);
    }

    public async Task<IReadOnlyList<ModelAlias>> LoadAliasesAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<ModelAlias>();
        await foreach (var row in Aliases.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            list.Add(new ModelAlias(row.PartitionKey, row.GetString("Alias"), row.GetString("Model"), Providers.Parse(row.GetString("Provider"))));
        }
        return list;
    }

    /// <summary>The whole pricing state as one catalog: table entries, overrides and aliases.</summary>
    public async Task<PriceCatalog> LoadCatalogAsync(UnknownModelFallback? fallback = null, CancellationToken cancellationToken = default)
    {
        var document = await LoadAsync(cancellationToken);
        return document.ToCatalog(await LoadOverridesAsync(cancellationToken), await LoadAliasesAsync(cancellationToken), fallback);
    }

    /// <summary>Row key of a price version: the model (escaped for Azure Tables) and the date it takes effect.</summary>
    public static string RowKey(string model, DateOnly effectiveFrom) => $"{EscapeKey(model)}@{effectiveFrom:yyyy-MM-dd}";

    // Azure Tables refuses / \ # ? and control characters in keys; Groq ids hold '/' (openai/gpt-oss-120b).
    private static string EscapeKey(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c)) builder.Append('%').Append(((int)c).ToString("X2"));
            else builder.Append(c);
        }
        return builder.ToString();
    }

    private static IEnumerable<TableEntity> Rows(CatalogDocument document) =>
        document.Models.SelectMany(m => m.Prices.Select(p => Row(m, p)));

    private static TableEntity Row(CatalogModel model, ModelPrice price) =>
        new(model.Provider.OtelName(), RowKey(model.Model, price.EffectiveFrom))
        {
            ["Model"] = model.Model,
            ["EffectiveFrom"] = price.EffectiveFrom.ToString("yyyy-MM-dd"),
            ["Source"] = price.Source,
            ["Price"] = PriceCatalogJson.SerializePrice(price),
            ["Meta"] = JsonSerializer.Serialize(new Meta(model.Ids, model.Notes, model.Capabilities, model.Pinned ? true : null)),
        };

    private static Meta ParseMeta(string? json) =>
        string.IsNullOrEmpty(json) ? new Meta(null, null, null, null) : JsonSerializer.Deserialize<Meta>(json) ?? new Meta(null, null, null, null);

    private sealed record Meta(IReadOnlyList<string>? Ids, string? Notes, ModelCapabilities? Capabilities, bool? Pinned);
}
