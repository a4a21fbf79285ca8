namespace CostOps.Core.Recommendations;

/// <summary>
/// Part of a scope's traffic that is priced alike: calls whose input tokens fall strictly above
/// <see cref="InputAbove"/> and at or below the next long-context threshold of the catalog, sent as batch calls or not,
/// declared interactive or not. Slicing at every threshold the catalog knows makes each slice lie wholly on one side of
/// any model's tier, so re-pricing a slice's summed tokens is exact.
/// </summary>
/// <param name="InputAbove">Every call in the slice has more input tokens than this (0 for the lowest slice).</param>
/// <param name="Batch">The calls went through a batch API.</param>
/// <param name="NonInteractive">The producer declared the calls latency-insensitive (<c>interactive=false</c>).</param>
/// <param name="Mix">The slice's summed tokens and request count.</param>
/// <param name="RecordedCostUsd">What ingestion priced these calls at (the prices in force when they happened).</param>
public sealed record MixSlice(long InputAbove, bool Batch, bool NonInteractive, TokenMix Mix, decimal RecordedCostUsd);
