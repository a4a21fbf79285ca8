using CostOps.Core.Time;

namespace CostOps.Cli;

/// <summary>
/// The CLI's clock. <c>COSTOPS_NOW</c> (an ISO 8601 instant, e.g. <c>2027-03-01T00:20:00Z</c>) starts the process's
/// clock at that instant; it then runs at normal speed, so timeouts and delays behave as usual. Tests and
/// reproductions use it to run the real CLI at a chosen instant (the first minutes of a month, a leap day) without
/// touching the machine's clock. Unset, the CLI uses the system clock. Several processes run in sequence on the same
/// data need instants that grow from one to the next: stored row versions (ReplacingMergeTree's <c>ingested_at</c>)
/// come from this clock, so a later process started at an earlier instant would write versions that lose.
/// </summary>
public static class CliClock
{
    public const string NowVariable = "COSTOPS_NOW";

    /// <summary>The clock <c>COSTOPS_NOW</c> asks for, or <see langword="null"/> when it is unset (use the system's).</summary>
    /// <exception cref="CliUsageException">The variable holds no ISO 8601 instant with an offset.</exception>
    public static TimeProvider? FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(NowVariable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!Instants.TryParse(text, out var start))
        {
            throw new CliUsageException($"{NowVariable}='{text}' is not {Instants.Expected}.");
        }
        return new StartedAt(start, TimeProvider.System);
    }

    /// <summary>System time shifted so that it read <c>start</c> when the process began.</summary>
    private sealed class StartedAt(DateTimeOffset start, TimeProvider system) : TimeProvider
    {
        private readonly TimeSpan _shift = start - system.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => system.GetUtcNow() + _shift;
    }
}
