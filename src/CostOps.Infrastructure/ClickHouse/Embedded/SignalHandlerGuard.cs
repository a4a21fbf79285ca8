namespace CostOps.Infrastructure.ClickHouse.Embedded;

/// <summary>
/// chdb_connect installs ClickHouse's own handlers for SIGSEGV and friends. The .NET runtime needs its own
/// (it turns SIGSEGV into NullReferenceException); with ClickHouse's in place the first NRE hangs or crashes
/// the process. This saves the handlers before connect and puts them back after (shared facts/chdb.md).
/// </summary>
internal sealed unsafe class SignalHandlerGuard : IDisposable
{
    // SIGILL, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGPIPE.
    private static readonly int[] Signals = [4, 6, 7, 8, 11, 13];
    private readonly byte[][] _saved = new byte[Signals.Length][];

    public SignalHandlerGuard()
    {
        for (var i = 0; i < Signals.Length; i++)
        {
            _saved[i] = new byte[LibC.SigactionSize];
            fixed (byte* old = _saved[i])
            {
                if (LibC.SigAction(Signals[i], null, old) != 0)
                {
                    throw new InvalidOperationException($"sigaction({Signals[i]}) failed to read the current handler.");
                }
            }
        }
    }

    public void Dispose()
    {
        for (var i = 0; i < Signals.Length; i++)
        {
            fixed (byte* saved = _saved[i])
            {
                LibC.SigAction(Signals[i], saved, null);
            }
        }
    }
}
