namespace Pipeline.Engine.Executors.Sql;

/// <summary>
/// Finds SQLite's native library beside the program first (see <see cref="Interop.NativeLibraries"/>):
/// every `workflow run` opens the state database. Where it is not there (a framework-dependent
/// install keeps it under runtimes/), the default search goes on.
/// </summary>
public static class SqliteLibrary
{
    private static int _registered;

    /// <summary>Call before the first SQLite connection is created; later calls do nothing.</summary>
    public static void PreferTheProgramsFolder()
    {
        if (Interlocked.Exchange(ref _registered, 1) != 0) return;
        var file = OperatingSystem.IsWindows() ? "e_sqlite3.dll" : OperatingSystem.IsMacOS() ? "libe_sqlite3.dylib" : "libe_sqlite3.so";
        Interop.NativeLibraries.LoadFirst(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, "e_sqlite3", Path.Combine(AppContext.BaseDirectory, file));
    }
}
