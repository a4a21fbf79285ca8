using System.Diagnostics;
using System.Net.Sockets;

namespace CostOps.Infrastructure.Local;

/// <summary>What the local servers we start (Azurite, redis-server) share: picking a port, and stopping through a wrapper that watches its stdin.</summary>
internal static class ChildProcesses
{
    /// <summary>A loopback port free a moment ago: the server's bind decides, and a caller tries another if it fails.</summary>
    public static int CandidatePort()
    {
        using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>
    /// Closes our end of the wrapper's stdin (it then stops its server the way that server saves cleanly) and waits up to
    /// 10 s for it to exit; kills the tree only if it has not.
    /// </summary>
    public static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        process.Dispose();
    }
}
