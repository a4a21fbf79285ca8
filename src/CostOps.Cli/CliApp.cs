using CostOps.Cli.Commands;
using CostOps.Infrastructure;
using CostOps.Infrastructure.Hosting;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Infrastructure.ClickHouse.Embedded;
using CostOps.Infrastructure.Local;
using CostOps.Infrastructure.Sql;
using CostOps.Infrastructure.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CostOps.Cli;

/// <summary>Parses the command name, builds the same services the Functions app uses, runs the command.</summary>
public static class CliApp
{
    public static IReadOnlyList<ICliCommand> Commands { get; } =
    [
        new DemoCommand(),
        new IngestCommand(),
        new LoadgenCommand(),
        new SpendCommand(),
        new RejectsCommand(),
        new RepriceCommand(),
        new ReportCommand(),
        new ServeCommand(),
        new MigrateCommand(),
        new SqlCommand(),
        new PricesCommand(),
        new BenchCommand(),
        new CostCommand(),
        new BudgetsCommand(),
        new AlertsCommand(),
        new KeysCommand(),
        new AuditCommand(),
        new RecommendCommand(),
    ];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            return Help(args.Length > 1 ? args[1] : null, output, error);
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            error.WriteLine($"costops: unknown command '{args[0]}'. Run 'costops help' for the list.");
            return 2;
        }
        if (args.Contains("--help")) return Help(command.Name, output, error);

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };

        AzuriteRunner? azurite = null;
        // What the CLI changes is recorded in the audit trail as the user who ran it.
        CostOps.Infrastructure.Access.AuditActor.Current = "cli:" + Environment.UserName;
        try
        {
            var parsed = new CliArgs(args.Skip(1), command.Syntax);
            using var host = BuildHost(command, parsed);
            var services = host.Services;
            if (command.NeedsTables)
            {
                var tables = services.GetRequiredService<IOptions<TableStorageOptions>>().Value;
                if (tables.IsDevelopmentStorage)
                {
                    var local = services.GetRequiredService<IOptions<LocalOptions>>().Value;
                    azurite = await AzuriteRunner.EnsureRunningAsync(LocalPaths.StateDirectory(local.StateDirectory), local.AzuriteTablePort, cancellation.Token);
                }
                // As hosts do at start-up, and once for every command (migrate included): a command never meets a
                // missing table (a fresh account, a new prefix).
                await services.GetRequiredService<TableStorage>().EnsureTablesAsync(cancellation.Token);
            }
            if (command.NeedsSchema)
            {
                await services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellation.Token);
            }
            return await command.RunAsync(parsed, new CliContext(host, output, error), cancellation.Token);
        }
        catch (CliUsageException e)
        {
            error.WriteLine($"costops {command.Name}: {e.Message}");
            error.WriteLine(command.Syntax.Usage(command.Name, e.Form));
            return 2;
        }
        catch (ClickHouseQueryException e)
        {
            error.WriteLine($"costops {command.Name}: ClickHouse refused the query: {e.Message}");
            if (e.Message.Contains("UNKNOWN_DATABASE", StringComparison.Ordinal))
            {
                error.WriteLine("hint: the schema is not there yet; run 'costops migrate' first.");
            }
            return 1;
        }
        catch (ClickHouseUnavailableException e)
        {
            error.WriteLine($"costops {command.Name}: ClickHouse did not answer: {e.Message}");
            return 1;
        }
        catch (Exception e) when (TablesFailure(e) is { } tables)
        {
            // The Azure SDK retries, then throws one RequestFailedException (or several, aggregated): one line, not a crash.
            error.WriteLine($"costops {command.Name}: Azure Tables: {tables}");
            return 1;
        }
        catch (OptionsValidationException e)
        {
            error.WriteLine($"costops {command.Name}: bad configuration: {string.Join("; ", e.Failures)}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            error.WriteLine($"costops {command.Name}: cancelled.");
            return 130;
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine($"costops {command.Name}: {e.Message}");
            return 1;
        }
        finally
        {
            if (azurite is not null) await azurite.DisposeAsync();
            // An embedded ClickHouse left open at exit crashes or hangs the process.
            ChDbEngine.CloseShared();
        }
    }

    /// <summary>What went wrong with Azure Tables, in one line, when <paramref name="e"/> is a Tables failure.</summary>
    private static string? TablesFailure(Exception e) => e switch
    {
        Azure.RequestFailedException { Status: 0 } f => $"no answer ({f.GetBaseException().Message}); is Tables:ConnectionString right, and is the service (or Azurite) up?",
        Azure.RequestFailedException f => $"refused the request ({f.Status} {f.ErrorCode}): {f.Message.Split('\n')[0]}",
        AggregateException { InnerExceptions: [var first, ..] } a when a.InnerExceptions.All(i => i is Azure.RequestFailedException) =>
            $"{TablesFailure(first)} ({a.InnerExceptions.Count} tries)",
        _ => null,
    };

    /// <summary>The same configuration sources as the other hosts: appsettings.json beside the binary, then environment variables.</summary>
    public static HostApplicationBuilderSettings HostSettings => new() { ContentRootPath = AppContext.BaseDirectory, Args = [] };

    /// <summary>
    /// The command's host (see <see cref="ICliCommand.CreateHostBuilder"/>) with the CostOps services of every host, the
    /// command's settings over the configured ones and the CLI's clock (<c>COSTOPS_NOW</c>).
    /// </summary>
    private static IHost BuildHost(ICliCommand command, CliArgs args)
    {
        var builder = command.CreateHostBuilder(args).AddCostOps(command.Settings, CliClock.FromEnvironment());
        return builder switch
        {
            HostApplicationBuilder host => host.Build(),
            Microsoft.AspNetCore.Builder.WebApplicationBuilder web => web.Build(),
            _ => throw new InvalidOperationException($"'{command.Name}' made a host builder the CLI cannot build ({builder.GetType().Name})."),
        };
    }

    private static int Help(string? name, TextWriter output, TextWriter error)
    {
        if (name is not null)
        {
            var command = Commands.FirstOrDefault(c => c.Name == name);
            if (command is null)
            {
                error.WriteLine($"costops: unknown command '{name}'.");
                return 2;
            }
            output.WriteLine($"{command.Summary}\n\n{command.Syntax.Help(command.Name)}");
            return 0;
        }
        output.WriteLine("costops: LLM cost control. Commands:");
        foreach (var c in Commands) output.WriteLine($"  {c.Name,-10} {c.Summary}");
        output.WriteLine("\n'costops help COMMAND' shows a command's options.");
        return 0;
    }
}
