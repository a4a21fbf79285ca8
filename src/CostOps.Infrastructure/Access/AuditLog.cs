using System.Globalization;
using Azure.Data.Tables;
using CostOps.Infrastructure.Tables;

namespace CostOps.Infrastructure.Access;

/// <summary>One recorded change: who (<see cref="Actor"/>), when, what, and the value before and after, secrets masked.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Target, string? Before, string? After);

/// <summary>
/// Who is changing things, for the audit trail: the HTTP caller (<c>key:ID</c>, <c>bootstrap</c>, <c>entra:OID</c>, set
/// by <see cref="Hosting.ApiRouteRunner"/>) or the CLI user (<c>cli:NAME</c>); <c>system</c> for scheduled work.
/// Ambient for the call, so the stores that record changes need no actor parameter on every method.
/// </summary>
public static class AuditActor
{
    private static readonly AsyncLocal<string?> Ambient = new();

    public static string Current
    {
        get => Ambient.Value ?? "system";
        set => Ambient.Value = value;
    }
}

/// <summary>
/// The audit trail in the <c>audit</c> table: every change to prices, overrides, aliases, budgets and keys, newest first
/// (row key = inverted ticks). Values are stored as shown to a reader: budgets with their credentials as hints, keys
/// without any secret or hash.
/// </summary>
public sealed class AuditLog(TableStorage tables, TimeProvider time)
{
    private const string Partition = "audit";

    private TableClient Table => tables.Table(TableNames.Audit);

    public async Task RecordAsync(string action, string target, string? before, string? after, CancellationToken cancellationToken = default)
    {
        var at = time.GetUtcNow();
        var key = (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        await Table.AddEntityAsync(new TableEntity(Partition, key)
        {
            ["At"] = at,
            ["Actor"] = AuditActor.Current,
            ["Action"] = action,
            ["Target"] = target,
            ["Before"] = before,
            ["After"] = after,
        }, cancellationToken);
    }

    /// <summary>Entries at or after <paramref name="since"/> (all when null), newest first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(DateTimeOffset? since, int max = 1000, CancellationToken cancellationToken = default)
    {
        var list = new List<AuditEntry>();
        var filter = since is { } s ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and At ge {s}") : TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(new AuditEntry(e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetString("Actor") ?? "", e.GetString("Action") ?? "",
                e.GetString("Target") ?? "", e.GetString("Before"), e.GetString("After")));
            if (list.Count >= max) break;
        }
        return list;
    }

    /// <summary>The entries as JSON (<c>GET /api/audit</c>, <c>costops audit --json</c>).</summary>
    public static string ToJson(IEnumerable<AuditEntry> entries) => System.Text.Json.JsonSerializer.Serialize(entries.Select(e => new
    {
        at = e.At, actor = e.Actor, action = e.Action, target = e.Target, before = e.Before, after = e.After,
    }));
}
