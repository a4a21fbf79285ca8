namespace CostOps.Core.LoadGen;

/// <summary>Shape of synthetic traffic: how many events over which window, and how much of it is bad or replayed.</summary>
public sealed record TrafficProfile
{
    /// <summary>Events to generate (bad and duplicate ones included).</summary>
    public int Events { get; init; } = 10_000;

    /// <summary>Days of history, ending at the generator's "now".</summary>
    public int Days { get; init; } = 30;

    /// <summary>Tenants (the first ones get the most traffic).</summary>
    public int Tenants { get; init; } = 5;

    /// <summary>Seed: the same profile and seed give the same bytes.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Fraction of events that are invalid (malformed JSON, negative counts, missing ids...).</summary>
    public double BadFraction { get; init; } = 0.002;

    /// <summary>Fraction of events sent twice (a producer retry).</summary>
    public double DuplicateFraction { get; init; } = 0.01;
}
