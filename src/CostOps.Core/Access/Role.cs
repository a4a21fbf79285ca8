namespace CostOps.Core.Access;

/// <summary>
/// What a caller may do (docs/security.md). <see cref="Reader"/> reads its tenants' spend, budgets, alerts,
/// recommendations and routing; <see cref="Writer"/> also changes their budgets and decides recommendations;
/// <see cref="Ingest"/> only writes usage events for its tenants; <see cref="Admin"/> does everything for its tenants,
/// and with every tenant (<c>*</c>) also reads the audit trail.
/// </summary>
public enum Role
{
    Reader,
    Writer,
    Ingest,
    Admin,
}

/// <summary>What a route needs of its caller (declared per route in the route table).</summary>
public enum Permission
{
    /// <summary>Read tenant data or prices: reader, writer, admin.</summary>
    Read,

    /// <summary>Change tenant data (budgets, decisions): writer, admin.</summary>
    Write,

    /// <summary>Write usage events: ingest, writer, admin.</summary>
    Ingest,

    /// <summary>Cross-tenant administration (the audit trail): admin over every tenant.</summary>
    Admin,
}

/// <summary>Role names as typed and stored (lower case), and which role grants which permission.</summary>
public static class Roles
{
    public static string Name(Role role) => role.ToString().ToLowerInvariant();

    public static Role? Parse(string? text) => text switch
    {
        "reader" => Role.Reader,
        "writer" => Role.Writer,
        "ingest" => Role.Ingest,
        "admin" => Role.Admin,
        _ => null,
    };

    public static bool Grants(this Role role, Permission permission) => permission switch
    {
        Permission.Read => role is Role.Reader or Role.Writer or Role.Admin,
        Permission.Write => role is Role.Writer or Role.Admin,
        Permission.Ingest => role is Role.Ingest or Role.Writer or Role.Admin,
        _ => role is Role.Admin,
    };
}
