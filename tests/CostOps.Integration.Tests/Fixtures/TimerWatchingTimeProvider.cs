using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports each timer the code under test creates (a <c>Task.Delay</c>, a
/// timeout) with its due time: a test waits for the code to start waiting, reads the exact delay it chose, and only then
/// moves the clock, instead of sleeping and hoping the code got there.
/// </summary>
public sealed class TimerWatchingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Registered first, reported second: a test that advances as soon as it hears of the timer must not miss it.
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created (in creation order), once it is registered.</summary>
    public async Task<TimeSpan> NextTimerAsync() =>
        await _created.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
}
