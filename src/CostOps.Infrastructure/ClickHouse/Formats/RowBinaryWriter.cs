using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CostOps.Infrastructure.ClickHouse.Formats;

/// <summary>
/// Writes values in ClickHouse's binary encoding (little-endian fixed-width numbers, LEB128-prefixed strings): the
/// bytes of one RowBinary field, or of one value in a Native column (<see cref="NativeBlockWriter"/> keeps one per
/// column). Exact for decimals: a Decimal(38, S) is the scaled Int128, never a double.
/// </summary>
public sealed class RowBinaryWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public RowBinaryWriter(int initialCapacity = 1 << 16)
    {
        _buffer = new ArrayBufferWriter<byte>(initialCapacity);
    }

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;

    public int Length => _buffer.WrittenCount;

    public void VarUInt(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        _buffer.Advance(i);
    }

    public void String(string? value)
    {
        value ??= "";
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max < 128)
        {
            // Short strings (nearly all of them): one length byte, encoded in place.
            var span = _buffer.GetSpan(max + 1);
            var written = Encoding.UTF8.GetBytes(value, span[1..]);
            span[0] = (byte)written;
            _buffer.Advance(written + 1);
            return;
        }
        var count = Encoding.UTF8.GetByteCount(value);
        VarUInt((ulong)count);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(count));
        _buffer.Advance(count);
    }

    public void UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    /// <summary>DateTime64(3): milliseconds since the Unix epoch.</summary>
    public void DateTime64Millis(DateTimeOffset value) => Int64(value.ToUnixTimeMilliseconds());

    /// <summary>Decimal(18, <paramref name="scale"/>): the value times 10^scale as a little-endian Int64 (rounded half-even past the scale; overflow throws).</summary>
    public void Decimal64(decimal value, int scale) => Int64(checked((long)Scaled(value, scale)));

    /// <summary>10^0 to 10^38, the scales of Decimal(38, S).</summary>
    private static readonly Int128[] Powers10 = PowersOfTen(38);

    private static Int128[] PowersOfTen(int max)
    {
        var powers = new Int128[max + 1];
        powers[0] = 1;
        for (var n = 1; n <= max; n++) powers[n] = powers[n - 1] * 10;
        return powers;
    }

    /// <summary>Decimal(38, <paramref name="scale"/>): the value times 10^scale as a little-endian Int128 (rounded half-even past the scale).</summary>
    public void Decimal128(decimal value, int scale)
    {
        var span = _buffer.GetSpan(16);
        BinaryPrimitives.WriteInt128LittleEndian(span, Scaled(value, scale));
        _buffer.Advance(16);
    }

    /// <summary>
    /// <paramref name="value"/> times 10^<paramref name="scale"/> as an integer: its 96-bit mantissa times one power of ten.
    /// Rounded (half-even) only when it has more places than <paramref name="scale"/>, which money computed at the
    /// catalog's precision never has: seven decimal columns a row, and a decimal multiplication per place (the Decimal64
    /// of before) or a Math.Round per value cost about a tenth of encoding a row.
    /// </summary>
    private static Int128 Scaled(decimal value, int scale)
    {
        if (value.Scale > scale) value = Math.Round(value, scale, MidpointRounding.ToEven);
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var valueScale = (bits[3] >> 16) & 0xFF;
        var mantissa = ((Int128)(uint)bits[2] << 64) | ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        mantissa *= Powers10[scale - valueScale];
        return bits[3] < 0 ? -mantissa : mantissa;
    }
}
