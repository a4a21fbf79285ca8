using System.Text;
using CostOps.Core.Access;
using CostOps.Infrastructure.Hosting;

namespace CostOps.Integration.Tests.Access;

/// <summary>The Entra ID mapping of docs/security.md: App Service Authentication's principal header to a role and tenants.</summary>
public sealed class AppServicePrincipalTests
{
    private static string Header(params (string Type, string Value)[] claims) => Convert.ToBase64String(Encoding.UTF8.GetBytes(
        "{\"auth_typ\":\"aad\",\"role_typ\":\"roles\",\"claims\":[" + string.Join(",", claims.Select(c => $"{{\"typ\":\"{c.Type}\",\"val\":\"{c.Value}\"}}")) + "]}"));

    private const string Oid = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    [Fact]
    public void App_roles_map_to_the_strongest_role_and_the_named_tenants()
    {
        var caller = AppServicePrincipal.ToCaller(Header((Oid, "0b1c"), ("roles", "CostOps.Reader"), ("roles", "CostOps.Writer"),
            ("roles", "CostOps.Tenant.alpha"), ("roles", "CostOps.Tenant.beta")));
        Assert.NotNull(caller);
        Assert.Equal("entra:0b1c", caller.Id);
        Assert.Equal(Role.Writer, caller.Role);
        Assert.Equal("alpha,beta", caller.Tenants.ToString());

        var admin = AppServicePrincipal.ToCaller(Header(("oid", "9"), ("roles", "CostOps.Admin"), ("roles", "CostOps.AllTenants")));
        Assert.True(admin!.Can(Permission.Admin));
    }

    [Fact]
    public void A_principal_without_a_role_or_a_tenant_or_a_readable_header_is_no_caller()
    {
        Assert.Null(AppServicePrincipal.ToCaller(Header((Oid, "1"), ("roles", "CostOps.Tenant.alpha"))));
        Assert.Null(AppServicePrincipal.ToCaller(Header((Oid, "1"), ("roles", "CostOps.Admin"))));
        Assert.Null(AppServicePrincipal.ToCaller(Header(("roles", "CostOps.Admin"), ("roles", "CostOps.AllTenants"))));
        Assert.Null(AppServicePrincipal.ToCaller("not base64!"));
        Assert.Null(AppServicePrincipal.ToCaller(Convert.ToBase64String(Encoding.UTF8.GetBytes("[1,2]"))));
    }
}
