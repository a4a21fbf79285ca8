using System.Buffers;
using CostOps.Core.LoadGen;
using CostOps.Infrastructure.EventHubs;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Cli.Commands;

/// <summary><c>costops loadgen</c>: realistic synthetic traffic to a file, stdout, an HTTP endpoint or an Event Hub.</summary>
public sealed class LoadgenCommand : ICliCommand
{
    public string Name => "loadgen";
    public string Summary => "Generate realistic synthetic usage events (NDJSON) to a file/stdout, HTTP or an Event Hub.";
    public string Usage => "costops loadgen [--events 10000] [--days 30] [--tenants 5] [--seed 42] [--bad 0.002] [--duplicates 0.01] "
        + "[--out FILE|-] [--http URL --api-key KEY] [--eventhub-connection CS --hub NAME]";

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var profile = new TrafficProfile
        {
            Events = Int(args, "events", 10_000),
            Days = Int(args, "days", 30),
            Tenants = Int(args, "tenants", 5),
            Seed = Int(args, "seed", 42),
            BadFraction = Fraction(args, "bad", 0.002),
            DuplicateFraction = Fraction(args, "duplicates", 0.01),
        };
        var outPath = args.Option("out");
        var http = args.Option("http");
        var apiKey = args.Option("api-key");
        var eventHub = args.Option("eventhub-connection");
        var hub = args.Option("hub") ?? "usage";
        args.RejectUnknown();

        var buffer = new ArrayBufferWriter<byte>(profile.Events * 450);
        var count = new TrafficGenerator(profile, context.Services.GetRequiredService<TimeProvider>()).WriteNdjson(buffer);

        if (http is not null)
        {
            using var client = new HttpClient();
            await using var ndjson = new MemoryStream(buffer.WrittenSpan.ToArray(), writable: false);
            await foreach (var batch in PayloadBatches.ReadAsync(ndjson, 1_000, cancellationToken))
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, http) { Content = new ReadOnlyMemoryContent(batch) };
                request.Content.Headers.ContentType = new("application/x-ndjson");
                if (apiKey is not null) request.Headers.Add("x-api-key", apiKey);
                using var response = await client.SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
            }
            context.Error.WriteLine($"Sent {count:N0} events to {http}.");
        }
        else if (eventHub is not null)
        {
            await using var publisher = new UsageEventPublisher(eventHub, hub);
            var published = await publisher.PublishNdjsonAsync(buffer.WrittenMemory, cancellationToken);
            context.Error.WriteLine($"Published {published:N0} events to event hub {hub}.");
        }
        else if (outPath is null or "-")
        {
            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(buffer.WrittenMemory, cancellationToken);
        }
        else
        {
            await File.WriteAllBytesAsync(outPath, buffer.WrittenMemory.ToArray(), cancellationToken);
            context.Error.WriteLine($"Wrote {count:N0} events to {outPath}.");
        }
        return 0;
    }

    private static int Int(CliArgs args, string name, int fallback) =>
        args.Option(name) is not { } text ? fallback
        : int.TryParse(text, out var value) && value > 0 ? value
        : throw new CliUsageException($"--{name} must be a positive whole number.");

    private static double Fraction(CliArgs args, string name, double fallback) =>
        args.Option(name) is not { } text ? fallback
        : double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1 ? value
        : throw new CliUsageException($"--{name} must be a fraction between 0 and 1.");
}
