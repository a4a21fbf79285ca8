using System.Globalization;
using CostOps.Core.Pricing;
using CostOps.Core.Recommendations;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>
/// Reads the analysed window's traffic per scope in four grouped queries, whatever the number of scopes:
/// <c>recommendations/usage_profile</c> (token mix per tier slice, batch and interactivity, plus scope signals),
/// <c>recommendations/prompt_repeats</c> (prompt_hash repetition), <c>recommendations/request_repeats</c> (identical
/// requests a response cache would answer, per lifetime) and, only for the scopes that could qualify for distillation,
/// <c>recommendations/daily_volume</c> (steadiness). All scan only the window's events.
/// </summary>
public sealed class UsageProfileReader(IClickHouse clickHouse, SqlCatalog catalog)
{
    /// <summary>The long-context thresholds the slices are cut at: every threshold the catalog's prices name, ascending.</summary>
    public static IReadOnlyList<long> Thresholds(PriceCatalog prices) => prices.Models
        .SelectMany(m => m.Prices)
        .Select(p => p.TierThresholdTokens)
        .OfType<long>()
        .Where(t => t > 0)
        .Distinct()
        .Order()
        .ToList();

    public async Task<IReadOnlyList<UsageProfile>> ReadAsync(
        DateTimeOffset from, DateTimeOffset to, string? tenant, PriceCatalog prices, RecommendationSettings settings,
        CancellationToken cancellationToken = default)
    {
        var thresholds = Thresholds(prices);
        var profileTsv = await ReadProfileAsync(from, to, tenant, thresholds, settings, cancellationToken);
        var repeatTsv = await clickHouse.QueryAsync(catalog.Get(SqlNames.Recommendations.PromptRepeats), "TSV", new QueryParameters
        {
            { "from", from }, { "to", to }, { "tenant", tenant ?? "" }, { "min_prefix", (ulong)Math.Max(0, settings.MinCacheablePrefixTokens) },
        }, cancellationToken);

        var repeats = new Dictionary<string, PromptRepeats>(StringComparer.Ordinal);
        foreach (var c in Rows(repeatTsv))
        {
            repeats[c[0]] = new PromptRepeats(Long(c[1]), Long(c[2]), Long(c[3]), Long(c[4]), Long(c[5]), Long(c[6]));
        }
        var requestRepeats = await ReadRequestRepeatsAsync(from, to, tenant, thresholds, settings, cancellationToken);

        // Rows arrive ordered by scope, one per slice: consecutive rows of a scope make one profile.
        var profiles = new List<UsageProfile>();
        var keys = new List<string>();
        TrafficScope? current = null;
        var key = "";
        var slices = new List<MixSlice>();
        long maxInput = 0, maxOutput = 0, errors = 0, unpriced = 0, longOutputs = 0;
        void Flush()
        {
            if (current is null) return;
            profiles.Add(new UsageProfile
            {
                Scope = current,
                Slices = slices.ToList(),
                Errors = errors,
                MaxInputTokens = maxInput,
                MaxOutputTokens = maxOutput,
                LongOutputRequests = longOutputs,
                UnpricedRequests = unpriced,
                Repeats = repeats.GetValueOrDefault(key) ?? PromptRepeats.None,
                RequestRepeats = requestRepeats.GetValueOrDefault(key) ?? RequestRepeats.None,
            });
            keys.Add(key);
            slices.Clear();
            maxInput = maxOutput = errors = unpriced = longOutputs = 0;
        }
        foreach (var c in Rows(profileTsv))
        {
            var scope = new TrafficScope(c[0], c[1], c[2], c[3], c[4]);
            if (scope != current)
            {
                Flush();
                current = scope;
                key = c[5];
            }
            var bucket = int.Parse(c[6], CultureInfo.InvariantCulture);
            var mix = new TokenMix(Long(c[9]), Long(c[10]), Long(c[11]), Long(c[12]), Long(c[13]), Long(c[14]));
            slices.Add(new MixSlice(bucket == 0 ? 0 : thresholds[bucket - 1], Bool(c[7]), Bool(c[8]), mix,
                decimal.Parse(c[20], NumberStyles.Number, CultureInfo.InvariantCulture)));
            errors += Long(c[15]);
            unpriced += Long(c[16]);
            longOutputs += Long(c[17]);
            maxInput = Math.Max(maxInput, Long(c[18]));
            maxOutput = Math.Max(maxOutput, Long(c[19]));
        }
        Flush();
        return await WithDailyVolumesAsync(profiles, keys, from, to, prices, settings, cancellationToken);
    }

    /// <summary>
    /// The usage profile's rows (<c>recommendations/usage_profile</c>). The window's whole UTC days come from the day
    /// cache (schema 0013), so a daily run reads a day's events once, not on each of the 30 runs whose window holds it:
    /// the fingerprint of each whole day's event rows is read first, the days whose fingerprint has no stored groups yet
    /// are computed and stored, and the query sums the stored groups of the current fingerprints with the partial days
    /// at the window's ends, read from the events.
    /// </summary>
    private async Task<string> ReadProfileAsync(DateTimeOffset from, DateTimeOffset to, string? tenant, IReadOnlyList<long> thresholds,
        RecommendationSettings settings, CancellationToken cancellationToken)
    {
        var cut = new QueryParameters
        {
            { "thresholds", thresholds.Select(t => (ulong)t).ToArray() },
            { "long_output", (ulong)Math.Max(0, settings.LongOutputTokens) },
        };
        var firstDay = DateOnly.FromDateTime(from.UtcDateTime);
        if (from.UtcDateTime.TimeOfDay != TimeSpan.Zero) firstDay = firstDay.AddDays(1);
        var endDay = DateOnly.FromDateTime(to.UtcDateTime);
        if (endDay < firstDay) endDay = firstDay;
        var (wholeFrom, wholeTo) = (Midnight(firstDay), Midnight(endDay));

        var current = new List<(DateOnly Day, ulong Fingerprint)>();
        if (firstDay < endDay)
        {
            var fingerprints = await clickHouse.QueryAsync(catalog.Get(SqlNames.Recommendations.ProfileDayFingerprints), "TSV",
                new QueryParameters { { "from", wholeFrom }, { "to", wholeTo } }, cancellationToken);
            current.AddRange(Rows(fingerprints).Select(DayFingerprint));
            var stored = Rows(await clickHouse.QueryAsync(catalog.Get(SqlNames.Recommendations.ProfileDaysStored), "TSV",
                    new QueryParameters(cut) { { "first_day", firstDay }, { "end_day", endDay } }, cancellationToken))
                .Select(DayFingerprint)
                .ToHashSet();
            var missing = current.Where(d => !stored.Contains(d)).ToList();
            if (missing.Count > 0)
            {
                var store = new QueryParameters(cut)
                {
                    { "from", Midnight(missing[0].Day) },
                    { "to", Midnight(missing[^1].Day.AddDays(1)) },
                    { "days", missing.Select(d => d.Day).ToArray() },
                    { "fingerprints", missing.Select(d => d.Fingerprint).ToArray() },
                };
                // The groups first, then the record that they are whole: a crash in between leaves groups no state names.
                foreach (var statement in SqlStatements.Split(catalog.Get(SqlNames.Recommendations.StoreProfileDays)))
                {
                    await clickHouse.ExecuteAsync(statement, store, cancellationToken);
                }
            }
        }
        return await clickHouse.QueryAsync(catalog.Get(SqlNames.Recommendations.UsageProfile), "TSV", new QueryParameters(cut)
        {
            { "from", from }, { "to", to }, { "tenant", tenant ?? "" },
            { "whole_from", wholeFrom }, { "whole_to", wholeTo }, { "first_day", firstDay }, { "end_day", endDay },
            { "days", current.Select(d => d.Day).ToArray() },
            { "fingerprints", current.Select(d => d.Fingerprint).ToArray() },
        }, cancellationToken);
    }

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static (DateOnly Day, ulong Fingerprint) DayFingerprint(string[] c) =>
        (DateOnly.ParseExact(c[0], "yyyy-MM-dd", CultureInfo.InvariantCulture), ulong.Parse(c[1], CultureInfo.InvariantCulture));

    /// <summary>
    /// Per scope key: identical requests and the calls each cache lifetime would have answered, sliced like the profile.
    /// Each request's calls come in time order (<c>recommendations/request_repeats</c>) and are replayed here
    /// (<see cref="ResponseCacheReplay"/>), once per lifetime.
    /// </summary>
    private async Task<Dictionary<string, RequestRepeats>> ReadRequestRepeatsAsync(DateTimeOffset from, DateTimeOffset to, string? tenant,
        IReadOnlyList<long> thresholds, RecommendationSettings settings, CancellationToken cancellationToken)
    {
        var lifetimes = ResponseCacheRule.Lifetimes;
        var tsv = await clickHouse.QueryAsync(catalog.Get(SqlNames.Recommendations.RequestRepeats), "TSV", new QueryParameters
        {
            { "from", from }, { "to", to }, { "tenant", tenant ?? "" },
            { "thresholds", thresholds.Select(t => (ulong)t).ToArray() },
            { "high_temperature", settings.HighTemperature },
        }, cancellationToken);
        var slices = new Dictionary<(ulong Scope, int Bucket, bool Batch), RepeatSlice>();
        var calls = new List<ResponseCacheReplay.Call>();
        // About 35 bytes of text per repeated call: read in place, without a string per line or field.
        var rest = tsv.AsSpan();
        Span<Range> fields = stackalloc Range[8];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line.IsEmpty) continue;
            if (line.Split(fields, '\t') != 7) throw new FormatException("recommendations/request_repeats: a row without 7 columns.");
            var key = (ulong.Parse(line[fields[0]], CultureInfo.InvariantCulture), int.Parse(line[fields[1]], CultureInfo.InvariantCulture),
                Bool(line[fields[2]]));
            if (!slices.TryGetValue(key, out var slice)) slices[key] = slice = new RepeatSlice(lifetimes.Count);
            slice.Calls += long.Parse(line[fields[3]], CultureInfo.InvariantCulture);
            slice.WithoutTemperature += long.Parse(line[fields[4]], CultureInfo.InvariantCulture);
            slice.AboveHighTemperature += long.Parse(line[fields[5]], CultureInfo.InvariantCulture);
            ReadCalls(line[fields[6]], calls);
            for (var i = 0; i < lifetimes.Count; i++) slice.Hits[i] += ResponseCacheReplay.Hits(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(calls), lifetimes[i]);
        }
        var result = new Dictionary<string, RequestRepeats>(StringComparer.Ordinal);
        foreach (var scope in slices.GroupBy(s => s.Key.Scope))
        {
            var rows = scope.OrderBy(s => s.Key.Bucket).ThenBy(s => s.Key.Batch).ToList();
            var hits = lifetimes.Select((lifetime, i) => new CacheHits(lifetime, rows
                    .Select(s => new MixSlice(s.Key.Bucket == 0 ? 0 : thresholds[s.Key.Bucket - 1], s.Key.Batch, NonInteractive: false, s.Value.Hits[i], 0m))
                    .Where(s => s.Mix.Requests > 0)
                    .ToList()))
                .ToList();
            result[scope.Key.ToString(CultureInfo.InvariantCulture)] = new RequestRepeats(rows.Sum(s => s.Value.Calls), rows.Sum(s => s.Value.WithoutTemperature), rows.Sum(s => s.Value.AboveHighTemperature), hits);
        }
        return result;
    }

    /// <summary>One (scope, tier bucket, batch) slice of the repeated requests: their calls and, per lifetime, the answered ones.</summary>
    private sealed class RepeatSlice(int lifetimes)
    {
        public long Calls, WithoutTemperature, AboveHighTemperature;
        public TokenMix[] Hits { get; } = new TokenMix[lifetimes];
    }

    /// <summary>
    /// Reads ClickHouse's text form of an <c>Array(Tuple(Int64, UInt64 x 5))</c>, <c>[(at,input,output,cached,cache_write,reasoning),...]</c>,
    /// into <paramref name="calls"/> (cleared first): non-negative integers only, so digits and separators are all there is.
    /// </summary>
    private static void ReadCalls(ReadOnlySpan<char> text, List<ResponseCacheReplay.Call> calls)
    {
        calls.Clear();
        Span<long> values = stackalloc long[6];
        var field = 0;
        long number = 0;
        var inNumber = false;
        foreach (var ch in text)
        {
            if (ch is >= '0' and <= '9')
            {
                number = checked(number * 10 + (ch - '0'));
                inNumber = true;
                continue;
            }
            if (!inNumber) continue;
            values[field++] = number;
            number = 0;
            inNumber = false;
            if (field < values.Length) continue;
            calls.Add(new ResponseCacheReplay.Call(values[0], new TokenMix(1, values[1], values[2], values[3], values[4], values[5])));
            field = 0;
        }
    }

    /// <summary>
    /// The profiles, with the daily volume of those that could qualify for distillation (usually few: a large model and
    /// enough calls a day), read in one query narrowed to their tenants, models and scope keys; none, no query.
    /// </summary>
    private async Task<IReadOnlyList<UsageProfile>> WithDailyVolumesAsync(List<UsageProfile> profiles, List<string> keys,
        DateTimeOffset from, DateTimeOffset to, PriceCatalog prices, RecommendationSettings settings, CancellationToken cancellationToken)
    {
        var days = Math.Max(1, (int)Math.Round((to - from).TotalDays));
        var candidates = Enumerable.Range(0, profiles.Count)
            .Where(i => prices.Resolve(profiles[i].Scope.Tenant, profiles[i].Scope.Provider, profiles[i].Scope.Model) is { Found: true } r
                && DistillationRule.NeedsVolume(profiles[i], r.Model!, settings, days))
            .ToList();
        if (candidates.Count == 0) return profiles;
        var tsv = await clickHouse.QueryAsync(catalog.Get(SqlNames.Recommendations.DailyVolume), "TSV", new QueryParameters
        {
            { "from", from }, { "to", to }, { "days", (uint)days },
            { "tenants", candidates.Select(i => profiles[i].Scope.Tenant).Distinct(StringComparer.Ordinal).ToArray() },
            { "models", candidates.Select(i => profiles[i].Scope.Model).Distinct(StringComparer.Ordinal).ToArray() },
            { "keys", candidates.Select(i => ulong.Parse(keys[i], CultureInfo.InvariantCulture)).ToArray() },
        }, cancellationToken);
        var volumes = Rows(tsv).ToDictionary(c => c[0], c => new DailyVolume((int)Long(c[1]),
            decimal.Parse(c[2], NumberStyles.Number, CultureInfo.InvariantCulture), decimal.Parse(c[3], NumberStyles.Number, CultureInfo.InvariantCulture)),
            StringComparer.Ordinal);
        foreach (var i in candidates)
        {
            if (volumes.TryGetValue(keys[i], out var volume)) profiles[i] = profiles[i] with { Volume = volume };
        }
        return profiles;
    }

    private static IEnumerable<string[]> Rows(string tsv) =>
        tsv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t').Select(Unescape).ToArray());

    private static long Long(string text) => checked((long)ulong.Parse(text, CultureInfo.InvariantCulture));

    private static bool Bool(ReadOnlySpan<char> text) => text is "true" or "1";

    // TSV escapes backslash, tab and newline in strings; names may contain them.
    private static string Unescape(string field) => field.Contains('\\', StringComparison.Ordinal)
        ? field.Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal)
        : field;
}
