using System.Text.Json.Serialization;

namespace CostOps.Core.Pricing;

// The catalog file's shape (data/pricing schema, docs/pricing.md). Kept apart from the domain records so the file
// format can stay stable while the domain evolves.

internal sealed class CatalogFileDto
{
    [JsonPropertyName("catalog_version")] public string? CatalogVersion { get; set; }
    [JsonPropertyName("currency")] public string? Currency { get; set; }
    [JsonPropertyName("unit")] public string? Unit { get; set; }
    [JsonPropertyName("comment")] public string? Comment { get; set; }
    [JsonPropertyName("models")] public List<CatalogModelDto> Models { get; set; } = [];
}

internal sealed class CatalogModelDto
{
    [JsonPropertyName("provider")] public string Provider { get; set; } = "";
    [JsonPropertyName("model")] public string Model { get; set; } = "";
    [JsonPropertyName("ids")] public List<string>? Ids { get; set; }
    [JsonPropertyName("capabilities")] public CapabilitiesDto? Capabilities { get; set; }
    [JsonPropertyName("notes")] public string? Notes { get; set; }
    [JsonPropertyName("pinned")] public bool? Pinned { get; set; }
    [JsonPropertyName("prices")] public List<PriceDto> Prices { get; set; } = [];
}

internal sealed class CapabilitiesDto
{
    [JsonPropertyName("class")] public string? Class { get; set; }
    [JsonPropertyName("context_window")] public long ContextWindow { get; set; }
    [JsonPropertyName("max_output_tokens")] public long MaxOutputTokens { get; set; }
    [JsonPropertyName("modalities")] public List<string>? Modalities { get; set; }
    [JsonPropertyName("reasoning")] public bool Reasoning { get; set; }
    [JsonPropertyName("caching")] public bool Caching { get; set; }
    [JsonPropertyName("mode")] public string? Mode { get; set; }
}

internal sealed class PriceDto
{
    [JsonPropertyName("effective_from")] public DateOnly EffectiveFrom { get; set; }
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("input")] public decimal? Input { get; set; }
    [JsonPropertyName("output")] public decimal? Output { get; set; }
    [JsonPropertyName("cache_read")] public decimal? CacheRead { get; set; }
    [JsonPropertyName("cache_write_5m")] public decimal? CacheWrite5m { get; set; }
    [JsonPropertyName("cache_write_1h")] public decimal? CacheWrite1h { get; set; }
    [JsonPropertyName("batch_input")] public decimal? BatchInput { get; set; }
    [JsonPropertyName("batch_output")] public decimal? BatchOutput { get; set; }
    [JsonPropertyName("tier_threshold_tokens")] public long? TierThresholdTokens { get; set; }
    [JsonPropertyName("above_tier")] public TierDto? AboveTier { get; set; }
    [JsonPropertyName("request_fee")] public decimal? RequestFee { get; set; }
    [JsonPropertyName("priority")] public TierDto? Priority { get; set; }
    [JsonPropertyName("flex")] public TierDto? Flex { get; set; }
    [JsonPropertyName("units")] public UnitsDto? Units { get; set; }
}

internal sealed class UnitsDto
{
    [JsonPropertyName("image")] public decimal? Image { get; set; }
    [JsonPropertyName("second")] public decimal? Second { get; set; }
    [JsonPropertyName("character")] public decimal? Character { get; set; }
    [JsonPropertyName("web_search")] public decimal? WebSearch { get; set; }
}

internal sealed class TierDto
{
    [JsonPropertyName("input")] public decimal? Input { get; set; }
    [JsonPropertyName("output")] public decimal? Output { get; set; }
    [JsonPropertyName("cache_read")] public decimal? CacheRead { get; set; }
    [JsonPropertyName("cache_write_5m")] public decimal? CacheWrite5m { get; set; }
    [JsonPropertyName("cache_write_1h")] public decimal? CacheWrite1h { get; set; }
    [JsonPropertyName("batch_input")] public decimal? BatchInput { get; set; }
    [JsonPropertyName("batch_output")] public decimal? BatchOutput { get; set; }
}
