using System.Text.Json;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Access;

/// <summary>Makes scoped keys with the real <c>costops keys create</c>, on the same installation a <c>serve</c> runs on.</summary>
public static class ScopedKeys
{
    public sealed record Made(string Id, string Key);

    public static async Task<Made> CreateAsync(CliProcess installation, string role, params string[] tenants)
    {
        var args = new List<string> { "keys", "create", "--role", role, "--name", $"{role}-test", "--json" };
        foreach (var t in tenants) args.AddRange(["--tenant", t]);
        var result = await new CliProcess(installation).RunAsync([.. args]);
        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonDocument.Parse(result.Out).RootElement;
        return new Made(json.GetProperty("id").GetString()!, json.GetProperty("key").GetString()!);
    }

    public static HttpClient Client(ServeProcess serve, string? key, string header = "x-api-key")
    {
        var client = serve.Client(withKey: false);
        if (key is null) return client;
        if (header == "Authorization") client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + key);
        else client.DefaultRequestHeaders.TryAddWithoutValidation(header, key);
        return client;
    }
}
