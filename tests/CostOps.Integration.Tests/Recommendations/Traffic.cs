using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CostOps.Integration.Tests.Recommendations;

/// <summary>Builds usage events (NDJSON, the v1 contract) with exact token counts, spread over the hours before a fixed instant.</summary>
public sealed class Traffic(DateTimeOffset now)
{
    private readonly StringBuilder _ndjson = new();
    private int _next;

    /// <summary>
    /// Adds <paramref name="count"/> calls with the same token counts; <paramref name="promptHash"/>, <paramref name="requestHash"/>
    /// and <paramref name="at"/> (the call's instant; default: spread over <paramref name="hoursSpread"/> hours) may vary per
    /// call through a function of the index.
    /// </summary>
    public Traffic Add(int count, string tenant, string project, string feature, string provider, string model, long input, long output,
        long cached = 0, long cacheWrite = 0, bool? interactive = null, bool batch = false, Func<int, string?>? promptHash = null, int hoursSpread = 72,
        Func<int, string?>? requestHash = null, decimal? temperature = null, Func<int, DateTimeOffset>? at = null)
    {
        for (var i = 0; i < count; i++)
        {
            var id = Interlocked.Increment(ref _next);
            var e = new Dictionary<string, object?>
            {
                ["event_id"] = $"{tenant}-{id:D7}",
                ["timestamp"] = (at?.Invoke(i) ?? now.AddHours(-(i % hoursSpread)).AddMinutes(-1)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                ["tenant"] = tenant,
                ["project"] = project,
                ["feature"] = feature,
                ["provider"] = provider,
                ["model"] = model,
                ["input_tokens"] = input,
                ["output_tokens"] = output,
                ["cached_input_tokens"] = cached,
                ["cache_write_tokens"] = cacheWrite,
                ["batch"] = batch,
            };
            if (interactive is { } inter) e["interactive"] = inter;
            if (promptHash?.Invoke(i) is { } hash) e["prompt_hash"] = hash;
            if (requestHash?.Invoke(i) is { } request) e["request_hash"] = request;
            if (temperature is { } t) e["temperature"] = t;
            _ndjson.Append(JsonSerializer.Serialize(e)).Append('\n');
        }
        return this;
    }

    public byte[] Bytes() => Encoding.UTF8.GetBytes(_ndjson.ToString());
}
