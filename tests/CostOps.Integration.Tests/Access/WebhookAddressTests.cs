using System.Net;
using System.Text;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Access;

/// <summary>
/// Webhook targets are checked in every mode, over real loopback HTTP to <c>costops serve</c> with Azurite: serve refuses
/// loopback receivers unless the explicit allow-loopback setting is on, and with it still refuses every other private
/// address, IPv4 wrapped in NAT64 and 6to4 included.
/// </summary>
public sealed class WebhookAddressTests
{
    private static async Task<(HttpStatusCode Status, string Body)> CreateAsync(ServeProcess serve, string id, string url)
    {
        var response = await serve.Http.PostAsync("/api/budgets", new StringContent(
            $$$"""{"id":"{{{id}}}","scope":{"tenant":"acme"},"limitUsd":5,"channels":{"webhook":"{{{url}}}"}}""", Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Serve_checks_webhook_addresses_and_allows_loopback_only_when_told()
    {
        await using (var plain = await ServeProcess.StartAsync())
        {
            var loopback = await CreateAsync(plain, "lo", "http://127.0.0.1:9/hook");
            Assert.Equal(HttpStatusCode.BadRequest, loopback.Status);
            Assert.Contains("https is required", loopback.Body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.BadRequest, (await CreateAsync(plain, "lo2", "https://127.0.0.1/hook")).Status);
        }

        await using var allowing = await ServeProcess.StartAsync(new CliProcess { Settings = new Dictionary<string, string> { ["Webhooks__AllowLoopback"] = "true" } });
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(allowing, "lo", "http://127.0.0.1:9/hook")).Status);
        foreach (var (id, url) in new[] { ("ten", "https://10.0.0.1/hook"), ("meta", "https://169.254.169.254/latest"),
                                          ("nat64", "https://[64:ff9b::a00:1]/hook"), ("sixtofour", "https://[2002:a00:1::1]/hook") })
        {
            var refused = await CreateAsync(allowing, id, url);
            Assert.True(refused.Status == HttpStatusCode.BadRequest, $"{url}: {refused.Status} {refused.Body}");
            Assert.Contains("private, loopback or link-local", refused.Body, StringComparison.Ordinal);
        }
    }
}
