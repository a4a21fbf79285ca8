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
/// after <c>MaxAttempts</c>. <c>Resilience:ClickHouseCircuit</c>: an attempt without an answer is abandoned after its
/// timeout, and a server that keeps failing opens the circuit, after which requests fail without being sent.
/// </summary>
public sealed class ServerRetryTests
{
    private static readonly RetryPolicy Policy = new() { InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(40), Jitter = 0.5, MaxAttempts = 3 };

    /// <summary>
    /// A server that drops the connection of its first <paramref name="dropped"/> requests, then answers "1" (or, with
    /// <paramref name="hang"/>, never answers).
    /// </summary>
    private static async Task<(WebApplication App, Func<int> Requests)> FlakyServerAsync(int dropped, bool hang = false)
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
            if (hang) await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { });
            await context.Response.WriteAsync("1\n");
        });
        await app.StartAsync();
        return (app, () => Volatile.Read(ref requests));
    }

    private static ServerClickHouse Client(WebApplication server, CircuitPolicy? circuit = null)
    {
        var uri = new Uri(server.Urls.First());
        return new ServerClickHouse(new ClickHouseClient($"Host={uri.Host};Port={uri.Port};Protocol=http"), "default",
            Policy.Pipeline(ServerClickHouse.IsTransient, TimeProvider.System, NullLogger.Instance, "test"),
            circuit?.Pipeline(ServerClickHouse.IsFailure, TimeProvider.System, NullLogger.Instance, "test"));
    }

    private static CircuitPolicy Circuit(TimeSpan attemptTimeout) => new()
    {
        AttemptTimeout = attemptTimeout, FailureRatio = 0.5, MinimumThroughput = 3, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(30),
    };

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

    [Fact]
    public async Task A_server_that_keeps_failing_opens_the_circuit_and_requests_fail_at_once()
    {
        var (server, requests) = await FlakyServerAsync(dropped: int.MaxValue);
        await using var _ = server;
        using var clickHouse = Client(server, Circuit(TimeSpan.FromSeconds(10)));
        // Statements that are not retried: three failures reach the server, and open the circuit (3 calls, all failed).
        for (var i = 0; i < 3; i++)
        {
            var failed = await Assert.ThrowsAsync<ClickHouseUnavailableException>(() => clickHouse.ExecuteAsync("SELECT 1"));
            Assert.IsNotType<ClickHouseCircuitOpenException>(failed);
        }
        Assert.Equal(3, requests());

        // Now nothing is sent, and a read is not retried against an open circuit either.
        await Assert.ThrowsAsync<ClickHouseCircuitOpenException>(() => clickHouse.ExecuteAsync("SELECT 1"));
        await Assert.ThrowsAsync<ClickHouseCircuitOpenException>(() => clickHouse.QueryAsync("SELECT 1", "TSV"));
        Assert.Equal(3, requests());
    }

    [Fact]
    public async Task An_attempt_that_gets_no_answer_is_abandoned_after_the_timeout_and_retried()
    {
        var (server, requests) = await FlakyServerAsync(dropped: 0, hang: true);
        await using var _ = server;
        using var clickHouse = Client(server, Circuit(TimeSpan.FromSeconds(1)));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failed = await Assert.ThrowsAsync<ClickHouseUnavailableException>(() => clickHouse.QueryAsync("SELECT 1", "TSV"));
        Assert.True(failed.Message.Contains("did not answer within"), failed.ToString());
        // Each attempt was sent (the last one may still be on its way into the server when the client gives up).
        for (var wait = 0; wait < 20 && requests() < Policy.MaxAttempts; wait++) await Task.Delay(100);
        Assert.True(requests() == Policy.MaxAttempts, $"{requests()} requests: {failed}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }
}
