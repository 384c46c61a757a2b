using System.Runtime.InteropServices;

namespace Pipeline.Engine.Executors.Sql;

/// <summary>
/// Finds SQLite's native library beside the program first. Left to the default search, the
/// runtime tried some forty names in the system's library folders before the one next to the
/// natively compiled tool (two milliseconds of every `workflow run`, which opens the state database).
/// Where it is not there (a framework-dependent install keeps it under runtimes/), the default search goes on.
/// </summary>
public static class SqliteLibrary
{
    private static int _registered;

    /// <summary>Call before the first SQLite connection is created; later calls do nothing.</summary>
    public static void PreferTheProgramsFolder()
    {
        if (Interlocked.Exchange(ref _registered, 1) != 0) return;
        var file = OperatingSystem.IsWindows() ? "e_sqlite3.dll" : OperatingSystem.IsMacOS() ? "libe_sqlite3.dylib" : "libe_sqlite3.so";
        var beside = Path.Combine(AppContext.BaseDirectory, file);
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, (name, _, _) =>
                name == "e_sqlite3" && NativeLibrary.TryLoad(beside, out var handle) ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException) { /* a resolver is set already: it decides */ }
    }
}
