using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using CostOps.Core.Budgets;
using CostOps.Infrastructure.Secrets;
using CostOps.Infrastructure.Tables;

namespace CostOps.Infrastructure.Budgets;

/// <summary>
/// Budgets in the <c>budgets</c> table: one partition (budgets are few and listed together every tick), row key =
/// budget id, the definition as its JSON form (secret included; the table is the secret's only home). With a
/// <see cref="SecretProtector"/> (every host registers one) the credentials in it are encrypted at rest.
/// </summary>
public sealed class TableBudgetStore(TableStorage tables, SecretProtector? secrets = null) : IBudgetStore
{
    private const string Partition = "budget";

    // The channel fields that are credentials: a webhook's signing secret, and Slack and Teams URLs (their path is the token).
    private static readonly string[] SecretChannels = ["webhookSecret", "slack", "teams"];

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

    private TableEntity ToEntity(Budget budget) => new(Partition, budget.Id)
    {
        ["Definition"] = MapSecrets(BudgetDefinition.ToJson(budget, includeSecret: true), secrets is null ? null : secrets.Protect),
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
            hit = (etag, BudgetDefinition.Parse(MapSecrets(e.GetString("Definition"), secrets is null ? null : secrets.Unprotect),
                allowLocalUrls: true, checkTargets: false));
            _parsed[e.RowKey] = hit;
        }
        return new StoredBudget(hit.Budget, etag, e.Timestamp);
    }

    /// <summary>The definition with each credential passed through <paramref name="map"/> (protect or unprotect).</summary>
    private static string MapSecrets(string definition, Func<string, string>? map)
    {
        if (map is null) return definition;
        var root = JsonNode.Parse(definition)!;
        if (root["channels"] is not JsonObject channels) return definition;
        foreach (var name in SecretChannels)
        {
            if (channels[name]?.GetValue<string>() is { } value) channels[name] = map(value);
        }
        return root.ToJsonString();
    }
}
