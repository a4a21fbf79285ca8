using System.Text.Json;

namespace CostOps.Cli.Commands;

/// <summary>
/// <c>costops bench pricing|tokens</c>: single-threaded micro-benchmarks of the per-event hot paths, printed as one
/// JSON object (<c>--json</c>) or as text. Each runs for a few seconds at most.
/// </summary>
public sealed class BenchCommand : ICliCommand
{
    public string Name => "bench";
    public string Summary => "Benchmarks that print JSON figures: pricing, tokens, budgets, ingest, prepare, recommend, admission, live.";
    /// <summary>Prices come from the pricing table in Azure Tables (Azurite locally).</summary>
    public bool NeedsTables => true;

    private static readonly CliOption<string?> Corpus = CliOption.Text("corpus", "DIR", "a folder of text files (default: this repository)");
    private static readonly CliOption<string> Encoding = CliOption.Text("encoding", "o200k|cl100k", "the tokenizer's encoding").Default("o200k");

    public CliSyntax Syntax { get; } = new(
        new CliForm("pricing", "", "pricing one event: ns/event and allocations", [CliOption.Json]),
        new CliForm("tokens", "", "token counting: MB/s", [Corpus, Encoding, CliOption.Json]),
        BenchBudgets.Form,
        BenchIngest.Form,
        BenchPrepare.Form,
        BenchRecommend.Form,
        BenchAdmission.Form,
        BenchLive.Form);

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var json = args.Has(CliOption.Json);
        IReadOnlyDictionary<string, object> result = args.Positional switch
        {
            ["pricing"] => BenchPricing.Run(),
            ["tokens"] => BenchTokens.Run(args.Get(Corpus), args.Get(Encoding)),
            ["budgets"] => await BenchBudgets.RunAsync(args, context, cancellationToken),
            ["ingest"] => await BenchIngest.RunAsync(args, context, cancellationToken),
            ["prepare"] => await BenchPrepare.RunAsync(args, context, cancellationToken),
            ["recommend"] => await BenchRecommend.RunAsync(args, context, cancellationToken),
            ["admission"] => await BenchAdmission.RunAsync(args, context, cancellationToken),
            ["live"] => await BenchLive.RunAsync(args, cancellationToken),
            _ => throw new CliUsageException($"'{string.Join(' ', args.Positional)}': a benchmark takes no arguments."),
        };
        if (args.Positional is not ["pricing"] and not ["tokens"])
        {
            // Which ClickHouse the figures are of: the embedded engine, or a server (ClickHouse__ConnectionString).
            result = new Dictionary<string, object>(result)
            {
                ["clickhouse"] = StoreNames.IsEmbedded(context.Services) ? "embedded" : "server (ClickHouse.Driver over HTTP)",
            };
        }
        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            Print(context.Out, "", result);
        }
        return 0;
    }

    /// <summary>One line per figure; a nested group's figures are named after it ("closed_loop.p99_ms"), a list is one line.</summary>
    private static void Print(TextWriter output, string prefix, IEnumerable<KeyValuePair<string, object>> figures)
    {
        foreach (var (key, value) in figures)
        {
            switch (value)
            {
                case IEnumerable<KeyValuePair<string, object>> group:
                    Print(output, $"{prefix}{key}.", group);
                    break;
                case System.Collections.IEnumerable list and not string:
                    output.WriteLine($"{prefix + key,-46} {string.Join(", ", list.Cast<object>())}");
                    break;
                default:
                    output.WriteLine($"{prefix + key,-46} {value}");
                    break;
            }
        }
    }
}
