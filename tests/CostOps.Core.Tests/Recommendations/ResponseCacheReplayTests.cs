using CostOps.Core.Recommendations;

namespace CostOps.Core.Tests.Recommendations;

public sealed class ResponseCacheReplayTests
{
    private static ResponseCacheReplay.Call Call(long minute, long input) => new(minute * 60_000, new TokenMix(1, input, input / 10));

    [Fact]
    public void An_entry_answers_until_its_fixed_lifetime_ends_and_hits_do_not_extend_it()
    {
        // Minutes 0, 3, 5, 6, 9, 20 through a 5-minute cache: 0 writes (expires at 5), 3 hits, 5 writes (expiry is
        // exclusive; expires at 10), 6 and 9 hit, 20 writes.
        ResponseCacheReplay.Call[] calls = [Call(0, 100), Call(3, 200), Call(5, 400), Call(6, 800), Call(9, 1_600), Call(20, 3_200)];
        Assert.Equal(new TokenMix(3, 2_600, 260), ResponseCacheReplay.Hits(calls, TimeSpan.FromMinutes(5)));
        // An hour: the first call writes, all later ones hit.
        Assert.Equal(new TokenMix(5, 6_200, 620), ResponseCacheReplay.Hits(calls, TimeSpan.FromHours(1)));
        // One minute: calls are further apart than that but 5 and 6 (exactly one minute: the entry has just expired).
        Assert.Equal(TokenMix.Zero, ResponseCacheReplay.Hits(calls, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_hit_does_not_extend_the_entry_so_a_steady_trickle_misses_once_per_lifetime()
    {
        // A call every 2 minutes for 20 minutes through a 5-minute cache: writes at 0, 6, 12, 18; the rest hit.
        var calls = Enumerable.Range(0, 11).Select(i => Call(2 * i, 10)).ToArray();
        Assert.Equal(new TokenMix(7, 70, 7), ResponseCacheReplay.Hits(calls, TimeSpan.FromMinutes(5)));
    }
}
