using System.Text.Json;
using System.Text.Json.Serialization;

namespace CostOps.Core.Pricing;

/// <summary>
/// Reads and writes the catalog file format (JSON, prices per 1M tokens as JSON numbers read exactly into decimal).
/// Parsing from text only: where the text comes from (embedded file, table export, user file) is the caller's business.
/// </summary>
public static class PriceCatalogJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Parses a catalog file; throws <see cref="FormatException"/> naming every invalid entry.</summary>
    public static CatalogDocument Parse(string json)
    {
        CatalogFileDto? file;
        try
        {
            file = JsonSerializer.Deserialize<CatalogFileDto>(json, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The price catalog is not valid JSON: {e.Message}", e);
        }
        if (file is null) throw new FormatException("The price catalog is empty.");

        var problems = new List<string>();
        var models = new List<CatalogModel>(file.Models.Count);
        foreach (var dto in file.Models)
        {
            var name = $"{dto.Provider}/{dto.Model}";
            if (!Providers.TryParse(dto.Provider, out var provider)) { problems.Add($"{name}: unknown provider '{dto.Provider}'"); continue; }
            if (string.IsNullOrWhiteSpace(dto.Model)) { problems.Add($"{name}: model is required"); continue; }
            if (dto.Prices.Count == 0) { problems.Add($"{name}: no prices"); continue; }
            var prices = new List<ModelPrice>();
            foreach (var p in dto.Prices)
            {
                if (p.Input is null || p.Output is null) { problems.Add($"{name}@{p.EffectiveFrom:yyyy-MM-dd}: input and output are required"); continue; }
                var price = ToDomain(p);
                problems.AddRange(price.Validate().Select(v => $"{name}@{p.EffectiveFrom:yyyy-MM-dd}: {v}"));
                prices.Add(price);
            }
            models.Add(new CatalogModel
            {
                Provider = provider,
                Model = dto.Model,
                Ids = dto.Ids ?? [],
                Notes = dto.Notes,
                Pinned = dto.Pinned ?? false,
                Capabilities = dto.Capabilities is { } c
                    ? new ModelCapabilities
                    {
                        Class = c.Class ?? "",
                        ContextWindow = c.ContextWindow,
                        MaxOutputTokens = c.MaxOutputTokens,
                        Modalities = c.Modalities ?? [],
                        Reasoning = c.Reasoning,
                        Caching = c.Caching,
                        Mode = c.Mode ?? ModelCapabilities.ChatMode,
                    }
                    : new ModelCapabilities(),
                Prices = prices,
            });
        }
        if (problems.Count > 0) throw new FormatException("Invalid price catalog: " + string.Join("; ", problems));
        return new CatalogDocument(file.CatalogVersion ?? "", models);
    }

    /// <summary>Writes a catalog in the same format <see cref="Parse"/> reads.</summary>
    public static string Serialize(CatalogDocument document)
    {
        var file = new CatalogFileDto
        {
            CatalogVersion = document.Version,
            Currency = "USD",
            Unit = "per 1M tokens",
            Models = document.Models.Select(m => new CatalogModelDto
            {
                Provider = m.Provider.OtelName(),
                Model = m.Model,
                Ids = m.Ids.Count > 0 ? m.Ids.ToList() : null,
                Notes = m.Notes,
                Pinned = m.Pinned ? true : null,
                Capabilities = new CapabilitiesDto
                {
                    Class = m.Capabilities.Class,
                    ContextWindow = m.Capabilities.ContextWindow,
                    MaxOutputTokens = m.Capabilities.MaxOutputTokens,
                    Modalities = m.Capabilities.Modalities.ToList(),
                    Reasoning = m.Capabilities.Reasoning,
                    Caching = m.Capabilities.Caching,
                    Mode = m.Capabilities.Mode == ModelCapabilities.ChatMode ? null : m.Capabilities.Mode,
                },
                Prices = m.Prices.OrderBy(p => p.EffectiveFrom).Select(ToDto).ToList(),
            }).ToList(),
        };
        return JsonSerializer.Serialize(file, Options);
    }

    /// <summary>One price version as JSON (the catalog's price object), e.g. for a table row.</summary>
    public static string SerializePrice(ModelPrice price) => JsonSerializer.Serialize(ToDto(price), Options);

    /// <summary>Reads what <see cref="SerializePrice"/> wrote.</summary>
    public static ModelPrice ParsePrice(string json)
    {
        var dto = JsonSerializer.Deserialize<PriceDto>(json, Options) ?? throw new FormatException("Empty price.");
        if (dto.Input is null || dto.Output is null) throw new FormatException("A price needs input and output.");
        var price = ToDomain(dto);
        var problems = price.Validate();
        if (problems.Count > 0) throw new FormatException("Invalid price: " + string.Join("; ", problems));
        return price;
    }

    private static ModelPrice ToDomain(PriceDto p) => new()
    {
        EffectiveFrom = p.EffectiveFrom,
        Source = p.Source ?? "",
        Input = p.Input ?? 0m,
        Output = p.Output ?? 0m,
        CacheRead = p.CacheRead,
        CacheWrite5m = p.CacheWrite5m,
        CacheWrite1h = p.CacheWrite1h,
        BatchInput = p.BatchInput,
        BatchOutput = p.BatchOutput,
        TierThresholdTokens = p.TierThresholdTokens,
        RequestFee = p.RequestFee,
        AboveTier = ToDomain(p.AboveTier),
        Priority = ToDomain(p.Priority),
        Flex = ToDomain(p.Flex),
        Units = p.Units is { } u ? new UnitPrices { Image = u.Image, Second = u.Second, Character = u.Character, WebSearch = u.WebSearch } : null,
    };

    private static TierPrices? ToDomain(TierDto? t) => t is null ? null : new TierPrices
    {
        Input = t.Input,
        Output = t.Output,
        CacheRead = t.CacheRead,
        CacheWrite5m = t.CacheWrite5m,
        CacheWrite1h = t.CacheWrite1h,
        BatchInput = t.BatchInput,
        BatchOutput = t.BatchOutput,
    };

    private static PriceDto ToDto(ModelPrice p) => new()
    {
        EffectiveFrom = p.EffectiveFrom,
        Source = p.Source,
        Input = p.Input,
        Output = p.Output,
        CacheRead = p.CacheRead,
        CacheWrite5m = p.CacheWrite5m,
        CacheWrite1h = p.CacheWrite1h,
        BatchInput = p.BatchInput,
        BatchOutput = p.BatchOutput,
        TierThresholdTokens = p.TierThresholdTokens,
        RequestFee = p.RequestFee,
        AboveTier = ToDto(p.AboveTier),
        Priority = ToDto(p.Priority),
        Flex = ToDto(p.Flex),
        Units = p.Units is { } u ? new UnitsDto { Image = u.Image, Second = u.Second, Character = u.Character, WebSearch = u.WebSearch } : null,
    };

    private static TierDto? ToDto(TierPrices? t) => t is null ? null : new TierDto
    {
        Input = t.Input,
        Output = t.Output,
        CacheRead = t.CacheRead,
        CacheWrite5m = t.CacheWrite5m,
        CacheWrite1h = t.CacheWrite1h,
        BatchInput = t.BatchInput,
        BatchOutput = t.BatchOutput,
    };
}
