using System.Text.Json.Serialization;

namespace CostOps.Core.Ingestion;

/// <summary>
/// Source-generated System.Text.Json metadata for producers that serialize <see cref="UsageEvent"/> (fast, and
/// trimming/AOT safe). Reading is the job of <see cref="UsageEventParser"/>, which validates and normalises.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UsageEvent))]
[JsonSerializable(typeof(UsageEvent[]))]
public sealed partial class UsageEventJsonContext : JsonSerializerContext;
