using System.Globalization;
using System.Text.Json;
using CostOps.Infrastructure.ClickHouse;

namespace CostOps.Infrastructure.Admission;

/// <summary>One call a blocking budget refused.</summary>
public sealed record AdmissionRefusal(DateTimeOffset RefusedAt, string BudgetId, string PeriodKey, string Tenant, string RequestId, string Model,
    decimal RequestedUsd, decimal RemainingUsd);

/// <summary>
/// Records refusals in ClickHouse <c>admission_refusals</c> (the report's burn-down markers, dashboards, audit) before
/// the 429 is answered, so a refusal a caller saw is never missing. Refusals come in storms (a tenant over its budget
/// retrying): callers arriving while an insert runs wait for the next one, which writes all of them, so a storm makes
/// a few inserts (parts), not one per call. A failed insert fails each of its callers' RecordAsync.
/// </summary>
public sealed class AdmissionRefusalLog(IClickHouse clickHouse)
{
    private sealed record Waiting(AdmissionRefusal Refusal)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Lock _lock = new();
    private List<Waiting> _queue = [];
    private bool _writing;

    /// <summary>Stores <paramref name="refusal"/>; returns once its row is written.</summary>
    public async Task RecordAsync(AdmissionRefusal refusal, CancellationToken cancellationToken)
    {
        var waiting = new Waiting(refusal);
        bool startWriter;
        lock (_lock)
        {
            _queue.Add(waiting);
            startWriter = !_writing;
            _writing = true;
        }
        if (startWriter) _ = Task.Run(WriteQueuedAsync, CancellationToken.None);
        await waiting.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteQueuedAsync()
    {
        while (true)
        {
            List<Waiting> batch;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _writing = false;
                    return;
                }
                (batch, _queue) = (_queue, []);
            }
            try
            {
                await clickHouse.InsertAsync("admission_refusals", "JSONEachRow", Rows(batch), cancellationToken: CancellationToken.None);
                foreach (var w in batch) w.Done.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var w in batch) w.Done.TrySetException(e);
            }
        }
    }

    private static byte[] Rows(List<Waiting> batch)
    {
        using var stream = new MemoryStream();
        foreach (var r in batch.Select(w => w.Refusal))
        {
            using (var w = new Utf8JsonWriter(stream))
            {
                w.WriteStartObject();
                w.WriteString("refused_at", r.RefusedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture));
                w.WriteString("budget_id", r.BudgetId);
                w.WriteString("period_key", r.PeriodKey);
                w.WriteString("tenant", r.Tenant);
                w.WriteString("request_id", r.RequestId);
                w.WriteString("model", r.Model);
                // Decimals as strings: ClickHouse parses them into Decimal exactly, no float on the way.
                w.WriteString("requested_usd", r.RequestedUsd.ToString(CultureInfo.InvariantCulture));
                w.WriteString("remaining_usd", r.RemainingUsd.ToString(CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }
            stream.WriteByte((byte)'\n');
        }
        return stream.ToArray();
    }
}
