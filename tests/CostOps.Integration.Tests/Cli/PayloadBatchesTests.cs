using System.Text;
using CostOps.Cli;

namespace CostOps.Integration.Tests.Cli;

/// <summary>How files are cut into payloads for bulk ingestion: at line ends only, by line count or by bytes, nothing lost or reordered.</summary>
public sealed class PayloadBatchesTests
{
    private static async Task<List<string>> CutAsync(string text, int lines, int bytes)
    {
        var payloads = new List<string>();
        await foreach (var payload in PayloadBatches.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), lines, CancellationToken.None, bytes))
        {
            payloads.Add(Encoding.UTF8.GetString(payload.Span));
        }
        return payloads;
    }

    [Fact]
    public async Task Ndjson_is_cut_at_line_ends_by_count_or_by_bytes_whichever_comes_first()
    {
        // Short lines, then long ones (an event carrying its prompt's text): the byte bound cuts the long ones.
        var lines = Enumerable.Range(0, 10).Select(i => $$"""{"event_id":"e{{i}}"}""")
            .Concat(Enumerable.Range(10, 6).Select(i => $$"""{"event_id":"e{{i}}","prompt_text":"{{new string('x', 300)}}"}""")).ToList();
        var text = string.Join('\n', lines) + "\n";

        var byCount = await CutAsync(text, lines: 4, bytes: int.MaxValue);
        Assert.Equal([4, 4, 4, 4], byCount.Select(p => p.Count(c => c == '\n')));

        var byBytes = await CutAsync(text, lines: 1000, bytes: 700);
        Assert.All(byBytes, p => Assert.EndsWith("\n", p));
        // Each payload but the last ends at the first line end at or past 700 bytes: at least 700, and under 700 without its last line.
        foreach (var p in byBytes.SkipLast(1))
        {
            var withoutLastLine = p[..(p.TrimEnd('\n').LastIndexOf('\n') + 1)];
            Assert.True(p.Length >= 700 && withoutLastLine.Length < 700, $"{withoutLastLine.Length} / {p.Length}");
        }
        Assert.Equal(3, byBytes.Count);
        Assert.Equal(text, string.Concat(byBytes));
        Assert.Equal(text, string.Concat(byCount));
    }
}
