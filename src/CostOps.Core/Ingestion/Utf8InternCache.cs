using System.Buffers.Binary;
using System.Text;

namespace CostOps.Core.Ingestion;

/// <summary>
/// Turns short UTF-8 values into strings, reusing the string when the same bytes were seen recently. Tenants,
/// models, providers, projects and tag keys repeat across millions of events, so this saves most per-event string
/// allocations. Direct-mapped and lossy (a collision just replaces the slot), hence bounded in memory and safe to
/// share between threads without locks: slots hold immutable entries and reference writes are atomic.
/// </summary>
internal sealed class Utf8InternCache
{
    /// <summary>Longer values are mostly unique (ids, hashes); caching them would only churn the slots.</summary>
    public const int MaxInternedBytes = 64;

    private readonly Entry?[] _slots;
    private readonly int _mask;

    public Utf8InternCache(int slotCountPowerOfTwo = 8192)
    {
        if (slotCountPowerOfTwo <= 0 || (slotCountPowerOfTwo & (slotCountPowerOfTwo - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(slotCountPowerOfTwo), "must be a power of two");
        _slots = new Entry?[slotCountPowerOfTwo];
        _mask = slotCountPowerOfTwo - 1;
    }

    /// <summary>Returns a string equal to the (valid) UTF-8 <paramref name="utf8"/>.</summary>
    public string GetString(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxInternedBytes)
            return Encoding.UTF8.GetString(utf8);
        uint hash = Hash(utf8);
        ref Entry? slot = ref _slots[hash & (uint)_mask];
        var entry = slot;
        if (entry is not null && entry.Hash == hash && utf8.SequenceEqual(entry.Utf8))
            return entry.Value;
        var value = Encoding.UTF8.GetString(utf8);
        slot = new Entry(hash, utf8.ToArray(), value);
        return value;
    }

    // A multiply-xor hash over 8-byte words: short keys, no need for collision resistance (collisions only evict).
    private static uint Hash(ReadOnlySpan<byte> s)
    {
        ulong h = 0x9E3779B97F4A7C15UL ^ (ulong)s.Length;
        while (s.Length >= 8)
        {
            h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(s)) * 0xFF51AFD7ED558CCDUL;
            h ^= h >> 29;
            s = s[8..];
        }
        ulong tail = 0;
        for (int i = 0; i < s.Length; i++)
            tail |= (ulong)s[i] << (8 * i);
        h = (h ^ tail) * 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 32;
        return (uint)h;
    }

    private sealed record Entry(uint Hash, byte[] Utf8, string Value);
}
