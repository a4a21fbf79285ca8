using System.Net;

namespace CostOps.Core.Budgets;

/// <summary>
/// The static part of the webhook URL policy: absolute http(s) URLs only; https required, except plain http to a
/// loopback host when running locally. Production additionally refuses hosts that resolve to private, loopback or
/// link-local addresses; that needs DNS, so the infrastructure checks it at save time and again at connect time.
/// </summary>
public static class WebhookUrlRules
{
    /// <summary>Adds an error naming <paramref name="field"/> when <paramref name="url"/> breaks the rules.</summary>
    public static void Check(Uri url, string field, bool allowLocal, ICollection<string> errors)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{field}: '{url}' is not an absolute http(s) URL.");
            return;
        }
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            // Credentials in a URL end up in logs and in the outbox; secrets belong in webhookSecret.
            errors.Add($"{field}: credentials in the URL are not accepted.");
        }
        var loopback = IsLoopbackHost(url.Host);
        if (url.Scheme == Uri.UriSchemeHttp && !(allowLocal && loopback))
        {
            errors.Add(allowLocal
                ? $"{field}: https is required (plain http is accepted only for loopback hosts)."
                : $"{field}: https is required.");
        }
        if (!allowLocal && IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IsPrivate(ip))
        {
            errors.Add($"{field}: '{url.Host}' is a private, loopback or link-local address, refused in production.");
        }
        else if (!allowLocal && loopback)
        {
            errors.Add($"{field}: loopback hosts are refused in production.");
        }
    }

    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Loopback, RFC 1918 / unique-local, link-local, CGNAT, unspecified and multicast: not a public receiver.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return true;
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None)) return true;
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var b6 = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                   || (b6[0] & 0xFE) == 0xFC; // fc00::/7 unique local
        }
        var b = address.GetAddressBytes();
        return b[0] == 10
               || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
               || (b[0] == 192 && b[1] == 168)
               || (b[0] == 169 && b[1] == 254)
               || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
               || b[0] == 0
               || b[0] >= 224;
    }
}
