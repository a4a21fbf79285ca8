using System.Security.Cryptography;
using System.Text;

namespace CostOps.Core.Access;

/// <summary>
/// The form of an API key, <c>cok_ID_SECRET</c>: the id finds the stored record in one point read, the secret (32
/// random bytes, base64url) is never stored, only its HMAC-SHA256 under a random per-key salt. The secret carries 256
/// bits, so a fast hash is enough; a slow one would only slow every request.
/// </summary>
public static class ApiKeyToken
{
    private const string Prefix = "cok_";

    public sealed record Parts(string Id, string Secret);

    /// <summary>A new key: its id, the full key (shown once) and the salt and hash to store.</summary>
    public static (string Id, string Key, byte[] Salt, byte[] Hash) Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var salt = RandomNumberGenerator.GetBytes(16);
        return (id, $"{Prefix}{id}_{secret}", salt, Hash(salt, secret));
    }

    /// <summary>The id and secret of a key in our form; null for anything else (another kind of key, a typo).</summary>
    public static Parts? Parse(string? key)
    {
        if (key is null || !key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length != Prefix.Length + 12 + 1 + 43) return null;
        var id = key.Substring(Prefix.Length, 12);
        if (key[Prefix.Length + 12] != '_' || !id.All(char.IsAsciiHexDigitLower)) return null;
        return new Parts(id, key[(Prefix.Length + 13)..]);
    }

    public static byte[] Hash(byte[] salt, string secret) => HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(secret));

    /// <summary>Constant-time: the answer's timing says nothing about how much of a guessed secret was right.</summary>
    public static bool Matches(byte[] salt, byte[] storedHash, string secret) =>
        CryptographicOperations.FixedTimeEquals(Hash(salt, secret), storedHash);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
