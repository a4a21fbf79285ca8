using Azure.Data.Tables;
using Azure.Identity;

namespace CostOps.Infrastructure.Tables;

/// <summary>Hands out <see cref="TableClient"/>s for CostOps' tables on the configured account.</summary>
public sealed class TableStorage
{
    private readonly TableServiceClient _service;
    private readonly string _prefix;

    public TableStorage(TableStorageOptions options)
    {
        _service = options.Endpoint is { } endpoint
            ? new TableServiceClient(endpoint, new DefaultAzureCredential())
            : new TableServiceClient(options.ConnectionString);
        _prefix = options.TablePrefix;
    }

    public TableServiceClient Service => _service;

    /// <summary>What every table name starts with (<c>Tables:TablePrefix</c>): several installations can share an account.</summary>
    public string Prefix => _prefix;

    /// <summary>
    /// Whether <paramref name="e"/> says the account did not answer (no response, or a 5xx): what the Azure SDK throws once
    /// its retries are spent, alone or aggregated. Not a refusal of the request itself (4xx).
    /// </summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        Azure.RequestFailedException f => f.Status is 0 or >= 500,
        AggregateException { InnerExceptions.Count: > 0 } a => a.InnerExceptions.All(IsUnavailable),
        _ => false,
    };

    /// <summary>The client of one table by its short name (see <see cref="TableNames"/>).</summary>
    public TableClient Table(string name) => _service.GetTableClient(_prefix + name);

    /// <summary>Creates every CostOps table that does not exist yet (idempotent).</summary>
    public async Task EnsureTablesAsync(CancellationToken cancellationToken = default)
    {
        foreach (var name in TableNames.All)
        {
            await Table(name).CreateIfNotExistsAsync(cancellationToken);
        }
    }
}
