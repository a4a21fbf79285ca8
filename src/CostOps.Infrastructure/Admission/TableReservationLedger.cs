using System.Text;
using Azure;
using Azure.Data.Tables;
using CostOps.Core.Admission;
using CostOps.Infrastructure.Tables;

namespace CostOps.Infrastructure.Admission;

/// <summary>
/// The ledger in the <c>admission</c> table. Partition = budget id; the counter row (<c>c|{period}</c>) and each
/// reservation row (<c>r|{request id}</c>) of a budget share it, so reserving and settling are each one entity-group
/// transaction: atomic, and conditional on the counter's ETag. Durable as the storage account is; one transaction per
/// admission (docs/budgets.md, "Ledgers").
/// </summary>
public sealed class TableReservationLedger(TableStorage tables, TimeProvider time) : ReservationLedger(time)
{
    private TableClient Table => tables.Table(TableNames.Admission);

    public override async Task<Reservation?> FindAsync(string budgetId, string requestId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(budgetId, ReservationKey(requestId), cancellationToken: cancellationToken);
        if (!response.HasValue) return null;
        var e = response.Value!;
        return new Reservation(budgetId, requestId, e.GetString("PeriodKey"), e.GetInt64("Bucket") ?? 0, ParseMoney(e.GetString("ReservedUsd")),
            e.GetString("Model") ?? "", e.ETag.ToString());
    }

    protected override async Task<Stored> ReadStoredAsync(string budgetId, string periodKey, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(budgetId, CounterKey(periodKey), cancellationToken: cancellationToken);
        return response.HasValue
            ? new Stored(ParseCounter(response.Value!.GetString("SettledUsd"), response.Value.GetString("Open")), response.Value.ETag.ToString())
            : new Stored(BudgetCounter.Empty, null);
    }

    protected override Task<WriteOutcome> WriteReserveAsync(Stored expected, BudgetCounter next, NewReservation r, CancellationToken cancellationToken) =>
        SubmitAsync(r.BudgetId, r.PeriodKey, expected, next, new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(r.BudgetId, ReservationKey(r.RequestId))
        {
            ["Tenant"] = r.Tenant,
            ["PeriodKey"] = r.PeriodKey,
            ["Bucket"] = r.Bucket,
            ["ReservedUsd"] = MoneyText(r.ReservedUsd),
            ["Model"] = r.Model,
            ["ExpiresAt"] = BudgetCounter.ExpiresAt(r.Bucket),
        }), cancellationToken);

    protected override Task<WriteOutcome> WriteSettleAsync(Stored expected, BudgetCounter next, Reservation r, CancellationToken cancellationToken) =>
        SubmitAsync(r.BudgetId, r.PeriodKey, expected, next, new TableTransactionAction(TableTransactionActionType.Delete,
            new TableEntity(r.BudgetId, ReservationKey(r.RequestId)), new ETag(r.Version)), cancellationToken);

    /// <summary>
    /// The counter's conditional write and the reservation row's action in one transaction. A refusal (404, 409, 412)
    /// does not say which action failed: when the counter as read again is as this call saw it, it was the row.
    /// </summary>
    private async Task<WriteOutcome> SubmitAsync(string budgetId, string periodKey, Stored expected, BudgetCounter next, TableTransactionAction row,
        CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.SubmitTransactionAsync([CounterWrite(budgetId, periodKey, next, expected.Version), row], cancellationToken);
            return new WriteOutcome(WriteStatus.Written, new Stored(next, response.Value[0].Headers.ETag?.ToString()));
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            var now = await ReadStoredAsync(budgetId, periodKey, cancellationToken);
            return new WriteOutcome(now.Version == expected.Version ? WriteStatus.RowConflict : WriteStatus.Conflict, now);
        }
    }

    // A counter never written is added (409 when another instance added it first); an existing one is replaced if unchanged.
    private static TableTransactionAction CounterWrite(string budgetId, string periodKey, BudgetCounter counter, string? version)
    {
        var entity = new TableEntity(budgetId, CounterKey(periodKey)) { ["SettledUsd"] = MoneyText(counter.SettledUsd), ["Open"] = OpenText(counter) };
        return version is { } tag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(tag))
            : new TableTransactionAction(TableTransactionActionType.Add, entity);
    }

    private static string CounterKey(string periodKey) => "c|" + periodKey;

    /// <summary>Row key of a request's reservation; Azure Tables refuses / \ # ? and control characters in keys, so they are escaped.</summary>
    public static string ReservationKey(string requestId)
    {
        var builder = new StringBuilder(requestId.Length + 2).Append("r|");
        foreach (var c in requestId)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c)) builder.Append('%').Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.ToString();
    }
}
