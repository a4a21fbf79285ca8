using System.Text;

namespace CostOps.Core.Ingestion;

/// <summary>Bounded copies of raw payload text for rejects and messages.</summary>
internal static class RawText
{
    /// <summary>The first at most <paramref name="maxBytes"/> bytes, never splitting a UTF-8 sequence.</summary>
    public static ReadOnlySpan<byte> Cut(ReadOnlySpan<byte> utf8, int maxBytes, out bool truncated)
    {
        truncated = utf8.Length > maxBytes;
        if (!truncated)
            return utf8;
        int end = maxBytes;
        // Step back over continuation bytes (10xxxxxx) so the cut lands on a character start.
        while (end > 0 && (utf8[end] & 0xC0) == 0x80)
            end--;
        return utf8[..end];
    }

    /// <summary>The raw text of an event for <see cref="UsageEventRejection.Raw"/>.</summary>
    public static string ForReject(ReadOnlySpan<byte> utf8, out bool truncated) =>
        Encoding.UTF8.GetString(Cut(utf8, UsageEventLimits.MaxRawBytes, out truncated));
}
