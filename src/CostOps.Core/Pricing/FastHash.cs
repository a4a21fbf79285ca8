using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CostOps.Core.Pricing;

/// <summary>
/// A fast, per-process seeded string hash for the resolution cache, whose keys are short strings hashed on every
/// priced event (string.GetHashCode's Marvin costs more than the whole cost arithmetic). Not cryptographic; the
/// random seed and the bounded cache keep deliberate collisions unprofitable.
/// </summary>
internal static class FastHash
{
    private const ulong K1 = 0x9E3779B97F4A7C15;
    private const ulong K2 = 0xC2B2AE3D27D4EB4F;

    public static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    /// <summary>Mixes a string into a running hash, 8 bytes per step.</summary>
    public static ulong Add(ulong hash, string value)
    {
        ref var start = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(value.AsSpan()));
        nint length = value.Length * 2;
        hash = (hash ^ (ulong)length) * K1;
        nint i = 0;
        for (; i + 8 <= length; i += 8)
        {
            hash = (hash ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i))) * K1;
        }
        if (i < length)
        {
            ulong tail = 0;
            for (; i < length; i += 2) tail = (tail << 16) | Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref start, i));
            hash = (hash ^ tail) * K1;
        }
        return hash;
    }

    /// <summary>Final avalanche, folded to 32 bits.</summary>
    public static int Finish(ulong hash)
    {
        hash ^= hash >> 31;
        hash *= K2;
        hash ^= hash >> 29;
        return (int)hash ^ (int)(hash >> 32);
    }
}
