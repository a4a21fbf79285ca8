using CostOps.Infrastructure.Ingestion;

namespace CostOps.Integration.Tests.Ingestion;

/// <summary>
/// The committer's pause before a commit (<see cref="IngestionLogCommitter.Pause"/>): the interval, stretched to the last
/// commit's duration when that was longer (committing takes at most about half of the writer's time), up to a bound.
/// </summary>
public sealed class IngestionLogCommitterPauseTests
{
    [Theory]
    [InlineData(200, 0, 200)]
    [InlineData(200, 150, 200)]
    [InlineData(200, 630, 630)]
    [InlineData(200, 60_000, 5_000)]
    [InlineData(10_000, 60_000, 10_000)]
    public void The_pause_is_the_interval_or_the_last_commit_if_longer_up_to_the_bound(int intervalMs, int lastCommitMs, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromSeconds(5), IngestionLogCommitter.MaxPause);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs),
            IngestionLogCommitter.Pause(TimeSpan.FromMilliseconds(intervalMs), TimeSpan.FromMilliseconds(lastCommitMs)));
    }
}
