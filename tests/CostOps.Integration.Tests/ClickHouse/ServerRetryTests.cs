using ClickHouse.Driver;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Server;
using CostOps.Infrastructure.Resilience;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CostOps.Integration.Tests.ClickHouse;

/// <summary>
/// The server transport retries by <c>Resilience:ClickHouse</c> what is safe to repeat, over real HTTP on loopback to
/// a server that drops its first connections: reads and deduplicated inserts land on a later attempt, an insert without
/// a token is not repeated, and a server that never answers is 503's <see cref="ClickHouseUnavailableException"/>
/// after <c>MaxAttempts</c>.
/// </summary>
public sealed class ServerRetryTests
{
    private static readonly RetryPolicy Policy = new() { InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(40), Jitter = 0.5, MaxAttempts = 3 };

    /// <summary>A server that drops the connection of its first <paramref name="dropped"/> requests, then answers "1".</summary>
    private static async Task<(WebApplication App, Func<int> Requests)> FlakyServerAsync(int dropped)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var requests = 0;
        app.Run(async context =>
        {
            if (Interlocked.Increment(ref requests) <= dropped)
            {
                context.Abort();
                return;
            }
            await context.Response.WriteAsync("1\n");
        });
        await app.StartAsync();
        return (app, () => Volatile.Read(ref requests));
    }

    private static ServerClickHouse Client(WebApplication server)
    {
        var uri = new Uri(server.Urls.First());
        return new ServerClickHouse(new ClickHouseClient($"Host={uri.Host};Port={uri.Port};Protocol=http"), "default",
            Policy.Pipeline(ServerClickHouse.IsTransient, TimeProvider.System, NullLogger.Instance, "test"));
    }

    [Fact]
    public async Task A_read_is_retried_until_the_server_answers()
    {
        var (server, requests) = await FlakyServerAsync(dropped: 2);
        await using var _ = server;
        using var clickHouse = Client(server);
        Assert.Equal("1\n", await clickHouse.QueryAsync("SELECT 1", "TSV"));
        Assert.Equal(3, requests());
    }

    [Fact]
    public async Task A_deduplicated_insert_is_retried_and_one_without_a_token_is_not()
    {
        var (server, requests) = await FlakyServerAsync(dropped: 1);
        await using var _ = server;
        using var clickHouse = Client(server);
        await clickHouse.InsertAsync("t", "TSV", "1\n"u8.ToArray(), deduplicationToken: "batch-1");
        Assert.Equal(2, requests());

        var (once, onceRequests) = await FlakyServerAsync(dropped: 1);
        await using var __ = once;
        using var untokened = Client(once);
        await Assert.ThrowsAsync<ClickHouseUnavailableException>(() => untokened.InsertAsync("t", "TSV", "1\n"u8.ToArray()));
        Assert.Equal(1, onceRequests());
    }

    [Fact]
    public async Task A_server_that_never_answers_is_unavailable_after_the_last_attempt()
    {
        var (server, requests) = await FlakyServerAsync(dropped: int.MaxValue);
        await using var _ = server;
        using var clickHouse = Client(server);
        await Assert.ThrowsAsync<ClickHouseUnavailableException>(() => clickHouse.QueryAsync("SELECT 1", "TSV"));
        Assert.Equal(Policy.MaxAttempts, requests());
    }
}
