namespace CostOps.Infrastructure.Hosting;

/// <summary>HTTP preconditions read the same way by every host (Functions and <c>costops serve</c> pass headers through raw).</summary>
public static class Preconditions
{
    /// <summary>The ETag an <c>If-Match</c> header asks for, or null for none: absent, empty and <c>*</c> (any version) set no condition.</summary>
    public static string? IfMatch(string? header) =>
        header?.Trim() is { Length: > 0 } tag && tag != "*" && tag.Trim('"').Length > 0 ? tag : null;
}
