using System.Buffers;
using System.Text;
using System.Text.Json;
using CostOps.Core.LoadGen;
using Microsoft.Extensions.Time.Testing;

namespace CostOps.Core.Tests.LoadGen;

[Trait("Category", "Calendar")]
public sealed class TrafficGeneratorTests
{
    private static readonly TrafficProfile Profile = new() { Events = 6_000, Days = 30, Tenants = 3, Seed = 7 };

    private static List<string> Daily(string now)
    {
        var buffer = new ArrayBufferWriter<byte>();
        new TrafficGenerator(Profile, new FakeTimeProvider(DateTimeOffset.Parse(now))).WriteDailyNdjson(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>The timestamp of a well-formed generated event; null for the deliberately bad ones.</summary>
    private static DateTimeOffset? TimestampOf(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.TryGetProperty("event_id", out var id) && id.GetString()!.StartsWith("evt-", StringComparison.Ordinal)
                && json.RootElement.TryGetProperty("timestamp", out var t) ? DateTimeOffset.Parse(t.GetString()!) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [Fact]
    public void Daily_traffic_covers_the_days_before_today_and_today_up_to_now_only()
    {
        var lines = Daily("2027-03-01T00:20:00Z");
        var times = lines.Select(TimestampOf).OfType<DateTimeOffset>().ToList();

        Assert.All(times, t => Assert.InRange(t, DateTimeOffset.Parse("2027-01-30T00:00:00Z"), DateTimeOffset.Parse("2027-03-01T00:19:59.999Z")));
        // 30 whole days at 6,000 / 30 a day on average (weekends lighter), plus 20 minutes of today.
        Assert.InRange(lines.Count, 5_700, 6_300);
        Assert.Equal(30, times.Where(t => t < DateTimeOffset.Parse("2027-03-01T00:00:00Z")).Select(t => t.UtcDateTime.Date).Distinct().Count());
    }

    [Fact]
    public void A_later_run_replays_every_event_of_the_days_both_windows_hold_byte_for_byte()
    {
        var first = Daily("2027-03-01T00:20:00Z");
        var later = Daily("2027-03-02T15:00:00Z").ToHashSet();
        var shared = first.Where(l => TimestampOf(l) is { } t && t >= DateTimeOffset.Parse("2027-01-31T00:00:00Z")).ToList();

        Assert.True(shared.Count > 5_000, $"{shared.Count} events in the shared days");
        Assert.All(shared, line => Assert.Contains(line, later));
        // And the later run has traffic of its own on the day the first run had only begun.
        Assert.Contains(later, l => TimestampOf(l) is { } t && t >= DateTimeOffset.Parse("2027-03-01T00:20:00Z"));
    }

    [Fact]
    public void Events_are_named_by_their_day_so_two_days_never_share_an_id()
    {
        var ids = Daily("2028-02-29T12:00:00Z").Where(l => TimestampOf(l) is not null)
            .Select(l => (Id: JsonDocument.Parse(l).RootElement.GetProperty("event_id").GetString()!, Day: TimestampOf(l)!.Value.ToString("yyyyMMdd")))
            .ToList();

        Assert.All(ids, e => Assert.Contains($"-{e.Day}-", e.Id));
        Assert.Contains(ids, e => e.Day == "20280229");
    }
}
