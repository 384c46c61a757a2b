namespace Pipeline.State.Tests;

/// <summary>
/// One empty store to test against, on a real database: a SQLite file in a temporary folder, or a
/// schema of its own on the PostgreSQL server that tests/run starts. <see cref="Open"/> gives a new
/// connection to the same store each time, as a second process would have.
/// </summary>
public abstract class StoreBackend : IDisposable
{
    public abstract RelationalStateStore Open();

    /// <summary>Runs SQL straight on the database, around the store (to build old or odd stores).</summary>
    public abstract void Sql(string sql);

    /// <summary>The first column of the first row of a query, as a number (to count rows around the store).</summary>
    public abstract long Count(string sql);

    /// <summary>Marks the store as written at schema <paramref name="version"/>.</summary>
    public abstract void SetVersion(int version);

    /// <summary>Whether the database finds itself sound.</summary>
    public abstract bool IntegrityCheck();

    public abstract void Dispose();
}
