using System.Globalization;
using System.Text.Json;
using CostOps.Core.Access;
using CostOps.Infrastructure.Access;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops keys create|list|revoke</c>: scoped API keys (docs/security.md). A key is printed once, at creation; the
/// table holds only its salted hash.
/// </summary>
public sealed class KeysCommand : ICliCommand
{
    public string Name => "keys";
    public string Summary => "Create, list and revoke scoped API keys (role and tenants).";
    private static readonly CliOption<string> Tenant = CliOption.Text("tenant", "T", "a tenant the key may act for, once per tenant ('*': every tenant)").Required().Repeatable();
    private static readonly CliOption<string> KeyRole = CliOption.Choice("role", "what the key may do", [.. Enum.GetValues<Role>().Reverse().Select(Roles.Name)]).Required();
    private static readonly CliOption<string> KeyName = CliOption.Text("name", "N", "a name to recognise the key by").Default("");

    public CliSyntax Syntax { get; } = new(
        new CliForm("create", "", "make a key; it is printed once", [Tenant, KeyRole, KeyName, CliOption.Json]),
        new CliForm("list", "", "every key, revoked ones included", [CliOption.Json]),
        new CliForm("revoke", "ID", "revoke a key from the next request on", []));
    public bool NeedsTables => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var store = context.Services.GetRequiredService<ApiKeyStore>();
        switch (args.Positional)
        {
            case ["create"]:
            {
                var tenants = args.GetAll(Tenant);
                var name = args.Get(KeyName);
                var json = args.Has(CliOption.Json);
                var bad = tenants.Where(t => t != TenantScope.AllMarker && !TenantScope.IsValidName(t)).ToList();
                if (bad.Count > 0)
                    throw new CliUsageException($"tenant(s) {string.Join(", ", bad.Select(t => $"'{t}'"))}: letters, digits and . _ - : @ (at most 256), starting with a letter or digit.");
                var role = Roles.Parse(args.Get(KeyRole))!.Value;
                var (record, key) = await store.CreateAsync(name, role, TenantScope.Of(tenants), cancellationToken);
                if (json)
                {
                    context.Out.WriteLine(JsonSerializer.Serialize(new { id = record.Id, key, role = Roles.Name(record.Role), tenants = record.Tenants.ToString(), name = record.Name }));
                }
                else
                {
                    context.Out.WriteLine($"created key {record.Id} ({Roles.Name(record.Role)}, tenants {record.Tenants}).");
                    context.Out.WriteLine($"key (shown once; send it as the x-api-key header): {key}");
                }
                return 0;
            }
            case ["list"]:
            {
                var json = args.Has(CliOption.Json);
                var keys = await store.ListAsync(cancellationToken);
                if (json)
                {
                    context.Out.WriteLine(JsonSerializer.Serialize(keys.Select(k => new
                    {
                        id = k.Id, name = k.Name, role = Roles.Name(k.Role), tenants = k.Tenants.ToString(),
                        created_at = k.CreatedAt, revoked_at = k.RevokedAt,
                    })));
                    return 0;
                }
                TextTable.Write(context.Out, ["id", "name", "role", "tenants", "created_at", "revoked_at"],
                    keys.Select(k => (IReadOnlyList<string>)
                    [
                        k.Id, k.Name, Roles.Name(k.Role), k.Tenants.ToString(), k.CreatedAt.ToString("u", CultureInfo.InvariantCulture),
                        k.RevokedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "",
                    ]).ToList());
                return 0;
            }
            case ["revoke", var id]:
            {
                var revoked = await store.RevokeAsync(id, cancellationToken);
                if (revoked is null)
                {
                    context.Error.WriteLine($"costops keys: no key '{id}'.");
                    return 1;
                }
                context.Out.WriteLine($"revoked key {id} (from the next request on).");
                return 0;
            }
            default:
                throw new CliUsageException("expected create, list or revoke ID.");
        }
    }
}
