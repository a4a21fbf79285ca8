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
/// <see cref="SecretProtector"/> (every host registers one) the credentials in it are encrypted at rest. Every write
/// also rewrites a marker row in the same entity-group transaction, whose ETag is <see cref="ChangeTokenAsync"/>: an
/// instance learns whether any budget changed from one point read instead of listing them all.
/// </summary>
public sealed class TableBudgetStore(TableStorage tables, SecretProtector? secrets = null) : IBudgetStore
{
    private const string Partition = "budget";

    /// <summary>The marker's row key: '~' cannot start a budget id, so it is never a budget.</summary>
    private const string ChangeMarker = "~changed";

    /// <summary>Azure Tables' limit on the actions of one entity-group transaction.</summary>
    private const int MaxActionsPerTransaction = 100;

    // The channel fields that are credentials: a webhook's signing secret, and Slack and Teams URLs (their path is the token).
    private static readonly string[] SecretChannels = ["webhookSecret", "slack", "teams"];

    // Parsed definitions by id and ETag: every tick lists all budgets, and an unchanged row needs no re-parsing.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string ETag, Budget Budget)> _parsed = new(StringComparer.Ordinal);
    private TableClient Table => tables.Table(TableNames.Budgets);

    public async Task<StoredBudget?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (id == ChangeMarker) return null;
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return response.HasValue ? ToStored(response.Value!) : null;
    }

    public async Task<IReadOnlyList<StoredBudget>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<StoredBudget>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (e.RowKey != ChangeMarker) list.Add(ToStored(e));
        }
        return list;
    }

    public async Task<string?> ChangeTokenAsync(CancellationToken cancellationToken = default)
    {
        var marker = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, ChangeMarker, select: ["RowKey"], cancellationToken: cancellationToken);
        return marker.HasValue ? marker.Value!.ETag.ToString() : null;
    }

    public async Task<StoredBudget> AddAsync(Budget budget, CancellationToken cancellationToken = default)
    {
        var entity = ToEntity(budget);
        try
        {
            var written = await WriteAsync(new TableTransactionAction(TableTransactionActionType.Add, entity), cancellationToken);
            return new StoredBudget(budget, written, DateTimeOffset.UtcNow);
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
            var written = await WriteAsync(new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, ifMatch is null ? ETag.All : new ETag(ifMatch)), cancellationToken);
            return new StoredBudget(budget, written, DateTimeOffset.UtcNow);
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
        if (id == ChangeMarker) return false;
        try
        {
            await WriteAsync(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, id), ifMatch is null ? ETag.All : new ETag(ifMatch)), cancellationToken);
            return true;
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

    /// <summary>Writes many budgets (insert or replace) in entity-group transactions of 99 and the marker: imports and benchmarks.</summary>
    public async Task ImportAsync(IEnumerable<Budget> budgets, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in budgets.Chunk(MaxActionsPerTransaction - 1))
        {
            await Table.SubmitTransactionAsync([.. chunk.Select(b => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(b))), MarkerAction], cancellationToken);
        }
    }

    /// <summary>Rewriting the marker gives it a new ETag: the change token.</summary>
    private static TableTransactionAction MarkerAction => new(TableTransactionActionType.UpsertReplace, new TableEntity(Partition, ChangeMarker));

    /// <summary>One budget write and the marker, both or neither; the budget row's new ETag (empty for a delete).</summary>
    private async Task<string> WriteAsync(TableTransactionAction write, CancellationToken cancellationToken)
    {
        var responses = await Table.SubmitTransactionAsync([write, MarkerAction], cancellationToken);
        return responses.Value[0].Headers.ETag?.ToString() ?? "";
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
