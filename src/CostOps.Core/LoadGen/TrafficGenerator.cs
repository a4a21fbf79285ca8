using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace CostOps.Core.LoadGen;

/// <summary>
/// Realistic synthetic usage events as NDJSON (usage event v1): many tenants, projects, features and users; a model
/// mix across providers; cached prompts with repeating prefixes; identical requests a response cache could answer; a
/// steady high-volume narrow workload worth distilling; reasoning models; batch jobs; errors; daily and weekly rhythm; a
/// few bad events and producer retries. Deterministic for a seed and a "now".
/// </summary>
public sealed class TrafficGenerator(TrafficProfile profile, TimeProvider time)
{
    private static readonly string[] TenantNames =
        ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "cyberdyne", "tyrell", "soylent", "aperture"];

    /// <summary>
    /// One kind of work a feature does: its model, token shape, caching, batching and reasoning. A workload may belong to
    /// one tenant only (<paramref name="Tenant"/>), and may send a fixed set of <paramref name="RequestPool"/> identical
    /// requests (each with its own token counts and a request_hash) at a fixed <paramref name="Temperature"/>.
    /// </summary>
    private sealed record Workload(
        string Project, string Feature, string Provider, string Model, int InputMedian, int OutputMedian,
        double CacheHitRate, double CacheWriteRate, double BatchRate, bool Interactive, double ReasoningShare, int PromptPrefixes,
        double ErrorRate, int LatencyMedianMs, double Weight, string? Tenant = null, int RequestPool = 0, decimal? Temperature = null);

    private static readonly Workload[] Workloads =
    [
        new("chat", "assistant", "openai", "gpt-4o", 1_800, 350, 0.45, 0, 0, true, 0, 40, 0.01, 1_400, 18),
        new("chat", "assistant-lite", "openai", "gpt-4o-mini", 900, 220, 0.3, 0, 0, true, 0, 30, 0.01, 700, 16),
        new("chat", "summarise", "azure.ai.openai", "gpt-4.1", 6_000, 400, 0.05, 0, 0, true, 0, 200, 0.015, 2_600, 8),
        new("search", "rerank", "openai", "gpt-4.1-mini", 2_500, 60, 0, 0, 0, true, 0, 500, 0.005, 500, 10),
        new("search", "answer", "anthropic", "claude-sonnet-4-5", 8_000, 700, 0.6, 0.08, 0, true, 0, 25, 0.01, 3_800, 9),
        new("support", "triage", "anthropic", "claude-haiku-4-5", 1_200, 150, 0.5, 0.05, 0, true, 0, 15, 0.005, 900, 8),
        new("support", "reply-draft", "aws.bedrock", "claude-sonnet-4-5", 4_000, 600, 0, 0.02, 0, true, 0, 60, 0.02, 4_200, 5),
        new("agents", "planner", "openai", "o4-mini", 3_000, 2_500, 0.2, 0, 0, true, 0.7, 20, 0.03, 9_000, 5),
        new("agents", "coder", "openai", "gpt-5", 12_000, 3_000, 0.5, 0, 0, true, 0.5, 10, 0.02, 14_000, 4),
        new("analytics", "nightly-report", "openai", "gpt-4o", 5_000, 900, 0, 0, 0.3, false, 0, 300, 0.01, 6_000, 4),
        new("analytics", "classify", "gcp.gemini", "gemini-2.5-flash", 700, 30, 0, 0, 0, false, 0.1, 1_000, 0.005, 400, 7),
        new("analytics", "extract", "gcp.vertex_ai", "gemini-2.5-pro", 15_000, 1_200, 0.1, 0, 0.2, false, 0.3, 80, 0.01, 8_000, 2),
        new("labs", "experiments", "mistral_ai", "mistral-large-3", 2_000, 500, 0, 0, 0, true, 0, 100, 0.02, 2_000, 2),
        new("labs", "open-weights", "groq", "llama-3.3-70b-versatile", 1_500, 400, 0, 0, 0, true, 0, 100, 0.02, 300, 2),
        new("labs", "long-context", "x_ai", "grok-4", 40_000, 800, 0.2, 0, 0, true, 0.4, 5, 0.02, 12_000, 1),
        new("labs", "prototype", "openai", "gpt-7-preview", 1_000, 300, 0, 0, 0, true, 0, 10, 0.0, 1_500, 0.3),
        // A help-centre bot answering the same 40 questions over and over, deterministically: response-cache material.
        new("support", "faq-bot", "openai", "gpt-4o", 2_500, 300, 0, 0, 0, true, 0, 1, 0.005, 1_200, 10, Tenant: "acme", RequestPool: 40, Temperature: 0m),
        // Ticket routing on a large model, all day every day, one short instruction prefix: distillation material.
        new("support", "ticket-router", "openai", "gpt-4o", 800, 20, 0, 0, 0, true, 0, 1, 0.002, 600, 35, Tenant: "acme", Temperature: 0m),
    ];

    /// <summary>Writes the events as NDJSON (one event per line) into <paramref name="output"/>; returns the count written.</summary>
    public int WriteNdjson(IBufferWriter<byte> output)
    {
        var end = time.GetUtcNow();
        var start = end.AddDays(-profile.Days);
        return Write(output, new Random(profile.Seed), start, (end - start).Ticks, profile.Events, $"evt-{profile.Seed:x}-", cutoff: null);
    }

    /// <summary>
    /// Writes the <see cref="TrafficProfile.Days"/> whole UTC days before today and today up to "now", each day drawn from
    /// a seed of its own and its events named by their date, so a day yields the same events whichever window it falls
    /// in: a rerun later replays what an earlier run wrote (all duplicates) and adds only the traffic since. About
    /// <see cref="TrafficProfile.Events"/> / <see cref="TrafficProfile.Days"/> events a weekday, fewer at weekends.
    /// Returns the count written.
    /// </summary>
    public int WriteDailyNdjson(IBufferWriter<byte> output)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var perDay = profile.Events / (double)Math.Max(1, profile.Days) / MeanDayWeight;
        var written = 0;
        for (var day = today.AddDays(-profile.Days); day <= today; day = day.AddDays(1))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var count = (int)Math.Round(perDay * DayWeight(day.DayOfWeek));
            var daySeed = unchecked(profile.Seed * 1_000_003 + day.DayNumber);
            var prefix = $"evt-{profile.Seed:x}-{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-";
            written += Write(output, new Random(daySeed), start, TimeSpan.TicksPerDay, count, prefix, cutoff: now);
        }
        return written;
    }

    /// <summary>
    /// Draws <paramref name="count"/> events in [start, start + span). Events at or after <paramref name="cutoff"/> (and
    /// their replays) are drawn but not written, so the events before it are the same whatever the cutoff.
    /// </summary>
    private int Write(IBufferWriter<byte> output, Random random, DateTimeOffset start, long span, int count, string idPrefix, DateTimeOffset? cutoff)
    {
        var totalWeight = Workloads.Sum(w => w.Weight);
        var tenants = Math.Clamp(profile.Tenants, 1, TenantNames.Length);
        var drawn = 0;
        var written = 0;
        (string Text, bool Keep)? replay = null;

        while (drawn < count)
        {
            if (replay is { } retry)
            {
                if (retry.Keep)
                {
                    WriteLine(output, retry.Text);
                    written++;
                }
                replay = null;
                drawn++;
                continue;
            }
            if (random.NextDouble() < profile.BadFraction)
            {
                WriteLine(output, BadEvent(random, drawn));
                drawn++;
                written++;
                continue;
            }

            var workload = Pick(random, totalWeight);
            // Traffic leans to the first tenants (a few big customers, a long tail).
            var tenant = workload.Tenant ?? TenantNames[(int)Math.Min(tenants - 1, Math.Floor(tenants * Math.Pow(random.NextDouble(), 1.8)))];
            var at = TimeWithRhythm(random, start, span);
            var id = $"{idPrefix}{drawn:x8}";

            var buffer = new ArrayBufferWriter<byte>(512);
            using (var single = new Utf8JsonWriter(buffer))
            {
                WriteEvent(single, random, workload, tenant, id, at);
            }
            var text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
            var keep = cutoff is null || at < cutoff;
            if (keep)
            {
                WriteLine(output, text);
                written++;
            }
            drawn++;
            if (random.NextDouble() < profile.DuplicateFraction) replay = (text, keep);
        }
        return written;
    }

    private static void WriteLine(IBufferWriter<byte> output, string line)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        output.Write(bytes);
    }

    private static Workload Pick(Random random, double totalWeight)
    {
        var x = random.NextDouble() * totalWeight;
        foreach (var w in Workloads)
        {
            x -= w.Weight;
            if (x <= 0) return w;
        }
        return Workloads[^1];
    }

    private static double DayWeight(DayOfWeek day) => day is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.4 : 1.0;

    private static readonly double MeanDayWeight = Enum.GetValues<DayOfWeek>().Average(DayWeight);

    // More traffic on weekdays and in working hours (UTC), as production traffic has.
    private static DateTimeOffset TimeWithRhythm(Random random, DateTimeOffset start, long span)
    {
        while (true)
        {
            var at = start.AddTicks((long)(random.NextDouble() * span));
            var hourWeight = at.Hour is >= 7 and <= 19 ? 1.0 : 0.35;
            if (random.NextDouble() < hourWeight * DayWeight(at.DayOfWeek)) return new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        }
    }

    private static long LogNormal(Random random, int median, double sigma = 0.6)
    {
        // Box-Muller: token counts are skewed, with a long tail of big prompts.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return Math.Max(1, (long)(median * Math.Exp(sigma * normal)));
    }

    private void WriteEvent(Utf8JsonWriter w, Random random, Workload load, string tenant, string id, DateTimeOffset at)
    {
        // An identical request has the same prompt and, sampled deterministically, the same answer: its tokens come from its own seed.
        var request = load.RequestPool > 0 ? random.Next(load.RequestPool) : -1;
        var shape = request >= 0 ? new Random(request + 1) : random;
        var input = LogNormal(shape, load.InputMedian);
        var output = LogNormal(shape, load.OutputMedian, 0.8);
        var prefix = random.Next(load.PromptPrefixes);
        var cached = random.NextDouble() < load.CacheHitRate ? (long)(input * (0.5 + 0.4 * random.NextDouble())) : 0;
        var cacheWrite = cached == 0 && random.NextDouble() < load.CacheWriteRate ? (long)(input * 0.6) : 0;
        var reasoning = load.ReasoningShare > 0 ? (long)(output * load.ReasoningShare * random.NextDouble()) : 0;
        var batch = random.NextDouble() < load.BatchRate;
        var failed = random.NextDouble() < load.ErrorRate;

        w.WriteStartObject();
        w.WriteString("event_id", id);
        w.WriteString("timestamp", at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        w.WriteString("tenant", tenant);
        w.WriteString("provider", load.Provider);
        w.WriteString("model", load.Model);
        w.WriteString("project", load.Project);
        w.WriteString("feature", load.Feature);
        w.WriteString("user", $"user-{random.Next(1, 60):D3}");
        w.WriteNumber("input_tokens", input);
        w.WriteNumber("output_tokens", output);
        if (cached > 0) w.WriteNumber("cached_input_tokens", cached);
        if (cacheWrite > 0) w.WriteNumber("cache_write_tokens", cacheWrite);
        if (reasoning > 0) w.WriteNumber("reasoning_tokens", reasoning);
        if (batch) w.WriteBoolean("batch", true);
        w.WriteBoolean("interactive", load.Interactive);
        w.WriteNumber("latency_ms", batch ? LogNormal(random, load.LatencyMedianMs * 20) : LogNormal(random, load.LatencyMedianMs, 0.5));
        w.WriteString("status", failed ? "error" : "ok");
        if (failed) w.WriteString("error_type", random.NextDouble() < 0.6 ? "rate_limited" : "timeout");
        w.WriteString("prompt_hash", $"{load.Feature}-p{prefix:D4}");
        if (request >= 0) w.WriteString("request_hash", $"{load.Feature}-r{request:D4}");
        if (load.Temperature is { } temperature) w.WriteNumber("temperature", temperature);
        w.WriteStartObject("tags");
        w.WriteString("env", random.NextDouble() < 0.9 ? "prod" : "staging");
        w.WriteString("team", load.Project == "agents" ? "platform" : load.Project);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string BadEvent(Random random, int n) => random.Next(6) switch
    {
        0 => "{\"event_id\": \"bad-" + n + "\", \"timestamp\": \"2026-01-01T00:00:00Z\", \"tenant\": \"acme\", \"model\": \"gpt-4o\", \"input_tokens\": -5, \"output_tokens\": 1}",
        1 => "{\"event_id\": \"bad-" + n + "\", \"timestamp\": \"2026-01-01T00:00:00Z\", \"tenant\": \"acme\", \"model\": \"gpt-4o\", \"input_tokens\": \"many\", \"output_tokens\": 1}",
        2 => "{\"timestamp\": \"2026-01-01T00:00:00Z\", \"tenant\": \"acme\", \"model\": \"gpt-4o\", \"input_tokens\": 5, \"output_tokens\": 1}",
        3 => "{\"event_id\": \"bad-" + n + "\", \"timestamp\": \"2026-01-01T00:00:00Z\", \"tenant\": \"acme\", \"model\": \"gpt-4o\", \"input_tokens\": 10, \"cached_input_tokens\": 20, \"output_tokens\": 1}",
        4 => "{\"event_id\": \"bad-" + n + "\", \"timestamp\": \"2099-01-01T00:00:00Z\", \"tenant\": \"acme\", \"model\": \"gpt-4o\", \"input_tokens\": 10, \"output_tokens\": 1}",
        _ => "{\"event_id\": \"bad-" + n + "\", \"tenant\": \"acme\", \"model\": gpt-4o, ",
    };
}
