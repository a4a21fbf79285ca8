using Cronos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CostOps.Infrastructure.Hosting;

/// <summary>
/// Runs one job on the schedule a setting names, with the same NCRONTAB expression (six fields, seconds first) the
/// Functions timer trigger reads from the same setting (<c>%BudgetSchedule%</c>...). This is how <c>costops serve</c>
/// keeps the Functions app's schedules in one process. A failed run is logged and the next one still happens.
/// </summary>
public sealed class ScheduledJob(
    string settingName, string defaultSchedule, Func<IServiceProvider, CancellationToken, Task> run,
    IServiceProvider services, IConfiguration configuration, TimeProvider time, ILogger<ScheduledJob> logger) : BackgroundService
{
    public string SettingName => settingName;

    public CronExpression Schedule { get; } = CronExpression.Parse(configuration[settingName] ?? defaultSchedule, CronFormat.IncludeSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = Schedule.GetNextOccurrence(now, TimeZoneInfo.Utc);
            if (next is null) return;
            await Task.Delay(next.Value - now, time, stoppingToken);
            try
            {
                await run(services, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Scheduled job {Setting} failed; it runs again at its next time.", settingName);
            }
        }
    }
}

/// <summary>Registers scheduled jobs by the setting that holds their schedule.</summary>
public static class ScheduledJobs
{
    public static IServiceCollection AddScheduledJob(this IServiceCollection services, string settingName, string defaultSchedule,
        Func<IServiceProvider, CancellationToken, Task> run) =>
        services.AddSingleton<IHostedService>(sp => new ScheduledJob(settingName, defaultSchedule, run, sp,
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ScheduledJob>>()));
}
