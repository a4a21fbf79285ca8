using CostOps.Infrastructure.Sql;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary><c>costops migrate</c>: applies pending ClickHouse migrations and creates missing Azure tables.</summary>
public sealed class MigrateCommand : ICliCommand
{
    public string Name => "migrate";
    public string Summary => "Apply pending ClickHouse schema migrations and create missing Azure tables.";
    public CliSyntax Syntax { get; } = new(new CliForm("", []));
    public bool NeedsTables => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var migrator = context.Services.GetRequiredService<SchemaMigrator>();
        var applied = await migrator.MigrateAsync(cancellationToken);

        var total = (await migrator.AppliedAsync(cancellationToken)).Count;
        foreach (var m in applied) context.Out.WriteLine($"applied {m.Version:D4}_{m.Name}");
        context.Out.WriteLine(applied.Count == 0
            ? $"Schema is up to date ({total} migrations applied)."
            : $"Applied {applied.Count} migration(s); {total} in all.");
        return 0;
    }
}
