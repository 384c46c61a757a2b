using System.Reflection;
using System.Runtime.InteropServices;

namespace Pipeline.Engine.Interop;

/// <summary>
/// Points a library's imports at one file first. Left to the runtime, an import by a bare name
/// ("libc", "e_sqlite3") tried some forty file names in the system's library folders before it
/// found the library (two milliseconds of a run each).
/// </summary>
internal static class NativeLibraries
{
    /// <summary>
    /// Resolves <paramref name="assembly"/>'s imports of <paramref name="importName"/> to
    /// <paramref name="file"/> (a path, or a name the system's loader finds at once); where that does
    /// not load, the usual search goes on. An assembly takes one resolver: a later call changes nothing.
    /// </summary>
    public static void LoadFirst(Assembly assembly, string importName, string file)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, (name, _, _) =>
                name == importName && NativeLibrary.TryLoad(file, out var handle) ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException) { /* a resolver is set already: it decides */ }
    }
}
