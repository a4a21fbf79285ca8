using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.Access;

/// <summary>
/// Scoped keys end to end: <c>costops keys create|list|revoke</c> (real CLI processes) and the real <c>costops serve</c> over
/// loopback HTTP, on one installation in the tests' Azurite. Keys count only in headers, only while not revoked, and
/// only the salted hash is stored.
/// </summary>
public sealed class ApiKeyTests
{
    [Fact]
    public async Task A_created_key_works_from_either_header_never_from_the_query_and_stops_when_revoked()
    {
        var installation = new CliProcess();
        await using var serve = await ServeProcess.StartAsync(installation);
        var reader = await ScopedKeys.CreateAsync(installation, "reader", "alpha");
        Assert.StartsWith("cok_" + reader.Id + "_", reader.Key);

        using (var viaHeader = ScopedKeys.Client(serve, reader.Key))
            Assert.Equal(HttpStatusCode.OK, (await viaHeader.GetAsync("/api/budgets")).StatusCode);
        using (var viaBearer = ScopedKeys.Client(serve, reader.Key, "Authorization"))
            Assert.Equal(HttpStatusCode.OK, (await viaBearer.GetAsync("/api/budgets")).StatusCode);

        using var anonymous = serve.Client(withKey: false);
        // In the query string (where it would land in access logs), neither a scoped key nor the bootstrap key counts.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/budgets?code={Uri.EscapeDataString(reader.Key)}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/budgets?code={ServeProcess.ApiKey}")).StatusCode);
        // The Functions host's header is the host's gate, not ours.
        using (var functionsHeader = ScopedKeys.Client(serve, ServeProcess.ApiKey, "x-functions-key"))
            Assert.Equal(HttpStatusCode.Unauthorized, (await functionsHeader.GetAsync("/api/budgets")).StatusCode);
        using (var empty = ScopedKeys.Client(serve, "", "x-api-key"))
            Assert.Equal(HttpStatusCode.Unauthorized, (await empty.GetAsync("/api/budgets")).StatusCode);
        // Right id, wrong secret (same length): refused.
        var forged = reader.Key[..^4] + (reader.Key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        using (var wrong = ScopedKeys.Client(serve, forged))
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/budgets")).StatusCode);

        // The role bounds what the key may do: a reader may not write.
        using (var readerClient = ScopedKeys.Client(serve, reader.Key))
        {
            var create = await readerClient.PostAsync("/api/budgets", new StringContent("""{"id":"r1","scope":{"tenant":"alpha"},"limitUsd":5}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
            Assert.Equal("application/problem+json", create.Content.Headers.ContentType?.MediaType);
        }

        // list shows the key without any secret; the table holds a salted hash, not the key.
        var list = await new CliProcess(installation).RunAsync("keys", "list", "--json");
        Assert.Equal(0, list.ExitCode);
        var listed = Assert.Single(JsonDocument.Parse(list.Out).RootElement.EnumerateArray(), k => k.GetProperty("id").GetString() == reader.Id);
        Assert.Equal("reader", listed.GetProperty("role").GetString());
        Assert.Equal("alpha", listed.GetProperty("tenants").GetString());
        Assert.DoesNotContain(reader.Key[(4 + 12 + 1)..], list.Out, StringComparison.Ordinal);
        var table = new TableClient(TestEnvironment.TablesConnectionString, installation.TablePrefix + "apikeys");
        var row = await table.GetEntityAsync<TableEntity>("key", reader.Id);
        var secret = reader.Key[(4 + 12 + 1)..];
        Assert.DoesNotContain(row.Value.Keys, k => row.Value[k] is string s && s.Contains(secret, StringComparison.Ordinal));
        Assert.Equal(32, row.Value.GetBinary("Hash").Length);
        Assert.Equal(16, row.Value.GetBinary("Salt").Length);

        var revoke = await new CliProcess(installation).RunAsync("keys", "revoke", reader.Id);
        Assert.True(revoke.ExitCode == 0, revoke.Error);
        using (var revoked = ScopedKeys.Client(serve, reader.Key))
            Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("/api/budgets")).StatusCode);
        Assert.Equal(1, (await new CliProcess(installation).RunAsync("keys", "revoke", "000000000000")).ExitCode);
        var bad = await new CliProcess(installation).RunAsync("keys", "create", "--role", "owner", "--tenant", "alpha");
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public async Task Serve_refuses_an_empty_bootstrap_key_and_never_prints_the_key()
    {
        var installation = new CliProcess();
        var empty = await installation.RunAsync("serve", "--urls", "http://127.0.0.1:0", "--api-key", "");
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("empty", empty.Error, StringComparison.Ordinal);

        var withEnvironmentEmpty = new CliProcess(installation) { Settings = new Dictionary<string, string> { ["COSTOPS_API_KEY"] = "" } };
        Assert.Equal(2, (await withEnvironmentEmpty.RunAsync("serve", "--urls", "http://127.0.0.1:0")).ExitCode);

        // Without a key, serve makes one into a file only its user reads and says where, never what.
        var process = await new CliProcess(installation).StartAsync("serve", "--urls", "http://127.0.0.1:0");
        try
        {
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync()) is not null && !line.Contains("serving on", StringComparison.Ordinal))
            {
            }
            Assert.NotNull(line);
            var keyFile = Path.Combine(installation.StateDirectory, "serve-api-key");
            Assert.Contains(keyFile, line, StringComparison.Ordinal);
            var key = (await File.ReadAllTextAsync(keyFile)).Trim();
            Assert.Equal(64, key.Length);
            Assert.DoesNotContain(key, line, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
