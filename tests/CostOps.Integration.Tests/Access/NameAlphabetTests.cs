using System.Net;
using System.Text;
using System.Text.Json;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Access;

/// <summary>
/// Tenant, project and feature names outside the name alphabet are refused per event with a code, over real loopback
/// HTTP to <c>costops serve</c> (Azurite, embedded ClickHouse); the request's valid events land.
/// </summary>
public sealed class NameAlphabetTests
{
    private static string Event(string id, string tenant, string project, string feature) =>
        JsonSerializer.Serialize(new { event_id = id, timestamp = "2026-11-30T10:00:00Z", tenant, project, feature, provider = "openai", model = "gpt-4o", input_tokens = 10, output_tokens = 1 });

    [Fact]
    public async Task Names_outside_the_alphabet_are_rejects_with_a_code_and_the_rest_lands()
    {
        await using var serve = await ServeProcess.StartAsync();
        var body = string.Join('\n',
            Event("ok", "acme", "chat", "/chat/v1"),
            Event("t", "x') OR 1=1 --", "chat", "f"),
            Event("p", "acme", "a b", "f"),
            Event("f", "acme", "chat", "x\\"));
        var response = await serve.Http.PostAsync("/api/usage", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, json.GetProperty("accepted").GetInt32());
        Assert.Equal(new[] { "accepted", "tenant_charset", "project_charset", "feature_charset" },
            json.GetProperty("results").EnumerateArray().Select(r => r.TryGetProperty("code", out var c) ? c.GetString()! : r.GetProperty("status").GetString()!).ToArray());
    }
}
