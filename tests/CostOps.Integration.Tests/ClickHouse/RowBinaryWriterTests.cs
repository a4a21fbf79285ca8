using System.Buffers.Binary;
using CostOps.Infrastructure.ClickHouse.Formats;

namespace CostOps.Integration.Tests.ClickHouse;

/// <summary>Decimal(38, S) as ClickHouse reads it: the value times 10^S, a little-endian Int128, rounded half-even past S.</summary>
public sealed class RowBinaryWriterTests
{
    private static Int128 Written(decimal value, int scale)
    {
        var writer = new RowBinaryWriter(16);
        writer.Decimal128(value, scale);
        return BinaryPrimitives.ReadInt128LittleEndian(writer.WrittenMemory.Span);
    }

    [Theory]
    [InlineData("0", 18, "0")]
    [InlineData("1.5", 18, "1500000000000000000")]
    [InlineData("-0.000000000000000001", 18, "-1")]
    [InlineData("123.456", 3, "123456")]
    [InlineData("0.0000000000000000015", 18, "2")]
    [InlineData("0.0000000000000000025", 18, "2")]
    [InlineData("79228162514264337593543950335", 9, "79228162514264337593543950335000000000")]
    [InlineData("-4.2", 37, "-42000000000000000000000000000000000000")]
    public void Decimal128_is_the_value_scaled_exactly(string value, int scale, string expected)
    {
        var scaled = Written(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), scale);
        Assert.Equal(Int128.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), scaled);
    }

    [Theory]
    [InlineData("0", 6, 0L)]
    [InlineData("12.5", 6, 12_500_000L)]
    [InlineData("0.0000015", 6, 2L)]
    [InlineData("0.0000025", 6, 2L)]
    [InlineData("-3.25", 1, -32L)]
    [InlineData("9223372036854.775807", 6, long.MaxValue)]
    public void Decimal64_is_the_value_scaled_exactly(string value, int scale, long expected)
    {
        var writer = new RowBinaryWriter(8);
        writer.Decimal64(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), scale);
        Assert.Equal(expected, BinaryPrimitives.ReadInt64LittleEndian(writer.WrittenMemory.Span));
    }

    [Fact]
    public void Decimal64_refuses_a_value_past_its_range() =>
        Assert.Throws<OverflowException>(() => new RowBinaryWriter(8).Decimal64(9_223_372_036_854.775808m, 6));
}
