using System.Globalization;
using CostOps.Core.Pricing;
using CostOps.Core.Recommendations;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.Sql;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>
/// Reads the analysed window's traffic per scope in two grouped queries, whatever the number of scopes:
/// <c>recommendations/usage_profile</c> (token mix per tier slice, batch and interactivity, plus scope signals) and
/// <c>recommendations/prompt_repeats</c> (prompt_hash repetition). Both scan only the window's events.
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
        DateTimeOffset from, DateTimeOffset to, string? tenant, PriceCatalog prices, long minCacheablePrefix, CancellationToken cancellationToken = default)
    {
        var thresholds = Thresholds(prices);
        var window = new QueryParameters
        {
            { "from", from }, { "to", to }, { "tenant", tenant ?? "" },
            { "thresholds", thresholds.Select(t => (ulong)t).ToArray() },
        };
        var profileTsv = await clickHouse.QueryAsync(catalog.Get("recommendations/usage_profile"), "TSV", window, cancellationToken);
        var repeatTsv = await clickHouse.QueryAsync(catalog.Get("recommendations/prompt_repeats"), "TSV", new QueryParameters
        {
            { "from", from }, { "to", to }, { "tenant", tenant ?? "" }, { "min_prefix", (ulong)Math.Max(0, minCacheablePrefix) },
        }, cancellationToken);

        var repeats = new Dictionary<TrafficScope, PromptRepeats>();
        foreach (var c in Rows(repeatTsv))
        {
            repeats[Scope(c)] = new PromptRepeats(Long(c[5]), Long(c[6]), Long(c[7]), Long(c[8]), Long(c[9]));
        }

        var profiles = new List<UsageProfile>();
        TrafficScope? current = null;
        var slices = new List<MixSlice>();
        long maxInput = 0, p95 = 0, errors = 0, unpriced = 0;
        void Flush()
        {
            if (current is null) return;
            profiles.Add(new UsageProfile
            {
                Scope = current,
                Slices = slices.ToList(),
                Errors = errors,
                MaxInputTokens = maxInput,
                P95OutputTokens = p95,
                UnpricedRequests = unpriced,
                Repeats = repeats.GetValueOrDefault(current) ?? PromptRepeats.None,
            });
            slices.Clear();
            errors = unpriced = 0;
        }
        foreach (var c in Rows(profileTsv))
        {
            var scope = Scope(c);
            if (scope != current)
            {
                Flush();
                current = scope;
                maxInput = Long(c[5]);
                p95 = Long(c[6]);
            }
            var bucket = int.Parse(c[7], CultureInfo.InvariantCulture);
            var mix = new TokenMix(Long(c[10]), Long(c[11]), Long(c[12]), Long(c[13]), Long(c[14]), Long(c[15]));
            slices.Add(new MixSlice(bucket == 0 ? 0 : thresholds[bucket - 1], Bool(c[8]), Bool(c[9]), mix, decimal.Parse(c[18], NumberStyles.Number, CultureInfo.InvariantCulture)));
            errors += Long(c[16]);
            unpriced += Long(c[17]);
        }
        Flush();
        return profiles;
    }

    private static IEnumerable<string[]> Rows(string tsv) =>
        tsv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t').Select(Unescape).ToArray());

    private static TrafficScope Scope(string[] c) => new(c[0], c[1], c[2], c[3], c[4]);

    private static long Long(string text) => checked((long)ulong.Parse(text, CultureInfo.InvariantCulture));

    private static bool Bool(string text) => text is "true" or "1";

    // TSV escapes backslash, tab and newline in strings; names may contain them.
    private static string Unescape(string field) => field.Contains('\\', StringComparison.Ordinal)
        ? field.Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal)
        : field;
}
