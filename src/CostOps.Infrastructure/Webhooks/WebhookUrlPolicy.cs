using System.Net;
using System.Net.Sockets;
using CostOps.Core.Budgets;
using Microsoft.Extensions.Options;

namespace CostOps.Infrastructure.Webhooks;

/// <summary>
/// The URL policy with DNS: <see cref="WebhookUrlRules"/> plus, in every mode, the addresses a host resolves to.
/// The same address check runs inside the HTTP connection (see <see cref="HttpWebhookSender"/>), so a name that
/// resolved to a public address at save time and to a private one later is still refused.
/// </summary>
public sealed class WebhookUrlPolicy(IOptions<WebhookOptions> options)
{
    public bool AllowLocal => options.Value.AllowLocal;

    /// <summary>Errors for <paramref name="url"/>, each naming <paramref name="field"/>; empty when allowed.</summary>
    public async Task<IReadOnlyList<string>> CheckAsync(Uri url, string field, CancellationToken cancellationToken = default)
    {
        var errors = new List<string>();
        WebhookUrlRules.Check(url, field, AllowLocal, errors);
        if (errors.Count > 0) return errors;
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken);
            if (addresses.Length == 0) errors.Add($"{field}: '{url.Host}' does not resolve.");
            foreach (var a in addresses.Where(a => !WebhookUrlRules.IsAllowedTarget(a, AllowLocal)))
                errors.Add($"{field}: '{url.Host}' resolves to {a}, a private, loopback or link-local address, refused.");
        }
        catch (SocketException e)
        {
            errors.Add($"{field}: '{url.Host}' does not resolve ({e.SocketErrorCode}).");
        }
        return errors;
    }
}
