namespace CostOps.Core.Recommendations;

/// <summary>
/// How a scope's requests repeat exactly, from <c>request_hash</c> (a hash of the whole request): what a response cache
/// in front of the model would have answered, per cache lifetime. Only hashes seen at least twice count.
/// </summary>
/// <param name="RepeatedRequests">Calls whose request hash appears more than once in the scope (first calls included).</param>
/// <param name="WithoutTemperature">Of those, calls that did not report a temperature.</param>
/// <param name="AboveHighTemperature">Of those, calls sampled above <see cref="RecommendationSettings.HighTemperature"/>.</param>
/// <param name="Lifetimes">The calls a cache of each lifetime would have answered, shortest lifetime first.</param>
public sealed record RequestRepeats(long RepeatedRequests, long WithoutTemperature, long AboveHighTemperature, IReadOnlyList<CacheHits> Lifetimes)
{
    public static RequestRepeats None { get; } = new(0, 0, 0, []);
}

/// <summary>
/// The calls a response cache with one lifetime would have answered. The cache is filled on a miss and the entry
/// expires <see cref="Lifetime"/> after it was written (a fixed TTL, like Redis <c>SET ... EX</c> or APIM
/// <c>cache-store</c>; hits do not extend it): in each request's calls in time order, a call is a hit when it comes
/// before the current entry expires, else it writes a new entry.
/// </summary>
/// <param name="Lifetime">How long an entry lives.</param>
/// <param name="Hits">The answered calls' token mix, sliced like the scope's (tier bucket, batch), so it re-prices exactly.</param>
public sealed record CacheHits(TimeSpan Lifetime, IReadOnlyList<MixSlice> Hits)
{
    public long Requests => Hits.Sum(s => s.Mix.Requests);
}
