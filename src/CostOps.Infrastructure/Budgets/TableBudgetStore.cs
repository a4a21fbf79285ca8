using Azure;
using Azure.Data.Tables;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Tables;

namespace CostOps.Infrastructure.Budgets;

/// <summary>
/// Budgets in the <c>budgets</c> table: one partition (budgets are few and listed together every tick), row key =
/// budget id, the definition as its JSON form (secret included; the table is the secret's only home).
/// </summary>
public sealed class TableBudgetStore(TableStorage tables) : IBudgetStore
{
    private const string Partition = "budget";

    // Parsed definitions by id and ETag: every tick lists all budgets, and an unchanged row needs no re-parsing.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string ETag, Budget Budget)> _parsed = new(StringComparer.Ordinal);
    private TableClient Table => tables.Table(TableNames.Budgets);

    public async Task<StoredBudget?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return response.HasValue ? ToStored(response.Value!) : null;
    }

    public async Task<IReadOnlyList<StoredBudget>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<StoredBudget>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            list.Add(ToStored(e));
        }
        return list;
    }

    public async Task<StoredBudget> AddAsync(Budget budget, CancellationToken cancellationToken = default)
    {
        var entity = ToEntity(budget);
        try
        {
            var response = await Table.AddEntityAsync(entity, cancellationToken);
            return new StoredBudget(budget, response.Headers.ETag?.ToString() ?? "", DateTimeOffset.UtcNow);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            throw new BudgetConflictException($"A budget '{budget.Id}' exists already; use update.", preconditionFailed: false);
        }
    }

    public async Task<StoredBudget> UpdateAsync(Budget budget, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var entity = ToEntity(budget);
        try
        {
            var response = await Table.UpdateEntityAsync(entity, ifMatch is null ? ETag.All : new ETag(ifMatch), TableUpdateMode.Replace, cancellationToken);
            return new StoredBudget(budget, response.Headers.ETag?.ToString() ?? "", DateTimeOffset.UtcNow);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new BudgetNotFoundException(budget.Id);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new BudgetConflictException($"Budget '{budget.Id}' changed since it was read; read it again and retry.", preconditionFailed: true);
        }
    }

    public async Task<bool> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await Table.DeleteEntityAsync(Partition, id, ifMatch is null ? ETag.All : new ETag(ifMatch), cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new BudgetConflictException($"Budget '{id}' changed since it was read; read it again and retry.", preconditionFailed: true);
        }
    }

    /// <summary>Writes many budgets (insert or replace) in entity-group transactions of 100: imports and benchmarks.</summary>
    public async Task ImportAsync(IEnumerable<Budget> budgets, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in budgets.Chunk(100))
        {
            await Table.SubmitTransactionAsync(chunk.Select(b => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(b))), cancellationToken);
        }
    }

    private static TableEntity ToEntity(Budget budget) => new(Partition, budget.Id)
    {
        ["Definition"] = BudgetDefinition.ToJson(budget, includeSecret: true),
        ["Tenant"] = budget.Scope.Tenant,
        ["Enabled"] = budget.Enabled,
    };

    // Stored definitions were validated when written; reading does not judge their targets again, so a policy change
    // never makes existing budgets unreadable (delivery re-checks every target address when connecting).
    private StoredBudget ToStored(TableEntity e)
    {
        var etag = e.ETag.ToString();
        if (!_parsed.TryGetValue(e.RowKey, out var hit) || hit.ETag != etag)
        {
            hit = (etag, BudgetDefinition.Parse(e.GetString("Definition"), allowLocalUrls: true, checkTargets: false));
            _parsed[e.RowKey] = hit;
        }
        return new StoredBudget(hit.Budget, etag, e.Timestamp);
    }
}
