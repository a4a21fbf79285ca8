using CostOps.Core.Access;

namespace CostOps.Core.Tests.Access;

public sealed class ApiKeyTokenTests
{
    [Fact]
    public void A_new_key_parses_back_to_its_id_and_its_secret_matches_only_its_own_hash()
    {
        var (id, key, salt, hash) = ApiKeyToken.Create();
        var parts = ApiKeyToken.Parse(key);
        Assert.NotNull(parts);
        Assert.Equal(id, parts.Id);
        Assert.True(ApiKeyToken.Matches(salt, hash, parts.Secret));
        Assert.False(ApiKeyToken.Matches(salt, hash, parts.Secret[..^1] + (parts.Secret[^1] == 'A' ? 'B' : 'A')));
        var other = ApiKeyToken.Create();
        Assert.False(ApiKeyToken.Matches(other.Salt, other.Hash, parts.Secret));
        // The same secret under another salt hashes differently: stored hashes cannot be compared across keys.
        Assert.NotEqual(ApiKeyToken.Hash(salt, parts.Secret), ApiKeyToken.Hash(other.Salt, parts.Secret));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("serve-test-key")]
    [InlineData("cok_ABCDEF012345_0123456789012345678901234567890123456789012")]
    [InlineData("cok_abcdef012345-0123456789012345678901234567890123456789012")]
    [InlineData("cok_abcdef012345_012345678901234567890123456789012345678901")]
    public void Anything_not_in_the_key_form_is_no_key(string? text) => Assert.Null(ApiKeyToken.Parse(text));

    [Theory]
    [InlineData(Role.Reader, new[] { Permission.Read })]
    [InlineData(Role.Writer, new[] { Permission.Read, Permission.Write, Permission.Ingest })]
    [InlineData(Role.Ingest, new[] { Permission.Ingest })]
    [InlineData(Role.Admin, new[] { Permission.Read, Permission.Write, Permission.Ingest, Permission.Admin })]
    public void Each_role_grants_exactly_its_permissions(Role role, Permission[] granted)
    {
        foreach (var permission in Enum.GetValues<Permission>()) Assert.Equal(granted.Contains(permission), role.Grants(permission));
    }

    [Fact]
    public void Administration_across_tenants_needs_an_admin_for_every_tenant()
    {
        Assert.True(new Caller("bootstrap", Role.Admin, TenantScope.All).Can(Permission.Admin));
        Assert.False(new Caller("key:a", Role.Admin, TenantScope.Of(["alpha"])).Can(Permission.Admin));
        Assert.True(new Caller("key:a", Role.Admin, TenantScope.Of(["alpha"])).Can(Permission.Write));
    }

    [Fact]
    public void A_tenant_scope_allows_its_tenants_only_and_star_means_all()
    {
        var scope = TenantScope.Of(["beta", "alpha"]);
        Assert.True(scope.Allows("alpha"));
        Assert.False(scope.Allows("Alpha"));
        Assert.False(scope.Allows("gamma"));
        Assert.Equal("alpha,beta", scope.ToString());
        Assert.True(TenantScope.Of(["*"]).IsAll);
        Assert.Throws<ArgumentException>(() => TenantScope.Of([]));
        Assert.False(TenantScope.IsValidName("x') OR 1=1 --"));
        Assert.False(TenantScope.IsValidName("a,b"));
        Assert.True(TenantScope.IsValidName("acme-eu.prod"));
    }
}
