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
    private static readonly CliOption<int> Events = CliOption.Int("events", "N", "how many events", min: 1).Default(10_000);
    private static readonly CliOption<int> Days = CliOption.Int("days", "N", "days of traffic, up to now", min: 1).Default(30);
    private static readonly CliOption<int> Tenants = CliOption.Int("tenants", "N", "how many tenants", min: 1).Default(5);
    private static readonly CliOption<int> Seed = CliOption.Int("seed", "N", "random seed: the same seed gives the same events", min: 1).Default(42);
    private static readonly CliOption<double> Bad = CliOption.Fraction("bad", "share of malformed events").Default(0.002);
    private static readonly CliOption<double> Duplicates = CliOption.Fraction("duplicates", "share of producer retries (same event id)").Default(0.01);
    private static readonly CliOption<string?> Out = CliOption.Text("out", "FILE|-", "write NDJSON to this file (default: standard output)");
    private static readonly CliOption<string?> Http = CliOption.Text("http", "URL", "POST the events to this ingestion URL instead");
    private static readonly CliOption<string?> ApiKey = CliOption.Text("api-key", "KEY", "the x-api-key for --http");
    private static readonly CliOption<string?> EventHub = CliOption.Text("eventhub-connection", "CS", "publish to Event Hubs with this connection string instead");
    private static readonly CliOption<string> Hub = CliOption.Text("hub", "NAME", "the event hub for --eventhub-connection").Default("usage");

    public CliSyntax Syntax { get; } = new(new CliForm("", [Events, Days, Tenants, Seed, Bad, Duplicates, Out, Http, ApiKey, EventHub, Hub]));

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        var profile = new TrafficProfile
        {
            Events = args.Get(Events),
            Days = args.Get(Days),
            Tenants = args.Get(Tenants),
            Seed = args.Get(Seed),
            BadFraction = args.Get(Bad),
            DuplicateFraction = args.Get(Duplicates),
        };
        var outPath = args.Get(Out);
        var http = args.Get(Http);
        var apiKey = args.Get(ApiKey);
        var eventHub = args.Get(EventHub);
        var hub = args.Get(Hub);

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
}
