using System.Reflection;
using System.Text.Json;
using System.Threading.Channels;
using Cronos;
using CostOps.Infrastructure.Hosting;
using CostOps.Integration.Tests.Fixtures;
using CostOps.Integration.Tests.Infra;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace CostOps.Integration.Tests.Hosting;

/// <summary><see cref="ScheduledJob"/> on a fake clock, and <c>costops serve</c>'s schedules against the Functions app's timers.</summary>
public sealed class ScheduledJobTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 23, 59, 40, 500, TimeSpan.Zero);

    private static ScheduledJob Job(TimerWatchingTimeProvider time, string? configured, Func<CancellationToken, Task> run) => new(
        "TestSchedule", "0 0 * * * *", (_, ct) => run(ct), new ServiceCollection().BuildServiceProvider(),
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["TestSchedule"] = configured }).Build(),
        time, NullLogger<ScheduledJob>.Instance);

    private static CronExpression Cron(string text) => CronExpression.Parse(text, CronFormat.IncludeSeconds);

    [Fact]
    public async Task A_job_runs_at_each_occurrence_of_its_schedule_and_a_failed_run_does_not_stop_the_next()
    {
        var time = new TimerWatchingTimeProvider(Start);
        var runs = Channel.CreateUnbounded<DateTimeOffset>();
        var calls = 0;
        var job = Job(time, "*/30 * * * * *", _ =>
        {
            runs.Writer.TryWrite(time.GetUtcNow());
            return Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("the first run fails") : Task.CompletedTask;
        });
        using var stop = new CancellationTokenSource();
        await job.StartAsync(stop.Token);
        try
        {
            // Every 30 s from 23:59:40.5: first at 23:59:40.5 + 19.5 s = midnight, then 00:00:30 and 00:01:00, across the month end.
            foreach (var (wait, at) in new[] { (19.5, "2026-12-01T00:00:00Z"), (30.0, "2026-12-01T00:00:30Z"), (30.0, "2026-12-01T00:01:00Z") })
            {
                var delay = await time.NextTimerAsync();
                Assert.Equal(TimeSpan.FromSeconds(wait), delay);
                Assert.False(runs.Reader.TryRead(out _)); // nothing runs before its time
                time.Advance(delay);
                Assert.Equal(DateTimeOffset.Parse(at), await runs.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1)));
            }
        }
        finally
        {
            await job.StopAsync(CancellationToken.None);
        }
        Assert.Equal(3, calls);
    }

    [Fact]
    public void The_schedule_comes_from_its_setting_and_falls_back_to_the_default()
    {
        var time = new TimerWatchingTimeProvider(Start);
        Assert.Equal(Cron("0 */5 * * * *"), Job(time, "0 */5 * * * *", _ => Task.CompletedTask).Schedule);
        Assert.Equal(Cron("0 0 * * * *"), Job(time, null, _ => Task.CompletedTask).Schedule);
    }

    [Fact]
    public void Serve_schedules_every_Functions_timer_from_the_same_setting_with_the_sample_settings_default()
    {
        var output = typeof(ScheduledJobTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsOutput").Value!;
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")));
        var timerSettings = metadata.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "timerTrigger")
            .Select(b => b.GetProperty("schedule").GetString()!.Trim('%'))
            .Order(StringComparer.Ordinal).ToList();
        using var sample = JsonDocument.Parse(File.ReadAllText(RepoPaths.Of("src", "CostOps.Functions", "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values");

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSingleton(TimeProvider.System)
            .AddLogging();
        services.AddCostOpsSchedules();
        using var provider = services.BuildServiceProvider();
        var jobs = provider.GetServices<IHostedService>().OfType<ScheduledJob>().ToList();

        Assert.Equal(5, timerSettings.Count);
        Assert.Equal(timerSettings, jobs.Select(j => j.SettingName).Order(StringComparer.Ordinal));
        Assert.All(jobs, job => Assert.Equal(Cron(values.GetProperty(job.SettingName).GetString()!), job.Schedule));
    }
}
