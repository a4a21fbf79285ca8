using Azure;
using Azure.Data.Tables;
using CostOps.Infrastructure.Tables;

namespace CostOps.Infrastructure.Recommendations;

/// <summary>
/// Accepted and dismissed recommendations in Azure Tables (partition = tenant, row = stable recommendation id), so a
/// decision outlives the run that produced it: the next run's proposal with the same id keeps it. A change given the
/// ETag it read is conditional (412 when someone changed it since); without one the last decision wins.
/// </summary>
public sealed class RecommendationStateStore(TableStorage tables)
{
    private TableClient Table => tables.Table(TableNames.RecommendationState);

    /// <summary>Every decision of a tenant, by recommendation id.</summary>
    public async Task<IReadOnlyDictionary<string, RecommendationDecision>> ListAsync(string tenant, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, RecommendationDecision>(StringComparer.Ordinal);
        try
        {
            await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == tenant, cancellationToken: cancellationToken))
            {
                result[e.RowKey] = ToDecision(e);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The table is created on first decision; no table means no decisions yet.
        }
        return result;
    }

    /// <summary>Records a decision; <see cref="RequestFailedException"/> with status 412 when <paramref name="ifMatch"/> is stale.</summary>
    public async Task<RecommendationDecision> SetAsync(string tenant, string id, string state, string note, DateTimeOffset at, string? ifMatch,
        CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(tenant, id) { ["State"] = state, ["DecidedAt"] = at, ["Note"] = note };
        Response response;
        try
        {
            response = await Write(entity, ifMatch, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404 && ifMatch is null)
        {
            await Table.CreateIfNotExistsAsync(cancellationToken);
            response = await Write(entity, ifMatch, cancellationToken);
        }
        return new RecommendationDecision(tenant, id, state, at, note, response.Headers.ETag?.ToString() ?? "");
    }

    private Task<Response> Write(TableEntity entity, string? ifMatch, CancellationToken cancellationToken) => ifMatch is null
        ? Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken)
        : Table.UpdateEntityAsync(entity, new ETag(ifMatch), TableUpdateMode.Replace, cancellationToken);

    private static RecommendationDecision ToDecision(TableEntity e) => new(
        e.PartitionKey, e.RowKey, e.GetString("State") ?? RecommendationDecision.Open,
        e.GetDateTimeOffset("DecidedAt") ?? DateTimeOffset.MinValue, e.GetString("Note") ?? "", e.ETag.ToString());
}
