using System.Diagnostics;

namespace CostOps.Infrastructure.Local;

/// <summary>Start information for a Node.js helper process (Azurite, and the tests' browser driver).</summary>
public static class NodeProcess
{
    /// <summary>
    /// <c>node</c> with its output redirected. It never inherits libfaketime: Node 20 hangs at start-up under it
    /// (libfaketime 0.9.10, even <c>node --version</c>), and what runs in Node stands in for something with a clock of
    /// its own anyway (the storage service Azurite emulates, a browser), so a suite run at a faked instant
    /// (<c>faketime ... dotnet test</c>) fakes only our processes' clocks.
    /// </summary>
    public static ProcessStartInfo StartInfo()
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (start.Environment.TryGetValue("LD_PRELOAD", out var preload) && preload is not null && preload.Contains("faketime", StringComparison.Ordinal))
        {
            var kept = preload.Split([':', ' '], StringSplitOptions.RemoveEmptyEntries).Where(p => !p.Contains("faketime", StringComparison.Ordinal));
            start.Environment["LD_PRELOAD"] = string.Join(':', kept);
        }
        return start;
    }
}
