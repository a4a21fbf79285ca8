namespace CostOps.Cli.Commands;

/// <summary>The process's peak resident set (Linux VmHWM), resettable so a benchmark can measure one phase of a run.</summary>
public static class ProcessMemory
{
    /// <summary>Resets the peak to the current RSS (Linux: "5" to /proc/self/clear_refs); false where not supported.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Peak RSS in MB since start or the last <see cref="ResetPeak"/>; the runtime's figure where /proc is absent.</summary>
    public static double PeakMegabytes()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null) return Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0);
        }
        catch (IOException)
        {
        }
        return Math.Round(System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1e6);
    }
}
