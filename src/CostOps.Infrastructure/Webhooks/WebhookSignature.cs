using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CostOps.Infrastructure.Webhooks;

/// <summary>
/// The generic webhook's signature: header <c>X-CostOps-Signature: t={unix seconds},v1={hex}</c> where hex is
/// lower-case HMAC-SHA256 with the UTF-8 bytes of the budget's secret as key over <c>"{t}." + raw body bytes</c>.
/// Receivers recompute it over the raw body as received, compare in constant time and reject old timestamps
/// (docs/webhooks.md has the recipe).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-CostOps-Signature";
    public const string TimestampHeader = "X-CostOps-Timestamp";
    public const string IdempotencyHeader = "Idempotency-Key";

    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    public static string HeaderValue(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Compute(secret, timestamp, body)}";

    /// <summary>The receiver's check, as documented: parse, bound the age, recompute, compare in constant time.</summary>
    public static bool Verify(string secret, string headerValue, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        long? t = null;
        string? v1 = null;
        foreach (var part in headerValue.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) continue;
            if (kv[0] == "t" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ts)) t = ts;
            else if (kv[0] == "v1") v1 = kv[1];
        }
        if (t is null || v1 is null) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - t.Value) > tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, t.Value, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(v1));
    }
}
