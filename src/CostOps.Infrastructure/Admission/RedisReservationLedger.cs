using CostOps.Core.Admission;
using CostOps.Infrastructure.Tables;
using StackExchange.Redis;

namespace CostOps.Infrastructure.Admission;

/// <summary>
/// The ledger in Redis (<c>Admission:Redis</c>), for admission at gateway rates: a reserve or a settle is one Lua
/// script, atomic on the server, conditional on the counter's version, in one round trip of well under a millisecond
/// where an Azure Tables transaction takes several. Money never enters Lua: the counter is computed in C# (decimal) and
/// stored as text; the script only compares versions and writes. A budget's counter and reservations share one hash
/// tag (<c>{budget id}</c>), so the scripts also run on a clustered Redis. Durable as the server's persistence is:
/// docs/budgets.md, "Ledgers", says what a Redis that loses writes does to the guarantee.
/// </summary>
public sealed class RedisReservationLedger : ReservationLedger, IAsyncDisposable
{
    /// <summary>Counters outlive their last write by this much: a year's period, with margin (a counter lost early only
    /// moves its settled spend into the baseline, read from ClickHouse, until the next baseline refresh).</summary>
    private static readonly TimeSpan CounterLifetime = TimeSpan.FromDays(400);

    /// <summary>A reservation row outlives its expiry by this much, so a request id asked again the same day is still a duplicate.</summary>
    private static readonly TimeSpan ReservationGrace = TimeSpan.FromDays(1);

    // KEYS: counter, reservation. ARGV: expected version ('' when never written), settled, open, counter lifetime (ms),
    // reservation version, period, bucket, reserved usd, model, tenant, reservation lifetime (ms). Lifetimes are relative,
    // so they hold whatever the server's clock says against ours.
    // Returns {1, new version} when written; {0 | 2, version, settled, open}: the counter moved on | the row exists.
    private const string ReserveScript = """
        local c = redis.call('HMGET', KEYS[1], 'v', 's', 'o')
        local v = c[1] or ''
        if v ~= ARGV[1] then return {0, v, c[2] or '', c[3] or ''} end
        if redis.call('EXISTS', KEYS[2]) == 1 then return {2, v, c[2] or '', c[3] or ''} end
        local nv = redis.call('HINCRBY', KEYS[1], 'v', 1)
        redis.call('HSET', KEYS[1], 's', ARGV[2], 'o', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('HSET', KEYS[2], 'v', ARGV[5], 'p', ARGV[6], 'b', ARGV[7], 'u', ARGV[8], 'm', ARGV[9], 't', ARGV[10])
        redis.call('PEXPIRE', KEYS[2], ARGV[11])
        return {1, tostring(nv)}
        """;

    // KEYS: counter, reservation. ARGV: expected version, settled, open, counter lifetime (ms), the reservation's version.
    // Returns as the reserve script; 2: the reservation is gone or was made again (closed by someone else).
    private const string SettleScript = """
        local c = redis.call('HMGET', KEYS[1], 'v', 's', 'o')
        local v = c[1] or ''
        if v ~= ARGV[1] then return {0, v, c[2] or '', c[3] or ''} end
        if redis.call('HGET', KEYS[2], 'v') ~= ARGV[5] then return {2, v, c[2] or '', c[3] or ''} end
        local nv = redis.call('HINCRBY', KEYS[1], 'v', 1)
        redis.call('HSET', KEYS[1], 's', ARGV[2], 'o', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('DEL', KEYS[2])
        return {1, tostring(nv)}
        """;

    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;
    private readonly string _prefix;
    private readonly TimeProvider _time;

    /// <param name="configuration">A StackExchange.Redis configuration string (<see cref="AdmissionOptions.Redis"/>).</param>
    public RedisReservationLedger(string configuration, TableStorage tables, TimeProvider time) : base(time)
    {
        // Not aborting on a failed first connect: the multiplexer keeps reconnecting in the background and each call
        // meanwhile fails at once (admission answers 503 and the gateway fails open or closed, as configured), instead
        // of a failed start being remembered for good or calls queueing behind a lost connection.
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        _connection = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(options));
        // Several installations may share a server, as they share a storage account: keys carry the table prefix.
        _prefix = tables.Prefix + ":";
        _time = time;
    }

    public override async Task<Reservation?> FindAsync(string budgetId, string requestId, CancellationToken cancellationToken)
    {
        var fields = await (await DatabaseAsync()).HashGetAsync(ReservationKey(budgetId, requestId), ["v", "p", "b", "u", "m"]);
        if (fields[0].IsNull) return null;
        return new Reservation(budgetId, requestId, fields[1].ToString(), (long)fields[2], ParseMoney(fields[3].ToString()), fields[4].ToString(), fields[0].ToString());
    }

    protected override async Task<Stored> ReadStoredAsync(string budgetId, string periodKey, CancellationToken cancellationToken) =>
        ToStored(await (await DatabaseAsync()).HashGetAsync(CounterKey(budgetId, periodKey), CounterFields));

    /// <summary>Every read sent at once: the multiplexer pipelines them on its one connection, where 16 at a time waited for each other's round trips.</summary>
    protected override async Task<Stored[]> ReadStoredManyAsync(IReadOnlyList<(string BudgetId, string PeriodKey)> keys, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync();
        var reads = keys.Select(k => database.HashGetAsync(CounterKey(k.BudgetId, k.PeriodKey), CounterFields)).ToArray();
        return [.. (await Task.WhenAll(reads).WaitAsync(cancellationToken)).Select(ToStored)];
    }

    private static readonly RedisValue[] CounterFields = ["v", "s", "o"];

    private static Stored ToStored(RedisValue[] fields) =>
        fields[0].IsNull ? new Stored(BudgetCounter.Empty, null) : new Stored(ParseCounter(fields[1].ToString(), fields[2].ToString()), fields[0].ToString());

    protected override async Task<WriteOutcome> WriteReserveAsync(Stored expected, BudgetCounter next, NewReservation r, CancellationToken cancellationToken)
    {
        var result = await (await DatabaseAsync()).ScriptEvaluateAsync(ReserveScript,
            [CounterKey(r.BudgetId, r.PeriodKey), ReservationKey(r.BudgetId, r.RequestId)],
            [
                expected.Version ?? "", MoneyText(next.SettledUsd), OpenText(next), (long)CounterLifetime.TotalMilliseconds,
                Guid.NewGuid().ToString("N"), r.PeriodKey, r.Bucket, MoneyText(r.ReservedUsd), r.Model, r.Tenant,
                Math.Max(1L, (long)(BudgetCounter.ExpiresAt(r.Bucket) + ReservationGrace - _time.GetUtcNow()).TotalMilliseconds),
            ]);
        return Outcome(result, next);
    }

    protected override async Task<WriteOutcome> WriteSettleAsync(Stored expected, BudgetCounter next, Reservation r, CancellationToken cancellationToken)
    {
        var result = await (await DatabaseAsync()).ScriptEvaluateAsync(SettleScript,
            [CounterKey(r.BudgetId, r.PeriodKey), ReservationKey(r.BudgetId, r.RequestId)],
            [expected.Version ?? "", MoneyText(next.SettledUsd), OpenText(next), (long)CounterLifetime.TotalMilliseconds, r.Version]);
        return Outcome(result, next);
    }

    private static WriteOutcome Outcome(RedisResult result, BudgetCounter next)
    {
        var parts = (RedisResult[])result!;
        var status = (int)parts[0];
        if (status == 1) return new WriteOutcome(WriteStatus.Written, new Stored(next, parts[1].ToString()));
        var version = parts[1].ToString();
        var stored = string.IsNullOrEmpty(version) ? new Stored(BudgetCounter.Empty, null) : new Stored(ParseCounter(parts[2].ToString(), parts[3].ToString()), version);
        return new WriteOutcome(status == 2 ? WriteStatus.RowConflict : WriteStatus.Conflict, stored);
    }

    private RedisKey CounterKey(string budgetId, string periodKey) => $"{_prefix}{{{budgetId}}}:c:{periodKey}";

    private RedisKey ReservationKey(string budgetId, string requestId) => $"{_prefix}{{{budgetId}}}:r:{requestId}";

    /// <summary>One round trip to the server (the health check's).</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken) => await (await DatabaseAsync()).PingAsync().WaitAsync(cancellationToken);

    /// <summary>Deletes every key of this installation (its table prefix): for throwaway installations, as the benchmarks make.</summary>
    public async Task DeleteAllAsync()
    {
        var connection = await _connection.Value;
        foreach (var endpoint in connection.GetEndPoints())
        {
            var server = connection.GetServer(endpoint);
            if (server.IsReplica) continue;
            await foreach (var key in server.KeysAsync(pattern: _prefix + "*", pageSize: 1000)) await connection.GetDatabase().KeyDeleteAsync(key, CommandFlags.FireAndForget);
        }
    }

    private async Task<IDatabase> DatabaseAsync() => (await _connection.Value).GetDatabase();

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated) await (await _connection.Value).DisposeAsync();
    }
}
