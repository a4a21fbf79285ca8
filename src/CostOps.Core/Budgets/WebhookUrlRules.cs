using System.Net;

namespace CostOps.Core.Budgets;

/// <summary>
/// The static part of the webhook URL policy, the same in every mode: absolute http(s) URLs only; https required, except
/// plain http to a loopback host when loopback receivers are allowed (<c>Webhooks:AllowLoopback</c>, the demo and tests);
/// literal private, link-local and (unless allowed) loopback addresses refused. Hosts that resolve to such addresses
/// are refused too; that needs DNS, so the infrastructure checks it at save time and again at connect time.
/// </summary>
public static class WebhookUrlRules
{
    /// <summary>Adds an error naming <paramref name="field"/> when <paramref name="url"/> breaks the rules.</summary>
    public static void Check(Uri url, string field, bool allowLoopback, ICollection<string> errors)
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
        if (url.Scheme == Uri.UriSchemeHttp && !(allowLoopback && loopback))
        {
            errors.Add(allowLoopback
                ? $"{field}: https is required (plain http is accepted only for loopback hosts)."
                : $"{field}: https is required.");
        }
        if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && !IsAllowedTarget(ip, allowLoopback))
        {
            errors.Add($"{field}: '{url.Host}' is a private, loopback or link-local address, refused.");
        }
        else if (!allowLoopback && loopback)
        {
            errors.Add($"{field}: loopback hosts are refused (Webhooks:AllowLoopback is off).");
        }
    }

    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Whether a receiver may be reached at <paramref name="address"/>: a public address, or loopback when allowed.</summary>
    public static bool IsAllowedTarget(IPAddress address, bool allowLoopback) =>
        !IsPrivate(address) || (allowLoopback && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));

    /// <summary>
    /// Loopback, RFC 1918 / unique-local, link-local, CGNAT, unspecified and multicast: not a public receiver. IPv4 wrapped
    /// in IPv6 (mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged by the IPv4 inside, so
    /// 64:ff9b::a00:1 (10.0.0.1 through a NAT64 gateway) is private; local-use NAT64 64:ff9b:1::/48 is private whole.
    /// </summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return true;
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None)) return true;
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var b6 = address.GetAddressBytes();
            if (b6[0] == 0x00 && b6[1] == 0x64 && b6[2] == 0xff && b6[3] == 0x9b)
            {
                // 64:ff9b::/96 carries the IPv4 address in its last 4 bytes; 64:ff9b:1::/48 is for local networks.
                if (b6[4] == 0 && b6[5] == 1) return true;
                if (b6.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0) return IsPrivate(new IPAddress(b6.AsSpan(12, 4)));
            }
            // 6to4: 2002:AABB:CCDD::/48 stands for the IPv4 address AA.BB.CC.DD.
            if (b6[0] == 0x20 && b6[1] == 0x02) return IsPrivate(new IPAddress(b6.AsSpan(2, 4)));
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                   || (b6[0] & 0xFE) == 0xFC; // fc00::/7 unique local
        }
        var b = address.GetAddressBytes();
        return b[0] == 10
               || b[0] == 127
               || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
               || (b[0] == 192 && b[1] == 168)
               || (b[0] == 169 && b[1] == 254)
               || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
               || b[0] == 0
               || b[0] >= 224;
    }
}
