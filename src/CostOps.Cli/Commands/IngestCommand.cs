using System.Text.Json;
using CostOps.Infrastructure.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary><c>costops ingest FILE|-</c>: takes NDJSON or JSON through the same pipeline as Event Hubs and HTTP.</summary>
public sealed class IngestCommand : ICliCommand
{

    public string Name => "ingest";
    public string Summary => "Ingest usage events from an NDJSON/JSON file (or stdin): validate, price, store, print a summary.";
    /// <summary>Prices come from the pricing table in Azure Tables (Azurite locally).</summary>
    public bool NeedsTables => true;

    private static readonly CliFlag Json = CliOption.Flag("json", "print the summary as JSON");

    public CliSyntax Syntax { get; } = new(new CliForm("<path|->", [Json]));
    public bool NeedsSchema => true;

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var json = args.Has(Json);
        var path = args.Positional is [var p] ? p : throw new CliUsageException("give one file path, or - for standard input.");
        await using var stream = path == "-" ? Console.OpenStandardInput() : OpenFile(path);

        var handler = context.Services.GetRequiredService<UsageIngestionHandler>();
        var source = path == "-" ? "cli:stdin" : $"cli:{Path.GetFileName(path)}";
        var summary = await IngestPipeline.RunAsync(handler, context.Services.GetRequiredService<SpendRollups>(),
            PayloadBatches.ReadAsync(stream, IngestPipeline.LinesPerBatch, cancellationToken, IngestPipeline.BytesPerBatch), source,
            json ? null : s => context.Progress($"  {s.Accepted + s.Rejected + s.Duplicates:N0} events read..."), cancellationToken);
        if (!json) context.EndProgress();

        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(new
            {
                accepted = summary.Accepted,
                rejected = summary.Rejected,
                duplicates = summary.Duplicates,
                unpriced = summary.Unpriced,
                estimated_tokens = summary.Estimated,
            }));
        }
        else
        {
            context.Out.WriteLine($"accepted {summary.Accepted:N0}, rejected {summary.Rejected:N0}, duplicates {summary.Duplicates:N0} (unpriced {summary.Unpriced:N0}, estimated tokens {summary.Estimated:N0})");
            if (summary.Rejected > 0) context.Out.WriteLine("See why: costops rejects");
            if (summary.Unpriced > 0) context.Out.WriteLine("Unpriced models count at an estimate until a price is added: costops spend --group-by provider,model");
        }
        // A failure only when nothing of the input is stored: duplicates are stored events (a replay of a file with a
        // few bad lines is a success, as POST /api/usage answers it).
        return summary.Rejected > 0 && summary.Accepted + summary.Duplicates == 0 ? 1 : 0;
    }

    private static FileStream OpenFile(string path) => File.Exists(path)
        ? File.OpenRead(path)
        : throw new CliUsageException($"no such file: {path}");
}
