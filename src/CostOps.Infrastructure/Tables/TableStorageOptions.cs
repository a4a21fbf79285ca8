namespace CostOps.Infrastructure.Tables;

/// <summary>Azure Tables account holding prices, budgets, alert state and outbox, Event Hubs checkpoints.</summary>
public sealed class TableStorageOptions
{
    public const string SectionName = "Tables";

    /// <summary>Storage connection string. Default: Azurite on 127.0.0.1:10002 (<c>UseDevelopmentStorage=true</c>).</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Table service endpoint for managed identity (e.g. <c>https://acct.table.core.windows.net</c>); wins over the connection string.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Prefix of every table name (letters and digits), so several deployments or test runs can share an account.</summary>
    public string TablePrefix { get; set; } = "costops";

    /// <summary>True when the account is the local emulator, which CostOps starts itself when it is not already running.</summary>
    public bool IsDevelopmentStorage =>
        Endpoint is null && (ConnectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
                             || ConnectionString.Contains("127.0.0.1", StringComparison.Ordinal)
                             || ConnectionString.Contains("localhost", StringComparison.OrdinalIgnoreCase));
}
