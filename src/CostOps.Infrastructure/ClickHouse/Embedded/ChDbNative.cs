using System.Runtime.InteropServices;

namespace CostOps.Infrastructure.ClickHouse.Embedded;

/// <summary>P/Invoke surface of libchdb.so (chDB 26.5), loaded by path through <see cref="NativeLibrary"/>.</summary>
internal static unsafe partial class ChDbNative
{
    public const string Library = "chdb";

    [LibraryImport(Library, EntryPoint = "chdb_connect")]
    public static partial IntPtr Connect(int argc, IntPtr argv);

    [LibraryImport(Library, EntryPoint = "chdb_close_conn")]
    public static partial void CloseConnection(IntPtr connectionPointer);

    [LibraryImport(Library, EntryPoint = "chdb_query_n")]
    public static partial IntPtr QueryN(IntPtr connection, byte* query, nuint queryLength, byte* format, nuint formatLength);

    [LibraryImport(Library, EntryPoint = "chdb_query_with_params_n")]
    public static partial IntPtr QueryWithParamsN(
        IntPtr connection, byte* query, nuint queryLength, byte* format, nuint formatLength,
        byte** names, nuint* nameLengths, byte** values, nuint* valueLengths, nuint count);

    [LibraryImport(Library, EntryPoint = "chdb_result_buffer")]
    public static partial byte* ResultBuffer(IntPtr result);

    [LibraryImport(Library, EntryPoint = "chdb_result_length")]
    public static partial nuint ResultLength(IntPtr result);

    [LibraryImport(Library, EntryPoint = "chdb_result_error")]
    public static partial IntPtr ResultError(IntPtr result);

    [LibraryImport(Library, EntryPoint = "chdb_destroy_query_result")]
    public static partial void DestroyResult(IntPtr result);
}

/// <summary>libc: sigaction, to keep the .NET runtime's signal handlers across chdb_connect; dlopen, to load libchdb with its own binding rules.</summary>
internal static unsafe partial class LibC
{
    public const int RtldNow = 0x2;
    public const int RtldDeepBind = 0x8;

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr DlOpen(string path, int flags);

    [LibraryImport("libc", EntryPoint = "dlerror")]
    public static partial IntPtr DlError();

    /// <summary>Bytes reserved per saved struct sigaction (glibc x86_64 uses 152; kept generous).</summary>
    public const int SigactionSize = 512;

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    public static partial int SigAction(int signal, byte* action, byte* oldAction);
}
