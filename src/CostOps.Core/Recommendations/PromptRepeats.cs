namespace CostOps.Core.Recommendations;

/// <summary>
/// How a scope's prompts repeat, from <c>prompt_hash</c> (a hash of the prompt prefix). Only hashes seen at least twice
/// with a prefix long enough to be cached count. The shared prefix of a hash's calls is taken as the shortest of their
/// prompts: the prefix cannot be longer, so the cacheable estimate errs low.
/// </summary>
/// <param name="RepeatedHashes">Distinct prefixes seen more than once.</param>
/// <param name="RepeatedRequests">Calls carrying one of those prefixes.</param>
/// <param name="CacheableTokens">Sum over those prefixes of (calls − 1) × shortest prompt: what repeat calls could have read from cache.</param>
/// <param name="CachedTokens">Cache reads those calls actually reported.</param>
/// <param name="FirstWriteTokens">Sum of the shortest prompt per prefix: what writing each prefix to the cache once costs.</param>
/// <param name="RepeatingCalls">
/// Calls, of any prompt length, whose prefix an earlier call of the window already had (calls with a prefix minus
/// distinct prefixes): how narrow the scope's prompts are.
/// </param>
public sealed record PromptRepeats(long RepeatedHashes, long RepeatedRequests, long CacheableTokens, long CachedTokens, long FirstWriteTokens, long RepeatingCalls = 0)
{
    public static PromptRepeats None { get; } = new(0, 0, 0, 0, 0);
}
