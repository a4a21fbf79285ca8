using CostOps.Core.Access;

namespace CostOps.Infrastructure.Access;

/// <summary>A scoped API key as stored and listed: never its secret, only the salted hash that checks one.</summary>
public sealed record ApiKeyRecord(string Id, string Name, Role Role, TenantScope Tenants, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool Revoked => RevokedAt is not null;
}
