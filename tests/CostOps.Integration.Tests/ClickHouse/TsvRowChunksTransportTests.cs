using System.Text;
using System.Text.Json;
using CostOps.Infrastructure.ClickHouse;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.ClickHouse;

/// <summary>
/// Rows sent with a query as a TSV parameter (<see cref="TsvRowChunks"/>, what replaced the scratch tables) come back
/// exactly as given, whatever the values, on the transport the run names; on the server transport every chunk of the
/// worst values still fits the URL a ClickHouse server accepts.
/// </summary>
public sealed class TsvRowChunksTransportTests
{
    private const string Read = "SELECT a, b FROM format(TSV, 'a String, b String', {rows:String})";

    [Fact]
    public async Task Hostile_values_come_back_exactly_across_chunks()
    {
        await using var host = await CostOpsTestHost.StartAsync();
        string[] hostile = ["plain", "tab\there", "line\nbreak", "cr\rlf", "back\\slash", "\\t literally", "quote ' \" `", "nul\0byte",
            "naïve ☃ 𝄞", "", "x') OR 1=1 --", "trailing\\"];
        var rows = hostile.SelectMany(a => hostile.Select(b => (a, b))).ToList();
        // A small limit, so the rows span many chunks.
        var chunks = new TsvRowChunks(maxChunkUrlBytes: 300);
        foreach (var (a, b) in rows) chunks.Add(a, b);
        Assert.True(chunks.Chunks.Count() > 10);

        var read = new List<(string, string)>();
        foreach (var chunk in chunks.Chunks)
        {
            Assert.True(TsvRowChunks.UrlBytes(new StringBuilder(chunk)) <= 300 || chunk.Count(c => c == '\n') == 1);
            var json = await host.ClickHouse.QueryAsync(Read, "JSONCompactEachRow", new QueryParameters { { "rows", chunk } });
            foreach (var line in json.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var doc = JsonDocument.Parse(line);
                read.Add((doc.RootElement[0].GetString()!, doc.RootElement[1].GetString()!));
            }
        }
        Assert.Equal(rows, read);
    }

    [Fact]
    public async Task Chunks_of_the_costliest_values_fit_the_transport()
    {
        await using var host = await CostOpsTestHost.StartAsync();
        var chunks = new TsvRowChunks(host.ClickHouse.MaxParameterUrlBytes);
        // Backslashes, tabs and non-ASCII: each takes the most bytes once escaped and URL-encoded.
        var costly = string.Concat(Enumerable.Repeat("\\\t☃", 40));
        for (var i = 0; i < 10_000; i++) chunks.Add(costly, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var all = chunks.Chunks.ToList();
        // On the embedded engine one statement takes them all; a server's URL needs several.
        Assert.Equal(TestEnvironment.ServerTransport, all.Count > 1);

        var count = 0L;
        foreach (var chunk in all)
        {
            var url = Uri.EscapeDataString(ParameterFormatter.Format(chunk)).Length;
            Assert.InRange(url, 1, host.ClickHouse.MaxParameterUrlBytes);
            count += long.Parse(await host.ClickHouse.QueryAsync($"SELECT count() FROM ({Read}) WHERE a = {{costly:String}}", "TSV",
                new QueryParameters { { "rows", chunk }, { "costly", costly } }));
        }
        Assert.Equal(10_000, count);
    }
}
