using System.Text.Json;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops bench pricing|tokens</c>: single-threaded micro-benchmarks of the per-event hot paths, printed as one
/// JSON object (<c>--json</c>) or as text. Each runs for a few seconds at most.
/// </summary>
public sealed class BenchCommand : ICliCommand
{
    public string Name => "bench";
    public string Summary => "Measure the per-event hot paths: pricing (ns/event, allocations) and token counting (MB/s).";
    /// <summary>Prices come from the pricing table in Azure Tables (Azurite locally).</summary>
    public bool NeedsTables => true;

    public string Usage => "costops bench pricing [--json]\n       costops bench tokens [--corpus DIR] [--encoding o200k|cl100k] [--json]\n       costops bench budgets [--budgets N] [--events M] [--ticks K] [--json]\n       costops bench ingest [--events 1000000] [--json]\n       costops bench recommend [--events 10000000] [--runs 3] [--json]\n       costops bench admission [--tenants 1000] [--connections 64] [--seconds 10] [--json]\n       costops bench live [--connections 1|8|64|256] [--seconds 10] [--json]";
    public IReadOnlySet<string> Flags => new HashSet<string> { "json" };

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var json = args.Flag("json");
        IReadOnlyDictionary<string, object> result = args.Positional switch
        {
            ["pricing"] => RunPricing(args),
            ["tokens"] => RunTokens(args),
            ["budgets"] => await BenchBudgets.RunAsync(args, context, cancellationToken),
            ["ingest"] => await BenchIngest.RunAsync(args, context, cancellationToken),
            ["recommend"] => await BenchRecommend.RunAsync(args, context, cancellationToken),
            ["admission"] => await BenchAdmission.RunAsync(args, context, cancellationToken),
            ["live"] => await BenchLive.RunAsync(args, cancellationToken),
            [] => throw new CliUsageException("say which benchmark: pricing or tokens."),
            _ => throw new CliUsageException($"unknown benchmark '{string.Join(' ', args.Positional)}': pricing or tokens."),
        };
        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            foreach (var (key, value) in result) context.Out.WriteLine($"{key,-32} {value}");
        }
        return 0;
    }

    private static IReadOnlyDictionary<string, object> RunPricing(CliArgs args)
    {
        args.RejectUnknown();
        return BenchPricing.Run();
    }

    private static IReadOnlyDictionary<string, object> RunTokens(CliArgs args)
    {
        var corpus = args.Option("corpus");
        var encoding = args.Option("encoding") ?? "o200k";
        args.RejectUnknown();
        return BenchTokens.Run(corpus, encoding);
    }
}
