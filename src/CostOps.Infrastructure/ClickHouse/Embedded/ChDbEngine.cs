using System.Runtime.InteropServices;
using System.Text;

namespace CostOps.Infrastructure.ClickHouse.Embedded;

/// <summary>
/// The process's one chDB connection. chDB keeps global state, so there is exactly one per process
/// (<see cref="Open"/> returns it to every caller) and every call on it is serialised by a lock.
/// It must be closed before the process exits (an open connection at exit crashes or hangs it):
/// hosts call <see cref="Close"/> on shutdown, and a process-exit hook does it as a last resort.
/// </summary>
public sealed unsafe class ChDbEngine
{
    private static readonly Lock OpenLock = new();
    private static ChDbEngine? _instance;
    private static string? _libraryPath;

    private readonly Lock _lock = new();
    private IntPtr _connectionPointer;
    private IntPtr _connection;
    private string? _currentDatabase;

    private ChDbEngine(string dataPath)
    {
        DataPath = dataPath;
    }

    /// <summary>Folder holding the engine's data.</summary>
    public string DataPath { get; }

    public bool IsOpen
    {
        get { lock (_lock) return _connection != IntPtr.Zero; }
    }

    /// <summary>Opens the process's connection with its data in <paramref name="dataPath"/>, or returns the open one.</summary>
    public static ChDbEngine Open(string dataPath, string libraryPath)
    {
        dataPath = Path.GetFullPath(dataPath);
        lock (OpenLock)
        {
            if (_instance is { IsOpen: true })
            {
                if (_instance.DataPath != dataPath)
                {
                    throw new InvalidOperationException(
                        $"Embedded ClickHouse is already open on {_instance.DataPath}; chDB allows one data folder per process (asked for {dataPath}).");
                }
                return _instance;
            }

            LoadLibrary(libraryPath);
            Directory.CreateDirectory(dataPath);
            var engine = new ChDbEngine(dataPath);
            engine.Connect();
            _instance = engine;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => engine.Close();
            return engine;
        }
    }

    private static void LoadLibrary(string libraryPath)
    {
        if (_libraryPath is not null) return;
        // RTLD_DEEPBIND: libchdb binds libc's functions directly, never an LD_PRELOADed interposer. Under libfaketime
        // (`faketime ... dotnet test`), ClickHouse reads the real clock itself (it imports no clock_gettime) while its
        // pthread_cond_timedwait calls were rewritten against the faked clock: every timed wait of its background
        // threads ended at once, and they spun (a 1 s test class took 46 s). With nothing preloaded, nothing changes.
        var handle = LibC.DlOpen(libraryPath, LibC.RtldNow | LibC.RtldDeepBind);
        if (handle == IntPtr.Zero)
        {
            throw new DllNotFoundException($"Cannot load {libraryPath}: {Marshal.PtrToStringUTF8(LibC.DlError())}");
        }
        NativeLibrary.SetDllImportResolver(typeof(ChDbEngine).Assembly, (name, _, _) =>
            name == ChDbNative.Library ? handle : IntPtr.Zero);
        _libraryPath = libraryPath;
    }

    private void Connect()
    {
        var args = new[] { "clickhouse", $"--path={DataPath}" };
        var native = args.Select(a => Marshal.StringToCoTaskMemUTF8(a)).ToArray();
        try
        {
            fixed (IntPtr* argv = native)
            {
                using (new SignalHandlerGuard())
                {
                    _connectionPointer = ChDbNative.Connect(args.Length, (IntPtr)argv);
                }
            }
        }
        finally
        {
            foreach (var p in native) Marshal.FreeCoTaskMem(p);
        }
        if (_connectionPointer == IntPtr.Zero || *(IntPtr*)_connectionPointer == IntPtr.Zero)
        {
            throw new InvalidOperationException($"chdb_connect failed for data folder {DataPath} (is another process using it?).");
        }
        _connection = *(IntPtr*)_connectionPointer;
    }

    /// <summary>Runs one statement in <paramref name="database"/> and returns its output bytes (empty for DDL/INSERT).</summary>
    public byte[] Query(string? database, ReadOnlySpan<byte> sql, string format, QueryParameters? parameters)
    {
        lock (_lock)
        {
            EnsureOpen();
            if (database is null)
            {
                // Database-level statements may drop the current database: re-select it next time.
                _currentDatabase = null;
            }
            else if (database != _currentDatabase)
            {
                // USE takes no query parameter; the name is configuration, validated as an identifier by ClickHouseOptions.
                Run(Encoding.UTF8.GetBytes($"USE `{database}`"), "TSV", null);
                _currentDatabase = database;
            }
            return Run(sql, format, parameters);
        }
    }

    private byte[] Run(ReadOnlySpan<byte> sql, string format, QueryParameters? parameters)
    {
        var formatBytes = Encoding.UTF8.GetBytes(format);
        IntPtr result;
        fixed (byte* q = sql)
        fixed (byte* f = formatBytes)
        {
            if (parameters is null || parameters.Count == 0)
            {
                result = ChDbNative.QueryN(_connection, q, (nuint)sql.Length, f, (nuint)formatBytes.Length);
            }
            else
            {
                result = RunWithParameters(q, sql.Length, f, formatBytes.Length, parameters);
            }
        }
        if (result == IntPtr.Zero) throw new ClickHouseQueryException("chDB returned no result.");
        try
        {
            var error = ChDbNative.ResultError(result);
            if (error != IntPtr.Zero)
            {
                throw new ClickHouseQueryException(Marshal.PtrToStringUTF8(error)?.Trim() ?? "unknown chDB error", Encoding.UTF8.GetString(sql));
            }
            var buffer = ChDbNative.ResultBuffer(result);
            var length = (int)ChDbNative.ResultLength(result);
            return buffer == null || length == 0 ? [] : new ReadOnlySpan<byte>(buffer, length).ToArray();
        }
        finally
        {
            ChDbNative.DestroyResult(result);
        }
    }

    private IntPtr RunWithParameters(byte* query, int queryLength, byte* format, int formatLength, QueryParameters parameters)
    {
        var count = parameters.Count;
        var names = new byte[count][];
        var values = new byte[count][];
        var i = 0;
        foreach (var (name, value) in parameters)
        {
            names[i] = Encoding.UTF8.GetBytes(name);
            values[i] = Encoding.UTF8.GetBytes(ParameterFormatter.Format(value));
            i++;
        }
        var handles = new GCHandle[count * 2];
        try
        {
            var namePtrs = stackalloc byte*[count];
            var valuePtrs = stackalloc byte*[count];
            var nameLengths = stackalloc nuint[count];
            var valueLengths = stackalloc nuint[count];
            for (i = 0; i < count; i++)
            {
                handles[2 * i] = GCHandle.Alloc(names[i], GCHandleType.Pinned);
                handles[2 * i + 1] = GCHandle.Alloc(values[i], GCHandleType.Pinned);
                namePtrs[i] = (byte*)handles[2 * i].AddrOfPinnedObject();
                valuePtrs[i] = (byte*)handles[2 * i + 1].AddrOfPinnedObject();
                nameLengths[i] = (nuint)names[i].Length;
                valueLengths[i] = (nuint)values[i].Length;
            }
            return ChDbNative.QueryWithParamsN(_connection, query, (nuint)queryLength, format, (nuint)formatLength,
                namePtrs, nameLengths, valuePtrs, valueLengths, (nuint)count);
        }
        finally
        {
            foreach (var h in handles) if (h.IsAllocated) h.Free();
        }
    }

    private void EnsureOpen()
    {
        if (_connection == IntPtr.Zero) throw new ObjectDisposedException(nameof(ChDbEngine), "The embedded ClickHouse connection is closed.");
    }

    /// <summary>Closes the connection (idempotent). Required before the process exits.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_connection == IntPtr.Zero) return;
            ChDbNative.CloseConnection(_connectionPointer);
            _connection = IntPtr.Zero;
            _connectionPointer = IntPtr.Zero;
            _currentDatabase = null;
        }
    }

    /// <summary>Closes the process's connection if one is open (host shutdown, end of a test run).</summary>
    public static void CloseShared()
    {
        lock (OpenLock) _instance?.Close();
    }
}
