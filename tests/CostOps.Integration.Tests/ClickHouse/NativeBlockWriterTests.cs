using CostOps.Infrastructure.ClickHouse.Formats;

namespace CostOps.Integration.Tests.ClickHouse;

/// <summary>A writer used again (<see cref="NativeBlockWriter.Reset"/>) writes the same bytes as a new one.</summary>
public sealed class NativeBlockWriterTests
{
    private static readonly (string, string)[] Columns =
        [("id", "String"), ("n", "UInt64"), ("flag", "Nullable(Bool)"), ("tags", "Map(String, String)")];

    private static void WriteRows(NativeBlockWriter writer, int rows, string prefix)
    {
        for (var i = 0; i < rows; i++)
        {
            writer.String($"{prefix}-{i}");
            writer.UInt64((ulong)i);
            writer.NullableBool(i % 3 == 0 ? null : i % 2 == 0);
            writer.StringMap(i % 2 == 0 ? new Dictionary<string, string> { ["k"] = prefix, ["i"] = $"{i}" } : null);
        }
    }

    private static byte[] Fresh(int rows, string prefix)
    {
        var writer = new NativeBlockWriter(Columns, 1);
        WriteRows(writer, rows, prefix);
        return writer.ToBlock().ToArray();
    }

    [Fact]
    public void A_reset_writer_writes_what_a_new_one_writes()
    {
        var reused = new NativeBlockWriter(Columns, 1);
        // A larger block first, so the second one's buffers hold stale bytes past what it writes (and map offsets that
        // would carry on from the first block's entries if the reset forgot them).
        WriteRows(reused, 500, "first-block-with-longer-values");
        var first = reused.ToBlock();
        var firstCopy = first.ToArray();
        reused.Reset();
        WriteRows(reused, 7, "b");

        Assert.Equal(7, reused.Rows);
        Assert.Equal(Fresh(7, "b"), reused.ToBlock().ToArray());
        // The block handed out before the reset is its own copy: writing the next block did not change it.
        Assert.Equal(Fresh(500, "first-block-with-longer-values"), first.ToArray());
        Assert.Equal(firstCopy, first.ToArray());
    }

    [Fact]
    public void A_reset_in_the_middle_of_a_row_starts_the_next_block_at_its_first_column()
    {
        var writer = new NativeBlockWriter(Columns, 1);
        writer.String("half a row");
        writer.UInt64(1);
        writer.Reset();
        WriteRows(writer, 3, "c");
        Assert.Equal(Fresh(3, "c"), writer.ToBlock().ToArray());
    }
}
