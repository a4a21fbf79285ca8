using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CostOps.Infrastructure.Telemetry;

/// <summary>
/// One measured operation (a commit, a delivery attempt, a tick, a run): its span and its clock. Disposing it records
/// the duration with its attributes and ends the span. An operation disposed without <see cref="Complete"/>
/// failed: its duration carries <c>error.type</c> (the exception's type when <see cref="Fail"/> saw it, else
/// <c>_OTHER</c>, as OpenTelemetry's conventions say) and its span the error status. Made only when something listens
/// (<see cref="CostOpsTelemetry"/> returns null otherwise), so call sites use <c>?.</c>.
/// </summary>
public sealed class TelemetryOperation : IDisposable
{
    private readonly Histogram<double> _duration;
    private readonly Counter<long>? _count;
    private readonly long _started = Stopwatch.GetTimestamp();
    private bool _completed;
    private bool _ended;
    private string? _errorType;
    private TagList _tags;

    internal TelemetryOperation(Histogram<double> duration, Activity? activity, Counter<long>? count = null)
    {
        _duration = duration;
        _count = count;
        Activity = activity;
    }

    /// <summary>The span, when one is recorded (a sampler or no trace listener may leave it out).</summary>
    public Activity? Activity { get; }

    /// <summary>Adds a metric attribute recorded with the duration (low-cardinality values only).</summary>
    internal void Tag(KeyValuePair<string, object?> tag) => _tags.Add(tag);

    /// <inheritdoc cref="Tag(KeyValuePair{string, object?})"/>
    internal void Tag(string key, object? value) => _tags.Add(key, value);

    /// <summary>The operation succeeded.</summary>
    public void Complete() => _completed = true;

    /// <summary>Notes why the operation failed; returns false, for use in an exception filter (<c>when (op.Fail(e))</c>).</summary>
    public bool Fail(Exception exception)
    {
        _errorType ??= exception.GetType().FullName;
        return false;
    }

    /// <summary><see cref="Fail"/> on an operation that may be null (nothing listening); always false.</summary>
    public static bool Fail(TelemetryOperation? operation, Exception exception) => operation?.Fail(exception) ?? false;

    /// <summary>Ends the operation (once; later calls do nothing).</summary>
    public void Dispose()
    {
        if (_ended) return;
        _ended = true;
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        if (!_completed)
        {
            _errorType ??= "_OTHER";
            _tags.Add("error.type", _errorType);
            if (Activity is not null)
            {
                Activity.SetTag("error.type", _errorType);
                Activity.SetStatus(ActivityStatusCode.Error);
            }
        }
        _duration.Record(seconds, in _tags);
        _count?.Add(1, in _tags);
        Activity?.Dispose();
    }
}
