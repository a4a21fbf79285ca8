namespace CostOps.Core.Recommendations;

/// <summary>
/// Replays one request's calls (equal <c>request_hash</c>) through a fixed-TTL response cache (<see cref="CacheHits"/>):
/// filled on a miss, the entry expiring <c>lifetime</c> after it was written, hits not extending it. Linear in the calls.
/// </summary>
public static class ResponseCacheReplay
{
    /// <summary>One call: when it was made (Unix milliseconds) and its tokens (<see cref="TokenMix.Requests"/> = 1).</summary>
    public readonly record struct Call(long AtMilliseconds, TokenMix Tokens);

    /// <summary>The calls the cache answers, summed; <paramref name="calls"/> in time order.</summary>
    public static TokenMix Hits(ReadOnlySpan<Call> calls, TimeSpan lifetime)
    {
        var ttl = (long)lifetime.TotalMilliseconds;
        var expiry = long.MinValue;
        var hits = TokenMix.Zero;
        foreach (var call in calls)
        {
            if (call.AtMilliseconds < expiry) hits += call.Tokens;
            else expiry = call.AtMilliseconds + ttl;
        }
        return hits;
    }
}
