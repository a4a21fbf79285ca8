using System.Runtime.InteropServices;

namespace CostOps.Cli.Commands;

/// <summary>
/// The CPU time this thread has used (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): on a shared machine it leaves out the
/// time the benchmark spent waiting for a core, which wall-clock figures include. Null where unavailable.
/// </summary>
public static partial class BenchClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>Thread CPU time in nanoseconds, or null when the platform has no such clock.</summary>
    public static long? ThreadCpuNanoseconds()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out var t) == 0 ? t.Seconds * 1_000_000_000 + t.Nanoseconds : null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }
}
