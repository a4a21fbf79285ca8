using Azure.Data.Tables;
using CostOps.Core.Access;
using CostOps.Infrastructure.Tables;

namespace CostOps.Infrastructure.Access;

/// <summary>
/// Scoped API keys in the <c>apikeys</c> table: one partition, row key = key id, the HMAC of the secret under a per-key
/// salt (<see cref="ApiKeyToken"/>). A revoked key keeps its row (listed as revoked) so the audit trail's ids stay meaningful.
/// </summary>
public sealed class ApiKeyStore(TableStorage tables, TimeProvider time, AuditLog audit)
{
    private const string Partition = "key";

    private TableClient Table => tables.Table(TableNames.ApiKeys);

    /// <summary>Stores a new key and returns it with the full key text, which exists nowhere else afterwards.</summary>
    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(string name, Role role, TenantScope tenants, CancellationToken cancellationToken = default)
    {
        var (id, key, salt, hash) = ApiKeyToken.Create();
        var record = new ApiKeyRecord(id, name, role, tenants, time.GetUtcNow(), null);
        await Table.AddEntityAsync(new TableEntity(Partition, id)
        {
            ["Name"] = name,
            ["Role"] = Roles.Name(role),
            ["Tenants"] = tenants.ToString(),
            ["CreatedAt"] = record.CreatedAt,
            ["Salt"] = salt,
            ["Hash"] = hash,
        }, cancellationToken);
        await audit.RecordAsync("key.create", id, null, Describe(record), cancellationToken);
        return (record, key);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<ApiKeyRecord>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
            list.Add(ToRecord(e));
        return list.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<ApiKeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var found = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return found.HasValue ? ToRecord(found.Value!) : null;
    }

    /// <summary>The key's record when <paramref name="key"/> is a live key of ours (right secret, not revoked); null otherwise.</summary>
    public async Task<ApiKeyRecord?> VerifyAsync(string key, CancellationToken cancellationToken = default)
    {
        if (ApiKeyToken.Parse(key) is not { } parts) return null;
        var found = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, parts.Id, cancellationToken: cancellationToken);
        if (!found.HasValue) return null;
        var e = found.Value!;
        if (!ApiKeyToken.Matches(e.GetBinary("Salt"), e.GetBinary("Hash"), parts.Secret)) return null;
        var record = ToRecord(e);
        return record.Revoked ? null : record;
    }

    /// <summary>Revokes a key (from the next request on); false when there is no such key. Revoking twice keeps the first time.</summary>
    public async Task<ApiKeyRecord?> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        var found = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        if (!found.HasValue) return null;
        var e = found.Value!;
        if (e.GetDateTimeOffset("RevokedAt") is null)
        {
            var before = Describe(ToRecord(e));
            e["RevokedAt"] = time.GetUtcNow();
            await Table.UpdateEntityAsync(e, e.ETag, TableUpdateMode.Merge, cancellationToken);
            await audit.RecordAsync("key.revoke", id, before, Describe(ToRecord(e)), cancellationToken);
        }
        return ToRecord(e);
    }

    /// <summary>A key as the audit trail shows it: never the secret, salt or hash.</summary>
    private static string Describe(ApiKeyRecord k) => System.Text.Json.JsonSerializer.Serialize(new
    {
        id = k.Id, name = k.Name, role = Roles.Name(k.Role), tenants = k.Tenants.ToString(), created_at = k.CreatedAt, revoked_at = k.RevokedAt,
    });

    private static ApiKeyRecord ToRecord(TableEntity e) => new(
        e.RowKey, e.GetString("Name") ?? "", Roles.Parse(e.GetString("Role")) ?? throw new InvalidOperationException($"Key '{e.RowKey}' has an unknown role."),
        TenantScope.Of((e.GetString("Tenants") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)),
        e.GetDateTimeOffset("CreatedAt") ?? e.Timestamp ?? DateTimeOffset.MinValue, e.GetDateTimeOffset("RevokedAt"));
}
